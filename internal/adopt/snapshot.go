package adopt

import (
	"io/fs"
	"path"
	"path/filepath"
	"testing/fstest"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/detect"
)

// read are the files whose content detect reads: Go's build reads the
// headers of the sources of every language a package may hold, and
// detect the module's files, GoReleaser's config (and the YAML files it
// may include) and the build files that may set a version stamp
// (detect.StampFiles). Of the others, a snapshot holds the name alone (a
// //go:embed pattern matches names).
var read = map[string]bool{
	"go.mod": true, "go.sum": true, "go.work": true, "modules.txt": true,
}

// sources are the extensions of the files go/build reads in a package.
var sources = map[string]bool{
	".go": true, ".c": true, ".h": true, ".s": true, ".S": true, ".cc": true, ".cpp": true, ".cxx": true,
	".hh": true, ".hpp": true, ".hxx": true, ".m": true, ".f": true, ".F": true, ".for": true, ".f90": true,
	".swig": true, ".swigcxx": true, ".syso": true,
}

// Snapshot reads the project in dir once, into memory: every file's name
// and mode, and the content of those detect reads (read, sources). The
// plan then reads no disk, however often the form asks for it again.
// .git is left out.
func Snapshot(fsys afero.Fs, dir string) (fs.FS, error) {
	root := afero.NewIOFS(fsys)
	if filepath.Clean(dir) != "." { // a base path of "." holds nothing
		root = afero.NewIOFS(afero.NewBasePathFs(fsys, dir))
	}
	snap := fstest.MapFS{}
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == ".":
			return nil
		case d.IsDir() && d.Name() == ".git":
			return fs.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := &fstest.MapFile{Mode: info.Mode(), ModTime: info.ModTime()}
		if !d.IsDir() && reads(p) && info.Mode().IsRegular() {
			if f.Data, err = fs.ReadFile(root, p); err != nil {
				return err
			}
		}
		snap[p] = f
		return nil
	})
	return snap, err
}

// reads reports whether detect reads the content of the file at p.
func reads(p string) bool {
	name, ext := path.Base(p), path.Ext(p)
	if read[name] || sources[ext] || ext == ".yml" || ext == ".yaml" {
		return true
	}
	for _, pattern := range detect.StampFiles {
		if ok, _ := path.Match(pattern, p); ok {
			return true
		}
	}
	return false
}

// files are the paths of the snapshot's regular files.
func files(snap fs.FS) []string {
	var out []string
	_ = fs.WalkDir(snap, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
