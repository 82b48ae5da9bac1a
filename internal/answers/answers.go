// Package answers holds what a user tells gonix-init about the project to
// generate: the Answers type, its defaults, one validator per answer, and
// Questions, the one table from which the flags, --help, the answers file,
// the printed equivalent command and the interactive form are all made, so
// an answer refused in one is refused in all.
package answers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/module"
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

	// An adopted project's (gonix-init adopt): the directories of its main
	// packages, all built (Packages), the one the image runs (Main), the
	// image's arguments (Args), whether its tests run in the Nix build
	// (Tests: one of AllTests), the build tags of the build and the tests
	// (Tags), and the path the image's health check asks (Health). A
	// generated project has none of them.
	Packages []string `json:"packages,omitempty"`
	Main     string   `json:"main,omitempty"`
	Args     []string `json:"args,omitempty"`
	Tests    string   `json:"tests,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Health   string   `json:"health,omitempty"`
	// SkipTests are the tests the Nix build leaves out, where the others
	// run: each a test's name (TestDials), skipped in every package, or a
	// package's directory (./acme), whose tests are all skipped.
	SkipTests []string `json:"skipTests,omitempty"`
	// Stamps are the package variables the build sets with -X, each
	// "VAR=SOURCE": VAR as -X names it (main.version), SOURCE one of
	// Sources or a text of its own.
	Stamps []string `json:"stamps,omitempty"`

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
// its first seven characters, its date (RFC 3339) and its Unix time.
var Sources = []string{"version", "tag", "commit", "short-commit", "date", "timestamp"}

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

// CheckModule accepts exactly the module paths that `go mod init` accepts.
func CheckModule(p string) error {
	if err := checkText("module", "module path", p, maxModuleLen, "github.com/you/myapp"); err != nil {
		return err
	}
	if err := module.CheckImportPath(p); err != nil {
		reason := err.Error()
		var pe *module.InvalidPathError
		if errors.As(err, &pe) {
			reason = pe.Err.Error()
		}
		if p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") {
			reason = "is a local import path"
		}
		return invalid("module", "%q: %s; give a path like github.com/you/myapp", p, reason)
	}
	if _, _, ok := module.SplitPathVersion(p); !ok {
		if strings.HasPrefix(p, "gopkg.in/") {
			return invalid("module", "%q: paths beginning with gopkg.in/ need a major version suffix like .v1", p)
		}
		return invalid("module", "%q: a major version suffix must look like /v2 (or later) at the end", p)
	}
	return nil
}

// checkText refuses an empty text answer, and one over maxLen characters:
// what names it, example is one to give.
func checkText(field, what, s string, maxLen int, example string) error {
	switch {
	case s == "":
		return invalid(field, "%s is empty; give one like %s", what, example)
	case len(s) > maxLen:
		return invalid(field, "%s is %d characters long; use at most %d", what, len(s), maxLen)
	}
	return nil
}

// nameRE is what every consumer of the name accepts: a file name, a Nix
// pname and a Docker image name (lower case, separators between alphanumerics).
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$`)

// CheckName accepts a name that works as a binary, a Nix pname and an image name.
func CheckName(n string) error {
	if err := checkText("name", "app name", n, maxNameLen, "myapp"); err != nil {
		return err
	}
	switch {
	case !nameRE.MatchString(n):
		return invalid("name", "%q is not a valid app name: use lower-case ASCII letters and digits, "+
			"starting with a letter, with single '-', '_' or '.' between them (it names the binary and the image)", n)
	}
	return nil
}

// GoBinary returns the name that `go build` and `go install` give the binary
// of the module's root package: the last path element, skipping a /vN suffix.
func GoBinary(modulePath string) string {
	base := path.Base(modulePath)
	if dir := path.Dir(modulePath); dir != "." {
		if _, major, ok := module.SplitPathVersion(modulePath); ok && strings.HasPrefix(major, "/v") {
			base = path.Base(dir)
		}
	}
	return base
}

// LowPortNote says what ports below 1024 mean for an image that runs as a
// user other than root, or "" when there are none.
func LowPortNote(ports []int) string {
	var low []string
	for _, p := range ports {
		if p < 1024 {
			low = append(low, strconv.Itoa(p))
		}
	}
	switch len(low) {
	case 0:
		return ""
	case 1:
		return "Port " + low[0] + " is below 1024: the image's non-root user may bind it on Docker, " +
			"but not on Kubernetes unless the pod sets net.ipv4.ip_unprivileged_port_start"
	}
	return "Ports " + strings.Join(low, ", ") + " are below 1024: the image's non-root user may bind them on Docker, " +
		"but not on Kubernetes unless the pod sets net.ipv4.ip_unprivileged_port_start"
}

// forges are the hosts whose module paths start host/owner/repo, where
// https://host/owner/repo is the repository.
var forges = []string{"github.com", "codeberg.org", "bitbucket.org"}

// Source returns the address of the repository the module path names, for
// the image's org.opencontainers.image.source label, which registries and
// Renovate follow back to the code: https://github.com/owner/repo for
// github.com/owner/repo/..., and "" for a path on no forge it knows (GitLab's
// nested groups make its paths ambiguous).
func Source(modulePath string) string {
	parts := strings.Split(modulePath, "/")
	if len(parts) < 3 || !slices.Contains(forges, parts[0]) {
		return ""
	}
	return "https://" + strings.Join(parts[:3], "/")
}

// SourceNote says where the image's source label points, or "" when the
// module path names no forge.
func SourceNote(modulePath string) string {
	if src := Source(modulePath); src != "" {
		return "The image's source label: " + src
	}
	return ""
}

// DefaultName derives the app name from the module path, as `go build` names
// the binary. It fails when that element is not a valid name.
func DefaultName(modulePath string) (string, error) {
	return nameOf(GoBinary(modulePath), "the module path")
}

// nameOf is binary as the app name, which from says where it came from.
func nameOf(binary, from string) (string, error) {
	if CheckName(binary) != nil {
		like := "give one with --name, like myapp"
		if s := suggestName(binary); s != "" {
			like = "give --name " + s + " (or another)"
		}
		return "", invalid("name", "the app name would be %q, from %s, which is not a valid app name "+
			"(lower-case letters and digits, with single '-', '_' or '.' between them): %s", binary, from, like)
	}
	return binary, nil
}

// suggestName is a valid app name made from s: lower case, each run of
// other characters one '-', no separator at either end; "" when none is.
func suggestName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	name := strings.TrimLeft(strings.TrimRight(b.String(), "-"), "0123456789-")
	if CheckName(name) != nil {
		return ""
	}
	return name
}

// Binary is the name `go install` gives the program the image runs: the
// module path's (GoBinary) for a main package at the module's root, its
// directory's otherwise.
func (a Answers) Binary() string {
	if a.Main == "" || a.Main == "." {
		return GoBinary(a.Module)
	}
	return path.Base(a.Main)
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

// FileName is where a project records its answers and its template set.
const FileName = ".gonix.json"

// File is the answers file (.gonix.json) that every generated project records,
// so it can be rendered again with --answers.
type File struct {
	Generator string `json:"generator"`
	Templates string `json:"templates,omitempty"` // the set's digest, after "custom " for a --templates set
	Answers
	// Manages are the files gonix-init wrote in a project it adopted, and
	// keeps current there; a generated project has none (every file is).
	Manages []string `json:"manages,omitempty"`
}

// Origin is what an answers file says made the project.
type Origin struct {
	Generator string // "gonix-init 0.2.0"
	Templates string // File.Templates; "" before 0.2.0
}

// ErrNotJSON is Read's error for a file that is not a JSON object at all
// (truncated, or not JSON): no field of it can be read.
var ErrNotJSON = errors.New("not a JSON object")

// Read decodes an answers file into a, field by field, and returns what
// made the project and the keys it answers. A field of the wrong type or an
// unknown field (a misspelt answer must not silently become a default) is
// an *Error naming the field. The kind of project is read into a.Kind;
// files from before gonix-init 0.8.0 have none, and read as adopted when
// they list the files gonix-init manages, which only adopt wrote, as new
// otherwise. Files of gonix-init 0.1.0, which listed github-actions among
// the tools, read as ci: github-actions. The answers are validated by the
// caller, after flags have overridden them.
func Read(r io.Reader, a *Answers) (origin Origin, answered []string, err error) {
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
			return origin, nil, fmt.Errorf("%w: it holds a JSON %s, where gonix-init writes an object of the answers", ErrNotJSON, te.Value)
		}
		return origin, nil, fmt.Errorf("%w (%v)", ErrNotJSON, err)
	}
	var errs []error
	if g, ok := raw["generator"]; ok {
		if err := json.Unmarshal(g, &origin.Generator); err != nil {
			errs = append(errs, invalid("generator", "want a string like \"gonix-init 0.1.0\""))
		}
	}
	if t, ok := raw["templates"]; ok {
		if err := json.Unmarshal(t, &origin.Templates); err != nil {
			errs = append(errs, invalid("templates", "want a string like \"sha256:...\""))
		}
	}
	errs = append(errs, readKind(raw, a))
	for key := range raw {
		if key != "generator" && key != "templates" && key != "manages" && key != "kind" && Lookup(key) == nil {
			errs = append(errs, invalid(key, "unknown field; the fields are generator, templates, kind, manages, %s", strings.Join(Keys(), ", ")))
		}
	}
	for _, q := range Questions {
		v, ok := raw[q.Key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(v, q.field(a)); err != nil {
			errs = append(errs, invalid(q.Key, "want %s, got %s", q.jsonType, v))
			continue
		}
		answered = append(answered, q.Key)
	}
	for _, q := range Questions {
		if q.upgrade != nil {
			answered = q.upgrade(a, answered)
		}
	}
	errs = slices.DeleteFunc(errs, func(e error) bool { return e == nil })
	slices.SortFunc(errs, func(x, y error) int { return strings.Compare(x.Error(), y.Error()) })
	return origin, answered, errors.Join(errs...)
}

// readKind reads the answers file's kind of project into a: recorded since
// 0.8.0; before, a file that lists the files gonix-init manages is an
// adopted project's.
func readKind(raw map[string]json.RawMessage, a *Answers) error {
	v, ok := raw["kind"]
	if !ok {
		a.Kind = New.Kind
		if _, manages := raw["manages"]; manages {
			a.Kind = Adopted.Kind
		}
		return nil
	}
	if err := json.Unmarshal(v, &a.Kind); err != nil || ProfileOf(a.Kind) == nil {
		return invalid("kind", "want %s, got %s", strings.Join(kinds(), " or "), v)
	}
	return nil
}

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
