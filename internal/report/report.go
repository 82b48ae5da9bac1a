// Package report prints what a run of gonix-init shows: the summary before
// the confirm, the diffs of replaced files, the tree of what was written,
// update's outcome of every file, and the next steps. It prints, in
// gonix-init's style, and decides nothing.
package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/style"
	"github.com/gonix-init/gonix-init/internal/update"
)

// Printer prints to Out, in the colours Out and Environ allow.
type Printer struct {
	Out     io.Writer
	Environ []string // NO_COLOR, TERM, CI: see style.Writer
	Height  int      // the terminal's rows, 0 when unknown
}

func (p Printer) writer() io.Writer { return style.Writer(p.Out, p.Environ) }

// Diffs prints a unified diff of every file the plan replaces or removes.
func (p Printer) Diffs(plan *scaffold.Plan) {
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
func (p Printer) Summary(plan *scaffold.Plan, a answers.Answers) {
	w, height := p.writer(), p.Height
	t := style.Report()
	fmt.Fprintln(w, t.Title.Render("Summary"))
	for _, q := range answers.Questions {
		if !q.Applies(a) {
			continue
		}
		fmt.Fprintf(w, "  %-24s %s\n", q.Title, q.Format(a))
		if note := note(q, a); note != "" {
			fmt.Fprintf(w, "  %-24s %s\n", "", t.Note.Render(note))
		}
	}
	into := plan.Dir
	if filepath.Clean(into) == "." {
		into = ". (the current directory)"
	}
	fmt.Fprintf(w, "  %-24s %s\n\n", "Into", into)
	title := verb(plan, "Will write", "Will update") + " " + a.Name + " (" + summary(plan) + ")"
	tree := fileTree(t, plan, true)
	// The summary's title lines, the answers, the tree, and the confirm's
	// five lines with the help bar.
	const confirmLines = 7
	if height > 0 && 4+len(answers.Questions)+len(plan.Notes)+strings.Count(tree, "\n")+1+confirmLines > height {
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
	printNotes(w, t, plan.Notes)
	fmt.Fprintln(w)
}

// printNotes prints a plan's notes, each on a line of its own.
func printNotes(w io.Writer, t style.Styles, notes []string) {
	for _, n := range notes {
		fmt.Fprintln(w, t.Note.Render("Note: "+n+"."))
	}
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
func (p Printer) DryRun(plan *scaffold.Plan, a answers.Answers) {
	w := p.writer()
	t := style.Report()
	fmt.Fprintln(w, t.Title.Render("Would write "+a.Name+" ("+summary(plan)+"); dry run, nothing written:"))
	fmt.Fprintln(w, fileTree(t, plan, false))
	printNotes(w, t, plan.Notes)
}

// Written prints the tree of written files, what git staging did, and the
// next steps.
func (p Printer) Written(plan *scaffold.Plan, a answers.Answers, git gitstage.Result) {
	w, flush := style.Buffered(p.Out, p.Environ)
	defer flush() //nolint:errcheck // the report is best effort once the project is written
	t := style.Report()
	dir := plan.Dir
	fmt.Fprintln(w, t.Title.Render(verb(plan, "Created", "Updated")+" "+a.Name+" ("+summary(plan)+"):"))
	fmt.Fprintln(w, fileTree(t, plan, false))
	fmt.Fprintln(w)
	if notes := notes(a); len(notes)+len(plan.Notes) > 0 {
		for _, n := range notes {
			fmt.Fprintln(w, t.Note.Render(n+"."))
		}
		printNotes(w, t, plan.Notes)
		fmt.Fprintln(w)
	}
	var steps [][2]string
	if filepath.Clean(dir) != "." {
		steps = append(steps, [2]string{"cd " + dir, ""})
	}
	switch {
	case git.Initialized:
		fmt.Fprintln(w, t.Note.Render("Ran git init and staged the files (nothing committed): the flake sees them."))
		fmt.Fprintln(w)
	case git.Staged:
		fmt.Fprintln(w, t.Note.Render("Staged the files in git (nothing committed): the flake sees them."))
		fmt.Fprintln(w)
	default:
		steps = append(steps, [2]string{"git init && git add -A", "a flake in a git repository only sees tracked files"})
		if git.NoGit {
			fmt.Fprintln(w, t.Note.Render("Note: "+git.Note+"."))
			fmt.Fprintln(w)
		}
	}
	steps = append(steps, [2]string{"direnv allow", "or: nix develop"})
	switch {
	case a.Adopted():
		steps = append(steps, [2]string{"nix build", "builds and tests " + a.Main + ": ./result/bin/" + a.Name},
			[2]string{"nix build .#oci", "the image; nix/README.md says the rest"})
	case a.Has("go-task"):
		steps = append(steps, [2]string{"task run", "or: go run ."})
	default:
		steps = append(steps, [2]string{"go run .", "or: nix run"})
	}
	fmt.Fprintln(w, t.Title.Render("Next steps:"))
	width := 0
	for _, s := range steps {
		width = max(width, len(s[0]))
	}
	for _, s := range steps {
		line := "  " + t.Cmd.Render(s[0])
		if s[1] != "" {
			line += strings.Repeat(" ", width-len(s[0])+2) + t.Note.Render("# "+s[1])
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
func fileTree(t style.Styles, plan *scaffold.Plan, markNew bool) string {
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
		switch s.Action {
		case scaffold.Create:
			if markNew {
				label += t.Note.Render(" (new)")
			}
		case scaffold.Replace:
			label += t.Note.Render(" (replaced)")
		case scaffold.Keep:
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
func (p Printer) Update(entries []update.Entry, a answers.Answers, writes bool) {
	w := p.writer()
	t := style.Report()
	counts := map[update.Outcome]int{}
	var order []update.Outcome
	for _, e := range entries {
		if counts[e.Outcome]++; counts[e.Outcome] == 1 {
			order = append(order, e.Outcome)
		}
	}
	var parts []string
	for _, o := range order {
		parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
	}
	fmt.Fprintln(w, t.Title.Render("Update of "+a.Name+" ("+strings.Join(parts, ", ")+"):"))
	width := 0
	for _, e := range entries {
		width = max(width, len(e.Path))
	}
	for _, e := range entries {
		fmt.Fprintf(w, "  %-*s  %s\n", width, e.Path, t.Note.Render(string(e.Outcome)))
	}
	if writes {
		fmt.Fprintf(w, "  %-*s  %s\n", width, answers.FileName, t.Note.Render("written last, with the answers and this version"))
	}
}
