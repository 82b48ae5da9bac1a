package detect

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// OutsideError is a replace that points at a directory outside the
// project: a Nix build sees only the project's files.
type OutsideError struct{ Replace *modfile.Replace }

func (e *OutsideError) Error() string {
	r := e.Replace
	return fmt.Sprintf("go.mod: replace %s => %s points outside the project, and a Nix build sees only the project's files: "+
		"require a published version of %s instead (and drop the replace), or move the module into the project and replace it with => ./%s",
		r.Old.Path, r.New.Path, r.Old.Path, path.Base(r.New.Path))
}

// nested returns the directories inside the project that go.mod's replaces
// point at, each a module of its own, sorted; a replace that points
// outside is an *OutsideError.
func nested(fsys fs.FS, mod *modfile.File) ([]string, error) {
	var dirs []string
	for _, r := range mod.Replace {
		if r.New.Version != "" || !modfile.IsDirectoryPath(r.New.Path) {
			continue // a module of the proxy
		}
		dir := path.Clean(strings.ReplaceAll(r.New.Path, `\`, "/"))
		if path.IsAbs(dir) || dir == ".." || strings.HasPrefix(dir, "../") {
			return nil, &OutsideError{Replace: r}
		}
		if !isModule(fsys, dir) {
			return nil, fmt.Errorf("go.mod: replace %s => %s: %s has no go.mod, and Go needs one in a replacement directory: add it (go mod init %s in %s)",
				r.Old.Path, r.New.Path, dir, r.Old.Path, dir)
		}
		dirs = append(dirs, dir)
	}
	return dirs, nil
}

// SumError is a go.sum that lacks the checksums of modules go.mod requires:
// Go refuses to build without them, and Nix's build cannot fetch them.
type SumError struct{ Missing []module.Version }

func (e *SumError) Error() string {
	var names []string
	for i, m := range e.Missing {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(e.Missing)-3))
			break
		}
		names = append(names, m.String())
	}
	return fmt.Sprintf("go.sum lacks the checksums of modules go.mod requires (%s): run go mod tidy (GOWORK=off go mod tidy in a workspace), "+
		"and commit go.sum; adopt does not change go.sum, which is yours", strings.Join(names, ", "))
}

// checkSums checks that go.sum holds the go.mod checksum of every module
// go.mod requires (after its replaces; a directory needs none), as a
// build of the module needs.
func checkSums(fsys fs.FS, mod *modfile.File) error {
	have := map[string]bool{}
	data, err := fs.ReadFile(fsys, "go.sum")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 {
			have[f[0]+" "+f[1]] = true
		}
	}
	replaced := map[string]module.Version{}
	for _, r := range mod.Replace {
		if r.Old.Version == "" {
			replaced[r.Old.Path] = r.New
		} else {
			replaced[r.Old.String()] = r.New
		}
	}
	var missing []module.Version
	for _, req := range mod.Require {
		m := req.Mod
		if to, ok := replaced[m.String()]; ok {
			m = to
		} else if to, ok := replaced[m.Path]; ok {
			m = to
		}
		if m.Version == "" {
			continue // a directory
		}
		if !have[m.Path+" "+m.Version+"/go.mod"] {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return &SumError{Missing: missing}
	}
	return nil
}
