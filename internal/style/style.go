// Package style is gonix-init's one look: the colours and styles shared by
// the interactive form and the report printed after a run, so the two read
// as one program. lipgloss v2 styles render full colour; Writer downsamples
// what is printed to what the writer takes: none for NO_COLOR, CI and
// writers that are not terminals.
package style

import (
	"bufio"
	"io"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Accent is the colour of titles, commands and the focused field: one that
// reads on dark and light backgrounds alike, since gonix-init never asks
// the terminal which it has (a terminal that does not answer would stall).
var Accent = lipgloss.Color("#6B7FD7")

// Styles are the styles of the report.
type Styles struct {
	Title, Dir, Enum, Cmd, Note lipgloss.Style // a file name is plain
	Added, Removed              lipgloss.Style // diff lines
}

// Report returns the report's styles.
func Report() Styles {
	return Styles{
		Title:   lipgloss.NewStyle().Bold(true).Foreground(Accent),
		Dir:     lipgloss.NewStyle().Bold(true),
		Enum:    lipgloss.NewStyle().Faint(true),
		Cmd:     lipgloss.NewStyle().Foreground(Accent),
		Note:    lipgloss.NewStyle().Faint(true),
		Added:   lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
		Removed: lipgloss.NewStyle().Foreground(lipgloss.Color("1")),
	}
}

// Writer wraps w so that what is printed through it keeps only the colours
// and styles w can show, judged from w (a terminal or not) and environ
// (NO_COLOR, TERM, CI).
func Writer(w io.Writer, environ []string) io.Writer {
	if cw, ok := w.(*colorprofile.Writer); ok {
		return cw // already judged: a second wrapper would see no terminal
	}
	return colorprofile.NewWriter(w, environ)
}

// Keep is a writer to w that keeps every colour and style, for text that
// is printed later through a Writer, which judges the colours then.
func Keep(w io.Writer) io.Writer {
	return &colorprofile.Writer{Forward: w, Profile: colorprofile.TrueColor}
}

// Buffered is Writer through a buffer, for a report of many lines written at
// once: the colour profile is judged from w itself, and flush writes out.
func Buffered(w io.Writer, environ []string) (out io.Writer, flush func() error) {
	if cw, ok := w.(*colorprofile.Writer); ok {
		return cw, func() error { return nil }
	}
	bw := bufio.NewWriter(w)
	return &colorprofile.Writer{Forward: bw, Profile: colorprofile.Detect(w, environ)}, bw.Flush
}

// Form returns the huh theme of the form, in the same colours.
func Form() huh.Theme {
	return huh.ThemeFunc(func(isDark bool) *huh.Styles {
		t := huh.ThemeBase(isDark)
		t.Focused.Title = t.Focused.Title.Bold(true).Foreground(Accent)
		t.Focused.NoteTitle = t.Focused.NoteTitle.Bold(true).Foreground(Accent)
		t.Focused.Base = t.Focused.Base.BorderForeground(Accent)
		t.Focused.SelectSelector = t.Focused.SelectSelector.Foreground(Accent)
		t.Focused.MultiSelectSelector = t.Focused.MultiSelectSelector.Foreground(Accent)
		t.Focused.SelectedPrefix = t.Focused.SelectedPrefix.Foreground(Accent)
		t.Focused.FocusedButton = t.Focused.FocusedButton.Background(Accent)
		t.Focused.ErrorMessage = t.Focused.ErrorMessage.Foreground(lipgloss.Color("9"))
		t.Focused.ErrorIndicator = t.Focused.ErrorIndicator.Foreground(lipgloss.Color("9"))
		t.Blurred.Title = t.Blurred.Title.Faint(true)
		return t
	})
}
