// Package nixpin is the single source of the nixpkgs revision that gonix-init
// pins, and of what is known about it. Generated projects lock it in flake.lock
// and derive their go.mod go line from it, so the two can never disagree.
package nixpin

// Pin is one locked revision of a GitHub flake input, as flake.lock records it.
type Pin struct {
	Owner        string // GitHub owner, spelled as in the input URL (case matters to Nix)
	Repo         string
	Ref          string // the branch the input URL follows
	Rev          string
	NarHash      string
	LastModified int64
	// GoLine is the go directive for go.mod: minor-only, and no newer than the
	// oldest Go the pinned nixpkgs might build with, because buildGoModule sets
	// GOTOOLCHAIN=local and refuses a module that asks for a newer Go.
	GoLine string
}

// URL is the flake input URL that Pin locks; flake.lock's "original" must match it.
func (p Pin) URL() string { return "github:" + p.Owner + "/" + p.Repo + "/" + p.Ref }

// Nixpkgs is nixpkgs-unstable at a channel revision (so cache.nixos.org has its
// binaries), locked identically by nix-community/home-manager and nixvim.
// Its pkgs.go is Go 1.26.x and it still carries go_1_25; go 1.25 is accepted
// by either.
var Nixpkgs = Pin{
	Owner:        "NixOS",
	Repo:         "nixpkgs",
	Ref:          "nixpkgs-unstable",
	Rev:          "767b0d3ec98a143ad9ed7dfc0d5553510ac27133",
	NarHash:      "sha256-tzMgSkV7kljEkqIjlgV6F+n+xD+/a35Db8bs7a4BFAo=",
	LastModified: 1783604885,
	GoLine:       "1.25",
}
