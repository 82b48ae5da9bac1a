package session_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/exit"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/session"
)

// FuzzAdopt adopts a project made of a fuzzed go.mod, main.go, Makefile
// and GoReleaser configuration, and one more file of those adopt reads
// (adoptExtras, picked by a fuzzed number), in memory, and plans it:
// whatever the files hold, adopt either refuses, as bad input (exit 2)
// with a reason, or plans the files it would write; it never panics, and
// never fails in another way, since it reads nothing else.
func FuzzAdopt(f *testing.F) {
	f.Add("module example.com/tool\n\ngo 1.22\n", "package main\n\nvar version = \"dev\"\n\nfunc main() {}\n",
		"build:\n\tgo build -ldflags \"-X main.version=$(VERSION)\" .\n", "", uint8(0), "version := `git describe`\nbuild:\n    go build -ldflags \"-X main.version={{version}}\" .\n")
	f.Add("module example.com/tool\n\ngo 1.22\n", "package main\n\nimport _ \"embed\"\n\n//go:embed *.txt\nvar s string\n\nfunc main() {}\n", "", "",
		uint8(2), "FROM golang\nARG VERSION\nRUN go build -ldflags=\"-X main.version=${VERSION}\" .\n")
	f.Add("module example.com/tool/v2\n\ngo 1.26.0\n\ntoolchain go1.26.3\n",
		"//go:build linux\n\n// Command tool is a tool.\npackage main\n\nvar version, commit string\n\nfunc main() {}\n", "",
		"builds:\n  - main: .\n    ldflags:\n      - -s -w -X main.version={{.Version}} -X main.commit={{.Commit}}\n    goos: [linux, darwin]\n",
		uint8(1), "version: '3'\ntasks:\n  build:\n    cmds:\n      - go build -ldflags '-X main.commit={{.GIT_COMMIT}}'\n")
	f.Fuzz(func(t *testing.T, goMod, mainGo, makefile, goreleaser string, which uint8, extra string) {
		fsys := afero.NewMemMapFs()
		files := map[string]string{"go.mod": goMod, "main.go": mainGo, "Makefile": makefile, ".goreleaser.yaml": goreleaser}
		files[adoptExtras[int(which)%len(adoptExtras)]] = extra
		for name, data := range files {
			if data != "" {
				if err := afero.WriteFile(fsys, "tool/"+name, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		ctx := context.Background()
		s, err := session.Adopt(ctx, memEnv(fsys, &bytes.Buffer{}), &session.AdoptOptions{Run: session.Run{Dir: "tool", Yes: true, DryRun: true}})
		if err != nil {
			if exit.Code(err) != 2 || err.Error() == "" {
				t.Fatalf("adopt failed with exit %d, not as bad input: %v", exit.Code(err), err)
			}
			return
		}
		pl, err := s.Planner.Plan(ctx, s.Answers)
		switch {
		case err != nil:
			t.Fatalf("the plan failed: %v", err)
		case pl.Stop == plan.Refused:
			if exit.Code(pl.Fault) != 2 || pl.Fault.Error() == "" {
				t.Fatalf("adopt refused with exit %d, not as bad input: %v", exit.Code(pl.Fault), pl.Fault)
			}
		case pl.Writes == nil || len(pl.Writes.Steps) == 0:
			t.Fatal("adopt planned no file")
		}
	})
}

// adoptExtras are the other files adopt reads of a project: where a
// version stamp may be set, go.sum, a workspace, a vendor/ listing.
var adoptExtras = []string{"justfile", "Taskfile.yml", "Dockerfile", ".ko.yaml", ".promu.yml", "scripts/build.sh",
	".github/workflows/release.yml", "go.sum", "../go.work", "vendor/modules.txt", "internal/v/v.go"}

// FuzzUpdateKeepsEdits edits one file of a generated project with fuzzed
// content, then runs update with the templates and answers unchanged:
// whatever the edit, update writes nothing (the edit is kept as it is:
// the templates have nothing new for it), or refuses as bad input (exit
// 2: an answers file that does not read, conflict markers left). The seeds
// are an edit of each file the project has but go.mod, whose go line the
// templates read (the flake's Go follows it: an edit of it is new to them).
func FuzzUpdateKeepsEdits(f *testing.F) {
	project := generated(f)
	paths := slices.DeleteFunc(slices.Sorted(maps.Keys(project)), func(p string) bool { return p == "go.mod" })
	for i, p := range paths {
		f.Add(uint8(i), "# an edit\n"+project[p])
	}
	f.Fuzz(func(t *testing.T, which uint8, content string) {
		fsys := afero.NewMemMapFs()
		for p, data := range project {
			if err := afero.WriteFile(fsys, path.Join("proj", p), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		edited := path.Join("proj", paths[int(which)%len(paths)])
		if err := afero.WriteFile(fsys, edited, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		s, err := session.UpdateProject(ctx, memEnv(fsys, &bytes.Buffer{}), &session.UpdateOptions{Run: session.Run{Dir: "proj", Yes: true}})
		if err != nil {
			if exit.Code(err) != 2 {
				t.Fatalf("update after an edit of %s failed with exit %d, not as bad input: %v", edited, exit.Code(err), err)
			}
			return
		}
		pl, err := s.Planner.Plan(ctx, s.Answers)
		switch {
		case err != nil:
			t.Fatalf("the plan after an edit of %s failed: %v", edited, err)
		case pl.Stop == plan.Refused:
			if exit.Code(pl.Fault) != 2 {
				t.Fatalf("update refused with exit %d, not as bad input: %v", exit.Code(pl.Fault), pl.Fault)
			}
		case pl.Stop != plan.Current:
			t.Fatalf("update with nothing new after an edit of %s: stop %v, outcomes %v", edited, pl.Stop, pl.Outcomes)
		}
	})
}

// generated is a project gonix-init generated with its default answers,
// by path.
func generated(tb testing.TB) map[string]string {
	fsys := afero.NewMemMapFs()
	s, err := session.Init(context.Background(), memEnv(fsys, &bytes.Buffer{}), &session.InitOptions{Run: session.Run{Dir: "proj", Yes: true, Flags: map[string]string{"module": "example.com/fz"}}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	project := map[string]string{}
	err = afero.Walk(fsys, "proj", func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			data, rerr := afero.ReadFile(fsys, p)
			project[strings.TrimPrefix(p, "proj/")] = string(data)
			return rerr
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return project
}
