// A run lasts milliseconds: GOMAXPROCS from the container's CPU limit, and
// its update every second, would only cost start-up time (see README,
// Performance).
//
//go:debug containermaxprocs=0
//go:debug updatemaxprocs=0

// Gonix-init starts a new Go project that is reproducible from the first
// commit: one flake.nix gives every developer the same Go toolchain and
// tools, builds a static binary with Nix, and packs that same binary, byte for
// byte, into a minimal OCI image.
//
// Usage:
//
//	gonix-init [flags] [DIR]
//
// DIR defaults to the current directory. It is created when missing and must
// otherwise be empty; a .git folder alone is allowed, so a freshly cloned
// empty repository works.
//
// The flags, one per answer (--module, --name, --systems, --ports, --tools,
// --ci) and those about the run (--yes, --force, --dry-run, --git,
// --answers, --templates, --accessible), are listed by gonix-init --help,
// which is generated from internal/answers.Questions.
//
// Without a terminal on stdin and stdout, gonix-init never asks: a missing
// --module is an error.
//
// Exit codes: 0 ok, 1 failure, 2 usage or bad input (nothing written),
// 130 aborted (nothing written).
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
