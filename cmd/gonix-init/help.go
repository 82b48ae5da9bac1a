package main

import (
	"embed"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// The exit codes. exitCodes says what each means.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitWouldChange = 3
	exitConflicts   = 4
	exitAborted     = 130
)

// exitCode is one exit code of a command, as --help, the package doc and
// the README list it.
type exitCode struct {
	code     int
	commands command
	meaning  string
}

// exitCodes are the exit codes, in order: the one table of them.
var exitCodes = []exitCode{
	{exitOK, initCommand, "ok"},
	{exitOK, updateCommand, "ok (with --check: the project is current)"},
	{exitFailure, both, "failure"},
	{exitUsage, both, "usage or bad input (nothing written)"},
	{exitWouldChange, updateCommand, "with --check: an update would change the project"},
	{exitConflicts, updateCommand, "conflicts to resolve: files hold conflict markers, which this update wrote (the rest is written), or an earlier one left (nothing is written)"},
	{exitAborted, both, "aborted (nothing written)"},
}

//go:embed help/*.txt
var helpFiles embed.FS

// helpText is each command's --help, to fill in with its flags.
var helpText = template.Must(template.ParseFS(helpFiles, "help/*.txt"))

// usageText is --help of cmd: help/init.txt or help/update.txt, with the
// flags of answers.Questions and commandFlags and the exit codes of
// exitCodes.
func usageText(cmd command) string {
	var answerLines, flagLines, exits []string
	for _, q := range answers.Questions {
		help := q.Help
		if q.Choices != nil {
			help += ": " + strings.Join(answers.Values(q.Choices), ", ")
		}
		def := q.DefaultText()
		if cmd == updateCommand {
			def = "(default: as recorded)"
		}
		answerLines = append(answerLines, flagLine(q.Key, q.Arg, help+" "+def))
	}
	for _, f := range commandFlags {
		if f.commands&cmd != 0 {
			flagLines = append(flagLines, flagLine(f.name, f.arg, f.help))
		}
	}
	flagLines = append(flagLines, flagLine("version", "", "print the version and exit"), flagLine("help", "", "print this help and exit"))
	for _, e := range exitCodes {
		if e.commands&cmd != 0 {
			exits = append(exits, wrap("  "+strconv.Itoa(e.code), 7, e.meaning))
		}
	}
	var b strings.Builder
	_ = helpText.ExecuteTemplate(&b, map[command]string{initCommand: "init.txt", updateCommand: "update.txt"}[cmd], map[string]string{
		"Answers": strings.Join(answerLines, ""),
		"Flags":   strings.Join(flagLines, ""),
		"Exits":   "Exit codes:\n" + strings.TrimSuffix(strings.Join(exits, ""), "\n"),
	})
	return b.String()
}

// flagLine is one flag of --help: the flag and its argument, then its help
// wrapped at 80 columns beside it.
func flagLine(name, arg, help string) string {
	left := "  --" + name
	if arg != "" {
		left += " " + arg
	}
	return wrap(left, 18, help)
}

// wrap writes text after left, which is padded to col columns, in lines
// of at most 80 columns, the later ones indented by col.
func wrap(left string, col int, text string) string {
	var b strings.Builder
	line := left + strings.Repeat(" ", max(1, col-len(left)))
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 80 && strings.TrimSpace(line) != "" && len(line) > col {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = strings.Repeat(" ", col)
		}
		if !strings.HasSuffix(line, " ") {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
	return b.String()
}

// equivalent is the command line that reproduces the run without asking:
// the answers that differ from what gonix-init would choose by itself, the
// flags about the run that change what it does, and DIR.
func equivalent(a answers.Answers, opts *options) string {
	args := append([]string{prog}, answers.Args(a, func(q *answers.Question) bool { return !q.IsDefault(a) })...)
	if opts.Force {
		args = append(args, "--force")
	}
	if opts.Git {
		args = append(args, "--git")
	}
	return strings.Join(append(args, runFlags(opts, "--yes")...), " ")
}

// updateLine is the update command that --check stands for: the same
// answer flags, --templates and DIR.
func updateLine(a answers.Answers, opts *options) string {
	given := func(q *answers.Question) bool { _, ok := opts.Flags[q.Key]; return ok }
	args := append([]string{prog, "update"}, answers.Args(a, given)...)
	return strings.Join(append(args, runFlags(opts)...), " ")
}

// runFlags are --templates, then extra, then DIR, as a command line that
// reproduces the run ends.
func runFlags(opts *options, extra ...string) []string {
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
