// Package update decides, file by file, how `gonix-init update` brings a
// project to what the current templates and answers write without losing an
// edit of the user's. It compares three trees: base, what the project's
// templates wrote from its recorded answers; new, what the templates write
// now from the new answers; and yours, the files on disk.
package update

import (
	"bytes"
	"io/fs"
	"maps"
	"slices"

	"github.com/gonix-init/gonix-init/internal/merge"
	"github.com/gonix-init/gonix-init/internal/render"
)

// Outcome is what update does with one file.
type Outcome string

// The outcomes, as the README's table of them lists them.
const (
	Unchanged   Outcome = "unchanged"                       // yours is already what new writes
	Updated     Outcome = "updated"                         // you had not changed it: new replaces it
	KeptYours   Outcome = "kept yours"                      // only you changed it
	Merged      Outcome = "merged"                          // both changed it, in different lines
	Conflict    Outcome = "conflict"                        // both changed the same lines: markers written
	Created     Outcome = "new"                             // new in the templates
	Removed     Outcome = "removed"                         // gone from the templates, and you had not changed it
	KeptRemoved Outcome = "kept: gone from the templates"   // gone from the templates, but you changed it
	LeftDeleted Outcome = "left deleted"                    // you deleted it: it stays deleted
	NotCreated  Outcome = "not created: it exists, differs" // new in the templates, but a file of yours is there: a conflict
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

// Plan decides every file's outcome; conflicts are written with markers
// whose new side is labelled newLabel. Entries are in path order.
func Plan(base, new []render.File, yours Yours, newLabel string) ([]Entry, error) {
	baseBy, newBy := byPath(base), byPath(new)
	all := maps.Clone(baseBy)
	maps.Copy(all, newBy)
	paths := slices.Sorted(maps.Keys(all))
	var out []Entry
	for _, p := range paths {
		b, inBase := baseBy[p]
		n, inNew := newBy[p]
		y, exists, err := yours(p)
		if err != nil {
			return nil, err
		}
		e := Entry{Path: p, Mode: 0o644}
		switch {
		case inNew && !exists && inBase:
			e.Outcome = LeftDeleted
		case inNew && !exists:
			e.Outcome, e.Data, e.Write = Created, n.Data, true
		case inNew && bytes.Equal(y, n.Data):
			e.Outcome = Unchanged
		case inNew && !inBase:
			// A file of yours where the templates now put one: both sides
			// added it, from nothing.
			m := merge.Files(nil, y, n.Data, newLabel)
			e.Outcome, e.Data, e.Write = NotCreated, m.Data, true
			if m.Conflicts == 0 {
				e.Outcome = Merged
			}
		case inNew && bytes.Equal(y, b.Data):
			e.Outcome, e.Data, e.Write = Updated, n.Data, true
		case inNew && bytes.Equal(n.Data, b.Data):
			e.Outcome = KeptYours
		case inNew && p == LockFile:
			if data, outcome, ok := mergeLock(y, n.Data); ok {
				e.Outcome = outcome
				if outcome != KeptNewer {
					e.Data, e.Write = data, true
				}
				break
			}
			fallthrough
		case inNew:
			m := merge.Files(b.Data, y, n.Data, newLabel)
			e.Outcome, e.Data, e.Write = Merged, m.Data, true
			if m.Conflicts > 0 {
				e.Outcome = Conflict
			}
		case !exists:
			continue // gone from the templates and from the disk
		case bytes.Equal(y, b.Data):
			e.Outcome, e.Remove = Removed, true
		default:
			e.Outcome = KeptRemoved
		}
		if inNew {
			e.Mode = n.Mode
		}
		out = append(out, e)
	}
	return out, nil
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
