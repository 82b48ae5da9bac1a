// Package examples_test checks the rendered example projects in this folder:
// that they are exactly what the templates render from their answers
// (golden files; -update regenerates them), and that they really work.
package examples_test

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/templates"
)

var update = flag.Bool("update", false, "regenerate the examples from their .gonix.json answers")

// examples are the rendered projects in this folder.
func examples(t *testing.T) []testenv.Example { return testenv.Examples(t, ".") }

// TestGolden renders each example's answers in memory and compares the
// result, file by file, with the example's folder.
func TestGolden(t *testing.T) {
	for _, ex := range examples(t) {
		t.Run(ex.Name, func(t *testing.T) {
			files, err := render.Render(ex.Answers, templates.FS)
			if err != nil {
				t.Fatal(err)
			}
			mem := afero.NewMemMapFs()
			if err := scaffold.Write(context.Background(), mem, "out", files); err != nil {
				t.Fatal(err)
			}
			got := readTree(t, afero.NewIOFS(afero.NewBasePathFs(mem, "out")))
			if *update {
				writeExample(t, ex.Dir, got)
				return
			}
			want := readTree(t, os.DirFS(ex.Dir))
			for _, p := range sortedKeys(got, want) {
				g, inGot := got[p]
				w, inWant := want[p]
				switch {
				case !inWant:
					t.Errorf("%s: rendered but missing from %s", p, ex.Dir)
				case !inGot:
					t.Errorf("%s: in %s but not rendered (unexpected file)", p, ex.Dir)
				case !bytes.Equal(g, w):
					t.Errorf("%s: differs from the rendered file:\n%s", p, firstDiff(w, g))
				}
			}
			if t.Failed() {
				t.Log("regenerate with: go test -count=1 ./examples -run TestGolden -update")
			}
		})
	}
}

// readTree reads every file of fsys; the test file of this package is not
// part of any example.
func readTree(t *testing.T, fsys fs.FS) map[string][]byte {
	t.Helper()
	tree := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		tree[p] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func writeExample(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sortedKeys(a, b map[string][]byte) []string {
	all := maps.Clone(a)
	maps.Copy(all, b)
	return slices.Sorted(maps.Keys(all))
}

// firstDiff shows the first line where want and got part.
func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  example:  " + strconv.Quote(w) + "\n  rendered: " + strconv.Quote(g)
		}
	}
	return "(only in line endings)"
}

// copyExample copies an example into a fresh temporary directory, outside
// this module and outside any git work tree.
func copyExample(t *testing.T, ex testenv.Example) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(ex.Dir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// goCmd runs the go command in dir, failing the test on error.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestExamplesWork checks that each example is a real project: formatted,
// vetted, built and tested offline by the go command, and that its server
// answers on every chosen port and stops cleanly on SIGTERM.
func TestExamplesWork(t *testing.T) {
	testenv.Slow(t, "builds every example")
	for _, ex := range examples(t) {
		t.Run(ex.Name, func(t *testing.T) {
			dir := copyExample(t, ex)
			gofmt := exec.Command(filepath.Join(goRoot(t), "bin", "gofmt"), "-l", ".")
			gofmt.Dir = dir
			if out, err := gofmt.CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("gofmt -l: %v %s", err, out)
			}
			goCmd(t, dir, "vet", "./...")
			goCmd(t, dir, "test", "-count=1", "./...")
			bin := filepath.Join(t.TempDir(), ex.Answers.Name)
			goCmd(t, dir, "build", "-o", bin, ".")
			testenv.CheckServer(t, bin, ex.Answers.Name, ex.Answers.Ports)
		})
	}
}

func goRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
