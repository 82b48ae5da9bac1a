// Package releases holds the template set of every released gonix-init
// version, and the nixpkgs pin it locked, so that `gonix-init update` can
// render a project again exactly as the version that made it did: the base
// of its three-way merge. Each release is a txtar archive,
// <version>.txtar, of the *.tmpl files of templates/ at that release and
// of PinFile. `task release` writes the current version's archive, and a
// test keeps it equal to templates/ and internal/nixpin.
package releases

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/semver"

	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/render"
)

//go:embed *.txtar
var archives embed.FS

// PinFile is the file of a release's archive that records the nixpkgs pin
// it locked, with its Go releases and go line, as JSON: a project's
// flake.lock and go.mod as that version wrote them follow from it, not
// from the templates alone.
const PinFile = "nixpin.json"

// Versions lists the released versions whose template sets are here,
// oldest first (0.2.0 before 0.10.0).
func Versions() []string {
	entries, _ := fs.ReadDir(archives, ".")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".txtar"))
	}
	slices.SortFunc(out, func(a, b string) int { return semver.Compare("v"+a, "v"+b) })
	return out
}

// archive reads a released version's archive.
func archive(version string) (*txtar.Archive, error) {
	data, err := archives.ReadFile(version + ".txtar")
	if err != nil {
		return nil, fmt.Errorf("no template set of gonix-init %s is known (known: %s)", version, strings.Join(Versions(), ", "))
	}
	return txtar.Parse(data), nil
}

// Set returns the template set of a released version.
func Set(version string) (fs.FS, error) {
	a, err := archive(version)
	if err != nil {
		return nil, err
	}
	m := fstest.MapFS{}
	for _, f := range a.Files {
		if strings.HasSuffix(f.Name, ".tmpl") {
			m[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		}
	}
	return m, nil
}

// Pin returns the nixpkgs pin a released version locked.
func Pin(version string) (nixpin.Pin, error) {
	a, err := archive(version)
	if err != nil {
		return nixpin.Pin{}, err
	}
	for _, f := range a.Files {
		if f.Name == PinFile {
			var p nixpin.Pin
			err := json.Unmarshal(f.Data, &p)
			return p, err
		}
	}
	return nixpin.Pin{}, fmt.Errorf("the archive of gonix-init %s has no %s", version, PinFile)
}

// Archive is the archive of a release made from the template set fsys,
// locking pin: its *.tmpl files and PinFile.
func Archive(fsys fs.FS, pin nixpin.Pin) ([]byte, error) {
	set, err := render.Archive(fsys)
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(pin, "", "  ")
	if err != nil {
		return nil, err
	}
	a := txtar.Parse(set)
	a.Files = append(a.Files, txtar.File{Name: PinFile, Data: append(data, '\n')})
	var b bytes.Buffer
	b.Write(txtar.Format(a))
	return b.Bytes(), nil
}
