package nixpin

import (
	"errors"
	"strings"
	"testing"
)

// TestGoFor walks the rule nix/go.nix follows, on the pin: pkgs.go while
// it is new enough for the go line, then the oldest newer Go, and a
// *TooNewError that names every Go of the pin and the way forward.
func TestGoFor(t *testing.T) {
	pkgsGo, go127 := Nixpkgs.Gos[0], Nixpkgs.Gos[1]
	for _, tc := range []struct {
		line string
		want Go
	}{
		{"", pkgsGo}, // no go line: Go takes it as 1.16
		{"1.16", pkgsGo},
		{"1.22", pkgsGo},
		{Nixpkgs.GoLine, pkgsGo},
		{pkgsGo.Version, pkgsGo},
		{"1.26.6", go127},
		{"1.26.11", go127},
		{"1.27", go127},
		{"1.27rc2", go127},
		{go127.Version, go127},
	} {
		got, err := Nixpkgs.GoFor(tc.line)
		if err != nil || got != tc.want {
			t.Errorf("GoFor(%q) = %v, %v; want %v", tc.line, got, err, tc.want)
		}
	}
	for _, line := range []string{"1.27.99", "1.28", "1.99"} {
		_, err := Nixpkgs.GoFor(line)
		var tooNew *TooNewError
		if !errors.As(err, &tooNew) {
			t.Errorf("GoFor(%q): %v, want a *TooNewError", line, err)
			continue
		}
		for _, want := range []string{"asks for Go " + line, pkgsGo.String(), go127.String(), "nix flake update nixpkgs, then nix run .#vendor-hash"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("GoFor(%q): %q lacks %q", line, err, want)
			}
		}
	}
}

// TestPin checks that the pin's Go releases are in order, pkgs.go first,
// and that the go line of generated go.mod files builds with pkgs.go.
func TestPin(t *testing.T) {
	if Nixpkgs.Gos[0].Attr != "go" {
		t.Errorf("the first of Gos is %v, want pkgs.go", Nixpkgs.Gos[0])
	}
	for i := 1; i < len(Nixpkgs.Gos); i++ {
		if !strings.HasPrefix(Nixpkgs.Gos[i].Attr, "go_1_") || Nixpkgs.Gos[i].Version <= Nixpkgs.Gos[i-1].Version {
			t.Errorf("Gos[%d] = %v: want go_1_N releases, each newer than the one before", i, Nixpkgs.Gos[i])
		}
	}
	if g, err := Nixpkgs.GoFor(Nixpkgs.GoLine); err != nil || g != Nixpkgs.Go() {
		t.Errorf("go %s builds with %v, %v; want pkgs.go", Nixpkgs.GoLine, g, err)
	}
	if got := Nixpkgs.URL(); got != "github:NixOS/nixpkgs/nixpkgs-unstable" {
		t.Errorf("URL() = %s", got)
	}
}
