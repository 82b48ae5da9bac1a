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

// fileTree draws the plan's slash-separated paths as a tree under its
// directory, one file a line, directories in the order their first file
// comes; replaced and unchanged files are marked, and new ones too when
// markNew. It draws what lipgloss's tree draws for these labels, by hand:
// the tree package took 0.4 ms of a 4 ms headless run (see
// docs/performance.md), for lines that never wrap.
func fileTree(t style.Styles, plan *scaffold.Plan, markNew bool, labels map[string]string) string {
	root := &treeNode{label: t.Dir.Render(plan.Dir)}
	dirs := map[string]*treeNode{"": root}
	var dir func(d string) *treeNode
	dir = func(d string) *treeNode {
		if n, ok := dirs[d]; ok {
			return n
		}
		up, base := "", d
		if i := strings.LastIndex(d, "/"); i >= 0 {
			up, base = d[:i], d[i+1:]
		}
		n := &treeNode{label: t.Dir.Render(base + "/")}
		parent := dir(up)
		parent.children = append(parent.children, n)
		dirs[d] = n
		return n
	}
	for _, s := range plan.Steps {
		d, base := "", s.File.Path
		if i := strings.LastIndex(s.File.Path, "/"); i >= 0 {
			d, base = s.File.Path[:i], s.File.Path[i+1:]
		}
		label := base
		switch what, ok := labels[s.File.Path]; {
		case ok:
			label += t.Note.Render(" (" + what + ")")
		case s.Action == scaffold.Create:
			if markNew {
				label += t.Note.Render(" (new)")
			}
		case s.Action == scaffold.Replace:
			label += t.Note.Render(" (replaced)")
		case s.Action == scaffold.Keep:
			label += t.Note.Render(" (unchanged)")
		}
		parent := dir(d)
		parent.children = append(parent.children, &treeNode{label: label})
	}
	var b strings.Builder
	b.WriteString(root.label)
	root.draw(&b, t.Enum.Render("├──"), t.Enum.Render("└──"), "")
	return b.String()
}

// treeNode is one line of fileTree and the lines under it.
type treeNode struct {
	label    string
	children []*treeNode
}

// draw writes n's children, each on a new line after prefix and its
// branch (mid, or last for the last child), and their children indented
// under them.
func (n *treeNode) draw(b *strings.Builder, mid, last, prefix string) {
	for i, c := range n.children {
		branch, indent := mid, "│   "
		if i == len(n.children)-1 {
			branch, indent = last, "    "
		}
		b.WriteString("\n" + prefix + branch + " " + c.label)
		c.draw(b, mid, last, prefix+indent)
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
