package session

import (
	"path/filepath"
	"strings"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/version"
)

// InitLine is the command line that reproduces an init run without asking:
// the answers that differ from what gonix-init would choose by itself, the
// flags about the run that change what it does, and DIR.
func InitLine(a answers.Answers, opts *Options) string {
	return makeLine([]string{version.Program}, a, func(q *answers.Question) bool { return !q.IsDefault(a) }, opts)
}

// AdoptLine is the command line that adopts the project as the run did,
// without asking: as InitLine, but for the module path, which is go.mod's.
func AdoptLine(a answers.Answers, opts *Options) string {
	return makeLine([]string{version.Program, "adopt"}, a, func(q *answers.Question) bool { return q.Key != "module" && !q.IsDefault(a) }, opts)
}

// makeLine is cmd, the flags of the answers keep selects, --force and
// --git as the run had them, --yes and DIR.
func makeLine(cmd []string, a answers.Answers, keep func(*answers.Question) bool, opts *Options) string {
	args := append(cmd, answers.Args(a, keep)...)
	if opts.Force {
		args = append(args, "--force")
	}
	if opts.Git {
		args = append(args, "--git")
	}
	return strings.Join(append(args, runFlags(opts, "--yes")...), " ")
}

// UpdateLine is the update command that --check stands for: the same
// answer flags, --templates and DIR.
func UpdateLine(a answers.Answers, opts *Options) string {
	given := func(q *answers.Question) bool { _, ok := opts.Flags[q.Key]; return ok }
	args := append([]string{version.Program, "update"}, answers.Args(a, given)...)
	return strings.Join(append(args, runFlags(opts)...), " ")
}

// runFlags are --templates, then extra, then DIR, as a command line that
// reproduces the run ends.
func runFlags(opts *Options, extra ...string) []string {
	var args []string
	if opts.TemplatesDir != "" {
		args = append(args, "--templates", answers.ShellQuote(opts.TemplatesDir))
	}
	args = append(args, extra...)
	if filepath.Clean(opts.Dir) != "." {
		args = append(args, answers.ShellQuote(opts.Dir))
	}
	return args
}
