// Package flaketest checks the flakes gonix-init generates with real Nix on
// the stand-in nixpkgs (internal/nixtest): every output of each case for
// every system, the builds, the server, the checks, task verify, the dev
// shells, the first dependencies and the CI workflows. It holds only tests,
// apart from the image's (internal/nixtest/imagetest), so that each set
// runs within go test's time limit, and the two run side by side.
package flaketest
