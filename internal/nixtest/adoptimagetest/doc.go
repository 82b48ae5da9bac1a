// Package adoptimagetest adopts a real Go program about its image: gron's
// is the same bytes from two systems, passes task verify and runs on
// Docker with its arguments (adoptservertest holds a server's, inbucket's).
// The harness is internal/nixtest/adopting. It holds only tests.
package adoptimagetest
