package form

import (
	"context"
	"io"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// Prompter asks in the terminal, with the form and the confirm, or line by
// line in accessible mode: it is the session's Prompter.
type Prompter struct {
	In            io.Reader
	Out           io.Writer
	Environ       []string
	Accessible    bool
	Width, Height int // the terminal's, 0 when unknown
}

// config is where and how p asks.
func (p Prompter) config() Config {
	return Config{In: p.In, Out: p.Out, Environ: p.Environ, Accessible: p.Accessible, Width: p.Width, Height: p.Height}
}

// Ask asks the questions that given leaves, from the last one for atEnd.
func (p Prompter) Ask(ctx context.Context, a answers.Answers, given map[string]bool, atEnd bool) (answers.Answers, error) {
	cfg := p.config()
	cfg.Given, cfg.AtEnd = given, atEnd
	return Ask(ctx, a, cfg)
}

// Confirm shows the plan's summary and asks question: write, go back
// (back), or cancel (an error that wraps ErrAborted).
func (p Prompter) Confirm(ctx context.Context, summary, question string) (back bool, err error) {
	choice, err := Confirm(ctx, p.config(), summary, question)
	return choice == Back, err
}
