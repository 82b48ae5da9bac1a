// Package releasetest builds a generated project's release, .#release,
// with real Nix on the stand-in nixpkgs (internal/nixtest), from the three
// systems, and checks what a user downloads: the same bytes from each, the
// archives' entries, SHA256SUMS, the programs of every platform. It holds
// only tests, in a package of their own so that they run beside the other
// Nix tests.
package releasetest
