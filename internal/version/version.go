// Package version holds gonix-init's own version. It is recorded in every
// generated project's answers file, so it is a constant of the source rather
// than something read from the build: the same answers give the same bytes
// whether gonix-init was built by Nix, go install or go run.
package version

// Version is gonix-init's release version.
const Version = "0.1.0"
