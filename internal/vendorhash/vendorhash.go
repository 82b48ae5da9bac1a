// Package vendorhash computes a module's vendorHash as buildGoModule
// checks it, without Nix and without the network: the NAR hash (as `nix
// hash path` prints it) of the modules `go mod vendor` writes from the
// module cache. gonix-init adopt writes it into nix/vendor-hash.nix, as
// `nix run .#vendor-hash` (nix/vendor-hash.sh) does with Nix.
package vendorhash

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"go/version"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/nix-community/go-nix/pkg/nar"
)

// None is the vendorHash of a module that requires none, or keeps its
// modules in vendor/: buildGoModule then vendors nothing.
const None = "null"

// ErrNotCached is Compute's error when the module cache lacks a module
// go.mod requires: offline, only nix run .#vendor-hash can tell the hash.
var ErrNotCached = errors.New("the modules go.mod requires are not all in the module cache")

// ErrNoGo is Compute's error when no Go here is new enough for the
// module's go line: neither the go command nor a toolchain in the module
// cache.
var ErrNoGo = errors.New("no Go here is new enough for go.mod's go line")

// Mode is what buildGoModule's vendor derivation holds: the modules as
// `go mod vendor` writes them, or, with proxyVendor = true, as `go mod
// download` leaves them in the module cache (cache/download, a module
// proxy's layout, less sumdb), which a build that installs MODULE@VERSION
// needs (see docs/adopt.md, "The build info").
type Mode int

const (
	Vendor Mode = iota
	Proxy
)

// Compute returns nix/vendor-hash.nix's content for the module in dir,
// whose go.mod has the go line goLine, for the vendor derivation of mode:
// None, or the hash as a Nix string. It runs goCmd, or, when goCmd is
// older than goLine, the oldest Go toolchain in the module cache that is
// not (go keeps there the toolchains it switches to); which Go runs does
// not change what it writes. It runs offline (GOPROXY=off, or the module
// cache as a file:// proxy), in a temporary directory.
func Compute(ctx context.Context, goCmd, dir, goLine string, mode Mode) (string, error) {
	goCmd, modcache, err := newEnough(ctx, goCmd, goLine)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp("", "gonix-vendor-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) //nolint:errcheck // a temporary directory
	// The module cache's cache/download, which a module proxy's layout is.
	downloads := filepath.Join(modcache, "cache", "download")
	out := filepath.Join(tmp, "vendor")
	cmd := exec.CommandContext(ctx, goCmd, "mod", "vendor", "-o", out)
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local", "GOPROXY=off")
	if mode == Proxy {
		cmd = exec.CommandContext(ctx, goCmd, "mod", "download")
		cmd.Env = append(os.Environ(), "GOFLAGS=-modcacherw", "GOWORK=off", "GOTOOLCHAIN=local", "GOSUMDB=off",
			"GOMODCACHE="+filepath.Join(tmp, "mod"), "GOPROXY=file://"+filepath.ToSlash(downloads))
		out = filepath.Join(tmp, "mod", "cache", "download")
	}
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		// Offline, a module that is not cached is looked up in vain (in
		// the module cache, as a proxy); and a module cache that cannot be
		// created holds nothing.
		if strings.Contains(stderr.String(), "GOPROXY=off") || strings.Contains(stderr.String(), "module lookup disabled") ||
			strings.Contains(stderr.String(), "could not create module cache") || mode == Proxy && strings.Contains(stderr.String(), downloads) {
			return "", ErrNotCached
		}
		return "", fmt.Errorf("%s: %v: %s", strings.Join(cmd.Args[1:], " "), err, strings.TrimSpace(stderr.String()))
	}
	if mode == Proxy {
		if err := os.RemoveAll(filepath.Join(out, "sumdb")); err != nil {
			return "", err
		}
	}
	entries, err := os.ReadDir(out)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0 {
		return None, nil
	}
	if err != nil {
		return "", err
	}
	return Hash(out)
}

// Hash is the NAR hash of the directory dir as a Nix string, in the SRI
// form `nix hash path` prints: "sha256-" and the base64 of the sum.
func Hash(dir string) (string, error) {
	h := sha256.New()
	if err := nar.DumpPath(h, dir); err != nil {
		return "", err
	}
	return `"sha256-` + base64.StdEncoding.EncodeToString(h.Sum(nil)) + `"`, nil
}

// newEnough is goCmd when its Go is at least goLine, else the go command
// of the oldest toolchain in goCmd's module cache that is, for goCmd's
// platform; ErrNoGo when there is none. modcache is goCmd's module cache.
func newEnough(ctx context.Context, goCmd, goLine string) (goTool, modcache string, err error) {
	cmd := exec.CommandContext(ctx, goCmd, "env", "GOVERSION", "GOMODCACHE", "GOHOSTOS", "GOHOSTARCH")
	// Outside any module, and as it is: no switch to another toolchain.
	cmd.Dir, cmd.Env = os.TempDir(), append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("%s env: %w", goCmd, err)
	}
	env := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(env) != 4 {
		return "", "", fmt.Errorf("%s env: unexpected output %q", goCmd, out)
	}
	want := "go" + goLine
	if goLine == "" || version.Compare(env[0], want) >= 0 {
		return goCmd, env[1], nil
	}
	suffix := "." + env[2] + "-" + env[3]
	dirs, _ := filepath.Glob(filepath.Join(env[1], "golang.org", "toolchain@v0.0.1-go*"+suffix))
	best := ""
	for _, d := range dirs {
		v := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(d), "toolchain@v0.0.1-"), suffix)
		if !version.IsValid(v) || version.Compare(v, want) < 0 || best != "" && version.Compare(v, best) >= 0 {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "bin", "go")); err == nil {
			best, goCmd = v, filepath.Join(d, "bin", "go")
		}
	}
	if best == "" {
		return "", "", fmt.Errorf("%w (Go %s; the go command is %s)", ErrNoGo, goLine, strings.TrimPrefix(env[0], "go"))
	}
	return goCmd, env[1], nil
}

// ModCache is the module cache the go command downloads into, as it
// finds it from getenv's environment: GOMODCACHE, else pkg/mod in the first
// folder of GOPATH, else in $HOME/go; each variable from the environment,
// else from the file go env -w writes (goEnvFile); "" when none is set.
// Adopt reads the packages of required modules there, where go mod vendor
// found them.
func ModCache(getenv func(string) string) string {
	written := goEnvFile(getenv)
	lookup := func(key string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return written[key]
	}
	if dir := lookup("GOMODCACHE"); dir != "" {
		return dir
	}
	if gopath := filepath.SplitList(lookup("GOPATH")); len(gopath) > 0 && gopath[0] != "" {
		return filepath.Join(gopath[0], "pkg", "mod")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// goEnvFile is what go env -w wrote, as the go command reads it
// (cmd/go/internal/cfg, EnvFile and readEnvFile): the file GOENV names
// (none for off), else go/env in the user's configuration folder
// (configDir), one KEY=VALUE a line.
func goEnvFile(getenv func(string) string) map[string]string {
	file := getenv("GOENV")
	switch file {
	case "off":
		return nil
	case "":
		dir := configDir(getenv)
		if dir == "" {
			return nil
		}
		file = filepath.Join(dir, "go", "env")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	env := map[string]string{}
	for line := range strings.Lines(string(data)) {
		key, value, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "=")
		if ok && key != "" && key[0] >= 'A' && key[0] <= 'Z' {
			env[key] = value
		}
	}
	return env
}

// configDir is os.UserConfigDir from getenv's environment: on macOS
// $HOME/Library/Application Support, on Windows %AppData%, elsewhere
// $XDG_CONFIG_HOME, else $HOME/.config; "" when its variable is not set.
func configDir(getenv func(string) string) string {
	home := getenv("HOME")
	switch {
	case runtime.GOOS == "windows":
		return getenv("AppData")
	case runtime.GOOS == "darwin" || runtime.GOOS == "ios":
		if home == "" {
			return ""
		}
		return filepath.Join(home, "Library", "Application Support")
	case getenv("XDG_CONFIG_HOME") != "":
		return getenv("XDG_CONFIG_HOME")
	case home != "":
		return filepath.Join(home, ".config")
	}
	return ""
}
