package form

import (
	"context"
	"fmt"
	"strings"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/gonix-init/gonix-init/internal/style"
)

// Choice is the answer to the confirm.
type Choice string

// The confirm's choices.
const (
	Write  Choice = "Yes: write"
	Back   Choice = "Go back and change the answers"
	Cancel Choice = "Cancel: write nothing"
)

// ConfirmForm is the confirm: Write, Back or Cancel. It is a select, so the
// chosen line is marked with a cursor, which shows without colour too.
// Shift-Tab goes back to the questions, as it does between questions.
type ConfirmForm struct {
	*program
	choice Choice
}

// NewConfirm builds the confirm, asking question (the plan's: "Write the
// project?").
func NewConfirm(cfg Config, question string) *ConfirmForm {
	c := &ConfirmForm{choice: Write}
	c.program = &program{back: true, Form: newHuhForm(cfg, huh.NewGroup(huh.NewSelect[Choice]().
		Title(question).
		Options(huh.NewOption(string(Write), Write), huh.NewOption(string(Back), Back), huh.NewOption(string(Cancel), Cancel)).
		Value(&c.choice)))}
	return c
}

// Choice is what the user chose.
func (c *ConfirmForm) Choice() Choice {
	if c.went {
		return Back
	}
	return c.choice
}

// Confirm shows summary, the plan, and asks question: Write or Back, or
// an error that wraps ErrAborted for Cancel, Ctrl-C, Esc or the end of
// input. The summary is part of the confirm's screen when the two fit the
// terminal, so that it leaves with it: after Go back the questions are not
// shown under a summary of answers they may no longer hold. A summary too
// long for that (an update's diffs) is printed before. In accessible mode
// it prints the summary and reads a line.
func Confirm(ctx context.Context, cfg Config, summary, question string) (Choice, error) {
	if cfg.Accessible {
		return confirmLines(ctx, newLines(cfg.In), cfg, summary, question)
	}
	c := NewConfirm(cfg, question)
	const confirmLines = 7 // the question, three choices, a blank line, the help bar and one to spare
	if cfg.Height > 0 && rows(summary, cfg.Width)+confirmLines <= cfg.Height {
		c.above = summary
	} else {
		fmt.Fprint(style.Writer(cfg.Out, cfg.Environ), summary)
	}
	err := runForm(ctx, cfg, c.Form, c.program)
	switch {
	case err != nil:
		return Cancel, err
	case c.Choice() == Cancel:
		return Cancel, fmt.Errorf("%w (cancelled)", ErrAborted)
	case c.Choice() == Back && c.above != "":
		c.erase(cfg.Out)
	}
	return c.Choice(), nil
}

// rows is how many rows text takes on a terminal width columns wide.
func rows(text string, width int) int {
	n := 0
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n++
		if w := lipgloss.Width(l); width > 0 && w > width {
			n += (w - 1) / width
		}
	}
	return n
}
