// Package repotest checks this repository's own flake with real Nix on
// the stand-in: its version, its lock (the pin), its go line, its vendor
// hash, that nix run .#init renders what go run does, and its Taskfile,
// README and tracked files. It holds only tests.
package repotest
