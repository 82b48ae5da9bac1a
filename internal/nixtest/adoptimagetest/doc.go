// Package adoptimagetest adopts real Go programs about their image: gron's
// is the same bytes from two systems, passes task verify and runs on
// Docker with its arguments; inbucket's, a server's, is healthy on Docker
// through nix/healthcheck. The harness is internal/nixtest/adopting. It
// holds only tests.
package adoptimagetest
