// Package nixpin is the single source of the nixpkgs revision that gonix-init
// pins, and of what is known about it: its Go releases. Generated projects
// lock it in flake.lock and derive their go.mod go line from it, so the two
// can never disagree; the Go a project builds with is chosen from them by
// the rule nix/go.nix follows (GoFor).
package nixpin

import (
	"fmt"
	"go/version"
	"strings"
)

// Pin is one locked revision of a GitHub flake input, as flake.lock records it.
type Pin struct {
	Owner        string // GitHub owner, spelled as in the input URL (case matters to Nix)
	Repo         string
	Ref          string // the branch the input URL follows
	Rev          string
	NarHash      string
	LastModified int64
	// Gos are the Go releases of this revision that a project can build
	// with, oldest first: pkgs.go, then the go_1_N attributes newer than it.
	// Each Version is the oldest that attribute can have at this revision:
	// what the offline tests build with (their stand-in for nixpkgs takes
	// them as its versions), and what a go line is checked against.
	// buildGoModule sets GOTOOLCHAIN=local, and Go then refuses a go.mod
	// whose go line asks for more.
	Gos []Go
	// GoLine is the go directive for generated go.mod files: minor-only, and
	// no newer than pkgs.go, so that every Go this pin may have accepts it.
	GoLine string
}

// Go is one Go release of a nixpkgs revision.
type Go struct {
	Attr    string // its attribute in pkgs: "go" (pkgs.go) or "go_1_27"
	Version string // like 1.27.1
}

// String is the release as the plan and nix/README.md name it: "Go 1.27.1
// (go_1_27)", or "Go 1.26.5 (pkgs.go)".
func (g Go) String() string {
	attr := g.Attr
	if attr == "go" {
		attr = "pkgs.go"
	}
	return "Go " + g.Version + " (" + attr + ")"
}

// URL is the flake input URL that Pin locks; flake.lock's "original" must match it.
func (p Pin) URL() string { return "github:" + p.Owner + "/" + p.Repo + "/" + p.Ref }

// Go is pkgs.go of the pin.
func (p Pin) Go() Go { return p.Gos[0] }

// GoFor is the Go that builds a module whose go.mod has the go line line
// ("" for none, which Go takes as 1.16): pkgs.go when it is at least line,
// else the oldest newer Go of the pin that is. This is the rule of the
// flake's nix/go.nix, which reads go.mod at every evaluation; gonix-init
// uses it to say which Go a project gets. A line newer than every Go of
// the pin is a *TooNewError, which says what to do.
func (p Pin) GoFor(line string) (Go, error) {
	if line == "" {
		line = "1.16"
	}
	for _, g := range p.Gos {
		if version.Compare("go"+g.Version, "go"+line) >= 0 {
			return g, nil
		}
	}
	return Go{}, &TooNewError{Line: line, Gos: p.Gos}
}

// TooNewError is a go line that asks for a newer Go than any of a pin's:
// nixpkgs gets newer Go releases after gonix-init's pin, so the way
// forward is a newer nixpkgs, not an older go line.
type TooNewError struct {
	Line string
	Gos  []Go
}

func (e *TooNewError) Error() string {
	var have []string
	for _, g := range e.Gos {
		have = append(have, g.String())
	}
	return fmt.Sprintf("go.mod's go line asks for Go %s, newer than every Go of the nixpkgs gonix-init pins (%s); "+
		"once nixpkgs has Go %s, run nix flake update nixpkgs, then nix run .#vendor-hash", e.Line, strings.Join(have, ", "), e.Line)
}

// Nixpkgs is the nixos-unstable cut of 2026-09-07 (26.11pre1068949), a
// channel revision, so cache.nixos.org has its binaries; the flake input
// follows nixpkgs-unstable. Its rev, narHash and lastModified are each
// named by at least two public pins found offline: a flake.lock embedded in
// a .NET launcher's shell.nix (all three), a Go project's status note of
// 2026-09-08 whose flake.lock moved to nixpkgs 1788752844 (lastModified),
// builtins.fetchTree pins of the same rev with the same narHash (a glibc
// override, a device configuration's flake, a wine deployment), and a NUR
// CI report ("Unstable resolved to dc5d91f8... with NAR hash ...").
//
// Its Go releases:
//   - pkgs.go is go_1_26, 1.26.5: the status note above says "nixpkgs
//     go_1_26 = 1.26.5" with that lock, where a go 1.26.7 line failed; Go
//     1.26.5 was released on 2026-07-07 and 1.26.7 after the cut. So 1.26.5
//     or, at most, 1.26.6; Version records the lower.
//   - go_1_27 is 1.27.1: go_1_27 1.27.0 -> 1.27.1 (NixOS/nixpkgs#559618,
//     opened 2026-09-03 and backported to 26.05 the same day), before the
//     cut; buildGoModule is still buildGo126Module (all-packages.nix).
//   - go_1_25 is still there (removed on 2026-09-15), but a go 1.25 line
//     builds with pkgs.go, so no project needs it.
var Nixpkgs = Pin{
	Owner:        "NixOS",
	Repo:         "nixpkgs",
	Ref:          "nixpkgs-unstable",
	Rev:          "dc5d91f840324650bac8c379428c7037a416959a",
	NarHash:      "sha256-VaWGJ6+cIYN2erfSecbRV+4ljI185Ty2wUrXyvQbgOw=",
	LastModified: 1788752844,
	Gos: []Go{
		{Attr: "go", Version: "1.26.5"},
		{Attr: "go_1_27", Version: "1.27.1"},
	},
	GoLine: "1.26",
}
