// Package releases holds the template set of every released gonix-init
// version, so that `gonix-init update` can render a project again exactly as
// the version that made it did: the base of its three-way merge. Each set is
// a txtar archive, <version>.txtar, of the *.tmpl files of templates/ at
// that release. `task release` writes the current version's archive, and a
// test keeps it equal to templates/.
package releases

import (
	"embed"
	"fmt"
	"io/fs"
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
