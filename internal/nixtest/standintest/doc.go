// Package standintest checks the stand-in nixpkgs (internal/nixtest/nixpkgs)
// against the rules of nixpkgs it mirrors, with real Nix: buildGoModule's
// arguments, warnings and vendor derivation (with proxyVendor too), the
// Go it packages and patches, the sandbox a build runs in, and the
// attributes it has. fixuptest holds the builders' fixup, repotest this
// repository's own flake, so that the three run side by side. It holds
// only tests.
package standintest
