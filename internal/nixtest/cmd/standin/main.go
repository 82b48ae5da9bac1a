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
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

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
	nix, err := realNix(filepath.Join(dir, "bin"))
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
	if err := settle(standin); err != nil {
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

// settled is the time every file of the stand-in is given.
var settled = time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC)

// settle gives every file of the stand-in in dir one time, so that it
// locks the same each time it is laid out again: Nix records a path
// input's newest time in flake.lock (lastModified), and a lock that moved
// would leave a project locked to the stand-in dirty, its commit unstamped.
func settle(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		return os.Chtimes(path, settled, settled)
	})
}

// realNix is the nix on PATH but the wrapper in bin, which a shell that
// ran this before has first on its PATH: wrapped again, it would run
// itself.
func realNix(bin string) (string, error) {
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if d == "" || filepath.Clean(d) == bin {
			continue
		}
		if path, err := exec.LookPath(filepath.Join(d, "nix")); err == nil {
			return path, nil
		}
	}
	return "", exec.ErrNotFound
}
