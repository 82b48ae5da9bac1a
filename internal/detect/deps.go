package detect

import (
	"io/fs"
	"path"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// requirement is where the packages of a module go.mod requires are read:
// a module version of the module cache, or a directory of the project
// that a replace names (dir).
type requirement struct {
	mod module.Version
	dir string
}

// requirements are go.mod's requirements by module path, with its
// replacements applied.
func requirements(mod *modfile.File) map[string]requirement {
	reqs := map[string]requirement{}
	for _, r := range mod.Require {
		reqs[r.Mod.Path] = requirement{mod: r.Mod}
	}
	for _, r := range mod.Replace {
		if _, ok := reqs[r.Old.Path]; !ok || r.Old.Version != "" && r.Old.Version != reqs[r.Old.Path].mod.Version {
			continue
		}
		if r.New.Version == "" {
			reqs[r.Old.Path] = requirement{dir: path.Clean(r.New.Path)}
		} else {
			reqs[r.Old.Path] = requirement{mod: r.New}
		}
	}
	return reqs
}

// depDir is where the package pkgPath of a required module is read: the
// folder and the file system that holds it. ok is false where it cannot
// be read (the module is not in the module cache, or Deps is nil), and
// module is "" for a package of no module go.mod requires.
func (p *Project) depDir(pkgPath string) (fsys fs.FS, dir, modPath string, ok bool) {
	for m := pkgPath; m != "." && m != "/"; m = path.Dir(m) {
		r, found := p.requires[m]
		if !found {
			continue
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(pkgPath, m), "/")
		switch {
		case p.Vendored:
			return p.fsys, path.Join("vendor", pkgPath), m, true
		case r.dir != "":
			return p.fsys, path.Join(r.dir, rel), m, fs.ValidPath(path.Join(r.dir, rel))
		case p.Deps == nil:
			return nil, "", m, false
		}
		escPath, err1 := module.EscapePath(r.mod.Path)
		escVersion, err2 := module.EscapeVersion(r.mod.Version)
		if err1 != nil || err2 != nil {
			return nil, "", m, false
		}
		root := escPath + "@" + escVersion
		if _, err := fs.Stat(p.Deps, root); err != nil {
			return nil, "", m, false // not downloaded: unread
		}
		return p.Deps, path.Join(root, rel), m, true
	}
	return nil, "", "", false
}

// checkDepStamp is CheckStamp's answer for a variable of a package of a
// required module: read from the module cache (Deps), the project's
// vendor/, or the project's folder that a replace names. A module that
// cannot be read leaves the variable unchecked, as Go's own -X does.
func (p *Project) checkDepStamp(pkgPath, name string) string {
	fsys, dir, modPath, ok := p.depDir(pkgPath)
	switch {
	case modPath == "" && strings.Contains(strings.Split(pkgPath, "/")[0], "."):
		return pkgPath + " is in no module go.mod requires"
	case !ok:
		return ""
	}
	entries, err := fs.ReadDir(fsys, dir)
	var files []string
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && e.Type().IsRegular() {
			files = append(files, n)
		}
	}
	if err != nil || len(files) == 0 {
		return pkgPath + " is not a package of " + modPath
	}
	if !declaresString(fsys, dir, files, name) {
		return name + " is not a package-level string variable of " + pkgPath
	}
	return ""
}
