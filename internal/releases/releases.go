// Package releases holds the template set of every released gonix-init
// version, so that `gonix-init update` can render a project again exactly as
// the version that made it did: the base of its three-way merge. Each set is
// a txtar archive, <version>.txtar, of the *.tmpl files of templates/ at
// that release. `task release` writes the current version's archive, and a
// test keeps it equal to templates/.
package releases

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
)

//go:embed *.txtar
var archives embed.FS

// Versions lists the released versions whose template sets are here.
func Versions() []string {
	entries, _ := fs.ReadDir(archives, ".")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".txtar"))
	}
	return out
}

// Set returns the template set of a released version.
func Set(version string) (fs.FS, error) {
	data, err := archives.ReadFile(version + ".txtar")
	if err != nil {
		return nil, fmt.Errorf("no template set of gonix-init %s is known (known: %s)", version, strings.Join(Versions(), ", "))
	}
	m := fstest.MapFS{}
	for _, f := range txtar.Parse(data).Files {
		m[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return m, nil
}

// Files reads the *.tmpl files of a template set, in fs.WalkDir's order,
// so that one read serves both the render and the digest.
func Files(fsys fs.FS) ([]txtar.File, error) {
	var files []txtar.File
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tmpl") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		files = append(files, txtar.File{Name: p, Data: data})
		return err
	})
	return files, err
}

// sorted returns files sorted by name: the order of the digest and the
// archive, whatever order the set was read in.
func sorted(files []txtar.File) []txtar.File {
	return slices.SortedFunc(slices.Values(files), func(a, b txtar.File) int { return strings.Compare(a.Name, b.Name) })
}

// Archive is a template set as a txtar archive of its *.tmpl files.
func Archive(fsys fs.FS) ([]byte, error) {
	files, err := Files(fsys)
	if err != nil {
		return nil, err
	}
	return txtar.Format(&txtar.Archive{Files: sorted(files)}), nil
}

// Digest identifies a template set by its *.tmpl files' names and contents:
// "sha256:" and the hex sum. A project records it, so an update can tell
// the set that made it.
func Digest(fsys fs.FS) (string, error) {
	files, err := Files(fsys)
	if err != nil {
		return "", err
	}
	return DigestOf(files), nil
}

// DigestOf is the Digest of a template set already read by Files.
func DigestOf(files []txtar.File) string {
	h := sha256.New()
	for _, f := range sorted(files) {
		fmt.Fprintf(h, "%s\x00%d\x00", f.Name, len(f.Data))
		h.Write(f.Data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
