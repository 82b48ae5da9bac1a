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
// The flags are:
//
//	--module PATH   Go module path, as `go mod init` takes it (required)
//	--name NAME     app name: binary, Nix pname, image (default: last element of the module path)
//	--systems LIST  comma-separated: x86_64-linux, aarch64-linux, aarch64-darwin (default: all)
//	--ports LIST    comma-separated TCP ports (default: 8080)
//	--tools LIST    comma-separated: gopls, golangci-lint, delve, go-task, or none (default: all)
//	--yes           do not ask; take the defaults for what is not given
//	--version       print the version
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
