package session_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/exit"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/session"
)

// FuzzAdopt adopts a project made of a fuzzed go.mod, main.go, Makefile
// and GoReleaser configuration, in memory, and plans it: whatever the
// files hold, adopt either refuses, as bad input (exit 2) with a reason,
// or plans the files it would write; it never panics, and never fails in
// another way, since it reads nothing else. The seed corpus is in
// testdata/fuzz/FuzzAdopt, beside the seeds below.
func FuzzAdopt(f *testing.F) {
	f.Add("module example.com/tool\n\ngo 1.22\n", "package main\n\nvar version = \"dev\"\n\nfunc main() {}\n",
		"build:\n\tgo build -ldflags \"-X main.version=$(VERSION)\" .\n", "")
	f.Add("module example.com/tool\n\ngo 1.22\n", "package main\n\nimport _ \"embed\"\n\n//go:embed *.txt\nvar s string\n\nfunc main() {}\n", "", "")
	f.Add("module example.com/tool/v2\n\ngo 1.26.0\n\ntoolchain go1.26.3\n",
		"//go:build linux\n\n// Command tool is a tool.\npackage main\n\nvar version, commit string\n\nfunc main() {}\n", "",
		"builds:\n  - main: .\n    ldflags:\n      - -s -w -X main.version={{.Version}} -X main.commit={{.Commit}}\n    goos: [linux, darwin]\n")
	f.Fuzz(func(t *testing.T, goMod, mainGo, makefile, goreleaser string) {
		fsys := afero.NewMemMapFs()
		for name, data := range map[string]string{"go.mod": goMod, "main.go": mainGo, "Makefile": makefile, ".goreleaser.yaml": goreleaser} {
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
