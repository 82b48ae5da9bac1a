package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/releases"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/version"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gonix-init": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// builtBinary is gonix-init built once for the tests that run the real
// program (in tmux, on a pty, under signals).
var builtBinary = struct {
	once sync.Once
	path string
	err  error
}{}

// binary returns the path of gonix-init built from this package.
func binary(t *testing.T) string {
	t.Helper()
	builtBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "gonix-init-bin")
		if err != nil {
			builtBinary.err = err
			return
		}
		builtBinary.path = filepath.Join(dir, "gonix-init")
		if out, err := exec.Command("go", "build", "-o", builtBinary.path, ".").CombinedOutput(); err != nil {
			builtBinary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if builtBinary.err != nil {
		t.Fatal(builtBinary.err)
	}
	return builtBinary.path
}

// TestScripts runs testdata/script/*.txtar: one script per flag behaviour and
// per refusal, each checking the output, the exit code and the files.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		// $GENERATOR is what .gonix.json records this gonix-init as.
		Setup: func(env *testscript.Env) error {
			env.Setenv("GENERATOR", version.Generator())
			// An empty module cache of the script's own: Go's default is
			// under HOME, testscript's /no-home, which only root can create
			// (in a Nix build, no one).
			modcache, err := os.MkdirTemp("", "gonix-script-modcache-")
			env.Defer(func() { os.RemoveAll(modcache) })
			env.Setenv("GOMODCACHE", modcache)
			return err
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":       cmdExits,
			"entries":     cmdEntries,
			"old-project": cmdOldProject,
			"project-of":  cmdProjectOf,
			"adopted-of":  cmdAdoptedOf,
			"replace":     cmdReplace,
		},
	})
}

// cmdExits runs a command and checks its exact exit code:
//
//	exits 2 gonix-init --ports 0
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdEntries checks that a directory holds exactly the given files and
// folders (folders end in /), searched recursively; .git is not listed.
//
//	entries proj a.txt sub/ sub/b.txt
func cmdEntries(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: entries DIR [path...]")
	}
	root := ts.MkAbs(args[0])
	var got []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			rel += "/"
		}
		got = append(got, rel)
		return nil
	})
	ts.Check(err)
	want := slices.Clone(args[1:])
	slices.Sort(want)
	slices.Sort(got)
	if equal := slices.Equal(got, want); equal == neg {
		ts.Fatalf("%s holds [%s], want [%s]", args[0], strings.Join(got, " "), strings.Join(want, " "))
	}
}

// cmdOldProject writes the project that gonix-init 0.1.0 wrote for a
// module path, with its template set (internal/releases) and the answers
// file it wrote (no template digest; github-actions among the tools):
//
//	old-project DIR MODULE [TOOLS]
func cmdOldProject(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: old-project DIR MODULE [TOOLS]")
	}
	a := answers.Default()
	a.Module = args[1]
	a.Name, _ = answers.DefaultName(a.Module)
	oldTools := []string{}
	if len(args) > 2 {
		tools := strings.Split(args[2], ",")
		if i := slices.Index(tools, answers.GitHubActions); i >= 0 { // a tool in 0.1.0
			a.CI, tools = answers.GitHubActions, slices.Delete(tools, i, i+1)
		}
		ts.Check(answers.Lookup("tools").Parse(&a, strings.Join(tools, ",")))
		oldTools = strings.Split(args[2], ",")
	}
	files := releaseFiles(ts, "0.1.0", a)
	writeProject(ts, ts.MkAbs(args[0]), files, func([]byte) []byte { // 0.1.0's own record, not the one rendered
		old := struct {
			Generator string   `json:"generator"`
			Module    string   `json:"module"`
			Name      string   `json:"name"`
			Systems   []string `json:"systems"`
			Ports     []int    `json:"ports"`
			Tools     []string `json:"tools"`
		}{"gonix-init 0.1.0", a.Module, a.Name, a.Systems, a.Ports, oldTools}
		data, err := json.MarshalIndent(old, "", "  ")
		ts.Check(err)
		return append(data, '\n')
	})
}

// releaseFiles renders the answers a as the released version v did: its
// templates, with its nixpkgs pin.
func releaseFiles(ts *testscript.TestScript, v string, a answers.Answers) []render.File {
	set, err := releases.Set(v)
	ts.Check(err)
	pin, err := releases.Pin(v)
	ts.Check(err)
	files, err := render.Render(a, set, render.WithPin(pin))
	ts.Check(err)
	return files
}

// writeProject writes files into dir, the answers file as record makes it
// from the one rendered.
func writeProject(ts *testscript.TestScript, dir string, files []render.File, record func([]byte) []byte) {
	for _, f := range files {
		data := f.Data
		if f.Path == ".gonix.json" {
			data = record(data)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
		ts.Check(os.WriteFile(p, data, 0o644))
	}
}

// cmdProjectOf writes the project that a released gonix-init (0.2.0 or
// later, which record their template set) wrote with the default answers
// for a module path, and a CI choice:
//
//	project-of VERSION DIR MODULE [CI]
func cmdProjectOf(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args) > 4 {
		ts.Fatalf("usage: project-of VERSION DIR MODULE [CI]")
	}
	a := answers.Default()
	a.Module = args[2]
	if len(args) == 4 {
		a.CI = args[3]
	}
	a.Name, _ = answers.DefaultName(a.Module)
	files := releaseFiles(ts, args[0], a)
	writeProject(ts, ts.MkAbs(args[1]), files, func(data []byte) []byte { // as that version recorded itself
		return []byte(strings.Replace(string(data), `"gonix-init `+version.Version+`"`, `"gonix-init `+args[0]+`"`, 1))
	})
}

// cmdAdoptedOf writes a Go program of one main package at its root,
// adopted by the released gonix-init VERSION with --yes: its go.mod (go
// 1.22) and main.go, and the files that version managed.
//
//	adopted-of 0.6.0 dir example.com/prog
func cmdAdoptedOf(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: adopted-of VERSION DIR MODULE")
	}
	dir := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(dir, 0o755))
	ts.Check(os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+args[2]+"\n\ngo 1.22\n"), 0o644))
	ts.Check(os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	a := answers.Adopting(args[2], []string{"."}, nil)
	a.Main = "."
	a.Name, _ = answers.DefaultName(a.Module)
	files := releaseFiles(ts, args[0], a)
	writeProject(ts, dir, files, func(data []byte) []byte {
		return []byte(strings.Replace(string(data), `"gonix-init `+version.Version+`"`, `"gonix-init `+args[0]+`"`, 1))
	})
}

// cmdReplace edits a file as a user would: it replaces the first OLD in it
// with NEW, and fails when OLD is not there.
//
//	replace FILE OLD NEW
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	file := ts.MkAbs(args[0])
	data, err := os.ReadFile(file)
	ts.Check(err)
	if !strings.Contains(string(data), args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(file, []byte(strings.Replace(string(data), args[1], args[2], 1)), 0o644))
}

// memEnv is a run into memory: its files in fsys, no terminal, no git.
func memEnv(fsys afero.Fs, stdout, stderr io.Writer) session.Env {
	return session.Env{
		FS: fsys, In: strings.NewReader(""), Out: stdout, Err: stderr,
		Git: gitstage.Off{Note: "not on disk"}, Environ: os.Environ(), LookPath: exec.LookPath, Prompter: asker,
	}
}
