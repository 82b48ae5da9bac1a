package render

import (
	"path"
	"slices"
	"strings"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/version"
	"golang.org/x/mod/module"
)

// Data is what templates see as dot: the answers, and what follows from them.
type Data struct {
	answers.Answers

	Version string // the project's first version, which nix/version holds until a release
	// VendorHash is nix/vendor-hash.nix's Nix value: null until computed
	// (nix run .#vendor-hash), or what adopt computed (WithVendorHash).
	VendorHash string
	GoBinary   string     // the name `go install` gives the binary; the flake renames it to Name
	Source     string     // the repository's address, from the module path, or ""
	Pin        nixpin.Pin // the nixpkgs revision in flake.lock, and the go line it implies
	// GoLine is go.mod's go line: Pin.GoLine for a generated go.mod, the
	// project's own for one gonix-init adopted (WithGoLine).
	GoLine string
	// Go is the Go of the pin that nix/go.nix picks for GoLine, nil when
	// the pin has none new enough.
	Go *nixpin.Go
	// GoTooNew says what to do when the pin has no Go new enough for
	// GoLine, or is nil.
	GoTooNew error
	// Templates identifies the template set: its digest (Digest),
	// after "custom " when it is not gonix-init's own (--templates).
	Templates string
	// Manages are the files gonix-init wrote in a project whose profile
	// manages only some (Profile.Manages: an adopted one), for .gonix.json,
	// which is rendered after them; nil where it writes every file.
	Manages []string
	// StdTags are the build tags that change Go's standard library, which
	// its layer of Go's build cache keeps of a build's (nix/go-cache.nix).
	StdTags TagSet
}

// AnswersFile is the content of .gonix.json: the answers, the generator and
// the template set that made the project, which `gonix-init update` needs.
func (d Data) AnswersFile() answers.File {
	return answers.File{Generator: version.Generator(), Templates: d.Templates, Answers: d.Answers, Manages: d.Manages}
}

// Custom marks the render as made from a custom template set.
func Custom(d *Data) { d.Templates = "custom " + d.Templates }

// Has reports whether the answers choose the tool. For the template set of
// gonix-init 0.1.0, which `update` renders as the base of a merge, the CI
// workflow was a tool: Has("github-actions") is the CI choice.
func (d Data) Has(tool string) bool {
	return d.Answers.Has(tool) || (tool == answers.GitHubActions && d.CI == answers.GitHubActions)
}

// Workflow is the path of gonix-init's CI workflow name ("ci") in the
// project: the profile's prefix names it beside a project's own.
func (d Data) Workflow(name string) string {
	return d.Profile().PathOf(".github/workflows/" + name + ".yml")
}

// WorkflowName is the name a workflow of gonix-init's shows on GitHub: its
// file's name without .yml.
func (d Data) WorkflowName(name string) string { return d.Profile().Workflows + name }

// StartCommit is the first commit's command and why (answers.StartCommit).
func (Data) StartCommit() answers.Step { return answers.StartCommit }

// LowPortNote is answers.LowPortNote of the ports, or "".
func (d Data) LowPortNote() string { return answers.LowPortNote(d.Ports) }

// SubPackages are the main packages an adopted project builds, for
// buildGoModule's subPackages, the module's root alone included: without
// them nixpkgs builds every directory with Go files, those of a module
// nested in the project too, which the root module does not hold. Nil for
// a generated project, which builds its one package.
func (d Data) SubPackages() []string { return d.Packages }

// InstallsModule reports whether the build installs the program as go
// install MODULE@VERSION does, so that its build info holds its version
// (answers.ModuleVersion).
func (d Data) InstallsModule() bool { return d.BuildInfo == answers.ModuleVersion }

// ProxyPath is the module path as a module proxy's URLs spell it
// (module.EscapePath: an upper-case letter is ! and the letter), for the
// proxy of a build-info module build.
func (d Data) ProxyPath() string {
	p, err := module.EscapePath(d.Module)
	if err != nil {
		return d.Module // Validate refused it
	}
	return p
}

// InstallPaths are the import paths of SubPackages, as go install
// MODULE/PACKAGE@VERSION names them.
func (d Data) InstallPaths() []string {
	var out []string
	for _, dir := range d.Packages {
		out = append(out, path.Join(d.Module, dir))
	}
	return out
}

// XFlags are the build's -X flags, as Nix strings of flake.nix: for a
// generated project its main.version, main.commit and main.date; for an
// adopted one its stamps (answers.Answers.Stamps), each set to a value of
// flake.nix (version, v and version, commit, shortCommit, date, timestamp,
// go and the version of the Go it builds with) or to its own text.
func (d Data) XFlags() []string {
	stamps := d.Stamps
	if !d.Adopted() {
		stamps = []string{"main.version=version", "main.commit=commit", "main.date=date"}
	}
	values := map[string]string{"version": "${version}", "tag": "v${version}", "commit": "${commit}", "short-commit": "${shortCommit}", "date": "${date}", "timestamp": "${timestamp}",
		"go-version": "go${(goFor pkgs).version}"}
	var out []string
	for _, stamp := range stamps {
		variable, source, err := answers.ParseStamp(stamp)
		if err != nil {
			continue // Validate refused it
		}
		value, ok := values[source]
		if !ok {
			value = source // a text: ParseStamp lets no quote, $ or \ through
		}
		out = append(out, `"-X `+variable+"="+value+`"`)
	}
	return out
}

// Platform is a platform of the release: GOOS and GOARCH.
type Platform struct{ GOOS, GOARCH string }

// Attr is the platform as the name of the release's build of it: linux_amd64.
func (p Platform) Attr() string { return p.GOOS + "_" + p.GOARCH }

// Platforms are the release's platforms (answers.Answers.Release).
func (d Data) Platforms() []Platform {
	var out []Platform
	for _, p := range d.Release {
		goos, goarch, _ := strings.Cut(p, "/")
		out = append(out, Platform{goos, goarch})
	}
	return out
}

// ArchiveGlobs are the file patterns of the release's archives: *.tar.gz
// when a platform is not Windows, *.zip when one is.
func (d Data) ArchiveGlobs() []string {
	var globs []string
	for _, p := range d.Platforms() {
		glob := "*.tar.gz"
		if p.GOOS == "windows" {
			glob = "*.zip"
		}
		if !slices.Contains(globs, glob) {
			globs = append(globs, glob)
		}
	}
	return globs
}

// ShellTools are the dev-shell tools, under the name the template set of
// gonix-init 0.1.0 uses (now .Tools).
func (d Data) ShellTools() []string { return d.Tools }

// NewData returns the template data for valid answers, changed by
// options (Custom, WithGoLine, WithPin): for a go.mod with the pin's own go
// line unless WithGoLine says otherwise, and the Go the flake picks for it.
func NewData(a answers.Answers, options ...func(*Data)) Data {
	version := "0.1.0"
	if a.Adopted() {
		version = "0.0.0" // WithVersion gives the project's latest tag
	}
	d := Data{
		Answers:    a,
		Version:    version,
		VendorHash: "null",
		GoBinary:   a.Binary(),
		Source:     answers.Source(a.Module),
		Pin:        nixpin.Nixpkgs,
		StdTags:    StdTags,
	}
	for _, o := range options {
		if o != nil {
			o(&d)
		}
	}
	if d.GoLine == "" {
		d.GoLine = d.Pin.GoLine
	}
	if g, err := d.Pin.GoFor(d.GoLine); err != nil {
		d.GoTooNew = err
	} else {
		d.Go = &g
	}
	return d
}

// WithGoLine renders for a go.mod whose go line is line (a project's own:
// adopt and update read it).
func WithGoLine(line string) func(*Data) {
	return func(d *Data) { d.GoLine = line }
}

// WithVersion renders a project whose version is v: an adopted one's
// latest tag.
func WithVersion(v string) func(*Data) {
	return func(d *Data) { d.Version = v }
}

// WithVendorHash renders nix/vendor-hash.nix as hash, a Nix value: the
// modules' hash adopt computed, or null for a project that vendors them.
func WithVendorHash(hash string) func(*Data) {
	return func(d *Data) { d.VendorHash = hash }
}

// WithPin renders with the nixpkgs pin p in place of gonix-init's: the pin
// of the version that made a project, for update's base.
func WithPin(p nixpin.Pin) func(*Data) {
	return func(d *Data) { d.Pin = p }
}

// The capabilities of the project, which the templates test rather than
// its kind: what each says is what a template needs to know.

// Server reports whether the program is gonix-init's own HTTP server (a
// generated project with ports): it answers its health check itself
// (-healthcheck), and the flake's app runs it as a server.
func (d Data) Server() bool { return !d.Adopted() && len(d.Ports) > 0 }

// HealthcheckProgram reports whether the image's health check is a program
// of its own, which the flake builds from nix/healthcheck: a project of
// one's own with ports, whose program has no -healthcheck.
func (d Data) HealthcheckProgram() bool { return d.Adopted() && len(d.Ports) > 0 }

// TestsEveryPackage reports whether the build runs the tests of every
// package of the module, not only of the main packages it builds (an
// adopted project's, whose failures name the tests to skip), with
// skipTests.
func (d Data) TestsEveryPackage() bool { return d.Adopted() && d.Tests != answers.NoSandboxTests }

// Noun is what the program is: "server" or "program".
func (d Data) Noun() string {
	if d.Server() {
		return "server"
	}
	return "program"
}
