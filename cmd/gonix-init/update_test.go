package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gonix-init/gonix-init/internal/exit"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/testenv"
)

// copyToMem copies a directory of the disk into a memory file system.
func copyToMem(t testing.TB, src string, mem afero.Fs, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return afero.WriteFile(mem, filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpdateExamplesIsNoOp updates every example with its own answers: the
// project is current, and update writes nothing.
func TestUpdateExamplesIsNoOp(t *testing.T) {
	for _, ex := range testenv.Examples(t, "../../examples") {
		t.Run(ex.Name, func(t *testing.T) {
			mem := afero.NewMemMapFs()
			copyToMem(t, ex.Dir, mem, "proj")
			before := readDir(t, mem, "proj")
			var stdout, stderr bytes.Buffer
			e := memEnv(mem, &stdout, &stderr)
			if code := runIn(e, []string{"update", "--check", "proj"}); code != 0 {
				t.Fatalf("update --check: exit %d\n%s%s", code, &stdout, &stderr)
			}
			if code := runIn(e, []string{"update", "--yes", "proj"}); code != 0 {
				t.Fatalf("update: exit %d\n%s", code, &stderr)
			}
			if !equalMaps(readDir(t, mem, "proj"), before) {
				t.Error("update changed an example updated with its own answers")
			}
		})
	}
}

// TestInterruptUpdate delivers a real SIGINT while each file of an update
// is written (a changed port, on a project whose main.go the user edited):
// the update ends with exit 130 and the project exactly as it was, or, if
// the signal came too late to matter, with the whole update.
func TestInterruptUpdate(t *testing.T) {
	arrived := make(chan os.Signal, 1)
	signal.Notify(arrived, syscall.SIGINT)
	defer signal.Stop(arrived)

	made := afero.NewMemMapFs()
	quiet := memEnv(made, &bytes.Buffer{}, &bytes.Buffer{})
	if code := runIn(quiet, append(interruptArgs, "proj")); code != 0 {
		t.Fatalf("init: exit %d", code)
	}
	mainGo, _ := afero.ReadFile(made, "proj/main.go")
	afero.WriteFile(made, "proj/main.go", bytes.Replace(mainGo, []byte("Hello from %s"), []byte("Howdy from %s"), 1), 0o644)
	before := readDir(t, made, "proj")
	args := []string{"update", "--ports", "8080,9090", "--yes", "proj"}

	done := afero.NewMemMapFs()
	copyMem(t, made, done)
	quiet.FS = done
	if code := runIn(quiet, args); code != 0 {
		t.Fatalf("update: exit %d", code)
	}
	after := readDir(t, done, "proj")
	if equalMaps(after, before) || !strings.Contains(after["main.go"], "Howdy from %s") {
		t.Fatal("the uninterrupted update did nothing, or lost the edit")
	}

	aborted := 0
	for n := 1; n <= len(before); n++ {
		mem := afero.NewMemMapFs()
		copyMem(t, made, mem)
		var stderr bytes.Buffer
		e := memEnv(&interruptingFs{Fs: mem, n: n, arrived: arrived}, &bytes.Buffer{}, &stderr)
		code := runIn(e, args)
		got := readDir(t, mem, "proj")
		switch {
		case code == exit.Aborted && equalMaps(got, before):
			aborted++
		case code == exit.OK && equalMaps(got, after):
		default:
			t.Errorf("SIGINT at file %d: exit %d, and the project is neither as it was nor updated\n%s", n, code, &stderr)
		}
	}
	if aborted == 0 {
		t.Error("no update was aborted: SIGINT did not cancel the writes")
	}
}

// copyMem copies the project proj of one memory file system into another.
func copyMem(t *testing.T, from, to afero.Fs) {
	t.Helper()
	err := afero.Walk(from, "proj", func(p string, info fs.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := afero.ReadFile(from, p)
		if err != nil {
			return err
		}
		return afero.WriteFile(to, p, data, info.Mode())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkUpdate updates examples/full in memory with its own answers:
// reading .gonix.json, rendering the base and the new project, comparing
// every file and planning the writes (none).
func BenchmarkUpdate(b *testing.B) {
	mem := afero.NewMemMapFs()
	copyToMem(b, "../../examples/full", mem, "proj")
	e := memEnv(mem, io.Discard, io.Discard)
	for b.Loop() {
		if code := runIn(e, []string{"update", "--yes", "proj"}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
