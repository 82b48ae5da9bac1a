// Package adoptversiontest adopts programs about their version: one that
// keeps its stamp in each place adopt looks in, one whose stamp is in a
// required module, one that prints its version from the build info, and
// shfmt (mvdan.cc/sh/v3), a real one that does. The harness is
// internal/nixtest/adopting. It holds only tests.
package adoptversiontest
