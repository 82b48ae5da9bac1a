package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestStandinByHand does what docs/hacking.md tells a contributor: the
// command prepares DIR and prints the exports; with them, a plain `nix
// eval` in a generated project reads the stand-in's Go (the pin's
// version), `nix develop -c` finds go, and `nix flake show` and `nix
// flake check` evaluate.
func TestStandinByHand(t *testing.T) {
	testenv.Nix(t)
	dir := t.TempDir()
	var out strings.Builder
	nixtest.Must(t, run(&out, dir))
	script := filepath.Join(t.TempDir(), "try.sh")
	a := answers.Default()
	a.Module, a.Name, a.Systems = "example.com/byhand", "byhand", []string{"x86_64-linux"}
	project := nixtest.Generate(t, a)
	nixtest.Must(t, os.WriteFile(script, []byte(out.String()+`
set -e
cd "$1"
nix eval --raw .#packages.x86_64-linux.default.go.version
echo
nix develop -c sh -c 'command -v go'
git init -q && git add -A
nix flake show --all-systems >/dev/null 2>&1 && echo "flake show: ok"
nix flake check --no-build --all-systems >/dev/null 2>&1 && echo "flake check: ok"
`), 0o644))
	cmd := exec.Command("bash", script, project)
	cmd.Env = append(os.Environ(), "NIX_CONFIG=") // the script's own export
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the exports it printed do not work: %v\n%s", err, got)
	}
	if !strings.Contains(string(got), nixpin.Nixpkgs.Go().Version) || !strings.Contains(string(got), "/nix/store/") || !strings.Contains(string(got), "flake show: ok") || !strings.Contains(string(got), "flake check: ok") {
		t.Errorf("with the exports, nix did not use the stand-in:\n%s", got)
	}
}
