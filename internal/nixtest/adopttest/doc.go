// Package adopttest adopts real Go programs of each layout, fetched from
// the Go module proxy (a main package under cmd/NAME, several, a vendored
// copy, a module nested in the project, a go.work), builds them with real
// Nix on the stand-in nixpkgs, and finds a failing test skipped by name.
// The harness is internal/nixtest/adopting; adoptgotest, adopttagtest,
// adoptembedtest, adoptversiontest and adoptimagetest hold the other
// programs, so that they run side by side. It holds only tests.
package adopttest
