package answers

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
	"golang.org/x/mod/module"
)

var (
	moduleQ = &Question{
		Key: "module", Arg: "PATH", Title: "Go module path",
		Help:     "Go module path, as `go mod init` takes it, like github.com/you/myapp",
		Required: true, Example: "github.com/you/myapp",
		parse: func(_ *Question, a *Answers, s string) error {
			a.Module = strings.TrimSpace(s)
			return CheckModule(a.Module)
		},
		format:   func(a Answers) string { return a.Module },
		check:    func(_ *Question, a Answers) error { return CheckModule(a.Module) },
		Note:     func(a Answers) string { return SourceNote(a.Module) },
		field:    func(a *Answers) any { return &a.Module },
		jsonType: `a string like "github.com/you/myapp"`,
	}
	nameQ = &Question{
		Key: "name", Arg: "NAME", Title: "App name",
		Help:     "app name: it names the binary, the Nix package and the image",
		Default:  "the module path's last element that is not /vN",
		From:     "module",
		parse:    func(_ *Question, a *Answers, s string) error { a.Name = strings.TrimSpace(s); return CheckName(a.Name) },
		format:   func(a Answers) string { return a.Name },
		check:    func(_ *Question, a Answers) error { return CheckName(a.Name) },
		field:    func(a *Answers) any { return &a.Name },
		jsonType: `a string like "myapp"`,
		derive: func(a Answers) (string, error) {
			if a.Main != "" && a.Main != "." {
				return nameOf(a.Binary(), "the main package's directory")
			}
			return DefaultName(a.Module)
		},
	}
	systemsQ = &Question{
		Key: "systems", Arg: "LIST", Title: "Target systems",
		Help:    "Nix systems to build for, at least one",
		Default: "all three",
		Choices: AllSystems, Multi: true,
		Initial: strings.Join(Values(AllSystems), ","),
		Item:    "system", Min: 1,
		field:    func(a *Answers) any { return &a.Systems },
		jsonType: `a list like ["x86_64-linux"]`,
	}
	portsQ = &Question{
		Key: "ports", Arg: "LIST", Title: "Ports",
		Help:    "TCP ports the server listens on, the first the main one; none makes a command-line program",
		Default: strconv.Itoa(DefaultPort),
		Initial: strconv.Itoa(DefaultPort),
		Item:    "port", Max: 16, None: "none",
		parse: func(q *Question, a *Answers, s string) (err error) {
			if strings.TrimSpace(s) == q.None {
				a.Ports = []int{}
				return q.check(q, *a)
			}
			a.Ports, err = q.parsePorts(s)
			return err
		},
		format: func(a Answers) string {
			var s []string
			for _, p := range a.Ports {
				s = append(s, strconv.Itoa(p))
			}
			return strings.Join(s, ",")
		},
		// A profile may need one (New.Check).
		check:    func(q *Question, a Answers) error { return q.checkPorts(a.Ports) },
		Note:     func(a Answers) string { return LowPortNote(a.Ports) },
		field:    func(a *Answers) any { return &a.Ports },
		jsonType: `a list of port numbers like [8080]`,
	}
	toolsQ = &Question{
		Key: "tools", Arg: "LIST", Title: "Tools in the dev shell",
		Help:    "dev-shell tools besides go, or none",
		Default: "all four",
		Choices: AllTools, Multi: true,
		Initial: strings.Join(Values(AllTools), ","),
		Item:    "tool", None: "none",
		Retired:  map[string]string{GitHubActions: "github-actions is a CI choice now, not a tool: give --ci github-actions"},
		field:    func(a *Answers) any { return &a.Tools },
		jsonType: `a list like ["gopls", "go-task"]`,
	}
	releaseQ = &Question{
		Key: "release", Arg: "LIST", Title: "Release archives",
		Help:    "the platforms .#release makes an archive for, or none",
		Default: "all six",
		Choices: AllPlatforms, Multi: true,
		Initial: strings.Join(Values(AllPlatforms), ","),
		Item:    "platform", None: "none",
		field:    func(a *Answers) any { return &a.Release },
		jsonType: `a list like ["linux/amd64", "darwin/arm64"]`,
	}
	ciQ = &Question{
		Key: "ci", Arg: "CI", Title: "Continuous integration",
		Help:    "CI workflow (github-actions needs go-task in the tools)",
		Default: NoCI,
		Initial: NoCI,
		Choices: AllCI, Item: "CI",
		// Parse checks the choice; Validate checks it with the tools in view.
		check:    func(_ *Question, a Answers) error { return CheckCI(a) },
		field:    func(a *Answers) any { return &a.CI },
		jsonType: `"github-actions" or "none"`,
		// gonix-init 0.1.0 listed github-actions among the tools.
		upgrade: func(a *Answers, answered []string) []string {
			i := slices.Index(a.Tools, GitHubActions)
			if i < 0 || !slices.Contains(answered, toolsQ.Key) {
				return answered
			}
			a.Tools = slices.Delete(a.Tools, i, i+1)
			if !slices.Contains(answered, "ci") {
				a.CI, answered = GitHubActions, append(answered, "ci")
			}
			return answered
		},
	}
)

// The questions of an adopted project alone (the New profile skips them).
var (
	packagesQ = &Question{
		Key: "packages", Arg: "LIST", Title: "Main packages to build",
		Help:    "the main packages' directories to build, like cmd/app (. for the module's root)",
		Default: "every main package of the module",
		Item:    "package", Min: 1, Multi: true,
		options: packageChoices,
		parse: func(q *Question, a *Answers, s string) error {
			items, err := q.ParseList(s)
			if err != nil {
				return err
			}
			a.Packages = []string{}
			for _, it := range items {
				a.Packages = append(a.Packages, cleanDir(it))
			}
			return q.check(q, *a)
		},
		check: func(q *Question, a Answers) error {
			if err := q.bounds(len(a.Packages)); err != nil {
				return err
			}
			return q.eachOnce(a.Packages, func(p string) error { return checkDir(q.Key, p) })
		},
		field:    func(a *Answers) any { return &a.Packages },
		jsonType: `a list like ["cmd/app"]`,
	}
	mainQ = &Question{
		Key: "main", Arg: "DIR", Title: "Main package of the image",
		Help:    "the main package the image runs, one of the packages built",
		Default: "the only one; else the one named like the module, ., or the first",
		From:    "packages",
		options: packageChoices,
		parse: func(q *Question, a *Answers, s string) error {
			a.Main = cleanDir(strings.TrimSpace(s))
			return q.check(q, *a)
		},
		format: func(a Answers) string { return a.Main },
		check: func(q *Question, a Answers) error {
			if err := checkDir(q.Key, a.Main); err != nil {
				return err
			}
			if !slices.Contains(a.Packages, a.Main) {
				return &Error{Field: q.Key, With: packagesQ.Key, Reason: fmt.Sprintf("%q is not one of the main packages built: choose one of %s", a.Main, strings.Join(a.Packages, ", "))}
			}
			return nil
		},
		field:    func(a *Answers) any { return &a.Main },
		jsonType: `a string like "cmd/app"`,
		derive:   func(a Answers) (string, error) { return defaultMain(a.Module, a.Packages) },
	}
	argsQ = &Question{
		Key: "args", Arg: "LIST", Title: "The image's arguments",
		Help:    "the arguments the image runs the program with, like serve, or none",
		Default: "none",
		Item:    "argument", None: "none",
		parse: func(q *Question, a *Answers, s string) (err error) {
			a.Args, err = q.parseOrNone(s)
			return err
		},
		format:   func(a Answers) string { return strings.Join(a.Args, " ") },
		check:    func(*Question, Answers) error { return nil },
		field:    func(a *Answers) any { return &a.Args },
		jsonType: `a list like ["serve"]`,
	}
	tagsQ = &Question{
		Key: "tags", Arg: "LIST", Title: "Build tags",
		Help:    "the build tags of the build and the tests, like postgres,sqlite, or none",
		Default: "none", Initial: "none",
		Item: "tag", None: "none",
		parse: func(q *Question, a *Answers, s string) (err error) {
			if a.Tags, err = q.parseOrNone(s); err != nil {
				return err
			}
			return q.check(q, *a)
		},
		format: func(a Answers) string { return strings.Join(a.Tags, ",") },
		check: func(q *Question, a Answers) error {
			return q.eachOnce(a.Tags, func(tag string) error {
				if !buildTag.MatchString(tag) {
					return invalid(q.Key, "%q is not a build tag: use letters, digits, _ and . (like postgres or go_json)", tag)
				}
				return nil
			})
		},
		field:    func(a *Answers) any { return &a.Tags },
		jsonType: `a list like ["postgres"]`,
	}
	stampsQ = &Question{
		Key: "stamps", Arg: "LIST", Title: "Version variables",
		Help:    "the package variables the build sets with -X, as VAR=" + strings.Join(Sources, ", ") + " or a text, like main.version=version, or none",
		Default: "none",
		Initial: "none",
		Item:    "stamp", None: "none",
		parse: func(q *Question, a *Answers, s string) (err error) {
			if a.Stamps, err = q.parseOrNone(s); err != nil {
				return err
			}
			return q.check(q, *a)
		},
		format: func(a Answers) string { return strings.Join(a.Stamps, ",") },
		check: func(q *Question, a Answers) error {
			return q.eachOnce(a.Stamps, func(stamp string) error {
				if _, _, err := ParseStamp(stamp); err != nil {
					return invalid(q.Key, "%v", err)
				}
				return nil
			})
		},
		field:    func(a *Answers) any { return &a.Stamps },
		jsonType: `a list like ["main.version=version"]`,
	}
	healthQ = &Question{
		Key: "health", Arg: "PATH", Title: "Health check path",
		Help:    "the path the image's health check asks on the first port, like /healthz",
		Default: "/", Initial: "/",
		parse: func(q *Question, a *Answers, s string) error {
			a.Health = strings.TrimSpace(s)
			return q.check(q, *a)
		},
		format: func(a Answers) string { return a.Health },
		check: func(q *Question, a Answers) error {
			if len(a.Health) > maxHealthLen || !healthPath.MatchString(a.Health) {
				return invalid(q.Key, "%q is not a URL path: give one that starts with /, like /healthz, without spaces or quotes", a.Health)
			}
			return nil
		},
		field:    func(a *Answers) any { return &a.Health },
		jsonType: `a string like "/healthz"`,
	}
	versionCheckQ = &Question{
		Key: "version-check", Arg: "ARG", Title: "Version check",
		Help:    "the argument that makes the program print its version, like --version or version, which the Nix build runs it with and fails unless it prints nix/version; or none",
		Default: "none", Initial: "none",
		parse: func(q *Question, a *Answers, s string) error {
			if a.VersionCheck = strings.TrimSpace(s); a.VersionCheck == "none" {
				a.VersionCheck = ""
			}
			return q.check(q, *a)
		},
		format: func(a Answers) string { return a.VersionCheck },
		check: func(q *Question, a Answers) error {
			if a.VersionCheck != "" && !versionArg.MatchString(a.VersionCheck) {
				return invalid(q.Key, "%q is not one argument: give the one that makes the program print its version, like --version or version, without spaces or quotes, or none", a.VersionCheck)
			}
			return nil
		},
		field:    func(a *Answers) any { return &a.VersionCheck },
		jsonType: `a string like "--version"`,
	}
	buildInfoQ = &Question{
		Key: "build-info", Arg: "WHAT", Title: "Build info",
		Help:    "module builds as go install MODULE@VERSION does, so that the build info holds nix/version (debug.ReadBuildInfo, go version -m), for a program that prints its version from it; off leaves (devel)",
		Default: NoBuildInfo, Initial: NoBuildInfo,
		Choices: AllBuildInfo, Item: "choice",
		field:    func(a *Answers) any { return &a.BuildInfo },
		jsonType: `"module" or "off"`,
	}
	testsQ = &Question{
		Key: "tests", Arg: "WHERE", Title: "The project's tests",
		Help:    "sandbox runs go test ./... in the Nix build; off skips it there, for tests that need the network or a database",
		Default: SandboxTests,
		Initial: SandboxTests,
		Choices: AllTests, Item: "choice",
		field:    func(a *Answers) any { return &a.Tests },
		jsonType: `"sandbox" or "off"`,
	}
)

// skipTestsQ is the tests the Nix build skips, where they need what its
// sandbox has not: tests by name, packages by directory.
var skipTestsQ = &Question{
	Key: "skip-tests", Arg: "LIST", Title: "Tests to skip",
	Help:    "tests the Nix build skips where its sandbox lacks what they need (the network, a HOME), every other test running: test names and package directories (. for the root) like TestDials|./acme, or none",
	Default: "none", Initial: "none",
	Item: "test", None: "none",
	parse: func(q *Question, a *Answers, s string) (err error) {
		if a.SkipTests, err = q.parseOrNone(strings.ReplaceAll(s, "|", ",")); err != nil {
			return err
		}
		return q.check(q, *a)
	},
	format: func(a Answers) string { return strings.Join(a.SkipTests, "|") },
	check: func(q *Question, a Answers) error {
		return q.eachOnce(a.SkipTests, func(skip string) error {
			if skip == "." {
				return nil // the module's root package
			}
			if dir, ok := strings.CutPrefix(skip, "./"); ok {
				if dir == "" || checkDir(q.Key, dir) != nil {
					return invalid(q.Key, "%q is not a package directory of the module: give one like ./acme", skip)
				}
				return nil
			}
			if !testName.MatchString(skip) {
				return invalid(q.Key, "%q is neither a test's name (like TestDials) nor a package's directory (like ./acme)", skip)
			}
			return nil
		})
	},
	field:    func(a *Answers) any { return &a.SkipTests },
	jsonType: `a list like ["TestDials", "./acme"]`,
}

// testName is a top-level test's name, as go test -skip takes it.
var testName = regexp.MustCompile(`^(Test|Example|Fuzz|Benchmark)[A-Za-z0-9_]*$`)

// Questions are the answers gonix-init asks for, in the order it asks.
var Questions = []*Question{moduleQ, tagsQ, packagesQ, mainQ, nameQ, systemsQ, portsQ, healthQ, argsQ, stampsQ, buildInfoQ, versionCheckQ, toolsQ, ciQ, releaseQ, testsQ, skipTestsQ}

// versionArg is one argument of a program, as a version check gives it.
var versionArg = regexp.MustCompile(`^[A-Za-z0-9-][A-Za-z0-9._=-]*$`)

// stampVar is what -X names: a package path, then a variable.
var stampVar = regexp.MustCompile(`^[A-Za-z0-9_.~/-]+\.[A-Za-z_][A-Za-z0-9_]*$`)

// ParseStamp splits a stamp, "VAR=SOURCE", into the variable -X sets
// (main.version) and what it is set to: one of Sources, or a text.
func ParseStamp(stamp string) (variable, source string, err error) {
	variable, source, ok := strings.Cut(stamp, "=")
	if !ok || !stampVar.MatchString(variable) || source == "" || strings.ContainsAny(source, "\"'$` ") {
		return "", "", fmt.Errorf("%q is not VAR=SOURCE: give a package variable as -X names it and what to set, like main.version=version (one of %s, or a text without quotes or spaces)",
			stamp, strings.Join(Sources, ", "))
	}
	if typo := misspelt(source); typo != "" {
		return "", "", fmt.Errorf("%q would stamp the text %q, which reads like a typo of %s: give %s=%s", stamp, source, typo, variable, typo)
	}
	return variable, source, nil
}

// misspelt is the source that text, a stamp's own text, is a typo of, or
// "": the name in other case (Version), its letters swapped (verison), or
// one letter off a longer name (comit). A short word one letter off (data,
// tab) may well be meant.
func misspelt(text string) string {
	lower := strings.ToLower(text)
	for _, s := range Sources {
		switch {
		case text == s:
			return ""
		case lower == s, sortedLetters(lower) == sortedLetters(s),
			len(s) >= 5 && levenshtein.ComputeDistance(lower, s) == 1:
			return s
		}
	}
	return ""
}

// sortedLetters are s's letters in order: the same for two words that are
// each other's letters swapped.
func sortedLetters(s string) string {
	b := []byte(s)
	slices.Sort(b)
	return string(b)
}

// buildTag is a build tag as go/build/constraint reads one; healthPath a
// URL path the health check can ask, in a JSON and a shell word alike, of
// at most maxHealthLen bytes. The length is not a {0,199} in the pattern:
// that compiles to 199 copies, a tenth of a millisecond at every start.
var (
	buildTag   = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)
	healthPath = regexp.MustCompile(`^/[A-Za-z0-9._~!$&()*+,;=:@/%?-]*$`)
)

const maxHealthLen = 200

// without ./ or a trailing slash.
func cleanDir(dir string) string { return path.Clean(strings.TrimSpace(dir)) }

// checkDir accepts a package's directory in the module: "." or a path
// that makes an import path after the module's.
func checkDir(key, dir string) error {
	if dir != cleanDir(dir) || dir != "." && (!fs.ValidPath(dir) || module.CheckImportPath("example.com/"+dir) != nil) {
		return invalid(key, "%q is not a package directory of the module: give one like cmd/app, or . for its root", dir)
	}
	return nil
}

// defaultMain is the main package the image runs when none is given: the
// only one; else the one go install names like the module; else the root's;
// else the first.
func defaultMain(module string, mains []string) (string, error) {
	switch {
	case len(mains) == 0:
		return "", invalid("main", "the module has no main package")
	case len(mains) == 1:
		return mains[0], nil
	}
	for _, m := range mains {
		if m != "." && path.Base(m) == GoBinary(module) {
			return m, nil
		}
	}
	if slices.Contains(mains, ".") {
		return ".", nil
	}
	return mains[0], nil
}
