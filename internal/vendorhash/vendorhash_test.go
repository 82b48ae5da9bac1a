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
		got, cache, err := newEnough(context.Background(), goCmd, tc.line)
		if err != nil || got != tc.want || cache != modcache {
			t.Errorf("go line %q: %s, %v; want %s", tc.line, got, err, tc.want)
		}
	}
	if _, _, err := newEnough(context.Background(), goCmd, "1.99.1"); !errors.Is(err, ErrNoGo) {
		t.Errorf("go line 1.99.1: %v, want ErrNoGo", err)
	}
}

// TestComputeNotCached finds ErrNotCached where the module cache lacks a
// module go.mod requires, and where there is no module cache at all and
// none can be made (a Nix build's HOME, /homeless-shelter, cannot be
// written): either way nothing is cached, for go mod vendor and for go mod
// download alike, and only nix run .#vendor-hash
// can tell the hash.
func TestComputeNotCached(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	mod := "module example.com/x\n\ngo 1.22\n\nrequire example.com/absent v1.0.0\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := "example.com/absent v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/absent v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), []byte(sum), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte("package x\n\nimport _ \"example.com/absent\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, modcache := range map[string]string{"empty": t.TempDir(), "none can be made": "/dev/null/modcache"} {
		t.Setenv("GOMODCACHE", modcache)
		for _, mode := range []Mode{Vendor, Proxy} {
			if _, err := Compute(context.Background(), goCmd, dir, "1.22", mode); !errors.Is(err, ErrNotCached) {
				t.Errorf("%s module cache, mode %d: %v, want ErrNotCached", name, mode, err)
			}
		}
	}
}

// TestModCache finds the module cache as the go command does: GOMODCACHE,
// else the first GOPATH's pkg/mod, else $HOME/go/pkg/mod; each variable
// from the environment, else from what go env -w wrote, which the go
// command reads from GOENV's file, or the user's configuration folder's.
func TestModCache(t *testing.T) {
	home := t.TempDir()
	written := filepath.Join(home, "written")
	if err := os.MkdirAll(filepath.Join(home, ".config", "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	for file, data := range map[string]string{
		filepath.Join(home, ".config", "go", "env"): "GOMODCACHE=/w\n",
		written: "# go env -w wrote this\nGOPATH=/wg\n",
	} {
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"GOMODCACHE": "/m", "GOPATH": "/g", "HOME": "/h"}, "/m"},
		{map[string]string{"GOPATH": "/g" + string(filepath.ListSeparator) + "/g2", "HOME": "/h"}, filepath.Join("/g", "pkg", "mod")},
		{map[string]string{"HOME": "/h"}, filepath.Join("/h", "go", "pkg", "mod")},
		{map[string]string{}, ""},
		{map[string]string{"HOME": home, "GOPATH": "/g"}, "/w"},
		{map[string]string{"HOME": home, "GOMODCACHE": "/e"}, "/e"},
		{map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": filepath.Join(home, ".config")}, "/w"},
		{map[string]string{"HOME": home, "GOENV": written}, filepath.Join("/wg", "pkg", "mod")},
		{map[string]string{"HOME": home, "GOENV": "off"}, filepath.Join(home, "go", "pkg", "mod")},
	} {
		if runtime.GOOS != "linux" && c.env["GOENV"] == "" && (c.env["HOME"] == home || c.env["XDG_CONFIG_HOME"] != "") {
			continue // the configuration folder is elsewhere (configDir)
		}
		if got := ModCache(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("ModCache(%v) = %q, want %q", c.env, got, c.want)
		}
	}
}
