package answers

import (
	"slices"
	"strconv"
	"strings"
)

// Question is one answer gonix-init asks for, with everything the flags,
// --help, the answers file, the printed equivalent command and the form need
// to know of it. Questions is the one table of them: adding a question is a
// row here (and its use in the templates).
type Question struct {
	Key      string   // the flag (--Key) and the answers file's field
	Arg      string   // the flag's argument in --help: PATH, NAME, LIST
	Title    string   // the form's question
	Help     string   // one line, for --help and the form's description
	Default  string   // the default, as --help says it; "" for a required answer
	Required bool     // no default: gonix-init cannot go on without it
	Choices  []Choice // a choice question's choices; nil for free text
	Multi    bool     // several of the choices (a list), or exactly one

	// parse reads the answer from text (a flag, a form field) into a,
	// checking it; format writes it back as parse reads it; check checks
	// it with the other answers in view; field points at it in a, for the
	// answers file, whose JSON type jsonType describes.
	parse    func(a *Answers, s string) error
	format   func(a Answers) string
	check    func(a Answers) error
	field    func(a *Answers) any
	jsonType string
}

// Parse reads the answer from text, as the flag and the form give it, into a.
// A bad answer is an *Error naming the question's key.
func (q *Question) Parse(a *Answers, s string) error { return q.parse(a, s) }

// Format is the answer in a as text, as Parse reads it.
func (q *Question) Format(a Answers) string { return q.format(a) }

// Check checks the answer in a, with the other answers in view.
func (q *Question) Check(a Answers) error { return q.check(a) }

// IsDefault reports whether the answer in a is what gonix-init would choose
// without it: the default, or for the name the one derived from the module.
func (q *Question) IsDefault(a Answers) bool {
	if q.Key == "name" {
		n, err := DefaultName(a.Module)
		return err == nil && n == a.Name
	}
	return q.Key != "module" && q.Format(a) == q.Format(Default())
}

// Questions are the answers gonix-init asks for, in the order it asks.
var Questions = []*Question{
	{
		Key: "module", Arg: "PATH", Title: "Go module path",
		Help:     "Go module path, as `go mod init` takes it, like github.com/you/myapp",
		Required: true,
		parse:    func(a *Answers, s string) error { a.Module = strings.TrimSpace(s); return CheckModule(a.Module) },
		format:   func(a Answers) string { return a.Module },
		check:    func(a Answers) error { return CheckModule(a.Module) },
		field:    func(a *Answers) any { return &a.Module },
		jsonType: `a string like "github.com/you/myapp"`,
	},
	{
		Key: "name", Arg: "NAME", Title: "App name",
		Help:     "app name: it names the binary, the Nix package and the image",
		Default:  "the module path's last element",
		parse:    func(a *Answers, s string) error { a.Name = strings.TrimSpace(s); return CheckName(a.Name) },
		format:   func(a Answers) string { return a.Name },
		check:    func(a Answers) error { return CheckName(a.Name) },
		field:    func(a *Answers) any { return &a.Name },
		jsonType: `a string like "myapp"`,
	},
	{
		Key: "systems", Arg: "LIST", Title: "Target systems",
		Help:    "Nix systems to build for, at least one",
		Default: "all three",
		Choices: AllSystems, Multi: true,
		parse: func(a *Answers, s string) (err error) {
			a.Systems, err = ParseSystems(s)
			return err
		},
		format:   func(a Answers) string { return strings.Join(a.Systems, ",") },
		check:    func(a Answers) error { return CheckSystems(a.Systems) },
		field:    func(a *Answers) any { return &a.Systems },
		jsonType: `a list like ["x86_64-linux"]`,
	},
	{
		Key: "ports", Arg: "LIST", Title: "Ports",
		Help:    "TCP ports the server listens on; the first is the main one",
		Default: strconv.Itoa(DefaultPort),
		parse: func(a *Answers, s string) (err error) {
			a.Ports, err = ParsePorts(s)
			return err
		},
		format: func(a Answers) string {
			var s []string
			for _, p := range a.Ports {
				s = append(s, strconv.Itoa(p))
			}
			return strings.Join(s, ",")
		},
		check:    func(a Answers) error { return CheckPorts(a.Ports) },
		field:    func(a *Answers) any { return &a.Ports },
		jsonType: `a list of port numbers like [8080]`,
	},
	{
		Key: "tools", Arg: "LIST", Title: "Tools in the dev shell",
		Help:    "dev-shell tools besides go, or none",
		Default: "all four",
		Choices: AllTools, Multi: true,
		parse: func(a *Answers, s string) (err error) {
			a.Tools, err = ParseTools(s)
			return err
		},
		format: func(a Answers) string {
			if len(a.Tools) == 0 {
				return "none"
			}
			return strings.Join(a.Tools, ",")
		},
		check:    func(a Answers) error { return CheckTools(a.Tools) },
		field:    func(a *Answers) any { return &a.Tools },
		jsonType: `a list like ["gopls", "go-task"]`,
	},
	{
		Key: "ci", Arg: "CI", Title: "Continuous integration",
		Help:    "CI workflow (github-actions needs go-task in the tools)",
		Default: NoCI,
		Choices: AllCI,
		parse: func(a *Answers, s string) (err error) {
			a.CI = strings.TrimSpace(s)
			if !slices.Contains(Values(AllCI), a.CI) {
				return CheckCI(*a)
			}
			return nil // checked with the tools in view by Validate
		},
		format:   func(a Answers) string { return a.CI },
		check:    CheckCI,
		field:    func(a *Answers) any { return &a.CI },
		jsonType: `"github-actions" or "none"`,
	},
}

// DefaultText is how --help and the form's accessible prompt state the
// default: "(default: 8080)", or "(required)" for an answer without one.
func (q *Question) DefaultText() string {
	if q.Required {
		return "(required)"
	}
	return "(default: " + q.Default + ")"
}

// Lookup returns the question with key, or nil.
func Lookup(key string) *Question {
	for _, q := range Questions {
		if q.Key == key {
			return q
		}
	}
	return nil
}

// Keys are the questions' keys, in order.
func Keys() []string {
	var out []string
	for _, q := range Questions {
		out = append(out, q.Key)
	}
	return out
}
