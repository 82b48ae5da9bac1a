package render_test

import (
	"bytes"
	"context"
	"go/format"
	"os/exec"
	"path"
	"slices"
	"testing"

	"github.com/spf13/afero"
	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/templates"
)

// FuzzRender checks that any answers either fail validation, and then
// nothing is written, or render to files that their own tools accept:
// flake.nix parses in Nix (when nix-instantiate is installed), go.mod parses
// with the same module path, YAML files parse, .gonix.json holds the
// answers, and Go files parse and are gofmt'd. The seed corpus is in
// testdata/fuzz/FuzzRender.
func FuzzRender(f *testing.F) {
	f.Add("example.com/myapp", "", "x86_64-linux,aarch64-linux,aarch64-darwin", "8080", "gopls,golangci-lint,delve,go-task")
	nixInstantiate, _ := exec.LookPath("nix-instantiate")

	f.Fuzz(func(t *testing.T, module, name, systems, ports, tools string) {
		a, err := parse(module, name, systems, ports, tools)
		var files []render.File
		if err == nil {
			files, err = render.Render(a, templates.FS)
		}
		if err != nil {
			if files != nil {
				t.Fatalf("Render failed (%v) but returned %d files", err, len(files))
			}
			// What fails validation writes nothing.
			mem := afero.NewMemMapFs()
			if werr := scaffold.Write(context.Background(), mem, "out", files); werr == nil {
				if entries, _ := afero.ReadDir(mem, "out"); len(entries) > 0 {
					t.Fatalf("invalid answers wrote %d entries", len(entries))
				}
			}
			return
		}
		for _, file := range files {
			checkFile(t, a, file, nixInstantiate)
		}
	})
}

// parse turns fuzzed strings into answers through the table of questions,
// as the flags do; an empty name takes the default, as without --name.
func parse(module, name, systems, ports, tools string) (answers.Answers, error) {
	a := answers.Default()
	for key, text := range map[string]string{"module": module, "systems": systems, "ports": ports, "tools": tools} {
		if err := answers.Lookup(key).Parse(&a, text); err != nil {
			return a, err
		}
	}
	if name == "" {
		var err error
		a.Name, err = answers.DefaultName(module)
		return a, err
	}
	return a, answers.Lookup("name").Parse(&a, name)
}

func checkFile(t *testing.T, a answers.Answers, f render.File, nixInstantiate string) {
	t.Helper()
	switch ext := path.Ext(f.Path); {
	case f.Path == "flake.nix" && nixInstantiate != "":
		cmd := exec.Command(nixInstantiate, "--parse", "-")
		cmd.Stdin = bytes.NewReader(f.Data)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("flake.nix does not parse: %v\n%s\n%s", err, out, f.Data)
		}
	case f.Path == "go.mod":
		mf, err := modfile.Parse("go.mod", f.Data, nil)
		if err != nil || mf.Module == nil || mf.Module.Mod.Path != a.Module {
			t.Fatalf("go.mod: %v (module %v, want %q)\n%s", err, mf, a.Module, f.Data)
		}
	case ext == ".yaml" || ext == ".yml":
		var v any
		if err := yaml.Unmarshal(f.Data, &v); err != nil {
			t.Fatalf("%s is not YAML: %v\n%s", f.Path, err, f.Data)
		}
	case f.Path == ".gonix.json":
		var got answers.Answers
		if _, _, err := answers.Read(bytes.NewReader(f.Data), &got); err != nil {
			t.Fatalf(".gonix.json: %v", err)
		}
		if got.Module != a.Module || got.Name != a.Name || !slices.Equal(got.Ports, a.Ports) ||
			!slices.Equal(got.Systems, a.Systems) || !slices.Equal(got.Tools, a.Tools) || got.CI != a.CI {
			t.Fatalf(".gonix.json holds %+v, want %+v", got, a)
		}
	case ext == ".go":
		formatted, err := format.Source(f.Data)
		if err != nil {
			t.Fatalf("%s does not parse: %v\n%s", f.Path, err, f.Data)
		}
		if !bytes.Equal(formatted, f.Data) {
			t.Fatalf("%s is not gofmt'd:\n%s", f.Path, f.Data)
		}
	}
}
