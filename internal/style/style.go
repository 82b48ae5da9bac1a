// Package style is gonix-init's one look: the colours and styles shared by
// the interactive form and the report printed after a run, so the two read
// as one program. Styles come from a renderer for the writer they print to,
// which drops colour for NO_COLOR, CI and writers that are not terminals.
package style

import (
	"io"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// Accent is the colour of titles, commands and the focused field.
var Accent = lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7E9CD8"}

// Styles are the styles of the report.
type Styles struct {
	Title, Dir, File, Enum, Cmd, Note lipgloss.Style
}

// For returns the report's styles for a writer.
func For(w io.Writer) Styles {
	r := lipgloss.NewRenderer(w)
	return Styles{
		Title: r.NewStyle().Bold(true).Foreground(Accent),
		Dir:   r.NewStyle().Bold(true),
		File:  r.NewStyle(),
		Enum:  r.NewStyle().Faint(true).PaddingRight(1),
		Cmd:   r.NewStyle().Foreground(Accent),
		Note:  r.NewStyle().Faint(true),
	}
}

// Form returns the huh theme of the form, in the same colours.
func Form() *huh.Theme {
	t := huh.ThemeBase()
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
}
