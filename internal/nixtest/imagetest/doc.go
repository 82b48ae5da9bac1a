// Package imagetest checks the image generated projects build, with real
// Nix on the stand-in nixpkgs (internal/nixtest): the same OCI layout from
// every system and host, its size, its SBOM, the push to a registry on
// loopback, and the image on a real Docker Engine. It holds only tests.
package imagetest
