package update

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/gonix-init/gonix-init/internal/merge"
	"github.com/gonix-init/gonix-init/internal/render"
)

// TestPlanOutcomes walks update's decision table: one file in each state of
// base (what the templates wrote), new (what they write now) and yours (on
// disk), and the outcome, write and remove each must give.
func TestPlanOutcomes(t *testing.T) {
	const (
		b = "a\nb\nc\nd\ne\nf\n"
		n = "a\nb\nc\nd\ne\nF\n" // the templates changed the last line
		y = "A\nb\nc\nd\ne\nf\n" // you changed the first
		z = "a\nb\nc\nd\ne\nZ\n" // you changed the templates' line another way
	)
	for _, tc := range []outcomeCase{
		{name: "yours is new already", base: ptr(b), new: ptr(n), yours: ptr(n), want: Unchanged},
		{name: "only the templates changed", base: ptr(b), new: ptr(n), yours: ptr(b), want: Updated, write: true, data: n},
		{name: "only you changed", base: ptr(b), new: ptr(b), yours: ptr(y), want: KeptYours},
		{name: "both, apart", base: ptr(b), new: ptr(n), yours: ptr(y), want: Merged, write: true, data: "A\nb\nc\nd\ne\nF\n"},
		{name: "both, the same line", base: ptr(b), new: ptr(n), yours: ptr(z), want: Conflict, write: true, conflicted: true},
		{name: "new in the templates", new: ptr(n), want: Created, write: true, data: n},
		{name: "new, yours is there and differs", new: ptr(n), yours: ptr(y), want: NotCreated, write: true, conflicted: true},
		{name: "new, yours is there and the same", new: ptr("x\n"), yours: ptr("x\n"), want: Unchanged},
		{name: "gone from the templates, yours untouched", base: ptr(b), yours: ptr(b), want: Removed, remove: true},
		{name: "gone from the templates, yours changed", base: ptr(b), yours: ptr(y), want: KeptRemoved},
		{name: "you deleted it", base: ptr(b), new: ptr(n), want: LeftDeleted},
		{name: "a seed, yours", base: ptr(b), new: ptr(b), yours: ptr(y), rule: merge.Yours, want: Unchanged},
		{name: "a seed, yours, the templates' changed", base: ptr(b), new: ptr(n), yours: ptr(y), rule: merge.Yours, want: Unchanged},
		{name: "a seed untouched, the templates' changed", base: ptr(b), new: ptr(n), yours: ptr(b), rule: merge.Yours, want: Updated, write: true, data: n},
		{name: "lines yours lacks", base: ptr(b), new: ptr("g\n"), yours: ptr(y), rule: merge.Lines, want: Merged, write: true, data: y + "\n# Added by gonix-init adopt\ng\n"},
		{name: "lines yours has", base: ptr(b), new: ptr("b\n"), yours: ptr(y), rule: merge.Lines, want: Unchanged},
	} {
		t.Run(tc.name, tc.check)
	}

	// Gone from both the templates and the disk: no entry at all.
	entries, err := Plan([]render.File{{Path: "f", Data: []byte(b)}}, nil, func(string) ([]byte, bool, error) { return nil, false, nil }, "x", nil, nil)
	if err != nil || len(entries) != 0 {
		t.Errorf("a file gone from both: %v, %v", entries, err)
	}
}

func ptr(s string) *string { return &s }

// outcomeCase is one file of TestPlanOutcomes: its base, new and yours
// (nil: none), the profile's rule for it, and what Plan must decide.
type outcomeCase struct {
	name             string
	base, new, yours *string
	want             Outcome
	write, remove    bool
	data             string // what is written, when write
	conflicted       bool   // listed by Conflicts
	rule             merge.Rule
}

// check plans the case's file alone and checks its entry.
func (tc outcomeCase) check(t *testing.T) {
	var base, new []render.File
	if tc.base != nil {
		base = []render.File{{Path: "f", Data: []byte(*tc.base), Mode: 0o644}}
	}
	if tc.new != nil {
		new = []render.File{{Path: "f", Data: []byte(*tc.new), Mode: 0o755}}
	}
	yours := func(string) ([]byte, bool, error) {
		if tc.yours == nil {
			return nil, false, nil
		}
		return []byte(*tc.yours), true, nil
	}
	var rules map[string]merge.Rule
	if tc.rule != nil {
		rules = map[string]merge.Rule{"f": tc.rule}
	}
	entries, err := Plan(base, new, yours, "gonix-init 9.9.9", nil, rules)
	if err != nil || len(entries) != 1 {
		t.Fatalf("Plan: %v, %v", entries, err)
	}
	e := entries[0]
	if e.Outcome != tc.want || e.Write != tc.write || e.Remove != tc.remove {
		t.Errorf("outcome %q, write %v, remove %v; want %q, %v, %v", e.Outcome, e.Write, e.Remove, tc.want, tc.write, tc.remove)
	}
	if tc.data != "" && !bytes.Equal(e.Data, []byte(tc.data)) {
		t.Errorf("writes %q, want %q", e.Data, tc.data)
	}
	if tc.conflicted && !bytes.Contains(e.Data, []byte(">>>>>>> gonix-init 9.9.9\n")) {
		t.Errorf("a conflict without the new side's label:\n%s", e.Data)
	}
	if got := len(Conflicts(entries)) == 1; got != tc.conflicted {
		t.Errorf("Conflicts lists it: %v, want %v", got, tc.conflicted)
	}
	if got := Changes(entries); got != (tc.write || tc.remove) {
		t.Errorf("Changes = %v", got)
	}
	if tc.new != nil && e.Mode != 0o755 {
		t.Errorf("mode %v, want the templates' 0755", e.Mode)
	}
}

// TestLockNeverMovesBack updates a flake.lock that the templates moved to a
// newer pin (old to mid) and the user moved too: to a newer nixpkgs (kept,
// nothing written), to an older one with an input of their own (the pin
// moves, their input stays), to the very revision of the templates' (as
// any file the same on both sides: unchanged); a lock that does not read as
// one is merged line by line.
func TestLockNeverMovesBack(t *testing.T) {
	lock := func(rev string, lastModified int, extra string) string {
		return `{
  "nodes": {
    "nixpkgs": {
      "locked": {
        "lastModified": ` + itoa(lastModified) + `,
        "narHash": "sha256-` + rev + `",
        "owner": "NixOS",
        "repo": "nixpkgs",
        "rev": "` + rev + `",
        "type": "github"
      },
      "original": {
        "owner": "NixOS",
        "ref": "nixpkgs-unstable",
        "repo": "nixpkgs",
        "type": "github"
      }
    },
    "root": {
      "inputs": {` + extra + `
        "nixpkgs": "nixpkgs"
      }
    }
  },
  "root": "root",
  "version": 7
}
`
	}
	old, mid := lock("old", 100, ""), lock("mid", 200, "")
	for _, tc := range []struct {
		name, yours string
		want        Outcome
		written     string // "" when nothing is written
	}{
		{"yours is newer", lock("new", 300, ""), KeptNewer, ""},
		{"yours is as new, another revision", lock("other", 200, ""), KeptNewer, ""},
		{"yours is the templates'", mid, Unchanged, ""},
		{"yours is older, with an input of yours", lock("older", 150, `
        "mine": "mine",`), Merged, lock("mid", 200, `
        "mine": "mine",`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := Plan([]render.File{{Path: LockFile, Data: []byte(old)}}, []render.File{{Path: LockFile, Data: []byte(mid)}},
				func(string) ([]byte, bool, error) { return []byte(tc.yours), true, nil }, "x", nil, nil)
			if err != nil || len(entries) != 1 {
				t.Fatalf("Plan: %v, %v", entries, err)
			}
			e := entries[0]
			if e.Outcome != tc.want || e.Write != (tc.written != "") || string(e.Data) != tc.written {
				t.Errorf("outcome %q, write %v:\n%s\nwant %q, writing:\n%s", e.Outcome, e.Write, e.Data, tc.want, tc.written)
			}
		})
	}
	entries, err := Plan([]render.File{{Path: LockFile, Data: []byte(old)}}, []render.File{{Path: LockFile, Data: []byte(mid)}},
		func(string) ([]byte, bool, error) { return []byte("not a lock\n"), true, nil }, "x", nil, nil)
	if err != nil || len(entries) != 1 || entries[0].Outcome != Conflict {
		t.Errorf("a lock that is not JSON: %v, %v; want a conflict, merged by lines", entries, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
