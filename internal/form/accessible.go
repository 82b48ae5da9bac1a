package form

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/style"
)

// Accessible mode asks in plain text, line by line, for screen readers and
// for scripts that pipe their answers in: each question numbered, with its
// help, its choices and what Enter alone keeps, then a prompt line of its
// own; the answer is typed as the flag takes it. A wrong answer is said and
// asked again. It reads the input one byte at a time, so that nothing of a
// later answer is read ahead and lost, and it ends, aborted, at the end of
// the input or when the run is cancelled.

// lines reads the input line by line, without reading ahead.
type lines struct {
	r io.Reader
	// echo writes each line read where the prompt is, when no terminal
	// echoes it (the input is a pipe), so that what is printed reads as
	// questions and answers.
	echo bool
}

func newLines(r io.Reader) *lines {
	f, ok := r.(*os.File)
	return &lines{r: r, echo: !ok || !term.IsTerminal(int(f.Fd()))}
}

// read returns the next line, without its line end, echoed to w when the
// input is not a terminal; ErrAborted when the input ends first or ctx is
// done. A line the read runs on after ctx is done is lost with the run.
func (l *lines) read(ctx context.Context, w io.Writer) (string, error) {
	type result struct {
		line string
		ok   bool
	}
	got := make(chan result, 1)
	go func() {
		var b strings.Builder
		buf := make([]byte, 1)
		for {
			n, err := l.r.Read(buf)
			if n == 1 && buf[0] == '\n' {
				got <- result{strings.TrimSuffix(b.String(), "\r"), true}
				return
			}
			if n == 1 {
				b.WriteByte(buf[0])
			}
			if err != nil {
				got <- result{b.String(), b.Len() > 0}
				return
			}
		}
	}()
	select {
	case r := <-got:
		if !r.ok {
			fmt.Fprintln(w)
			return "", fmt.Errorf("%w (%v)", ErrAborted, errEndOfInput)
		}
		if l.echo {
			fmt.Fprintln(w, r.line)
		}
		return r.line, nil
	case <-ctx.Done():
		return "", fmt.Errorf("%w (%v)", ErrAborted, ctx.Err())
	}
}

// askLines asks every question of the form, in order, each until it is
// answered right.
func (f *Form) askLines(ctx context.Context, in *lines) error {
	w := style.Writer(f.cfg.Out, f.cfg.Environ)
	for i := range f.fields {
		q := &f.fields[i]
		for {
			f.printQuestion(w, q, i+1)
			line, err := in.read(ctx, w)
			if err != nil {
				return err
			}
			text := strings.TrimSpace(line)
			if text == "" {
				text = f.kept(q)
			}
			if err := f.check(q, text); err != nil {
				fmt.Fprintf(w, "Not taken: %v\n\n", err)
				continue
			}
			f.set(q, text)
			fmt.Fprintln(w)
			break
		}
	}
	return nil
}

// printQuestion prints question n of the form: its title, its help, its
// choices, and what Enter alone keeps.
func (f *Form) printQuestion(w io.Writer, q *answers.Field, n int) {
	fmt.Fprintf(w, "Question %d of %d: %s\n", n, len(f.fields), q.Title)
	fmt.Fprintf(w, "%s.\n", q.Help)
	if choices := q.Choices; choices != nil {
		how := "one of"
		if q.Kind == answers.List {
			how = "one or more, separated by commas, of"
			if q.None != "" {
				how = "none, or one or more, separated by commas, of"
			}
		}
		fmt.Fprintf(w, "Answer %s:\n", how)
		for _, c := range choices {
			fmt.Fprintf(w, "  %s", c.Value)
			if c.About != "" {
				fmt.Fprintf(w, ": %s", c.About)
			}
			fmt.Fprintln(w)
		}
	}
	switch kept := f.kept(q); {
	case kept != "":
		fmt.Fprintf(w, "Enter alone keeps: %s\n", kept)
	case q.Example != "":
		fmt.Fprintf(w, "Required: give one like %s\n", q.Example)
	case q.Item != "":
		fmt.Fprintf(w, "Required: give at least one %s\n", q.Item)
	default:
		fmt.Fprintln(w, "Required: give an answer")
	}
	fmt.Fprint(w, "> ")
}

// kept is what Enter alone answers: the answer the form holds (the
// default until one is given), or the one derived from the answer it
// follows.
func (f *Form) kept(q *answers.Field) string {
	if q.Follows != "" {
		if d := f.derivedNow(q); d != "" && f.followsStill(q) {
			return d
		}
	}
	return f.text(q.Key)
}

// followsStill reports whether q's answer still follows the one it is
// derived from: it holds what was last derived, or nothing.
func (f *Form) followsStill(q *answers.Field) bool {
	for _, fl := range f.followers {
		if fl.q == q {
			v := *f.texts[q.Key]
			return v == "" || v == fl.derived
		}
	}
	return false
}

// set takes text as q's answer, and lets the answers that follow it follow.
func (f *Form) set(q *answers.Field, text string) {
	if v := f.lists[q.Key]; v != nil {
		*v = q.List(q.Normal(f.start, text))
		return
	}
	*f.texts[q.Key] = text
	f.follow(q.Key, text)
	for _, fl := range f.followers {
		if fl.q == q {
			fl.derived = "" // given: it follows no more
			if text == f.derivedNow(q) {
				fl.derived = text
			}
		}
	}
}

// confirmLines prints summary and asks question in accessible mode: Enter
// or "y" writes, "b" goes back, "c" cancels.
func confirmLines(ctx context.Context, in *lines, cfg Config, summary, question string) (Choice, error) {
	w := style.Writer(cfg.Out, cfg.Environ)
	fmt.Fprint(w, summary)
	for {
		fmt.Fprintf(w, "%s Enter or y writes, b goes back to the questions, c cancels.\n> ", question)
		line, err := in.read(ctx, w)
		if err != nil {
			return Cancel, err
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "", "y", "yes", "w", "write":
			fmt.Fprintln(w)
			return Write, nil
		case "b", "back":
			fmt.Fprintln(w)
			return Back, nil
		case "c", "cancel", "n", "no":
			return Cancel, fmt.Errorf("%w (cancelled)", ErrAborted)
		}
		fmt.Fprintf(w, "Not taken: %q; answer y, b or c.\n", strings.TrimSpace(line))
	}
}

// joinReasons is the reasons of an answer's error, then hint, in one line.
func joinReasons(reasons []string, hint string) string {
	text := strings.Join(reasons, "; ")
	if hint != "" {
		text += "; " + hint
	}
	return text
}
