// Package adoptembedtest adopts vegeta, whose helpers are left out of the
// build and whose main package embeds files git does not track. The
// harness is internal/nixtest/adopting. It holds only tests.
package adoptembedtest
