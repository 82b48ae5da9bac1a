// Package dependencytest follows a generated project through its first
// dependencies with real Nix on the stand-in nixpkgs (internal/nixtest),
// offline: go get, the vendorHash, the Dependabot repair job, the Go line's
// guard. It holds only tests, in a package of their own so that they run
// beside the other Nix tests.
package dependencytest
