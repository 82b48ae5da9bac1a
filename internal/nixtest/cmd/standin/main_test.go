package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestStandinByHand runs what docs/hacking.md tells a contributor, as it
// reads there, in directories of the test's: the command prepares the
// stand-in and prints the exports; with them, a generated project locked
// to the stand-in builds, and its binary is stamped with the commit (no
// dirty tree), and nix develop finds go, the stand-in's (the pin's
// version). Run again, the command lays out a stand-in that locks the
// same, so the project stays clean; nix flake show and check evaluate.
func TestStandinByHand(t *testing.T) {
	testenv.Nix(t)
	doc, err := os.ReadFile("../../../../docs/hacking.md")
	nixtest.Must(t, err)
	_, block, ok := strings.Cut(string(doc), "<!-- standin: run by go test ./internal/nixtest/cmd/standin -run TestStandinByHand -->\n```sh\n")
	block, _, ok2 := strings.Cut(block, "```\n<!-- end of standin -->")
	if !ok || !ok2 {
		t.Fatal("docs/hacking.md lacks the standin block")
	}
	standin, project := t.TempDir(), filepath.Join(t.TempDir(), "myapp")
	script := strings.NewReplacer("/tmp/standin", standin, "/tmp/myapp", project).Replace(block) + `
cd "$OLDPWD"
go run ./internal/nixtest/cmd/standin "` + standin + `" >/dev/null
cd "` + project + `"
nix build && ./result/bin/myapp --version
git status --porcelain
echo "go of the flake: $(nix eval --raw .#packages.x86_64-linux.default.go.version)"
nix flake show --all-systems >/dev/null 2>&1 && echo "flake show: ok"
nix flake check --no-build --all-systems >/dev/null 2>&1 && echo "flake check: ok"
`
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = "../../../.."
	cmd.Env = append(os.Environ(), "NIX_CONFIG=", // the script's own export
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("docs/hacking.md's commands fail: %v\n%s", err, got)
	}
	out := string(got)
	if n := len(regexp.MustCompile(`myapp 0\.1\.0 \(commit [0-9a-f]{40}, `).FindAllString(out, -1)); n != 2 {
		t.Errorf("the binary is stamped with the commit %d times of 2, before and after the stand-in is laid out again:\n%s", n, out)
	}
	if !strings.Contains(out, "go of the flake: "+nixpin.Nixpkgs.Go().Version+"\n") || !strings.Contains(out, "go version go") {
		t.Errorf("the flake's go is not the stand-in's, %s, or nix develop has none:\n%s", nixpin.Nixpkgs.Go().Version, out)
	}
	if strings.Contains(out, " M ") || !strings.Contains(out, "flake show: ok") || !strings.Contains(out, "flake check: ok") {
		t.Errorf("laid out again, the stand-in changed the lock, or the flake does not evaluate:\n%s", out)
	}
}
