package nixtest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixtest"
)

// evalWithStandin evaluates expr (with pkgs and lib in scope) in a flake
// whose nixpkgs is the stand-in.
func evalWithStandin(t *testing.T, n *nixtest.Nix, expr string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	flake := `{
  inputs.nixpkgs.url = "path:` + n.Standin + `";
  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      lib = nixpkgs.lib;
    in { x = ` + expr + `; };
}
`
	if err := os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(flake), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.25\n"), 0o644)
	return n.Run(dir, "eval", "--json", ".#x")
}

// TestStandinEnforcesNixpkgsRules checks that the stand-in rejects every
// argument nixpkgs rejects (or that gonix-init's facts forbid), so that a
// flake it accepts is not accepted by accident.
func TestStandinEnforcesNixpkgsRules(t *testing.T) {
	n := nixtest.New(t)
	goModule := func(args string) string {
		return `(pkgs.buildGoModule ({ pname = "x"; version = "1"; src = ./.; vendorHash = null; env.CGO_ENABLED = 0; } // ` + args + `)).drvPath`
	}
	image := func(args string) string {
		return `(pkgs.dockerTools.buildLayeredImage ({ name = "x"; config.Cmd = [ "/bin/x" ]; } // ` + args + `)).drvPath`
	}
	for _, tc := range []struct{ name, expr, want string }{
		{"vendorHash missing", `(pkgs.buildGoModule { pname = "x"; version = "1"; src = ./.; }).drvPath`, "vendorHash is missing"},
		{"pname missing", `(pkgs.buildGoModule { version = "1"; src = ./.; vendorHash = null; }).drvPath`, "pname is missing"},
		{"version missing", `(pkgs.buildGoModule { pname = "x"; src = ./.; vendorHash = null; }).drvPath`, "version is missing"},
		{"src missing", `(pkgs.buildGoModule { pname = "x"; version = "1"; vendorHash = null; }).drvPath`, "src is missing"},
		{"top-level CGO_ENABLED", goModule(`{ CGO_ENABLED = 0; }`), "CGO_ENABLED must not be a top-level argument"},
		{"top-level GOOS", goModule(`{ GOOS = "linux"; }`), "GOOS must not be a top-level argument"},
		{"top-level GOARCH", goModule(`{ GOARCH = "arm64"; }`), "GOARCH must not be a top-level argument"},
		{"top-level GOFLAGS", goModule(`{ GOFLAGS = [ "-v" ]; }`), "GOFLAGS must not be a top-level argument"},
		{"CGO_ENABLED false", goModule(`{ env.CGO_ENABLED = false; }`), "env.CGO_ENABLED = false"},
		{"env overlaps an argument", goModule(`{ env.FOO = "a"; FOO = "b"; }`), "FOO is both in env and a derivation argument"},
		{"image without name", `(pkgs.dockerTools.buildLayeredImage { config.Cmd = [ "/bin/x" ]; }).drvPath`, "without required argument 'name'"},
		{"image created now", image(`{ created = "now"; }`), `created = "now"`},
		{"Cmd a string", image(`{ config.Cmd = "/bin/x"; }`), "config.Cmd must be a list of strings"},
		{"Cmd not strings", image(`{ config.Cmd = [ 1 ]; }`), "config.Cmd must be a list of strings"},
		{"port without protocol", image(`{ config.ExposedPorts."8080" = { }; }`), `ExposedPorts key "8080" must look like "8080/tcp"`},
		{"unknown image argument", image(`{ port = 8080; }`), "unexpected argument 'port'"},
		{"attribute nixpkgs lacks", `pkgs.notAPackage.drvPath`, "attribute 'notAPackage' missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := evalWithStandin(t, n, tc.expr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("nix eval accepted it or failed otherwise, want %q:\n%v", tc.want, err)
			}
		})
	}

	// Controls: correct calls evaluate, so the failures above are the rules.
	for _, expr := range []string{goModule(`{ }`), image(`{ config.ExposedPorts."8080/tcp" = { }; }`)} {
		if out, err := evalWithStandin(t, n, expr); err != nil || !strings.Contains(out, "/nix/store/") {
			t.Errorf("a correct call failed: %v %s", err, out)
		}
	}
}

// TestStandinHasOnlyNixpkgsAttributes checks that every attribute of the
// stand-in exists in nixpkgs too, with the same name, so that a template
// cannot come to depend on something only the stand-in has.
func TestStandinHasOnlyNixpkgsAttributes(t *testing.T) {
	n := nixtest.New(t)
	// Each of these is an attribute of nixpkgs (pkgs/top-level, lib/default.nix).
	nixpkgsPkgs := []string{"buildGoModule", "delve", "dockerTools", "git", "go", "go-task", "golangci-lint", "gopls", "mkShell", "nixfmt", "runCommand", "tmux"}
	nixpkgsLib := []string{"cleanSource", "cleanSourceFilter", "genAttrs", "getExe", "getName", "hasPrefix", "hasSuffix"}
	out, err := evalWithStandin(t, n, `{ pkgs = builtins.attrNames pkgs; lib = builtins.attrNames lib; docker = builtins.attrNames pkgs.dockerTools; }`)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Pkgs, Lib, Docker []string }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, real []string
	}{{"pkgs", got.Pkgs, nixpkgsPkgs}, {"lib", got.Lib, nixpkgsLib}, {"dockerTools", got.Docker, []string{"buildLayeredImage"}}} {
		for _, name := range c.got {
			if !slices.Contains(c.real, name) {
				t.Errorf("the stand-in's %s has %q, which is not known to be in nixpkgs", c.what, name)
			}
		}
	}
}
