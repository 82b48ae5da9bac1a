// Package workflowtest runs the real actionlint (a tool dependency of
// internal/nixtest) on the CI workflow of every combination of answers
// that writes one. It holds only tests, in a package of their own so that
// they run beside the Nix tests.
package workflowtest
