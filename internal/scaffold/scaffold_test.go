package scaffold

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
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
		"full":    "is not empty (has a, b, c and 2 more); choose a new or empty directory, or add --force",
	} {
		_, err := NewPlan(mem, dir, files, false)
		var te *TargetError
		switch {
		case want == "" && err != nil:
			t.Errorf("Check(%s) = %v, want ok", dir, err)
		case want != "" && (!errors.As(err, &te) || !strings.Contains(err.Error(), want)):
			t.Errorf("Check(%s) = %v, want a TargetError with %q", dir, err, want)
		}
	}
}

func TestForceReplacesAndKeeps(t *testing.T) {
	mem := afero.NewMemMapFs()
	afero.WriteFile(mem, "proj/.envrc", []byte("use nix\n"), 0o600)
	afero.WriteFile(mem, "proj/z.txt", []byte("z\n"), 0o644)
	afero.WriteFile(mem, "proj/mine.txt", []byte("mine\n"), 0o644)
	plan, err := NewPlan(mem, "proj", files, true)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]Action{}
	for _, s := range plan.Steps {
		actions[s.File.Path] = s.Action
	}
	want := map[string]Action{".envrc": Replace, "a/b/c.txt": Create, "a/d.txt": Create, "z.txt": Keep}
	if !maps.Equal(actions, want) {
		t.Fatalf("plan %v, want %v", actions, want)
	}
	if err := Apply(context.Background(), mem, plan); err != nil {
		t.Fatal(err)
	}
	if got, _ := afero.ReadFile(mem, "proj/.envrc"); string(got) != "use flake\n" {
		t.Errorf(".envrc = %q after replace", got)
	}
	if got, _ := afero.ReadFile(mem, "proj/mine.txt"); string(got) != "mine\n" {
		t.Errorf("a file gonix-init does not write changed: %q", got)
	}
}

func TestForceFailureRestoresReplacedFiles(t *testing.T) {
	for n := 1; n <= 4; n++ {
		mem := afero.NewMemMapFs()
		afero.WriteFile(mem, "proj/.envrc", []byte("use nix\n"), 0o600)
		afero.WriteFile(mem, "proj/a/d.txt", []byte("old d\n"), 0o644)
		before := snapshot(t, mem)
		plan, err := NewPlan(mem, "proj", files, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := Apply(context.Background(), &failingFs{Fs: mem, n: n}, plan); err == nil {
			t.Fatalf("n=%d: Apply succeeded", n)
		}
		if after := snapshot(t, mem); !maps.Equal(before, after) {
			t.Errorf("failure at create %d: target %v, want %v", n, after, before)
		}
	}
}

// snapshot maps every path to its content ("/" for folders).
func snapshot(t *testing.T, fsys afero.Fs) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range tree(t, fsys) {
		if strings.HasSuffix(p, "/") {
			out[p] = "/"
			continue
		}
		data, err := afero.ReadFile(fsys, p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = string(data)
	}
	return out
}

func TestForceRefusesWhatItMustNotTouch(t *testing.T) {
	for name, tc := range map[string]struct {
		setup func(dir string) error
		want  string
	}{
		"file path is a directory": {func(d string) error { return os.MkdirAll(filepath.Join(d, "z.txt"), 0o755) }, "z.txt: is a directory"},
		"file path is a symlink": {func(d string) error {
			os.WriteFile(filepath.Join(d, "elsewhere"), []byte("x"), 0o644)
			return os.Symlink("elsewhere", filepath.Join(d, ".envrc"))
		}, ".envrc: is a symlink"},
		"folder on the way is a symlink": {func(d string) error {
			os.MkdirAll(filepath.Join(d, "real"), 0o755)
			return os.Symlink("real", filepath.Join(d, "a"))
		}, "a: is a symlink"},
		"folder on the way is a file": {func(d string) error { return os.WriteFile(filepath.Join(d, "a"), nil, 0o644) }, "a: is a file where gonix-init needs a folder"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tc.setup(dir); err != nil {
				t.Fatal(err)
			}
			_, err := NewPlan(afero.NewOsFs(), dir, files, true)
			var te *TargetError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewPlan = %v, want a TargetError with %q", err, tc.want)
			}
		})
	}
}

func TestPermissionDeniedIsATargetError(t *testing.T) {
	ro := afero.NewReadOnlyFs(afero.NewMemMapFs())
	err := Write(context.Background(), ro, "proj", files)
	var te *TargetError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Write on a read-only fs = %v, want a permission TargetError", err)
	}
}

// deniedFs refuses to create anything inside dir, as a directory without
// write permission does, naming the path it was asked for.
type deniedFs struct {
	afero.Fs
	dir string
}

func (d deniedFs) denied(name string) bool {
	return filepath.Dir(name) == d.dir
}

func (d deniedFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if flag&os.O_CREATE != 0 && d.denied(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.Fs.OpenFile(name, flag, perm)
}

func (d deniedFs) Mkdir(name string, perm os.FileMode) error {
	if d.denied(name) {
		return &fs.PathError{Op: "mkdir", Path: name, Err: fs.ErrPermission}
	}
	return d.Fs.Mkdir(name, perm)
}

// TestPermissionDeniedNamesTheDirectory: an empty target that cannot be
// written is named itself, not the first file it was to hold, and so is a
// parent that cannot take the target.
func TestPermissionDeniedNamesTheDirectory(t *testing.T) {
	for _, tc := range []struct{ denied, target, want string }{
		{"proj", "proj", "proj: cannot be written"},
		{"ro", "ro/proj", "ro: cannot be written"},
	} {
		mem := afero.NewMemMapFs()
		if err := mem.MkdirAll(tc.denied, 0o755); err != nil {
			t.Fatal(err)
		}
		err := Write(context.Background(), deniedFs{mem, tc.denied}, tc.target, files)
		var te *TargetError
		if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), tc.want) || !strings.Contains(err.Error(), "choose a directory you can write to") {
			t.Errorf("%s in an unwritable %s: %v, want %q first", tc.target, tc.denied, err, tc.want)
		}
	}
}
