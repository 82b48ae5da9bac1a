// Package testenv helps tests that need programs outside Go (nix, go-task,
// tmux, git, golangci-lint). Such a test skips with a message where the program is missing, and
// fails instead under CI (CI set), where .ci/run installs every one of them.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Require returns the path of program, or skips t (fails it under CI) when
// the program is not installed. how says how to install it.
func Require(t testing.TB, program, how string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required under CI but not installed (%s)", program, how)
	}
	t.Skipf("%s is not installed; skipping (%s, or run bash .ci/run)", program, how)
	return ""
}

// Nix returns the path of nix after Require, and the environment under
// which it works offline: flakes enabled, no substituters, no registry.
// With -short it skips: the flake's own checks run the tests with -short
// inside a Nix build, where running Nix again is not wanted.
func Nix(t testing.TB) (string, []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs Nix; skipped with -short")
	}
	p := Require(t, "nix", "apt-get install -y nix-bin")
	env := append(os.Environ(),
		"NIX_CONFIG=experimental-features = nix-command flakes\nsubstituters =\nflake-registry = \nwarn-dirty = false",
	)
	return p, env
}

// Task returns the path of go-task's task after Require.
func Task(t testing.TB) string {
	t.Helper()
	return Require(t, "task", "go install github.com/go-task/task/v3/cmd/task@v3.54.0")
}

// Run runs name args in dir with env and returns its combined output,
// failing t when it fails.
func Run(t testing.TB, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}
