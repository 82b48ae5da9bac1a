package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/style"
)

// Written prints the tree of written files, the notes, what git staging
// did, and the next steps.
func (p Printer) Written(pl plan.Plan, a answers.Answers, git gitstage.Result) {
	w, flush := style.Buffered(p.Out, p.Environ)
	defer flush() //nolint:errcheck // the report is best effort once the project is written
	t := style.Report()
	if pl.Outcomes != nil {
		// An update's files by their outcomes, as its table counts them.
		labels := map[string]string{answers.FileName: "the answers"}
		for _, o := range pl.Outcomes {
			labels[o.Path] = o.What
		}
		fmt.Fprintln(w, t.Title.Render("Updated "+a.Name+" ("+outcomeCounts(pl.Outcomes, false)+"):"))
		fmt.Fprintln(w, fileTree(t, pl.Writes, false, labels))
	} else {
		fmt.Fprintln(w, t.Title.Render(verb(pl.Writes, pl.Done, "Updated")+" "+a.Name+" ("+summary(pl.Writes)+"):"))
		fmt.Fprintln(w, fileTree(t, pl.Writes, false, nil))
	}
	fmt.Fprintln(w)
	answerNotes := notes(a)
	if pl.Outcomes != nil {
		answerNotes = nil // an update's answers are the project's, noted when it was made
	}
	if len(answerNotes)+len(pl.Notes) > 0 {
		for _, n := range answerNotes {
			for _, line := range strings.Split(p.wrap(n+".", 0), "\n") {
				fmt.Fprintln(w, t.Note.Render(line))
			}
		}
		p.notes(w, t, pl.Notes)
		fmt.Fprintln(w)
	}
	p.steps(w, t, steps(pl, git, w, t))
}

// steps are the next steps of a written plan: cd into it, git as its
// staging leaves it, then the plan's own. A step that runs git is for a
// project git staged.
func steps(pl plan.Plan, git gitstage.Result, w io.Writer, t style.Styles) []answers.Step {
	var out []answers.Step
	if dir := pl.Writes.Dir; filepath.Clean(dir) != "." {
		out = append(out, answers.Step{Cmd: "cd " + dir})
	}
	commit, labels := answers.StartCommit.Cmd, answers.StartCommit.Why
	switch {
	case git.Initialized:
		fmt.Fprintln(w, t.Note.Render("Ran git init and staged the files (nothing committed): the flake sees them."))
		fmt.Fprintln(w)
	case git.Staged:
		fmt.Fprintln(w, t.Note.Render("Staged the files in git (nothing committed): the flake sees them."))
		fmt.Fprintln(w)
	case git.InRepo:
		out = append(out, answers.Step{Cmd: "git add -A", Why: "a flake in a git repository only sees tracked files"})
	case pl.Outcomes == nil:
		out = append(out, answers.Step{Cmd: "git init && git add -A", Why: "a flake in a git repository only sees tracked files"})
	}
	if pl.Outcomes == nil {
		out = append(out, answers.Step{Cmd: commit, Why: labels})
	}
	if !git.Staged && git.NoGit {
		fmt.Fprintln(w, t.Note.Render("Note: "+git.Note+"."))
		fmt.Fprintln(w)
	}
	own := 0
	for _, s := range pl.Steps {
		if git.Staged || !strings.HasPrefix(s.Cmd, "git ") {
			out = append(out, s)
			own++
		}
	}
	if own == 0 {
		return nil // nothing to run there
	}
	return out
}

// steps prints the next steps, their reasons in one column.
func (p Printer) steps(w io.Writer, t style.Styles, steps []answers.Step) {
	if len(steps) == 0 {
		return
	}
	fmt.Fprintln(w, t.Title.Render("Next steps:"))
	width := 0
	for _, s := range steps {
		width = max(width, len(s.Cmd))
	}
	for _, s := range steps {
		line := "  " + t.Cmd.Render(s.Cmd)
		if s.Why != "" {
			line += strings.Repeat(" ", width-len(s.Cmd)+2) + t.Note.Render("# "+s.Why)
		}
		fmt.Fprintln(w, line)
	}
}

// Update lists what update does with every file, after a line that
// counts the outcomes, and .gonix.json last when it is to be written.
func (p Printer) Update(entries []plan.Outcome, a answers.Answers, writes bool) {
	w := p.writer()
	t := style.Report()
	fmt.Fprintln(w, t.Title.Render("Update of "+a.Name+" ("+outcomeCounts(entries, true)+"):"))
	width, unchanged := len(answers.FileName), 0
	for _, e := range entries {
		width = max(width, len(e.Path))
	}
	// The files the update changes, or keeps from changing; the others by
	// their count.
	for _, e := range entries {
		if e.Same {
			unchanged++
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, e.Path, t.Note.Render(e.What))
	}
	if writes {
		fmt.Fprintf(w, "  %-*s  %s\n", width, answers.FileName, t.Note.Render("written last, with the answers and this version"))
	}
	if unchanged > 0 && unchanged < len(entries) {
		fmt.Fprintln(w, t.Note.Render(fmt.Sprintf("  and %d %s unchanged", unchanged, map[bool]string{true: "file", false: "files"}[unchanged == 1])))
	}
}

// outcomeCounts says how many files had each outcome, in the order they
// first come: all of them, or (withUnchanged false) those changed.
func outcomeCounts(entries []plan.Outcome, withUnchanged bool) string {
	counts := map[string]int{}
	var order []string
	for _, e := range entries {
		if e.Same && !withUnchanged {
			continue
		}
		if counts[e.What]++; counts[e.What] == 1 {
			order = append(order, e.What)
		}
	}
	var parts []string
	for _, o := range order {
		parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
	}
	return strings.Join(parts, ", ")
}
