// Package imagetest checks the image generated projects build, with real
// Nix on the stand-in nixpkgs (internal/nixtest): the same OCI layout from
// every system and from another host, its files and config, its labels, its
// size and its SBOM. The image on a real Docker Engine and pushed is
// internal/nixtest/containertest's. It holds only tests.
package imagetest
