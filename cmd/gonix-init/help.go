package main

import (
	"embed"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/exit"
)

// exitCode is one exit code of a command, as --help, the package doc and
// the README list it.
type exitCode struct {
	code    int
	meaning string
}

// The exit codes that both commands have.
var (
	failed   = exitCode{exit.Failure, "failure"}
	badUsage = exitCode{exit.Usage, "usage or bad input (nothing written)"}
	aborted  = exitCode{exit.Aborted, "aborted (nothing written)"}
)

//go:embed help/*.txt
var helpFiles embed.FS

// helpText is each command's --help, to fill in with its flags: parsed
// when help is first asked for, not at every start.
var helpText = sync.OnceValue(func() *template.Template { return template.Must(template.ParseFS(helpFiles, "help/*.txt")) })

// usageText is --help of cmd: its help file, with the flags of
// answers.Questions and its own, and its exit codes.
func usageText(cmd *Command) string {
	var answerLines, flagLines, exits []string
	for _, q := range answers.Questions {
		if !cmd.Takes(q) {
			continue
		}
		help := q.Help
		if q.Choices != nil {
			help += ": " + strings.Join(answers.Values(q.Choices), ", ")
		}
		answerLines = append(answerLines, flagLine(q.Key, q.Arg, help+" "+cmd.DefaultText(q)))
	}
	for _, f := range cmd.Flags {
		flagLines = append(flagLines, flagLine(f.name, f.arg, f.help))
	}
	flagLines = append(flagLines, flagLine("version", "", "print the version and exit"), flagLine("help", "", "print this help and exit"))
	for _, e := range cmd.Exits {
		exits = append(exits, wrap("  "+strconv.Itoa(e.code), 7, e.meaning))
	}
	var b strings.Builder
	_ = helpText().ExecuteTemplate(&b, cmd.HelpFile, map[string]string{
		"Usage":   synopsis(cmd),
		"Answers": strings.Join(answerLines, ""),
		"Flags":   strings.Join(flagLines, ""),
		"Exits":   "Exit codes:\n" + strings.TrimSuffix(strings.Join(exits, ""), "\n"),
	})
	return b.String()
}

// synopsis is the usage lines of --help: every command's for init's (the
// default command, whose help is the first one read), its own for the
// others.
func synopsis(cmd *Command) string {
	shown := []*Command{cmd}
	if cmd == initCmd {
		shown = commands
	}
	var lines []string
	for i, c := range shown {
		lead := "usage: "
		if i > 0 {
			lead = "       "
		}
		line := lead + c.LongName() + " " + c.Synopsis
		if c != cmd {
			line += "   (see " + c.LongName() + " --help)"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
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
