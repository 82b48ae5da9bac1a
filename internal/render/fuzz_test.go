package render_test

import (
	"bytes"
	"context"
	"go/format"
	"os/exec"
	"path"
	"strings"
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
//
// Every answer comes from one string, key=value items separated by NUL,
// as the flags --key value would give them; a key not given takes its
// default, and an unknown key is no answer. So a new question neither
// changes the seeds nor needs one of them: they all stay valid.
func FuzzRender(f *testing.F) {
	adopted := answers.Adopting("example.com/myapp", []string{".", "cmd/myapp"}, nil)
	adopted.Args, adopted.Tests = []string{"serve", "--quiet"}, answers.NoSandboxTests
	for _, a := range []answers.Answers{example(), adopted} {
		all := []string{"kind=" + a.Kind}
		for _, q := range answers.Questions {
			if a.Profile().Has(q) {
				all = append(all, q.Key+"="+q.Format(a))
			}
		}
		f.Add(strings.Join(all, "\x00"))
	}
	nixInstantiate, _ := exec.LookPath("nix-instantiate")

	f.Fuzz(func(t *testing.T, encoded string) {
		a, err := parse(encoded)
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

// example is a full set of answers, one for each question of a generated
// project (FuzzRender's other seed is an adopted project's).
func example() answers.Answers {
	a := answers.Default()
	a.Module, a.Name, a.CI = "example.com/myapp", "myapp", answers.GitHubActions
	return a
}

// parse turns a fuzzed string of key=value items into answers through the
// table of questions, as the flags do, starting from the profile its kind
// item names (kind=adopted; New without one); an answer derived from
// another (the name) and not given is derived, as without its flag.
func parse(encoded string) (answers.Answers, error) {
	items := strings.Split(encoded, "\x00")
	a := answers.Default()
	for _, item := range items {
		if kind, ok := strings.CutPrefix(item, "kind="); ok {
			if p := answers.ProfileOf(kind); p != nil {
				a = p.Start()
			} else {
				a.Kind = kind // refused by Validate
			}
		}
	}
	for _, item := range items {
		key, value, _ := strings.Cut(item, "=")
		if q := answers.Lookup(key); q != nil {
			if err := q.Parse(&a, value); err != nil {
				return a, err
			}
		}
	}
	return a, answers.Derive(&a)
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
		for _, q := range answers.Questions {
			if q.Format(got) != q.Format(a) {
				t.Fatalf(".gonix.json holds %s %q, want %q", q.Key, q.Format(got), q.Format(a))
			}
		}
		// An empty kind is New's (Validate): the file records it by name.
		if want := a.Profile().Kind; got.Kind != want {
			t.Fatalf(".gonix.json holds the kind %q, want %q", got.Kind, want)
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
