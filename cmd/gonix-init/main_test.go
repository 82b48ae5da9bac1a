package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

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
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":   cmdExits,
			"entries": cmdEntries,
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
