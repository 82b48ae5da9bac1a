// Package adopttest adopts real Go programs that no one here wrote, fetched
// from the Go module proxy into the module cache, one of each shape (a
// main package at the root, one under cmd/NAME with dependencies, several,
// a vendored copy), and builds them with real Nix on the stand-in nixpkgs
// (internal/nixtest): the program runs, the image is the same bytes from
// every system, task verify passes, and update leaves every Go file as it
// was. It holds only tests, in a package of their own so that they run
// beside the other Nix tests.
package adopttest
