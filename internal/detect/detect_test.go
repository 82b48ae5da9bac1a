package detect

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// project is a module example.com/p with the files given.
func project(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{"go.mod": {Data: []byte("module example.com/p\n\ngo 1.25.0\n\ntoolchain go1.26.1\n")}}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

const mainGo = "package main\n\nfunc main() {}\n"

func dirs(mains []Main) []string {
	var out []string
	for _, m := range mains {
		out = append(out, m.Dir)
	}
	return out
}

func TestReadFindsTheMainPackages(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		mains []string
	}{
		{"main at the root", map[string]string{"main.go": mainGo}, []string{"."}},
		{"main under cmd/NAME", map[string]string{
			"cmd/app/main.go":     "package main\n\nimport _ \"example.com/p/internal/lib\"\n\nfunc main() {}\n",
			"internal/lib/lib.go": "package lib\n",
		}, []string{"cmd/app"}},
		{"several mains", map[string]string{
			"main.go":       mainGo,
			"cmd/a/main.go": mainGo,
			"cmd/b/b.go":    mainGo,
			"lib.go_":       "not Go",
		}, []string{".", "cmd/a", "cmd/b"}},
		{"skipped as the go command skips them", map[string]string{
			"cmd/app/main.go":           mainGo,
			"testdata/x/main.go":        "package main\n",
			"vendor/example.com/m/m.go": "package main\n",
			"_tools/t.go":               "package main\n",
			".hidden/h.go":              "package main\n",
			"other/go.mod":              "module example.com/other\n",
			"other/main.go":             "package main\n",
			"windows/main.go":           "//go:build windows\n\npackage main\n",
			"gen/gen.go":                "//go:build ignore\n\npackage main\n",
			"onlytests/x_test.go":       "package main\n",
		}, []string{"cmd/app"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Read(project(c.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := dirs(p.Mains); !slices.Equal(got, c.mains) {
				t.Errorf("Mains = %v, want %v", got, c.mains)
			}
			if p.Module != "example.com/p" || p.Go != "1.25.0" || p.Toolchain != "go1.26.1" || p.Vendored || p.Release != nil {
				t.Errorf("read %+v", p)
			}
		})
	}
}

// TestReadFindsMainsBehindTags finds a main package that needs build tags,
// with the fewest that make it one, and leaves out one for another system
// and one marked ignore (a go:generate program).
func TestReadFindsMainsBehindTags(t *testing.T) {
	p, err := Read(project(map[string]string{
		"cmd/app/main.go":     mainGo,
		"cmd/pg/main.go":      "//go:build postgres\n\npackage main\n\nfunc main() {}\n",
		"cmd/either/main.go":  "//go:build linux && (sqlite || mysql)\n\npackage main\n\nfunc main() {}\n",
		"cmd/both/main.go":    "//go:build a\n\npackage main\n\nfunc main() {}\n",
		"cmd/both/other.go":   "//go:build b\n\npackage main\n",
		"cmd/win/main.go":     "//go:build windows && tool\n\npackage main\n\nfunc main() {}\n",
		"cmd/gen/main.go":     "//go:build ignore\n\npackage main\n\nfunc main() {}\n",
		"x509roots/gen.go":    "//go:build generate\n\npackage main\n\nfunc main() {}\n",
		"x509roots/nss/n.go":  "package nss\n",
		"lib/lib.go":          "package lib\n",
		"lib/lib_postgres.go": "//go:build postgres\n\npackage lib\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []Main{
		{Dir: "cmd/app"}, {Dir: "cmd/both", Tags: []string{"a", "b"}}, {Dir: "cmd/either", Tags: []string{"mysql"}},
		{Dir: "cmd/pg", Tags: []string{"postgres"}}, {Dir: "x509roots", Tags: []string{"generate"}},
	}
	if !slices.EqualFunc(p.Mains, want, func(a, b Main) bool { return a.Dir == b.Dir && slices.Equal(a.Tags, b.Tags) }) {
		t.Errorf("Mains = %+v, want %+v", p.Mains, want)
	}
	if got := p.MainsWith([]string{"postgres"}); !slices.Equal(got, []string{"cmd/app", "cmd/pg"}) {
		t.Errorf("MainsWith(postgres) = %v", got)
	}
	if got := p.MainsWith(nil); !slices.Equal(got, []string{"cmd/app"}) {
		t.Errorf("MainsWith(none) = %v", got)
	}
}

// TestDefaultsLeaveHelpersOut builds every main package but those under
// the helpers' directories, which --packages can still name; a module
// of helpers alone builds them all.
func TestDefaultsLeaveHelpersOut(t *testing.T) {
	p, err := Read(project(map[string]string{
		"main.go":                      mainGo,
		"cmd/app/main.go":              mainGo,
		"internal/cmd/echosrv/main.go": mainGo,
		"tools/gen/main.go":            mainGo,
		"hack/release/main.go":         mainGo,
		"scripts/x/main.go":            mainGo,
		"examples/hello/main.go":       mainGo,
		"test/e2e/main.go":             mainGo,
	}))
	if err != nil {
		t.Fatal(err)
	}
	got, left := p.Defaults(nil)
	if !slices.Equal(got, []string{".", "cmd/app"}) {
		t.Errorf("Defaults = %v, want . and cmd/app", got)
	}
	wantLeft := []string{"examples/hello", "hack/release", "internal/cmd/echosrv", "scripts/x", "test/e2e", "tools/gen"}
	if !slices.Equal(left, wantLeft) {
		t.Errorf("left out %v, want %v", left, wantLeft)
	}
	if m, _ := p.Main("internal/cmd/echosrv"); m.Helper != "internal" {
		t.Errorf("internal/cmd/echosrv's helper is %q", m.Helper)
	}

	helpers, err := Read(project(map[string]string{"tools/a/main.go": mainGo, "tools/b/main.go": mainGo}))
	if err != nil {
		t.Fatal(err)
	}
	if got, left := helpers.Defaults(nil); !slices.Equal(got, []string{"tools/a", "tools/b"}) || left != nil {
		t.Errorf("helpers alone: Defaults = %v, left %v; want both built", got, left)
	}
}

// TestReadGoReleaser reads the builds' main packages and tags of a
// GoReleaser config: they are the defaults, but a main GoReleaser names
// that is not the project's; skipped builds and templates are left out.
func TestReadGoReleaser(t *testing.T) {
	p, err := Read(project(map[string]string{
		"main.go":          mainGo,
		"cmd/app/main.go":  mainGo,
		"cmd/pg/main.go":   "//go:build postgres\n\npackage main\n\nfunc main() {}\n",
		"cmd/tool/main.go": mainGo,
		".goreleaser.yaml": `version: 2
builds:
  - main: ./cmd/app/main.go
    tags: [postgres, "{{ .Env.EXTRA }}"]
    ldflags: -s -w -X main.version={{.Version}}
  - id: pg
    main: ./cmd/pg
    flags: ["-trimpath", "-tags=netgo"]
  - main: ./cmd/tool
    skip: true
  - main: ./cmd/gone
`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Release
	if r == nil || r.File != ".goreleaser.yaml" || !slices.Equal(r.Mains, []string{"cmd/app", "cmd/pg"}) || !slices.Equal(r.Tags, []string{"postgres", "netgo"}) ||
		!slices.Equal(r.Ldflags, []string{"-s", "-w", "-X", "main.version={{.Version}}"}) {
		t.Fatalf("Release = %+v", r)
	}
	if got, _ := p.Defaults(r.Tags); !slices.Equal(got, []string{"cmd/app", "cmd/pg"}) {
		t.Errorf("Defaults = %v, want GoReleaser's", got)
	}

	noBuilds, err := Read(project(map[string]string{"main.go": mainGo, ".goreleaser.yml": "project_name: p\n"}))
	if err != nil || noBuilds.Release == nil || !slices.Equal(noBuilds.Release.Mains, []string{"."}) {
		t.Errorf("a config without builds: %+v, %v; want GoReleaser's default build of .", noBuilds.Release, err)
	}
	if _, err := Read(project(map[string]string{"main.go": mainGo, ".goreleaser.yml": "builds: [\n"})); err == nil || !strings.Contains(err.Error(), ".goreleaser.yml") {
		t.Errorf("a config that is not YAML: %v, want an error naming it", err)
	}
}

func TestReadFindsCgoTheMainNeeds(t *testing.T) {
	p, err := Read(project(map[string]string{
		"cmd/app/main.go":   "package main\n\nimport _ \"example.com/p/internal/db\"\n\nfunc main() {}\n",
		"cmd/tool/main.go":  mainGo,
		"internal/db/db.go": "package db\n\nimport _ \"example.com/p/internal/sqlite\"\n",
		// cgo, needed by cmd/app through internal/db.
		"internal/sqlite/sqlite.go": "package sqlite\n\n// #include <stdlib.h>\nimport \"C\"\n",
		// cgo only on Windows: not in a Linux build.
		"internal/db/win.go": "//go:build windows\n\npackage db\n\nimport \"C\"\n",
		// cgo only with a tag.
		"internal/db/pg.go":    "//go:build pgcgo\n\npackage db\n\nimport _ \"example.com/p/internal/pgc\"\n",
		"internal/pgc/c.go":    "package pgc\n\nimport \"C\"\n",
		"internal/unused/u.go": "package unused\n\nimport \"C\"\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		main string
		tags []string
		want []string
	}{
		{"cmd/app", nil, []string{"internal/sqlite"}},
		{"cmd/app", []string{"pgcgo"}, []string{"internal/pgc", "internal/sqlite"}},
		{"cmd/tool", nil, nil},
	} {
		if got, err := p.Cgo(c.main, c.tags); err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Cgo(%s, %v) = %v, %v; want %v", c.main, c.tags, got, err, c.want)
		}
	}
}

func TestReadVendored(t *testing.T) {
	fsys := project(map[string]string{"main.go": mainGo})
	fsys["vendor/modules.txt"] = &fstest.MapFile{Data: []byte("# example.com/m v1.0.0\n")}
	if p, err := Read(fsys); err != nil || !p.Vendored {
		t.Errorf("Read = %+v, %v; want Vendored", p, err)
	}
}

// TestReadReplaces reads a replace into the project as a nested module,
// and refuses one that leaves the project, or a directory without a
// go.mod, naming the replace.
func TestReadReplaces(t *testing.T) {
	withMod := func(mod string, files map[string]string) fstest.MapFS {
		fsys := project(files)
		fsys["go.mod"] = &fstest.MapFile{Data: []byte("module example.com/p\n\ngo 1.25\n\n" + mod)}
		return fsys
	}
	p, err := Read(withMod("require example.com/lib v0.0.0\n\nreplace example.com/lib => ./third_party/lib\n", map[string]string{
		"main.go":                  mainGo,
		"third_party/lib/go.mod":   "module example.com/lib\n",
		"third_party/lib/lib.go":   "package lib\n",
		"third_party/lib/cmd/x.go": mainGo,
	}))
	if err != nil || !slices.Equal(p.Nested, []string{"third_party/lib"}) || !slices.Equal(dirs(p.Mains), []string{"."}) {
		t.Errorf("a nested module: %+v, %v", p, err)
	}
	_, err = Read(withMod("require example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n", map[string]string{"main.go": mainGo}))
	var outside *OutsideError
	if !errors.As(err, &outside) || !strings.Contains(err.Error(), "replace example.com/lib => ../lib points outside the project") {
		t.Errorf("a replace outside: %v", err)
	}
	_, err = Read(withMod("require example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n", map[string]string{"main.go": mainGo, "lib/lib.go": "package lib\n"}))
	if err == nil || !strings.Contains(err.Error(), "lib has no go.mod") {
		t.Errorf("a replacement directory without go.mod: %v", err)
	}
}

// TestReadChecksGoSum refuses a go.sum without the go.mod checksum of a
// module go.mod requires, naming it and go mod tidy; a module replaced by
// a directory needs none, one replaced by another version needs that one's.
func TestReadChecksGoSum(t *testing.T) {
	read := func(mod, sum string) error {
		fsys := project(map[string]string{"main.go": mainGo, "go.sum": sum, "lib/go.mod": "module example.com/lib\n"})
		fsys["go.mod"] = &fstest.MapFile{Data: []byte("module example.com/p\n\ngo 1.25\n\n" + mod)}
		_, err := Read(fsys)
		return err
	}
	const sum = "example.com/a v1.0.0 h1:x=\nexample.com/a v1.0.0/go.mod h1:y=\n"
	for _, c := range []struct {
		name, mod, sum string
		missing        string
	}{
		{"complete", "require example.com/a v1.0.0\n", sum, ""},
		{"missing", "require (\n\texample.com/a v1.0.0\n\texample.com/b v1.2.0 // indirect\n)\n", sum, "example.com/b@v1.2.0"},
		{"no go.sum", "require example.com/a v1.0.0\n", "", "example.com/a@v1.0.0"},
		{"replaced by a directory", "require example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n", "", ""},
		{"replaced by a version", "require example.com/x v1.0.0\n\nreplace example.com/x => example.com/a v1.0.0\n", sum, ""},
	} {
		err := read(c.mod, c.sum)
		var se *SumError
		switch {
		case c.missing == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.missing != "" && (!errors.As(err, &se) || !strings.Contains(err.Error(), c.missing) || !strings.Contains(err.Error(), "run go mod tidy")):
			t.Errorf("%s: %v, want go.sum refused naming %s", c.name, err, c.missing)
		}
	}
}

// TestEmbeds finds the files each //go:embed pattern of a built package
// takes in, as go build does, and refuses a pattern that matches nothing
// and a directory with nothing to embed, with Go's words.
func TestEmbeds(t *testing.T) {
	files := map[string]string{
		"cmd/app/main.go":      "package main\n\nimport _ \"example.com/p/web\"\n\nfunc main() {}\n",
		"web/web.go":           "package web\n\nimport \"embed\"\n\n//go:embed dist\nvar dist embed.FS\n\n//go:embed all:hidden\nvar hidden embed.FS\n\n//go:embed *.tmpl\nvar tmpl embed.FS\n",
		"web/dist/index.html":  "<html>",
		"web/dist/.keep":       "",
		"web/dist/_draft.html": "",
		"web/dist/js/app.js":   "x",
		"web/hidden/.env":      "x",
		"web/a.tmpl":           "a",
		"web/b.tmpl":           "b",
		"cmd/tool/main.go":     "package main\n\nimport _ \"embed\"\n\n//go:embed nothing.txt\nvar s string\n\nfunc main() {}\n",
	}
	p, err := Read(project(files))
	if err != nil {
		t.Fatal(err)
	}
	embeds, err := p.Embeds([]string{"cmd/app"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Embed{
		{"web", "*.tmpl", []string{"web/a.tmpl", "web/b.tmpl"}},
		{"web", "all:hidden", []string{"web/hidden/.env"}},
		{"web", "dist", []string{"web/dist/index.html", "web/dist/js/app.js"}},
	}
	if !slices.EqualFunc(embeds, want, func(a, b Embed) bool {
		return a.Package == b.Package && a.Pattern == b.Pattern && slices.Equal(a.Files, b.Files)
	}) {
		t.Errorf("Embeds = %+v, want %+v", embeds, want)
	}
	if _, err := p.Embeds([]string{"cmd/tool"}, nil); err == nil || err.Error() != "cmd/tool: pattern nothing.txt: no matching files found" {
		t.Errorf("a pattern that matches nothing: %v", err)
	}
	files["web/dist/index.html"], files["web/dist/js/app.js"] = "", ""
	delete(files, "web/dist/index.html")
	delete(files, "web/dist/js/app.js")
	empty, err := Read(project(files))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.Embeds([]string{"cmd/app"}, nil); err == nil || err.Error() != "web: pattern dist: cannot embed directory dist: contains no embeddable files" {
		t.Errorf("a directory with nothing to embed: %v", err)
	}
}

func TestReadStops(t *testing.T) {
	noModule := fstest.MapFS{"go.mod": {Data: []byte("go 1.25\n")}, "main.go": {Data: []byte("package main\n")}}
	workspace := fstest.MapFS{"go.work": {Data: []byte("go 1.25\n\nuse (\n\t./api\n\t./cli\n)\n")}}
	for _, c := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"no go.mod", fstest.MapFS{"main.go": {Data: []byte("package main\n")}}, "no go.mod: run gonix-init adopt in a Go module's root"},
		{"a workspace's root", workspace, "no go.mod: go.work makes this directory a Go workspace, and a flake builds one module: run GOWORK=off gonix-init adopt in one of its modules (./api, ./cli)"},
		{"no main", project(map[string]string{"lib.go": "package p\n"}), ErrNoMain.Error()},
		{"no module line", noModule, "go.mod names no module"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.fsys)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("Read: %v, want %q", err, c.want)
			}
		})
	}
}

// TestStamps reads the -X flags of a GoReleaser config's ldflags (its
// templates, spaced or not, as the flake's values; a text as itself; a
// template the flake cannot give skipped) and of a Makefile (its variables
// read by their names), and checks each target: a package-level string
// variable of the package named, else why not.
func TestStamps(t *testing.T) {
	p, err := Read(project(map[string]string{
		"cmd/app/main.go": "package main\n\nvar (\n\tversion = \"dev\"\n\tcommit  string\n\tcount   = 3\n)\n\nfunc main() {}\n",
		"internal/v/v.go": "package v\n\nvar Built string\n",
		".goreleaser.yaml": `builds:
  - main: ./cmd/app
    ldflags:
      - -s -w -X main.version={{ .Version }} -X main.commit={{.ShortCommit}}
      - -X example.com/p/internal/v.Built=goreleaser -X main.env={{.Env.X}} -X main.date={{.CommitDate}}
      - -X main.tag={{ .Tag }} -X main.vtag=v{{.Version}}
`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	stamps, skipped := p.Stamps([]string{"cmd/app"}, nil)
	var got []string
	for _, s := range stamps {
		got = append(got, s.String())
	}
	want := []string{"main.version=version", "main.commit=short-commit", "example.com/p/internal/v.Built=goreleaser", "main.date=date", "main.tag=tag", "main.vtag=tag"}
	if !slices.Equal(got, want) || !slices.Equal(skipped, []string{"main.env={{.Env.X}}"}) || stamps[0].From != ".goreleaser.yaml" {
		t.Errorf("Stamps = %v, skipped %v; want %v, and main.env's skipped", got, skipped, want)
	}
	for variable, why := range map[string]string{
		"main.version":                   "",
		"main.commit":                    "",
		"example.com/p/internal/v.Built": "",
		"main.date":                      "date is not a package-level string variable of example.com/p/cmd/app",
		"main.count":                     "count is not a package-level string variable of example.com/p/cmd/app",
		"example.com/p/nothere.X":        "nothere is not a package of the module",
		"example.com/other.Version":      "example.com/other is in no module go.mod requires",
	} {
		if got := p.CheckStamp(variable, []string{"cmd/app"}, nil); got != why {
			t.Errorf("CheckStamp(%s) = %q, want %q", variable, got, why)
		}
	}

	mk, err := Read(project(map[string]string{
		"main.go":  "package main\n\nfunc main() {}\n",
		"Makefile": "LDFLAGS := -X 'main.Version=$(VERSION)' -X main.gitCommit=${GIT_SHA} -X main.short=$(SHORT_COMMIT)\nLDFLAGS += -X main.when=$(BUILD_DATE) -X $(PKG).x=y -X main.mode=release -X main.host=$(HOSTNAME)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	stamps, skipped = mk.Stamps([]string{"."}, nil)
	got = nil
	for _, s := range stamps {
		got = append(got, s.String())
	}
	want = []string{"main.Version=version", "main.gitCommit=commit", "main.short=short-commit", "main.when=date", "main.mode=release"}
	if !slices.Equal(got, want) || !slices.Equal(skipped, []string{"$(PKG).x=y", "main.host=$(HOSTNAME)"}) || stamps[0].From != "Makefile:1" {
		t.Errorf("Makefile stamps = %v, skipped %v; want %v", got, skipped, want)
	}
}
