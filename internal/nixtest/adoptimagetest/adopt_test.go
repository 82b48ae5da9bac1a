package adoptimagetest_test

import (
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestAdoptImage adopts gron, a main package at the root, and checks its
// image: the same bytes from two systems that build it differently, task
// verify, and docker run gron:latest --version (adopting.Check).
func TestAdoptImage(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	adopting.Check(t, nixtest.New(t), gron)
}

// gron is the project of the image's case, a clone of its release v0.7.1:
// its version lives only in its code ("gronVersion stores the current gron
// version, set at build time with the ldflags -X option"), which adopt
// reads, and the build checks (--version, its flag).
var gron = adopting.Project{
	Module: "github.com/tomnomnom/gron", Version: "v0.7.1", Mains: []string{"."},
	Run: []string{"--version"}, Output: "gron version 0.7.1", Identical: true, Docker: true,
	Layout: adopting.Tagged, After: adopting.Commit,
	Notes: []string{"stamps main.gronVersion=version, from the comment of gronVersion at main.go:49"},
}
