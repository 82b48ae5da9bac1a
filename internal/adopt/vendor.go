package adopt

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gonix-init/gonix-init/internal/detect"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
)

// VendorHash is nix/vendor-hash.nix as adopt can write it: its Nix value
// (Content), or, when it could not be computed here, "" and why (Note).
type VendorHash struct{ Content, Note string }

// vendorHashOf is nix/vendor-hash.nix for the project in dir: null for one
// that keeps its modules in vendor/, else the hash the module cache gives
// (hash), or why it cannot be computed here. A go.sum without a checksum
// the build needs is refused, with the command that adds it.
func vendorHashOf(ctx context.Context, hash VendorHasher, dir string, p *detect.Project, mode vendorhash.Mode) (VendorHash, error) {
	if p.Vendored {
		return VendorHash{Content: vendorhash.None}, nil
	}
	later := "run nix run .#vendor-hash, which writes it"
	if hash == nil {
		return VendorHash{Note: "nix/vendor-hash.nix holds null: it is not computed here; " + later}, nil
	}
	h, err := hash(ctx, dir, p.Go, mode)
	switch {
	case err != nil && strings.Contains(err.Error(), "missing go.sum entry"):
		return VendorHash{}, usage.Errorf("%s: go.sum lacks a checksum the build needs (go mod vendor: %s): run go mod tidy (GOWORK=off go mod tidy in a workspace), "+
			"and commit go.sum; adopt does not change go.sum, which is yours", dir, firstLine(err))
	case errors.Is(err, vendorhash.ErrNoGo):
		return VendorHash{Note: fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)}, nil
	case errors.Is(err, vendorhash.ErrNotCached):
		return VendorHash{Note: "nix/vendor-hash.nix holds null: the modules go.mod requires are not all in the module cache (go mod download fetches them); " + later}, nil
	case err != nil:
		return VendorHash{Note: fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)}, nil
	}
	return VendorHash{Content: h}, nil
}

// firstLine is the line of err that says "missing go.sum entry".
func firstLine(err error) string {
	for _, l := range strings.Split(err.Error(), "\n") {
		if strings.Contains(l, "missing go.sum entry") {
			_, after, _ := strings.Cut(l, "go: ")
			return strings.TrimSpace(after)
		}
	}
	return err.Error()
}
