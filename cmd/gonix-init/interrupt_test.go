package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/exit"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/templates"
)

var interruptArgs = []string{"--module", "example.com/app", "--yes"}

// wantProject is what a complete run with interruptArgs writes.
func wantProject(t *testing.T) map[string]string {
	t.Helper()
	a := answers.Default()
	a.Module, a.Name = "example.com/app", "app"
	files, err := render.Render(a, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{".git/HEAD": "ref: refs/heads/main\n"}
	for _, f := range files {
		want[f.Path] = string(f.Data)
	}
	return want
}

// readDir maps each file under dir to its content.
func readDir(t *testing.T, fsys afero.Fs, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := afero.Walk(fsys, dir, func(p string, info fs.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := afero.ReadFile(fsys, p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// interruptingFs sends the process SIGINT when the nth file is created, and
// waits until the signal has arrived.
type interruptingFs struct {
	afero.Fs
	n, created int
	arrived    chan os.Signal
}

func (f *interruptingFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	file, err := f.Fs.OpenFile(name, flag, perm)
	if flag&os.O_CREATE != 0 {
		if f.created++; f.created == f.n {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			select {
			case <-f.arrived:
			case <-time.After(5 * time.Second):
			}
			time.Sleep(time.Millisecond) // let signal.NotifyContext cancel
		}
	}
	return file, err
}

// TestInterruptAtEveryFile delivers a real SIGINT while each file is being
// written: the run must end with exit 130 and the target as it was, or (if
// the signal came too late to matter) with the whole project.
func TestInterruptAtEveryFile(t *testing.T) {
	want := wantProject(t)
	arrived := make(chan os.Signal, 1)
	signal.Notify(arrived, syscall.SIGINT)
	defer signal.Stop(arrived)

	aborted := 0
	for n := 1; n <= len(want); n++ {
		mem := afero.NewMemMapFs()
		afero.WriteFile(mem, "proj/.git/HEAD", []byte(want[".git/HEAD"]), 0o644)
		var stdout, stderr bytes.Buffer
		e := memEnv(&interruptingFs{Fs: mem, n: n, arrived: arrived}, &stdout, &stderr)
		code := runIn(e, append(interruptArgs, "proj"))
		got := readDir(t, mem, "proj")
		switch {
		case code == exit.Aborted && len(got) == 1 && got[".git/HEAD"] == want[".git/HEAD"]:
			aborted++
			if !strings.Contains(stderr.String(), "aborted, nothing written") {
				t.Errorf("n=%d: stderr %q", n, &stderr)
			}
		case code == exit.OK && equalMaps(got, want):
		default:
			t.Errorf("SIGINT at file %d: exit %d, left %d files: %v\n%s", n, code, len(got), keys(got), &stderr)
		}
	}
	if aborted == 0 {
		t.Error("no run was aborted: SIGINT did not cancel the write")
	}
}

// TestInterruptRealProcess sends SIGINT to the real command at varied moments.
func TestInterruptRealProcess(t *testing.T) {
	testenv.Slow(t, "builds the command")
	bin := binary(t)
	want := wantProject(t)
	osfs := afero.NewOsFs()
	outcomes := map[string]int{}
	// A whole run takes about 15-20 ms here: the delays sweep across it.
	for i := range 60 {
		delay := time.Duration(i%40) * 500 * time.Microsecond
		dir := filepath.Join(t.TempDir(), "proj")
		os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
		os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte(want[".git/HEAD"]), 0o644)
		cmd := exec.Command(bin, append(interruptArgs, dir)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGINT)
		err := cmd.Wait()
		got := readDir(t, osfs, dir)
		untouched := len(got) == 1 && got[".git/HEAD"] == want[".git/HEAD"]
		var ee *exec.ExitError
		switch {
		case err == nil && equalMaps(got, want):
			outcomes["complete"]++
		case errors.As(err, &ee) && equalMaps(got, want):
			// The signal came after the last file, once the handler was gone.
			outcomes["complete, then killed"]++
		case errors.As(err, &ee) && ee.ExitCode() == exit.Aborted && untouched:
			outcomes["aborted (130)"]++
		case errors.As(err, &ee) && untouched:
			outcomes["killed before the handler was installed"]++
		default:
			t.Fatalf("SIGINT after %v: %v, left %d files: %v", delay, err, len(got), keys(got))
		}
	}
	t.Logf("outcomes: %v", outcomes)
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
