// Package adopttagtest adopts golang.org/x/crypto, whose main package
// x509roots builds only with a build tag and one of whose library tests
// needs the network: adopt names the tag, the Nix build names the failing
// tests and the --skip-tests that skips them, and --tests off is the last
// resort. The harness is internal/nixtest/adopting. It holds only tests.
package adopttagtest
