// Package fixuptest checks the stand-in's builders, each system's, with
// real Nix: the fixup phase and its hooks (strip, and on aarch64-darwin
// the signature strip leaves), the install and the tests as each builder
// runs them, and stdenv's shell. It holds only tests.
package fixuptest
