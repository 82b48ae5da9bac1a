// Command standin prepares gonix-init's stand-in nixpkgs for trying a
// generated project by hand on a machine that cannot fetch nixpkgs:
//
//	go run ./internal/nixtest/cmd/standin DIR
//
// It lays out the stand-in in DIR/nixpkgs (with its host.nix, naming this
// machine's Go), writes DIR/bin/nix, which runs nix with the stand-in as
// nixpkgs for build, eval, run and develop, and prints what to export.
// Then, in a generated project: nix build, nix develop, task verify.
//
//	go run ./internal/nixtest/cmd/standin -tools
//
// only builds the tools the stand-in packages and the tests run (see
// nixtest.Tools), which needs no Nix: .ci/run does it while it installs
// the rest.
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gonix-init/gonix-init/internal/nixtest"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-tools" {
		if err := nixtest.BuildTools(); err != nil {
			fmt.Fprintln(os.Stderr, "standin:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) != 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/nixtest/cmd/standin DIR (or -tools)")
		os.Exit(2)
	}
	if err := run(os.Stdout, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "standin:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	nix, err := exec.LookPath("nix")
	if err != nil {
		return fmt.Errorf("nix is not installed (bash .ci/nix installs it): %w", err)
	}
	goroot, err := nixtest.GoEnv("GOROOT")
	if err != nil {
		return err
	}
	standin := filepath.Join(dir, "nixpkgs")
	if err := os.RemoveAll(standin); err != nil {
		return err
	}
	host, err := nixtest.Prepare(standin, goroot)
	if err != nil {
		return err
	}
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	if err := nixtest.WriteWrapper(bin, nix, standin); err != nil {
		return err
	}
	// NIX_CONFIG has several lines: bash's $'...' keeps them.
	config := strings.NewReplacer(`\`, `\\`, "'", `\'`, "\n", `\n`).Replace(host.Config())
	_, err = fmt.Fprintf(w, "export PATH=%q:\"$PATH\"\nexport NIX_CONFIG=$'%s'\n", bin, config)
	return err
}
