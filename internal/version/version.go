// Package version holds gonix-init's own version. It is recorded in every
// generated project's answers file, so it comes from the source, not from
// the machine: the flake stamps the same value with -X (a test keeps the two
// equal), so the same answers give the same bytes whether gonix-init was
// built by Nix, go install or go run.
package version

// Version is gonix-init's release version.
var Version = "0.13.0"

// Program is gonix-init's name: the prefix of its messages, and the first
// word of the generator its answers files record and of the label of its
// conflict markers.
const Program = "gonix-init"

// Generator is this gonix-init as an answers file records it, and as
// update's conflict markers label the templates' side: "gonix-init 0.3.0".
func Generator() string { return Program + " " + Version }
