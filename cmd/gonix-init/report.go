package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/tree"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/render"
)

// theme is gonix-init's one set of styles. Built on a renderer for the
// writer it prints to, it drops colour for NO_COLOR and for non-terminals.
type theme struct {
	title, dir, file, enum, cmd, note lipgloss.Style
}

func newTheme(w io.Writer) theme {
	r := lipgloss.NewRenderer(w)
	accent := lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7E9CD8"}
	return theme{
		title: r.NewStyle().Bold(true).Foreground(accent),
		dir:   r.NewStyle().Bold(true),
		file:  r.NewStyle(),
		enum:  r.NewStyle().Faint(true).PaddingRight(1),
		cmd:   r.NewStyle().Foreground(accent),
		note:  r.NewStyle().Faint(true),
	}
}

// report prints the tree of created files and the next steps.
func report(w io.Writer, dir string, files []render.File, a answers.Answers) {
	t := newTheme(w)
	fmt.Fprintln(w, t.title.Render("Created "+a.Name+":"))
	fmt.Fprintln(w, fileTree(t, dir, files).String())
	fmt.Fprintln(w)
	fmt.Fprintln(w, t.title.Render("Next steps:"))
	var steps [][2]string
	if filepath.Clean(dir) != "." {
		steps = append(steps, [2]string{"cd " + dir, ""})
	}
	steps = append(steps,
		[2]string{"git init && git add -A", "a flake in a git repository only sees tracked files"},
		[2]string{"direnv allow", "or: nix develop"},
	)
	if a.Has("go-task") {
		steps = append(steps, [2]string{"task run", "or: go run ."})
	} else {
		steps = append(steps, [2]string{"go run .", "or: nix run"})
	}
	for _, s := range steps {
		line := "  " + t.cmd.Render(s[0])
		if s[1] != "" {
			line += "  " + t.note.Render("# "+s[1])
		}
		fmt.Fprintln(w, line)
	}
}

// fileTree nests slash-separated paths into a lipgloss tree under dir.
func fileTree(t theme, dir string, files []render.File) *tree.Tree {
	root := tree.Root(t.dir.Render(dir)).EnumeratorStyle(t.enum)
	subtrees := map[string]*tree.Tree{"": root}
	var parent func(d string) *tree.Tree
	parent = func(d string) *tree.Tree {
		if st, ok := subtrees[d]; ok {
			return st
		}
		i := strings.LastIndex(d, "/")
		up, base := "", d
		if i >= 0 {
			up, base = d[:i], d[i+1:]
		}
		st := tree.Root(t.dir.Render(base + "/")).EnumeratorStyle(t.enum)
		parent(up).Child(st)
		subtrees[d] = st
		return st
	}
	for _, f := range files {
		d, base := "", f.Path
		if i := strings.LastIndex(f.Path, "/"); i >= 0 {
			d, base = f.Path[:i], f.Path[i+1:]
		}
		parent(d).Child(t.file.Render(base))
	}
	return root
}
