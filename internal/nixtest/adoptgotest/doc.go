// Package adoptgotest adopts real Go programs about their Go code: a go
// line newer than pkgs.go (chglog, built with go_1_27), a main package
// behind a build tag with a library test that fails in the sandbox
// (golang.org/x/crypto), helpers left out and an embed git does not track
// (vegeta). The harness is internal/nixtest/adopting. It holds only tests.
package adoptgotest
