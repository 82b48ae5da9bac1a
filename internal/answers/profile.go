package answers

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/gonix-init/gonix-init/internal/detect"
	"github.com/gonix-init/gonix-init/internal/merge"
)

// Profile is a kind of project gonix-init makes or takes up, as one value:
// which of Questions it asks, which answers it fixes and where they come
// from, its defaults and their text where they are not the question's row,
// its own rules, the files gonix-init manages in it, and the steps after
// it is written. A project records its kind in .gonix.json ("kind"), and
// a command points at the profile it makes.
//
// A question is every profile's unless a profile skips it: a new question
// is a row of Questions, and, where profiles differ, an entry of the
// profiles that differ (Skips, Fixed, Presets).
type Profile struct {
	Kind string // as .gonix.json records it: "new", "adopted"
	// Project says what such a project is, in messages: "a generated
	// project".
	Project string
	// Skips are the questions it neither asks nor has: its projects leave
	// them empty.
	Skips []string
	// Fixed are answers it has but does not ask: each is read from where
	// the value says (the module path from "go.mod").
	Fixed map[string]string
	// Presets are its defaults where they are not the row's.
	Presets map[string]Preset
	// Check is its own rule between answers, or nil.
	Check func(a Answers) error
	// Manages reports whether gonix-init writes a file in such a project
	// and keeps it current; nil for every file the templates write.
	Manages func(path string) bool
	// Merges are the files gonix-init adds to where the project has one of
	// its own, by the rule each names, keeping all of the project's: adopt
	// and update apply it in place of writing the file.
	Merges map[string]merge.Rule
	// Workflows is what the names of gonix-init's CI workflows start with
	// ("" for ci.yml): "gonix-" where the project has workflows of its own.
	Workflows string
	// NextSteps are what to run once the project is written, after cd and
	// git, which depend on the run.
	NextSteps func(a Answers) []Step
}

// Preset is a profile's default for one question, where it is not the
// question's own: Initial (as Parse reads it), Text (as --help and the
// form state it) and From (the answer it follows until given). An empty
// field keeps the row's.
type Preset struct {
	Initial, Text, From string
}

// Step is one command of the next steps, with why.
type Step struct{ Cmd, Why string }

// StartCommit is the first commit of a project gonix-init wrote, in the
// next steps and in a generated README.
var StartCommit = Step{"git commit -m 'Start from gonix-init'", "the image's revision and date are the commit's"}

// seeds are the files every profile's templates only seed, the project's
// data once written: kept as they are (merge.Yours).
var seeds = map[string]merge.Rule{"nix/version": merge.Yours, VendorHashFile: merge.Yours}

// VendorHashFile holds the build's vendorHash: a seed, which update writes
// anew only when --build-info changes the kind of vendor derivation.
const VendorHashFile = "nix/vendor-hash.nix"

// withSeeds is rules and the seeds.
func withSeeds(rules map[string]merge.Rule) map[string]merge.Rule {
	maps.Copy(rules, seeds)
	return rules
}

// New is the profile of a project gonix-init generates: a server of its
// own templates, or with no port a command-line program, every file of
// which gonix-init writes.
var New = &Profile{
	Kind:    "new",
	Project: "a generated project",
	Skips:   []string{"tags", "packages", "main", "health", "args", "stamps", "build-info", "version-check", "tests", "skip-tests"},
	Merges:  seeds,
	NextSteps: func(a Answers) []Step {
		if a.Has("go-task") {
			return []Step{{"direnv allow", "or: nix develop"}, {"task run", "or: go run ."}}
		}
		return []Step{{"direnv allow", "or: nix develop"}, {"go run .", "or: nix run"}}
	},
}

// Adopted is the profile of a Go project gonix-init adopt took up: its
// module path is go.mod's, its main packages its own, and gonix-init
// manages only the flake and its lock, nix/, direnv's .envrc, the
// Taskfile, the CI files under .github/ (its workflows named gonix-*.yml,
// beside the project's own; its Dependabot updates added to the project's
// configuration), .gitignore (where adopt adds only the lines it lacks) and
// .gonix.json. The project's Go code, go.mod, go.sum, README and linter
// settings are its own.
var Adopted = &Profile{
	Kind:    "adopted",
	Project: "a project gonix-init adopt took up",
	Fixed:   map[string]string{"module": "go.mod"},
	Presets: map[string]Preset{
		"tags":          {Text: "the GoReleaser config's builds' tags, else none"},
		"stamps":        {Text: "the -X flags the project's build files or code set (docs/adopt.md), else none"},
		"build-info":    {Text: "module for a program that prints its version from the build info and has no stamp, unless go.mod has replace or exclude directives (go install refuses them) or vendor/, else off"},
		"version-check": {Text: "with stamps or build-info module, --version for a version flag (or cobra's or urfave/cli's Version), version for a version command, else none"},
		"packages":      {Text: "GoReleaser's builds, else every main package but the helpers under " + strings.Join(detect.Helpers, "/, ") + "/"},
		"ports":         {Initial: "none", Text: "none (a command-line program)"},
		"name":          {Text: "the image's main package's directory (the module path's for the root)", From: "main"},
	},
	Manages: func(p string) bool {
		switch p {
		case "flake.nix", "flake.lock", ".envrc", "Taskfile.yaml", ".gitignore", FileName:
			return true
		}
		return strings.HasPrefix(p, "nix/") || strings.HasPrefix(p, ".github/")
	},
	Merges:    withSeeds(map[string]merge.Rule{".gitignore": merge.Lines, ".github/dependabot.yml": merge.Dependabot}),
	Workflows: "gonix-",
	NextSteps: func(a Answers) []Step {
		return []Step{
			{"direnv allow", "or: nix develop"},
			{"nix build", "builds and tests " + a.Main + ": ./result/bin/" + a.Name},
			{"nix build .#oci", "the image; nix/README.md says the rest"},
		}
	},
}

// Profiles are the kinds of project, New first.
var Profiles = []*Profile{New, Adopted}

// ProfileOf is the profile of kind, or nil.
func ProfileOf(kind string) *Profile {
	i := slices.IndexFunc(Profiles, func(p *Profile) bool { return p.Kind == kind })
	if i < 0 {
		return nil
	}
	return Profiles[i]
}

// Has reports whether projects of the profile have an answer to q, asked
// or fixed.
func (p *Profile) Has(q *Question) bool { return !slices.Contains(p.Skips, q.Key) }

// Asks reports whether the profile asks q: it has it, and does not fix it.
func (p *Profile) Asks(q *Question) bool {
	_, fixed := p.Fixed[q.Key]
	return p.Has(q) && !fixed
}

// Initial is q's initial answer in the profile, as Parse reads it.
func (p *Profile) Initial(q *Question) string {
	if d := p.Presets[q.Key]; d.Initial != "" {
		return d.Initial
	}
	return q.Initial
}

// From is the answer q follows in the profile until it is given, or "".
func (p *Profile) From(q *Question) string {
	if d := p.Presets[q.Key]; d.From != "" {
		return d.From
	}
	return q.From
}

// DefaultText is how --help, the form and the accessible prompt state q's
// default in the profile: "(default: 8080)", or "(required)" for an answer
// without one.
func (p *Profile) DefaultText(q *Question) string {
	if q.Required {
		return "(required)"
	}
	if d := p.Presets[q.Key]; d.Text != "" {
		return "(default: " + d.Text + ")"
	}
	return "(default: " + q.Default + ")"
}

// Start is the answers of a project of the profile before anything is
// given or found: its kind and each question's initial answer.
func (p *Profile) Start() Answers {
	a := Answers{Kind: p.Kind}
	for _, q := range Questions {
		if init := p.Initial(q); init != "" && p.Has(q) {
			_ = q.Parse(&a, init) // the table's own answers parse (TestInitialAnswersParse)
		}
	}
	return a
}

// PathOf is where the template's file (its path without .tmpl) goes in such
// a project: gonix-init's workflows get the profile's prefix.
func (p *Profile) PathOf(file string) string {
	if dir, name := path.Split(file); dir == ".github/workflows/" {
		return dir + p.Workflows + name
	}
	return file
}

// Owns reports whether gonix-init writes the file path in such a project.
func (p *Profile) Owns(path string) bool { return p.Manages == nil || p.Manages(path) }

// check refuses an answer to a question the profile has not, and a fixed
// answer that is missing, then applies the profile's own rule.
func (p *Profile) check(a Answers) []error {
	var errs []error
	for _, q := range Questions {
		if !p.Has(q) && q.Format(a) != "" && q.Format(a) != q.None {
			errs = append(errs, invalid(q.Key, "%s has no %s: only %s", p.Project, strings.TrimPrefix(strings.ToLower(q.Title), "the "), profilesWith(q)))
		}
	}
	if p.Check != nil {
		errs = append(errs, Unjoin(p.Check(a))...)
	}
	return errs
}

// profilesWith names the kinds of project that have q, for a message.
func profilesWith(q *Question) string {
	var with []string
	for _, p := range Profiles {
		if p.Has(q) {
			with = append(with, p.Project)
		}
	}
	return fmt.Sprintf("%s has one", strings.Join(with, " or "))
}
