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
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/nix-community/go-nix/pkg/nar"
)

// None is the vendorHash of a module that requires none, or keeps its
// modules in vendor/: buildGoModule then vendors nothing.
const None = "null"

// ErrNotCached is Compute's error when the module cache lacks a module
// go.mod requires: offline, only nix run .#vendor-hash can tell the hash.
var ErrNotCached = errors.New("the modules go.mod requires are not all in the module cache")

// Compute returns nix/vendor-hash.nix's content for the module in dir:
// None, or the hash as a Nix string. goCmd is the go command to vendor
// with; it runs offline (GOPROXY=off), in a temporary directory.
func Compute(ctx context.Context, goCmd, dir string) (string, error) {
	tmp, err := os.MkdirTemp("", "gonix-vendor-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) //nolint:errcheck // a temporary directory
	vendor := filepath.Join(tmp, "vendor")
	cmd := exec.CommandContext(ctx, goCmd, "mod", "vendor", "-o", vendor)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local", "GOPROXY=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "GOPROXY=off") || strings.Contains(stderr.String(), "module lookup disabled") {
			return "", ErrNotCached
		}
		return "", fmt.Errorf("go mod vendor: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	entries, err := os.ReadDir(vendor)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0 {
		return None, nil
	}
	if err != nil {
		return "", err
	}
	return Hash(vendor)
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
