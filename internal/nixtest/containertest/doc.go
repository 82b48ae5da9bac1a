// Package containertest checks the image generated projects build where it
// goes, with real Nix on the stand-in nixpkgs (internal/nixtest): run on a
// real Docker Engine (healthy, as nonroot, trusting its CA bundle), and
// pushed to a registry on loopback. It holds only tests, apart from
// internal/nixtest/imagetest so that each package stays within minutes on a
// fresh machine.
package containertest
