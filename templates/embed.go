// Package templates holds the files a new project is rendered from: each
// *.tmpl file here renders to the file of the same name without .tmpl, and
// reads like it. docs/templates.md describes the variables and functions.
package templates

import "embed"

// FS is the embedded template set, the default for gonix-init.
//
//go:embed *.tmpl all:.github nix
var FS embed.FS
