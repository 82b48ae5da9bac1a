package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

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
