package testenv

import (
	"slices"
	"testing"
)

// TestNixWarnings checks which of Nix's stderr lines fail a test: every
// warning with its continuation lines, but not the notices the tests cause.
func TestNixWarnings(t *testing.T) {
	stderr := `warning: not writing modified lock file of flake 'path:/tmp/x':
• Updated input 'nixpkgs':
    'github:NixOS/nixpkgs/767b' (2026-07-09)
  → 'path:/tmp/standin' (2026-11-26)
evaluating flake...
warning: app 'apps.x86_64-linux.default' lacks attribute 'meta'
checking flake output 'devShells'...
evaluation warning: use ` + "`proxyVendor`" + ` to control Go module/vendor behavior
  at line 3
warning: The check omitted these incompatible systems: aarch64-darwin
running 2 flake checks...
`
	want := []string{
		"warning: app 'apps.x86_64-linux.default' lacks attribute 'meta'",
		"evaluation warning: use `proxyVendor` to control Go module/vendor behavior\n  at line 3",
	}
	if got := NixWarnings(stderr); !slices.Equal(got, want) {
		t.Errorf("NixWarnings = %q, want %q", got, want)
	}
	if got := NixWarnings("building...\n"); got != nil {
		t.Errorf("NixWarnings of no warning = %q", got)
	}
}
