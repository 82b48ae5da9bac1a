// Command greet is a command-line program, built reproducibly by flake.nix.
//
// It greets: greet prints a greeting with the Go version, OS and
// architecture it was built with, and -name NAME says whom to greet. With
// -version it prints its version, commit and date. A wrong flag or argument
// exits 2, with the usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"strings"
)

// name is the app's name: the binary, the Nix package and the image share it.
const name = "greet"

// version, commit and date say what the binary was built from: flake.nix
// sets them with -X (nix/version, the commit and its date); go build and
// go run leave these.
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix(name + ": ")
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		log.Fatal(err)
	}
}

// errUsage is a command line run cannot take: the flag package has said why.
var errUsage = errors.New("usage")

// run runs the program with the arguments args, writing its output to out
// and its usage and errors to errOut.
func run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(errOut)
	who := fs.String("name", "world", "whom to greet")
	showVersion := fs.Bool("version", false, "print the version, commit and date, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errOut, "%s: unexpected argument %q\n", name, fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if *showVersion {
		_, err := fmt.Fprintln(out, versionLine())
		return err
	}
	_, err := fmt.Fprintf(out, "Hello, %s, from %s\nGo %s %s/%s\n", *who, name, goVersion(), runtime.GOOS, runtime.GOARCH)
	return err
}

// goVersion is the Go version the program was built with, like 1.26.8.
func goVersion() string {
	return strings.TrimPrefix(runtime.Version(), "go")
}

// versionLine is what -version prints: the name, version, commit and date.
func versionLine() string {
	return fmt.Sprintf("%s %s (commit %s, %s)", name, version, commit, date)
}
