package adoptgotest_test

import (
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestAdoptNewerGo adopts goreleaser/chglog, whose go line (1.26.11) is
// newer than this machine's Go and than the pin's pkgs.go: the flake builds
// it with the pin's go_1_27. Its GoReleaser config names the main package,
// and sets -X main.version and others, one of which (main.date) chglog
// does not declare; in a git repository tagged v0.7.5, its binary says
// 0.7.5 (adopting.Check).
func TestAdoptNewerGo(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds with Go 1.27")
	adopting.Check(t, nixtest.New(t), newerGo)
}

var newerGo = adopting.Project{
	Module: "github.com/goreleaser/chglog", Version: "v0.7.5", Mains: []string{"cmd/chglog"},
	Run: []string{"version"}, Output: "chglog 0.7.5", GoToolchain: nixtest.Toolchains["go_1_27"],
	Layout: adopting.Tagged, After: adopting.Commit,
	Notes: []string{
		"builds cmd/chglog, the main packages of .goreleaser.yml's builds",
		"nix/version: 0.7.5, from the latest tag, v0.7.5",
		"stamps main.version=version, from .goreleaser.yml",
		"stamps main.builtBy=goreleaser, from .goreleaser.yml",
		"Warning: -X main.date sets nothing: date is not a package-level string variable of github.com/goreleaser/chglog/cmd/chglog",
	},
}
