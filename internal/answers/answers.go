// Package answers holds what a user tells gonix-init about the project to
// generate: the Answers type, its defaults, one validator per answer, and
// Questions, the one table from which the flags, --help, the answers file,
// the printed equivalent command and the interactive form are all made, so
// an answer refused in one is refused in all.
package answers

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Answers describes the project to generate, or the one gonix-init took
// up: its Kind names its Profile.
type Answers struct {
	Kind    string   `json:"kind"`    // the Profile's Kind: "new" or "adopted"
	Module  string   `json:"module"`  // Go module path
	Name    string   `json:"name"`    // binary, Nix pname, mainProgram and image name
	Systems []string `json:"systems"` // Nix systems, in the order of AllSystems
	Ports   []int    `json:"ports"`   // TCP ports, in the user's order: the first is the main one
	Tools   []string `json:"tools"`   // dev-shell tools besides go, in the order of AllTools
	CI      string   `json:"ci"`      // the CI workflow: one of AllCI
	Release []string `json:"release"` // the platforms of the release archives, in the order of AllPlatforms

	// An adopted project's (gonix-init adopt) alone; a generated project
	// has none of them.
	Packages []string `json:"packages,omitempty"` // the directories of its main packages, all built
	Main     string   `json:"main,omitempty"`     // the main package's directory the image runs
	Args     []string `json:"args,omitempty"`     // the image's arguments (its Cmd)
	Tests    string   `json:"tests,omitempty"`    // whether its tests run in the Nix build: one of AllTests
	Tags     []string `json:"tags,omitempty"`     // the build tags of the build and the tests
	Health   string   `json:"health,omitempty"`   // the path the image's health check asks on the first port
	// SkipTests are the tests the Nix build leaves out, where the others
	// run: each a test's name (TestDials), skipped in every package, or a
	// package's directory (./acme), whose tests are all skipped.
	SkipTests []string `json:"skip-tests,omitempty"`
	// Stamps are the package variables the build sets with -X, each
	// "VAR=SOURCE": VAR as -X names it (main.version), SOURCE one of
	// Sources or a text of its own.
	Stamps []string `json:"stamps,omitempty"`
	// VersionCheck is the argument that makes the program print its
	// version (--version, or version), which the Nix build runs the
	// installed program with, failing when the output lacks nix/version
	// (nixpkgs' versionCheckHook); "" for no check.
	VersionCheck string `json:"version-check,omitempty"`
	// BuildInfo is how the build gives a program that prints its version
	// from the build info (debug.ReadBuildInfo().Main.Version) that
	// version: ModuleVersion builds as go install MODULE@VERSION does;
	// NoBuildInfo leaves it (devel), as any build without git does.
	BuildInfo string `json:"build-info,omitempty"`

	// Mains are the main packages adopt found in the project, as the form
	// offers them (each with what sets it apart: a build tag it needs, a
	// helper's directory); not recorded. Without them the form offers
	// Packages.
	Mains []Choice `json:"-"`
}

// Profile is the profile of the answers' kind: New when none is set.
func (a Answers) Profile() *Profile {
	if p := ProfileOf(a.Kind); p != nil {
		return p
	}
	return New
}

// Adopted reports whether the answers are a project's that gonix-init adopt
// took up, as their kind records: the templates' test of it.
func (a Answers) Adopted() bool { return a.Kind == Adopted.Kind }

// Choice is one option of a multiple-choice answer.
type Choice struct {
	Value string
	About string // one line for the form: at most MaxAbout characters
	// What follows from a system, on its row: the GOARCH of its Linux image
	// (Docker runs Linux, so aarch64-darwin's is arm64), and the GitHub
	// Actions runner whose machine is that system (nix flake check checks
	// only the runner's own).
	GoArch, Runner string
}

// MaxAbout is the longest About that keeps a form option on one line of an
// 80-column terminal, after the field's border, cursor and value.
const MaxAbout = 50

// AllSystems are the Nix systems a project can target.
var AllSystems = []Choice{
	{Value: "x86_64-linux", About: "Linux on Intel/AMD", GoArch: "amd64", Runner: "ubuntu-24.04"},
	{Value: "aarch64-linux", About: "Linux on ARM", GoArch: "arm64", Runner: "ubuntu-24.04-arm"},
	{Value: "aarch64-darwin", About: "macOS on Apple silicon (image: Linux cross-build)", GoArch: "arm64", Runner: "macos-15"},
}

// System is the row of AllSystems whose value is system.
func System(system string) (Choice, bool) {
	i := slices.IndexFunc(AllSystems, func(c Choice) bool { return c.Value == system })
	if i < 0 {
		return Choice{}, false
	}
	return AllSystems[i], true
}

// AllTools are the dev-shell tools a project can have besides go.
var AllTools = []Choice{
	{Value: "gopls", About: "Go language server for editors"},
	{Value: "golangci-lint", About: "linter: task lint, .golangci.yml and a flake check"},
	{Value: "delve", About: "debugger (dlv)"},
	{Value: "go-task", About: "task runner: Taskfile.yaml with run, build, verify"},
}

// AllCI are the CI workflows a project can have.
var AllCI = []Choice{
	{Value: GitHubActions, About: "workflow: vendorHash, flake check, task verify"},
	{Value: NoCI, About: "no CI workflow"},
}

// AllPlatforms are the platforms a release can have an archive for.
var AllPlatforms = []Choice{
	{Value: "linux/amd64", About: "Linux on Intel/AMD: tar.gz"},
	{Value: "linux/arm64", About: "Linux on ARM: tar.gz"},
	{Value: "darwin/amd64", About: "macOS on Intel: tar.gz"},
	{Value: "darwin/arm64", About: "macOS on Apple silicon: tar.gz"},
	{Value: "windows/amd64", About: "Windows on Intel/AMD: zip"},
	{Value: "windows/arm64", About: "Windows on ARM: zip"},
}

// Sources are what a stamp (-X) can set a variable to, each from the
// commit the flake builds: the version (nix/version), the tag a release of
// it has (v and the version, as GoReleaser's {{.Tag}}), the commit's hash,
// its first seven characters, its date (RFC 3339) and its Unix time; and
// the Go it builds with (go1.26.1, as go env GOVERSION prints it).
var Sources = []string{"version", "tag", "commit", "short-commit", "date", "timestamp", "go-version"}

// AllBuildInfo say what a program's build info holds as its version.
var AllBuildInfo = []Choice{
	{Value: ModuleVersion, About: "nix/version, as go install MODULE@VERSION gives it"},
	{Value: NoBuildInfo, About: "(devel), as any build without git"},
}

// ModuleVersion and NoBuildInfo are the build-info choices.
const (
	ModuleVersion = "module"
	NoBuildInfo   = "off"
)

// AllTests say where an adopted project's tests run.
var AllTests = []Choice{
	{Value: SandboxTests, About: "go test ./... in the Nix build, offline"},
	{Value: NoSandboxTests, About: "not in the Nix build (they need network or a DB)"},
}

// SandboxTests and NoSandboxTests are the tests choices.
const (
	SandboxTests   = "sandbox"
	NoSandboxTests = "off"
)

// GitHubActions and NoCI are the CI choices.
const (
	GitHubActions = "github-actions"
	NoCI          = "none"
)

// DefaultPort is the port a project serves on when none is chosen.
const DefaultPort = 8080

// Limits that keep every answer short enough to read and to fit in any file.
const (
	maxModuleLen = 200
	maxNameLen   = 63
)

// Error is an answer that failed validation. Reason says what is wrong and
// how to fix it; Field names the answer ("module", "name", "systems", "ports",
// "tools") so that a caller can point at its flag or form field.
type Error struct {
	Field  string
	Reason string
	// With is the other answer a rule relates Field to ("tools" for ci's
	// go-task rule), "" for a rule of Field alone: the form shows the error
	// at whichever of the two the user can still change.
	With string
}

func (e *Error) Error() string { return e.Field + ": " + e.Reason }

func invalid(field, format string, args ...any) error {
	return &Error{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Default returns the answers of a new project for everything the user
// does not give: each question's Initial answer (every system, port 8080,
// every dev-shell tool and no CI workflow, which is opt-in). The module
// path has none, and the name is derived from it.
func Default() Answers { return New.Start() }

// Adopting returns the answers for adopting the module whose main packages
// to build are packages (at least one), as adopt finds them: the Adopted
// profile's start, go.mod's module path, those packages and the build tags
// tags. Derive then picks the image's main package and the name.
func Adopting(module string, packages, tags []string) Answers {
	a := Adopted.Start()
	a.Module, a.Packages, a.Tags = module, slices.Clone(packages), slices.Clone(tags)
	return a
}

// ParseList splits a list answer into its items: they are separated by
// commas or white space (so "8080, 9090" and "8080 9090" are two items). An
// empty item between commas, as in "8080," or "8080,,9090", is refused for
// field: it is most likely a value left out.
func ParseList(field, s string) ([]string, error) {
	parts := strings.Split(s, ",")
	var items []string
	for _, p := range parts {
		words := strings.Fields(p)
		if len(words) == 0 && len(parts) > 1 {
			return nil, invalid(field, "%q has an empty item: separate the items with single commas (or spaces), with none at either end", s)
		}
		items = append(items, words...)
	}
	return items, nil
}

// ParseSystems parses and checks a list of systems.
func ParseSystems(s string) ([]string, error) { return systemsQ.parseChoices(s) }

// ParseTools parses and checks a list of tools; "none" alone means none.
func ParseTools(s string) ([]string, error) { return toolsQ.parseChoices(s) }

// CheckCI accepts one of AllCI. The workflow runs `task verify`, so
// github-actions needs go-task.
func CheckCI(a Answers) error {
	if !slices.Contains(Values(AllCI), a.CI) {
		return invalid("ci", "unknown CI %q; choose %s", a.CI, strings.Join(Values(AllCI), " or "))
	}
	if a.CI == GitHubActions && !a.Has("go-task") {
		return &Error{Field: "ci", With: "tools", Reason: "github-actions runs `task verify`: add go-task to the tools"}
	}
	return nil
}

// ParsePorts parses and checks a list of ports, separated by commas or
// spaces, reporting every item that is wrong, each once.
func ParsePorts(s string) ([]int, error) { return portsQ.parsePorts(s) }

func (q *Question) parsePorts(s string) ([]int, error) {
	items, err := q.ParseList(s)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, invalid(q.Key, "give at least one port, like %s, or %s for a command-line program", q.Default, q.None)
	}
	// Every wrong item, in the order given.
	var ports []int
	errs := []error{q.bounds(len(items))}
	for _, it := range items {
		p, err := strconv.Atoi(it)
		if err != nil {
			errs = append(errs, invalid(q.Key, "%q is not a port number; give numbers from 1 to 65535 like 8080,9090", it))
			continue
		}
		errs = append(errs, q.checkPort(p, ports))
		ports = append(ports, p)
	}
	return ports, errors.Join(errs...)
}

// checkPorts accepts Min to Max distinct TCP ports from 1 to 65535,
// reporting every port that is wrong, each once.
func (q *Question) checkPorts(ports []int) error {
	errs := []error{q.bounds(len(ports))}
	for i, p := range ports {
		errs = append(errs, q.checkPort(p, ports[:i]))
	}
	return errors.Join(errs...)
}

// checkPort checks the port p that comes after before: a wrong port at its
// first place, a duplicate at its second.
func (q *Question) checkPort(p int, before []int) error {
	n := count(before, p)
	switch {
	case (p < 1 || p > 65535) && n == 0:
		return invalid(q.Key, "%d is not a TCP port; use 1 to 65535", p)
	case p >= 1 && p <= 65535 && n == 1:
		return invalid(q.Key, "port %d is listed twice", p)
	}
	return nil
}

func count(s []int, v int) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// Validate checks every answer, reporting every bad one at once, with the
// rules of the answers' profile (an empty kind is New's), takes an empty
// single choice for its default (an empty CI is none), and puts lists of
// choices in the choices' order, so that the same choices always render
// the same bytes.
func (a *Answers) Validate() error {
	if a.Kind == "" {
		a.Kind = New.Kind
	}
	p := ProfileOf(a.Kind)
	if p == nil {
		return invalid("kind", "unknown kind of project %q; the kinds are %s", a.Kind, strings.Join(kinds(), ", "))
	}
	for _, q := range Questions {
		if p.Has(q) {
			q.fill(a, p)
		}
	}
	errs := p.check(*a)
	for _, q := range Questions {
		if !p.Has(q) {
			continue
		}
		// An answer still to be derived from a wrong one (the name from a
		// bad module path) has nothing of its own to report.
		if from := p.From(q); from != "" && q.Format(*a) == "" && Lookup(from).Check(*a) != nil {
			continue
		}
		if err := q.Check(*a); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, q := range Questions {
		q.order(a)
	}
	return nil
}

// kinds are the profiles' kinds.
func kinds() []string {
	var out []string
	for _, p := range Profiles {
		out = append(out, p.Kind)
	}
	return out
}

// Has reports whether the answers choose the tool.
func (a Answers) Has(tool string) bool { return slices.Contains(a.Tools, tool) }

// Targets reports whether the answers choose the system.
func (a Answers) Targets(system string) bool { return slices.Contains(a.Systems, system) }

// Unjoin is the errors that errors.Join joined in err, flattened, as
// Validate and the parsers report several answers (or items) at once; nil
// for nil.
func Unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Unjoin(e)...)
		}
		return out
	}
	return []error{err}
}

// Values returns the values of choices, in order.
func Values(cs []Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Value
	}
	return out
}
