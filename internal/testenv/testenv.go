// Package testenv helps tests that need programs outside Go (nix, go-task,
// tmux, git, golangci-lint). Such a test skips with a message where the program is missing, and
// fails instead under CI (CI set), where .ci/run installs every one of them.
package testenv

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/semver"
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

// NixConfig is the one Nix configuration of every test that runs Nix: flakes
// on, and offline (no substituters, no global flake registry). Builds run as
// on a user's machine: in Nix's sandbox, as a build user of the nixbld group
// (BuildUsersGroup), with HOME at /homeless-shelter and no network but a
// fixed-output derivation's. The stand-in nixpkgs builds with this machine's
// programs, so the sandbox holds /bin, /usr and /lib (Debian's default names
// /usr/bin/bash-static, which is not installed), and /etc/alternatives,
// through which Debian links some of them (awk: nixpkgs' stdenv has gawk);
// the stand-in adds the few paths of its own (nixtest.Nix's Config). Dirty git trees are what tests
// make, so that notice is off; every other warning fails the test (see
// NixWarnings).
var NixConfig = strings.Join([]string{
	"experimental-features = nix-command flakes",
	"substituters =",
	"flake-registry =",
	"sandbox = true",
	"build-users-group = " + BuildUsersGroup,
	"sandbox-paths = /bin /usr /lib /lib64? /etc/alternatives",
	"warn-dirty = false",
	// Independent derivations build side by side, one a core.
	"max-jobs = auto",
}, "\n")

// BuildUsersGroup is the group of the users Nix builds as (nixbld1,
// nixbld2, ...), which .ci/nix creates.
const BuildUsersGroup = "nixbld"

// MinNixVersion is the oldest Nix the tests accept: the one Debian trixie
// ships (.ci/nix installs it). Nix 2.8, Debian bookworm's, cannot evaluate
// nixpkgs at the pin (2.18 needed, nixpkgs lib/minfeatures.nix) and does not
// print the warnings today's Nix prints about flakes.
const MinNixVersion = "2.26"

var nixVersion = sync.OnceValues(func() (string, error) {
	out, err := exec.Command("nix", "--version").Output()
	if err != nil {
		return "", err
	}
	f := strings.Fields(string(out))
	return f[len(f)-1], nil
})

// Nix returns the path of nix and the environment under which it works
// offline with NixConfig. It skips t (fails it under CI) when nix is
// missing or older than MinNixVersion. With -short it skips: the flake's
// own checks run the tests with -short inside a Nix build, where running
// Nix again is not wanted.
func Nix(t testing.TB) (string, []string) {
	t.Helper()
	Slow(t, "runs Nix")
	const how = "bash .ci/nix installs Nix " + MinNixVersion + " from Debian trixie"
	p := Require(t, "nix", how)
	v, err := nixVersion()
	if err != nil {
		t.Fatalf("nix --version: %v", err)
	}
	if semver.Compare("v"+v, "v"+MinNixVersion) < 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("nix %s is older than %s, which the tests need (%s)", v, MinNixVersion, how)
		}
		t.Skipf("nix %s is older than %s; skipping (%s)", v, MinNixVersion, how)
	}
	if _, err := user.LookupGroup(BuildUsersGroup); err != nil {
		const users = "bash .ci/nix creates the group and its build users, as a Nix install does"
		if os.Getenv("CI") != "" {
			t.Fatalf("Nix's sandbox needs build users, and the group %s does not exist under CI (%s): %v", BuildUsersGroup, users, err)
		}
		t.Skipf("Nix's sandbox needs build users, and the group %s does not exist; skipping (%s)", BuildUsersGroup, users)
	}
	return p, append(os.Environ(), "NIX_CONFIG="+NixConfig)
}

// NixWarnings returns the lines of Nix's stderr that warn: `warning:` and
// `evaluation warning:`, each with the indented lines that continue it.
// A warning a user would see is a defect, so tests fail on these. Two are
// not: the notice that --override-input itself causes (the tests replace
// nixpkgs by the stand-in and do not write the lock), and the one that
// `nix flake check` prints for every flake with more than one system, naming
// the systems it cannot build on this machine (no flake can avoid it; the
// tests also check those systems with --all-systems --no-build).
func NixWarnings(stderr string) []string {
	var out []string
	notice, cont := false, false // in the lock-file notice; continuing a reported warning
	for _, l := range strings.Split(stderr, "\n") {
		if i := strings.Index(l, "warning:"); i >= 0 {
			notice = strings.HasPrefix(l[i:], "warning: not writing modified lock file of flake") ||
				strings.HasPrefix(l[i:], "warning: The check omitted these incompatible systems: ")
			cont = !notice
			if !notice {
				out = append(out, l)
			}
			continue
		}
		indented := strings.HasPrefix(l, " ") || strings.HasPrefix(l, "•")
		switch {
		case notice && indented:
		case cont && indented:
			out[len(out)-1] += "\n" + l
		default:
			notice, cont = false, false
		}
	}
	return out
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

// Docker returns the docker program once a daemon answers it. Without one
// it skips t (fails it under CI, where .ci/run starts dockerd). There is no
// registry to pull from: run images with --pull=never.
func Docker(t testing.TB) string {
	t.Helper()
	Slow(t, "runs containers")
	const how = "apt-get install -y docker.io, then start dockerd; bash .ci/run does both"
	docker := Require(t, "docker", how)
	if out, err := exec.Command(docker, "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no Docker daemon answers under CI (%s): %v\n%s", how, err, out)
		}
		t.Skipf("no Docker daemon answers; skipping (%s)", how)
	}
	return docker
}

// Arm64Containers skips t (fails it under CI) unless arm64 binaries run in
// containers here: binfmt_misc must run them with qemu-aarch64 and the F
// flag, which opens the interpreter when it is registered, so that it need
// not exist inside the container (Debian registers it with P only; .ci/run
// registers it again).
func Arm64Containers(t testing.TB) {
	t.Helper()
	entry, err := os.ReadFile("/proc/sys/fs/binfmt_misc/qemu-aarch64")
	lines := strings.Split(string(entry), "\n")
	for _, l := range lines {
		if flags, ok := strings.CutPrefix(l, "flags: "); ok && lines[0] == "enabled" && strings.Contains(flags, "F") {
			return
		}
	}
	const how = "apt-get install -y qemu-user-static, then register qemu-aarch64 with the F flag as .ci/run does"
	if os.Getenv("CI") != "" {
		t.Fatalf("arm64 containers cannot run under CI (%s): %v %s", how, err, entry)
	}
	t.Skipf("arm64 containers cannot run here; skipping (%s)", how)
}

// Slow skips a test under -short, saying what it does that the fast tier
// leaves out ("runs Nix builds").
func Slow(t testing.TB, what string) {
	t.Helper()
	if testing.Short() {
		t.Skip(what + "; skipped with -short")
	}
}
