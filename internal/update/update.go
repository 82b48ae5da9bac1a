// Package update decides, file by file, how `gonix-init update` brings a
// project to what the current templates and answers write without losing an
// edit of the user's. It compares three trees: base, what the project's
// templates wrote from its recorded answers; new, what the templates write
// now from the new answers; and yours, the files on disk.
package update

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/gonix-init/gonix-init/internal/merge"
	"github.com/gonix-init/gonix-init/internal/render"
)

// Outcome is what update does with one file.
type Outcome string

// The outcomes, as the README's table of them lists them.
const (
	Unchanged   Outcome = "unchanged"                          // yours is already what new writes
	Updated     Outcome = "updated"                            // you had not changed it: new replaces it
	KeptYours   Outcome = "kept yours"                         // only you changed it
	Merged      Outcome = "merged"                             // both changed it, in different lines
	Conflict    Outcome = "conflict"                           // both changed the same lines: markers written
	Created     Outcome = "new"                                // new in the templates
	Removed     Outcome = "removed"                            // gone from the templates, and you had not changed it
	KeptRemoved Outcome = "kept: gone from the templates"      // gone from the templates, but you changed it
	LeftDeleted Outcome = "left deleted"                       // you deleted it: it stays deleted
	NotCreated  Outcome = "conflict: a file of yours is there" // new in the templates, but a file of yours is there, which no base explains
)

// Entry is one file's outcome, and what to write (Write) or remove
// (Remove) for it.
type Entry struct {
	Path    string
	Outcome Outcome
	Data    []byte      // the content to write, when Write
	Mode    fs.FileMode // the permission bits of what is written
	Write   bool        // write Data to Path
	Remove  bool        // remove Path
}

// Yours reads a file of the project: its content, or ok false when there
// is none.
type Yours func(path string) (data []byte, ok bool, err error)

// NewBase is the base of a file that the templates write now and did not
// write for the recorded answers (a CI workflow turned back on): what the
// templates that made the project write for the new answers, or nil.
type NewBase func(path string) []byte

// Plan decides every file's outcome; conflicts are written with markers
// whose new side is labelled newLabel. A file new in the templates where a
// file of yours is there is merged from newBase's, which explains the
// lines the two share (its old version, edited), or else from nothing. A
// file with a rule of rules (the profile's Merges: a file of the project's
// that gonix-init adds to) is merged by it instead, where yours is not the
// templates' own. Entries are in path order.
func Plan(base, new []render.File, yours Yours, newLabel string, newBase NewBase, rules map[string]merge.Rule) ([]Entry, error) {
	baseBy, newBy := byPath(base), byPath(new)
	all := maps.Clone(baseBy)
	maps.Copy(all, newBy)
	var out []Entry
	for _, p := range slices.Sorted(maps.Keys(all)) {
		y, exists, err := yours(p)
		if err != nil {
			return nil, err
		}
		f := file{path: p, yours: y, exists: exists, rule: rules[p]}
		f.base, f.inBase = baseBy[p]
		f.new, f.inNew = newBy[p]
		e, keep, err := f.decide(newLabel, newBase)
		if err != nil {
			return nil, err
		}
		if keep {
			out = append(out, e)
		}
	}
	return out, nil
}

// file is one path as Plan sees it: in the base, in the templates now
// (new), and on disk (yours), with the profile's rule for it, if any.
type file struct {
	path          string
	base, new     render.File
	inBase, inNew bool
	yours         []byte
	exists        bool
	rule          merge.Rule
}

// decide is the file's outcome; keep is false for a file gone from both
// the templates and the disk, which has none.
func (f file) decide(newLabel string, newBase NewBase) (e Entry, keep bool, err error) {
	e = Entry{Path: f.path, Mode: 0o644}
	if f.inNew {
		e.Mode = f.new.Mode
		err = f.decideNew(&e, newLabel, newBase)
		return e, true, err
	}
	switch {
	case !f.exists:
		return e, false, nil // gone from the templates and from the disk
	case bytes.Equal(f.yours, f.base.Data):
		e.Outcome, e.Remove = Removed, true
	default:
		e.Outcome = KeptRemoved
	}
	return e, true, nil
}

// decideNew decides the outcome of a file the templates write now.
func (f file) decideNew(e *Entry, newLabel string, newBase NewBase) error {
	y, n, b := f.yours, f.new.Data, f.base.Data
	switch {
	case !f.exists && f.inBase:
		e.Outcome = LeftDeleted
	case !f.exists:
		e.Outcome, e.Data, e.Write = Created, n, true
	case bytes.Equal(y, n):
		e.Outcome = Unchanged
	case f.rule != nil && (!f.inBase || !bytes.Equal(y, b)):
		data, err := f.rule(y, n)
		if err != nil {
			return fmt.Errorf("%s: %v", f.path, err)
		}
		e.Outcome, e.Data, e.Write = Merged, data, true
		if bytes.Equal(data, y) {
			e.Outcome, e.Data, e.Write = Unchanged, nil, false // yours has what new adds
		}
	case !f.inBase:
		// A file of yours where the templates now put one: merged from
		// what the same templates wrote for it, else both sides added
		// it, from nothing.
		e.Outcome, e.Data, e.Write = mergeNew(newBase, f.path, y, n, newLabel)
	case bytes.Equal(y, b):
		e.Outcome, e.Data, e.Write = Updated, n, true
	case bytes.Equal(n, b):
		e.Outcome = KeptYours
	case f.path == LockFile && f.mergeLock(e):
		// decided by its pins (mergeLock set the outcome)
	default:
		m := merge.Files(b, y, n, newLabel)
		e.Outcome, e.Data, e.Write = Merged, m.Data, true
		if m.Conflicts > 0 {
			e.Outcome = Conflict
		}
	}
	return nil
}

// mergeLock decides a flake.lock's outcome by its pins, and reports
// whether it could: a lock that does not read as one is merged by lines.
func (f file) mergeLock(e *Entry) bool {
	data, outcome, ok := mergeLock(f.yours, f.new.Data)
	if !ok {
		return false
	}
	e.Outcome = outcome
	if outcome != KeptNewer {
		e.Data, e.Write = data, true
	}
	return true
}

// mergeNew merges yours and the templates' new file p, which the recorded
// answers did not write: from newBase's version when yours is that one,
// edited (it keeps most of its lines), so that only lines both changed
// conflict; else from nothing, a file of yours in the templates' place.
func mergeNew(newBase NewBase, p string, yours, new []byte, newLabel string) (Outcome, []byte, bool) {
	var b []byte
	if newBase != nil {
		if b = newBase(p); !keepsMost(yours, b) {
			b = nil
		}
	}
	m := merge.Files(b, yours, new, newLabel)
	switch {
	case m.Conflicts == 0:
		return Merged, m.Data, true
	case b == nil:
		return NotCreated, m.Data, true
	}
	return Conflict, m.Data, true
}

// keepsMost reports whether yours holds at least half of the non-blank
// lines of base: an edit of it, not a file of its own.
func keepsMost(yours, base []byte) bool {
	have := map[string]int{}
	for _, l := range strings.Split(string(yours), "\n") {
		have[strings.TrimSpace(l)]++
	}
	kept, all := 0, 0
	for _, l := range strings.Split(string(base), "\n") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		all++
		if have[l] > 0 {
			have[l]--
			kept++
		}
	}
	return all > 0 && 2*kept >= all
}

// Conflicts lists the entries whose file holds conflict markers.
func Conflicts(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		if e.Outcome == Conflict || e.Outcome == NotCreated {
			out = append(out, e.Path)
		}
	}
	return out
}

// Changes reports whether applying the entries changes the project.
func Changes(entries []Entry) bool {
	return slices.ContainsFunc(entries, func(e Entry) bool { return e.Write || e.Remove })
}

func byPath(files []render.File) map[string]render.File {
	m := map[string]render.File{}
	for _, f := range files {
		m[f.Path] = f
	}
	return m
}
