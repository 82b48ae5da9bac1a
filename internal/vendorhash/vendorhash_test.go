package vendorhash

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNewEnough picks the Go that vendors a module: the go command when
// it is new enough for the go line, else the oldest toolchain of the module
// cache that is, for this platform; ErrNoGo when there is none.
func TestNewEnough(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goCmd, "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	local := strings.TrimPrefix(strings.TrimSpace(string(out)), "go")
	modcache := t.TempDir()
	t.Setenv("GOMODCACHE", modcache)
	toolchain := func(v, platform string) string {
		bin := filepath.Join(modcache, "golang.org", "toolchain@v0.0.1-go"+v+"."+platform, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, "go"), nil, 0o755); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(bin, "go")
	}
	here := runtime.GOOS + "-" + runtime.GOARCH
	toolchain("1.98.1", here)
	oldest := toolchain("1.98.0", here)
	toolchain("1.97.0", here)           // too old
	toolchain("1.98.0rc1", "plan9-386") // another platform
	toolchain("1.99.0", here)           // newer than needed
	for _, tc := range []struct{ line, want string }{
		{"", goCmd},
		{local, goCmd},
		{"1.98", oldest},
		{"1.98.0", oldest},
	} {
		got, err := newEnough(context.Background(), goCmd, tc.line)
		if err != nil || got != tc.want {
			t.Errorf("go line %q: %s, %v; want %s", tc.line, got, err, tc.want)
		}
	}
	if _, err := newEnough(context.Background(), goCmd, "1.99.1"); !errors.Is(err, ErrNoGo) {
		t.Errorf("go line 1.99.1: %v, want ErrNoGo", err)
	}
}
