package scaffold

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/render"
)

var files = []render.File{
	{Path: ".envrc", Data: []byte("use flake\n"), Mode: 0o644},
	{Path: "a/b/c.txt", Data: []byte("c\n"), Mode: 0o644},
	{Path: "a/d.txt", Data: []byte("d\n"), Mode: 0o644},
	{Path: "z.txt", Data: []byte("z\n"), Mode: 0o644},
}

// tree lists every path under fsys's root, folders with a trailing slash.
func tree(t *testing.T, fsys afero.Fs) []string {
	t.Helper()
	var out []string
	err := afero.Walk(fsys, "", func(p string, info fs.FileInfo, err error) error {
		if err != nil || p == "" {
			return err
		}
		if info.IsDir() {
			p += "/"
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestWriteCreatesEverything(t *testing.T) {
	mem := afero.NewMemMapFs()
	if err := Write(context.Background(), mem, "proj", files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := afero.ReadFile(mem, "proj/"+f.Path)
		if err != nil || string(got) != string(f.Data) {
			t.Errorf("%s = %q, %v", f.Path, got, err)
		}
	}
}

// failingFs fails the nth file creation (counting from 1).
type failingFs struct {
	afero.Fs
	n, opened int
}

func (f *failingFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if flag&os.O_CREATE != 0 {
		f.opened++
		if f.opened == f.n {
			return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("no space left on device")}
		}
	}
	return f.Fs.OpenFile(name, flag, perm)
}

func TestWriteFailureLeavesTargetAsItWas(t *testing.T) {
	for n := 1; n <= len(files); n++ {
		t.Run("", func(t *testing.T) {
			mem := afero.NewMemMapFs()
			// An existing target holding only .git, which must survive.
			afero.WriteFile(mem, "proj/.git/HEAD", []byte("ref: refs/heads/main\n"), 0o644)
			before := tree(t, mem)
			err := Write(context.Background(), &failingFs{Fs: mem, n: n}, "proj", files)
			if err == nil || !strings.Contains(err.Error(), "no space left") {
				t.Fatalf("Write = %v, want the disk error", err)
			}
			if after := tree(t, mem); !slices.Equal(before, after) {
				t.Errorf("failure at file %d left %v, want %v", n, after, before)
			}
		})
	}
}

func TestWriteFailureRemovesCreatedTarget(t *testing.T) {
	mem := afero.NewMemMapFs()
	mem.Mkdir("parent", 0o755)
	err := Write(context.Background(), &failingFs{Fs: mem, n: 3}, "parent/new/proj", files)
	if err == nil {
		t.Fatal("Write succeeded")
	}
	if got := tree(t, mem); !slices.Equal(got, []string{"parent/"}) {
		t.Errorf("left %v, want only the parent that existed", got)
	}
}

// cancellingFs cancels the context after the nth file is created.
type cancellingFs struct {
	afero.Fs
	n, opened int
	cancel    context.CancelFunc
}

func (f *cancellingFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	file, err := f.Fs.OpenFile(name, flag, perm)
	if flag&os.O_CREATE != 0 {
		if f.opened++; f.opened == f.n {
			f.cancel()
		}
	}
	return file, err
}

func TestCancelLeavesNothing(t *testing.T) {
	for n := 1; n <= len(files); n++ {
		mem := afero.NewMemMapFs()
		ctx, cancel := context.WithCancel(context.Background())
		err := Write(ctx, &cancellingFs{Fs: mem, n: n, cancel: cancel}, "proj", files)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancel after file %d: Write = %v, want context.Canceled", n, err)
		}
		if got := tree(t, mem); len(got) != 0 {
			t.Errorf("cancel after file %d left %v", n, got)
		}
	}
}

func TestWriteRefusesPathsOutsideTarget(t *testing.T) {
	for _, p := range []string{"../escape", "/abs", "a/../../b", "a/./b", ""} {
		mem := afero.NewMemMapFs()
		err := Write(context.Background(), mem, "proj", []render.File{{Path: p, Data: []byte("x")}})
		if err == nil {
			t.Errorf("Write accepted %q", p)
		}
		if got := tree(t, mem); len(got) != 0 {
			t.Errorf("%q: left %v", p, got)
		}
	}
}

func TestCheck(t *testing.T) {
	mem := afero.NewMemMapFs()
	afero.WriteFile(mem, "file", []byte("x"), 0o644)
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		afero.WriteFile(mem, "full/"+name, nil, 0o644)
	}
	mem.MkdirAll("cloned/.git", 0o755)
	mem.MkdirAll("empty", 0o755)

	for dir, want := range map[string]string{
		"missing": "",
		"empty":   "",
		"cloned":  "",
		"file":    "is a file, not a directory",
		"full":    "is not empty (has a, b, c and 2 more)",
	} {
		err := Check(mem, dir)
		var te *TargetError
		switch {
		case want == "" && err != nil:
			t.Errorf("Check(%s) = %v, want ok", dir, err)
		case want != "" && (!errors.As(err, &te) || !strings.Contains(err.Error(), want)):
			t.Errorf("Check(%s) = %v, want a TargetError with %q", dir, err, want)
		}
	}
}
