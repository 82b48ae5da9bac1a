// Package adoptgotest adopts a real Go program whose go line is newer than
// pkgs.go (chglog, built with go_1_27). adopttagtest, adoptembedtest and
// adoptversiontest hold the other programs about their Go code, so that
// they run side by side. The harness is internal/nixtest/adopting. It
// holds only tests.
package adoptgotest
