// Package report prints what a run of gonix-init shows, for any command:
// a plan (internal/plan) as the summary before the confirm, the diffs of
// replaced files, each file's outcome, or why the run stops; and once it
// is written, the tree of what was written, the notes and the next steps.
// It prints, in gonix-init's style, and decides nothing.
package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/style"
)

// Printer prints to Out, in the colours Out and Environ allow.
type Printer struct {
	Out     io.Writer
	Environ []string // NO_COLOR, TERM, CI: see style.Writer
	Height  int      // the terminal's rows, 0 when unknown
	Width   int      // its columns, 0 when unknown: notes are wrapped to it
}

func (p Printer) writer() io.Writer { return style.Writer(p.Out, p.Environ) }

// Showing is why a plan is shown.
type Showing int

const (
	Confirming Showing = iota // before the confirm
	Writing                   // before writing without a confirm
	DryRun                    // instead of writing
	Stopping                  // the run ends at the plan (plan.Stop)
)

// Show prints what the plan will do, as why asks: the summary before the
// confirm, the diffs of what it replaces, what a dry run would write, or
// why the run stops. A plan of outcomes (update's) is shown as the list of
// them.
func (p Printer) Show(pl plan.Plan, a answers.Answers, why Showing) {
	if pl.Outcomes != nil {
		p.showOutcomes(pl, a, why)
		return
	}
	switch why {
	case Confirming:
		p.Summary(pl, a)
	case DryRun:
		p.Diffs(pl.Writes)
		p.DryRun(pl, a)
	default: // writing without a confirm, or a refusal: the diffs
		p.Diffs(pl.Writes)
	}
}

// Text is what Show prints, as a string with its colours, for what prints
// it elsewhere (the confirm, above its choices).
func (p Printer) Text(pl plan.Plan, a answers.Answers, why Showing) string {
	var b strings.Builder
	p.Out = style.Keep(&b)
	p.Show(pl, a, why)
	return b.String()
}

// showOutcomes is Show for a plan of outcomes.
func (p Printer) showOutcomes(pl plan.Plan, a answers.Answers, why Showing) {
	w := p.writer()
	if why == Stopping {
		p.Update(pl.Outcomes, a, false)
		switch pl.Stop {
		case plan.Current:
			fmt.Fprintln(w, "The project is current.")
		case plan.WouldChange:
			fmt.Fprintf(w, "An update would change the project: run %s\n", pl.Line)
		}
		return
	}
	p.Diffs(pl.Writes)
	p.Update(pl.Outcomes, a, why != DryRun)
	p.notes(w, style.Report(), pl.Notes)
	if why == DryRun {
		fmt.Fprintln(w, "Dry run: nothing written.")
	}
}

// Done prints what a plan wrote: its tree, the notes and the next steps,
// and after questions (asked) the command line that does the same without
// them. The notes are left out where Show printed them already: with the
// plan before its confirm (asked), or with an update's outcomes.
func (p Printer) Done(pl plan.Plan, a answers.Answers, git gitstage.Result, asked bool) {
	if asked || pl.Outcomes != nil {
		pl.Notes = nil
	}
	p.Written(pl, a, git)
	if asked && pl.Outcomes == nil && pl.Line != "" {
		p.Equivalent(pl.Line)
	}
}

// Diffs prints a unified diff of every file the plan replaces or removes.
func (p Printer) Diffs(plan *scaffold.Plan) {
	if plan == nil { // a plan refused before its writes were planned
		return
	}
	w := p.writer()
	t := style.Report()
	for _, s := range plan.Steps {
		var d []byte
		switch s.Action {
		case scaffold.Replace:
			d = diff.Diff("a/"+s.File.Path, s.Old, "b/"+s.File.Path, s.File.Data)
		case scaffold.Delete:
			d = diff.Diff("a/"+s.File.Path, s.Old, "/dev/null", nil)
		}
		if len(d) == 0 {
			continue
		}
		for _, line := range strings.SplitAfter(string(d), "\n") {
			fmt.Fprint(w, diffLine(t, line))
		}
	}
}

// diffLine colours one line of a unified diff: additions, removals and hunk
// headers, as git does in a terminal (Writer drops the colour elsewhere).
func diffLine(t style.Styles, line string) string {
	body, nl := strings.CutSuffix(line, "\n")
	end := ""
	if nl {
		end = "\n"
	}
	switch {
	case strings.HasPrefix(body, "+++"), strings.HasPrefix(body, "---"), strings.HasPrefix(body, "diff "):
		return t.Dir.Render(body) + end
	case strings.HasPrefix(body, "+"):
		return t.Added.Render(body) + end
	case strings.HasPrefix(body, "-"):
		return t.Removed.Render(body) + end
	case strings.HasPrefix(body, "@@"):
		return t.Cmd.Render(body) + end
	}
	return line
}

// Summary shows what a confirm would write: the answers, the target,
// every file marked new, replaced or unchanged, and the diff of each file
// that would be replaced. It comes before the confirm, so nothing is
// confirmed blind.
//
// On a terminal of height rows too short for the answers, the tree and the
// confirm, the tree folds to its counts, naming only the files replaced or
// removed, so that the answers stay in view; the report after the writes
// lists every file.
func (p Printer) Summary(pl plan.Plan, a answers.Answers) {
	w, height, plan := p.writer(), p.Height, pl.Writes
	t := style.Report()
	var head strings.Builder // the answers: the lines above the file list
	fmt.Fprintln(&head, t.Title.Render("Summary"))
	const col = 24 // the answers' column
	for _, q := range answers.Questions {
		if !a.Profile().Has(q) {
			continue
		}
		for i, line := range p.wrapList(q.Format(a), 3+col) {
			title := q.Title
			if i > 0 {
				title = ""
			}
			fmt.Fprintf(&head, "  %-*s %s\n", col, title, line)
		}
		if note := note(q, a); note != "" {
			for _, line := range strings.Split(p.wrap(note, 3+col), "\n") {
				fmt.Fprintf(&head, "  %-*s %s\n", col, "", t.Note.Render(line))
			}
		}
	}
	into := plan.Dir
	if filepath.Clean(into) == "." {
		into = ". (the current directory)"
	}
	fmt.Fprintf(&head, "  %-*s %s\n\n", col, "Into", into)
	fmt.Fprint(w, head.String())
	title := verb(plan, "Will write", "Will update") + " " + a.Name + " (" + summary(plan) + ")"
	tree := fileTree(t, plan, true, nil)
	// The answers, the title, the tree, the notes and the confirm's lines
	// with the help bar.
	const confirmLines = 7
	if height > 0 && strings.Count(head.String(), "\n")+1+len(pl.Notes)+strings.Count(tree, "\n")+1+confirmLines > height {
		fmt.Fprintln(w, t.Title.Render(title+":")+t.Note.Render(" each file is listed once written"))
		for _, s := range plan.Steps {
			switch s.Action {
			case scaffold.Replace:
				fmt.Fprintln(w, "  "+s.File.Path+t.Note.Render(" (replaced)"))
			case scaffold.Delete:
				fmt.Fprintln(w, "  "+s.File.Path+t.Note.Render(" (removed)"))
			}
		}
	} else {
		fmt.Fprintln(w, t.Title.Render(title+":"))
		fmt.Fprintln(w, tree)
	}
	Printer{Out: w}.Diffs(plan)
	p.notes(w, t, pl.Notes)
	fmt.Fprintln(w)
}

// notes prints a plan's notes, each on lines of its own, wrapped to the
// terminal's width.
func (p Printer) notes(w io.Writer, t style.Styles, notes []string) {
	for _, n := range notes {
		text, style := "Note: "+n+".", t.Note
		if warning, ok := plan.IsWarning(n); ok {
			text, style = "Warning: "+warning+".", t.Title
		}
		for _, line := range strings.Split(p.wrap(text, 0), "\n") {
			fmt.Fprintln(w, style.Render(line))
		}
	}
}

// wrapList wraps a list answer after its commas to the terminal's width,
// less indent; a line is never empty, and the width unknown wraps nothing.
func (p Printer) wrapList(value string, indent int) []string {
	if p.Width <= 0 || len(value) <= p.Width-indent {
		return []string{value}
	}
	var lines []string
	line := ""
	for _, item := range strings.SplitAfter(value, ",") {
		if line != "" && len(line)+len(item) > p.Width-indent {
			lines = append(lines, line)
			line = ""
		}
		line += item
	}
	return append(lines, line)
}

// wrap wraps text at spaces to the terminal's width, less indent (the
// columns before it); unwrapped when the width is unknown.
func (p Printer) wrap(text string, indent int) string {
	if p.Width <= 0 {
		return text
	}
	lines := strings.Split(lipgloss.Wrap(text, max(p.Width-indent, 20), " "), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// note is q's note on the answers in a, or "".
func note(q *answers.Question, a answers.Answers) string {
	if q.Note == nil {
		return ""
	}
	return q.Note(a)
}

// notes are the questions' notes on the answers in a, in the questions'
// order.
func notes(a answers.Answers) []string {
	var out []string
	for _, q := range answers.Questions {
		if n := note(q, a); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Equivalent prints the command that reproduces an interactive run.
func (p Printer) Equivalent(cmd string) {
	w := p.writer()
	t := style.Report()
	fmt.Fprintln(w)
	fmt.Fprintln(w, t.Title.Render("The same project without questions:"))
	fmt.Fprintln(w, "  "+t.Cmd.Render(cmd))
}

// verb says what the plan does to the project: create it, or, when nothing
// is new, update the one that is there.
func verb(plan *scaffold.Plan, create, update string) string {
	if plan.Count(scaffold.Create) == 0 {
		return update
	}
	return create
}

// summary says how many files the plan creates, replaces and keeps.
func summary(plan *scaffold.Plan) string {
	parts := []string{fmt.Sprintf("%d new", plan.Count(scaffold.Create))}
	if n := plan.Count(scaffold.Replace); n > 0 {
		parts = append(parts, fmt.Sprintf("%d replaced", n))
	}
	if n := plan.Count(scaffold.Keep); n > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged", n))
	}
	if n := plan.Count(scaffold.Delete); n > 0 {
		parts = append(parts, fmt.Sprintf("%d removed", n))
	}
	return strings.Join(parts, ", ")
}

// DryRun prints what a run would write.
func (p Printer) DryRun(pl plan.Plan, a answers.Answers) {
	w := p.writer()
	t := style.Report()
	fmt.Fprintln(w, t.Title.Render("Would write "+a.Name+" ("+summary(pl.Writes)+"); dry run, nothing written:"))
	fmt.Fprintln(w, fileTree(t, pl.Writes, false, nil))
	p.notes(w, t, pl.Notes)
}
