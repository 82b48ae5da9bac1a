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

// gron is the project of the image's case.
var gron = adopting.Project{
	Module: "github.com/tomnomnom/gron", Version: "v0.7.1", Mains: []string{"."},
	Run: []string{"--version"}, Output: "gron version", Identical: true, Docker: true,
}
