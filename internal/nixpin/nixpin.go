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
	// Go is the oldest Go version pkgs.go can have at this revision: what
	// the offline tests build with (their stand-in for nixpkgs takes it as
	// its pkgs.go.version), and the newest go line that gonix-init's own
	// go.mod may have. buildGoModule sets GOTOOLCHAIN=local, and Go then
	// refuses a go.mod that asks for more.
	Go string
	// GoLine is the go directive for generated go.mod files: minor-only, and
	// no newer than Go, so that every Go this pin may have accepts it.
	GoLine string
}

// URL is the flake input URL that Pin locks; flake.lock's "original" must match it.
func (p Pin) URL() string { return "github:" + p.Owner + "/" + p.Repo + "/" + p.Ref }

// Nixpkgs is nixpkgs-unstable at a channel revision (so cache.nixos.org has its
// binaries), locked identically by nix-community/home-manager and nixvim.
// It is of 2026-07-09 (LastModified). Its pkgs.go is Go 1.26.x, with x
// known only within bounds: go_1_26 1.26.2 -> 1.26.3 was merged into
// nixpkgs on 2026-05-07 (NixOS/nixpkgs#517757), and 1.26.4 -> 1.26.5 was
// proposed on 2026-07-15 (NixOS/nixpkgs#542144), after the pin. So x is 3
// or 4, and Go records the lower: 1.26.3. It still carries go_1_25; go 1.25
// is accepted by either.
var Nixpkgs = Pin{
	Owner:        "NixOS",
	Repo:         "nixpkgs",
	Ref:          "nixpkgs-unstable",
	Rev:          "767b0d3ec98a143ad9ed7dfc0d5553510ac27133",
	NarHash:      "sha256-tzMgSkV7kljEkqIjlgV6F+n+xD+/a35Db8bs7a4BFAo=",
	LastModified: 1783604885,
	Go:           "1.26.3",
	GoLine:       "1.25",
}
