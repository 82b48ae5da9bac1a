// Package merge merges a file three ways, line by line, as `git merge-file`
// does: what one side changed since the base is taken, what both changed
// alike is taken once, and what both changed differently is a conflict,
// written between git's markers. gonix-init update merges the user's file
// (yours) with what the templates write now (new), from what they wrote
// when the project was made (base).
package merge

import (
	"bytes"
	"strings"

	"github.com/epiclabs-io/diff3"
)

// Result is a merged file.
type Result struct {
	Data      []byte
	Conflicts int // regions between conflict markers
}

// Files merges yours and new from base. A conflict is written as
//
//	<<<<<<< yours
//	(your lines)
//	=======
//	(the new lines)
//	>>>>>>> newLabel
func Files(base, yours, new []byte, newLabel string) Result {
	switch {
	case bytes.Equal(yours, base), bytes.Equal(yours, new):
		return Result{Data: clone(new)}
	case bytes.Equal(new, base):
		return Result{Data: clone(yours)}
	}
	return diff3Lines(base, yours, new, newLabel)
}

// Markers are the lines that open and close a conflict Files wrote; Closing
// is followed by the new side's label.
const (
	Opening = "<<<<<<< yours"
	Closing = ">>>>>>> "
)

// HasConflict reports whether data still holds a conflict that Files wrote
// with newLabel's program (its first word, "gonix-init"): an opening marker
// line, and after it a closing one with that label. So a file whose
// conflicts were resolved, or that only quotes a marker, has none.
func HasConflict(data []byte, program string) bool {
	open := false
	for _, l := range lines(data) {
		l = strings.TrimRight(l, "\r\n")
		switch {
		case l == Opening:
			open = true
		case open && (l == Closing+program || strings.HasPrefix(l, Closing+program+" ")):
			return true
		}
	}
	return false
}

// diff3Lines is the line merge itself, for any three files.
func diff3Lines(base, yours, new []byte, newLabel string) Result {
	var out bytes.Buffer
	var res Result
	for _, r := range diff3.Diff3MergeWithOptions(lines(yours), lines(base), lines(new), diff3.MergeOptions{
		Algorithm:             diff3.DiffAlgorithmMyers,
		ExcludeFalseConflicts: true,
	}) {
		if r.Conflict == nil {
			out.WriteString(strings.Join(r.Ok, ""))
			continue
		}
		res.Conflicts++
		out.WriteString(Opening + "\n")
		writeLines(&out, r.Conflict.A)
		out.WriteString("=======\n")
		writeLines(&out, r.Conflict.B)
		out.WriteString(Closing + newLabel + "\n")
	}
	res.Data = out.Bytes()
	return res
}

// lines splits data after each newline, keeping it, so that joining the
// lines gives data back to the byte.
func lines(data []byte) []string {
	ls := strings.SplitAfter(string(data), "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// writeLines writes a conflict side, ending its last line so the marker
// after it stands on a line of its own.
func writeLines(b *bytes.Buffer, ls []string) {
	for _, l := range ls {
		b.WriteString(l)
	}
	if n := len(ls); n > 0 && !strings.HasSuffix(ls[n-1], "\n") {
		b.WriteByte('\n')
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
