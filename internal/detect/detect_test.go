package detect

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"testing/fstest"
)

// project is a module example.com/p with the Go files given.
func project(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"go.mod": {Data: []byte("module example.com/p\n\ngo 1.25.0\n\ntoolchain go1.26.1\n")}}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

func TestReadFindsTheMainPackages(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		mains []string
	}{
		{"main at the root", map[string]string{"main.go": "package main\n\nfunc main() {}\n"}, []string{"."}},
		{"main under cmd/NAME", map[string]string{
			"cmd/app/main.go":     "package main\n\nimport _ \"example.com/p/internal/lib\"\n\nfunc main() {}\n",
			"internal/lib/lib.go": "package lib\n",
		}, []string{"cmd/app"}},
		{"several mains", map[string]string{
			"main.go":       "package main\n\nfunc main() {}\n",
			"cmd/a/main.go": "package main\n\nfunc main() {}\n",
			"cmd/b/b.go":    "package main\n\nfunc main() {}\n",
			"lib.go_":       "not Go",
		}, []string{".", "cmd/a", "cmd/b"}},
		{"skipped as the go command skips them", map[string]string{
			"cmd/app/main.go":           "package main\n\nfunc main() {}\n",
			"testdata/x/main.go":        "package main\n",
			"vendor/example.com/m/m.go": "package main\n",
			"_tools/t.go":               "package main\n",
			".hidden/h.go":              "package main\n",
			"other/go.mod":              "module example.com/other\n",
			"other/main.go":             "package main\n",
			"windows/main.go":           "//go:build windows\n\npackage main\n",
			"onlytests/x_test.go":       "package main\n",
		}, []string{"cmd/app"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Read(project(c.files))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Mains, c.mains) {
				t.Errorf("Mains = %v, want %v", p.Mains, c.mains)
			}
			if p.Module != "example.com/p" || p.Go != "1.25.0" || p.Toolchain != "go1.26.1" || p.Vendored || len(p.Cgo) != 0 {
				t.Errorf("read %+v", p)
			}
		})
	}
}

func TestReadFindsCgoTheMainNeeds(t *testing.T) {
	p, err := Read(project(map[string]string{
		"cmd/app/main.go":   "package main\n\nimport _ \"example.com/p/internal/db\"\n\nfunc main() {}\n",
		"cmd/tool/main.go":  "package main\n\nfunc main() {}\n",
		"internal/db/db.go": "package db\n\nimport _ \"example.com/p/internal/sqlite\"\n",
		// cgo, needed by cmd/app through internal/db.
		"internal/sqlite/sqlite.go": "package sqlite\n\n// #include <stdlib.h>\nimport \"C\"\n",
		// cgo only on Windows: not in a Linux build.
		"internal/db/win.go": "//go:build windows\n\npackage db\n\nimport \"C\"\n",
		// cgo that no main needs.
		"internal/unused/u.go": "package unused\n\nimport \"C\"\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"cmd/app": {"internal/sqlite"}}; !maps.EqualFunc(p.Cgo, want, slices.Equal) {
		t.Errorf("Cgo = %v, want %v", p.Cgo, want)
	}
}

func TestReadVendored(t *testing.T) {
	fsys := project(map[string]string{"main.go": "package main\n\nfunc main() {}\n"})
	fsys["vendor/modules.txt"] = &fstest.MapFile{Data: []byte("# example.com/m v1.0.0\n")}
	if p, err := Read(fsys); err != nil || !p.Vendored {
		t.Errorf("Read = %+v, %v; want Vendored", p, err)
	}
}

func TestReadStops(t *testing.T) {
	withWork := project(map[string]string{"main.go": "package main\n\nfunc main() {}\n", "go.work": "go 1.25\n\nuse .\n"})
	noModule := fstest.MapFS{"go.mod": {Data: []byte("go 1.25\n")}, "main.go": {Data: []byte("package main\n")}}
	for _, c := range []struct {
		name string
		fsys fstest.MapFS
		want error
	}{
		{"no go.mod", fstest.MapFS{"main.go": {Data: []byte("package main\n")}}, ErrNoGoMod},
		{"go.work", withWork, ErrGoWork},
		{"no main", project(map[string]string{"lib.go": "package p\n"}), ErrNoMain},
		{"no module line", noModule, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.fsys)
			if err == nil || c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("Read: %v, want %v", err, c.want)
			}
		})
	}
}
