package merge

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Rule merges what the templates write for a file (ours) into the file a
// project has of its own (yours), keeping all of yours: the file is the
// project's, and gonix-init adds to it only what its builds need. A
// profile names the files that merge so (answers.Profile's Merges); adopt
// and update apply the rule where the project has the file.
type Rule func(yours, ours []byte) ([]byte, error)

// Yours keeps yours as it is: a file the templates only seed, whose content
// is the project's data from then on. nix/version is one (a release bumps
// it), nix/vendor-hash.nix another (nix run .#vendor-hash writes it); what
// the templates write for it is a start, never an update.
func Yours(yours, _ []byte) ([]byte, error) { return yours, nil }

// Ours takes the templates' version whole: a seed that gonix-init writes
// again, when what it derives from changed (update writes
// nix/vendor-hash.nix anew when --build-info changes the build's kind of
// vendor derivation, whose hash the one kept is not).
func Ours(_, ours []byte) ([]byte, error) { return ours, nil }

// Lines adds the lines of ours that yours lacks at its end, under a
// comment that says where they come from ("# Added by gonix-init adopt"),
// and keeps yours as it is when it lacks none: a .gitignore.
func Lines(yours, ours []byte) ([]byte, error) {
	have := map[string]bool{}
	for _, l := range strings.Split(string(yours), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var add []string
	for _, l := range strings.Split(string(ours), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") && !have[t] {
			add = append(add, l)
			have[t] = true
		}
	}
	if len(add) == 0 {
		return yours, nil
	}
	out := bytes.TrimRight(slices.Clone(yours), "\n")
	out = append(out, "\n\n# Added by gonix-init adopt\n"...)
	return append(out, strings.Join(add, "\n")+"\n"...), nil
}

// Dependabot adds to a Dependabot configuration of yours the updates of
// ours that it lacks (an update is the same when its package-ecosystem and
// directory are), each as ours writes it, after yours' last update: every
// line of yours stays as it is, comments and all.
func Dependabot(yours, ours []byte) ([]byte, error) {
	var y, o yaml.Node
	if err := yaml.Unmarshal(yours, &y); err != nil {
		return nil, fmt.Errorf("it is not YAML (%v): fix it, or move it away", err)
	}
	if err := yaml.Unmarshal(ours, &o); err != nil {
		return nil, err
	}
	ourUpdates, _ := updates(&o)
	yourUpdates, next := updates(&y)
	if yourUpdates == nil {
		return nil, fmt.Errorf("it has no list of updates: add updates: [], or move it away")
	}
	var missing []*yaml.Node
	for _, u := range ourUpdates.Content {
		if !slices.ContainsFunc(yourUpdates.Content, func(v *yaml.Node) bool { return sameUpdate(u, v) }) {
			missing = append(missing, u)
		}
	}
	if len(missing) == 0 {
		return yours, nil
	}
	// Our updates, as ours writes them: its lines from the first update's to
	// the last one's, re-indented to yours' items.
	ourLines := strings.Split(string(ours), "\n")
	indent := itemIndent(yours, yourUpdates)
	var add []string
	for _, u := range missing {
		for _, l := range itemLines(ourLines, ourUpdates, u) {
			add = append(add, indent+strings.TrimPrefix(l, itemIndent(ours, ourUpdates)))
		}
	}
	lines := strings.Split(strings.TrimRight(string(yours), "\n"), "\n")
	at := len(lines) // after the list: before the next key of the top level, else at the end
	if next > 0 {
		at = next - 1
		for at > 0 && strings.TrimSpace(lines[at-1]) == "" {
			at--
		}
	}
	lines = slices.Insert(lines, at, add...)
	return []byte(strings.Join(lines, "\n") + "\n"), nil
}

// updates is the list of a Dependabot configuration's updates, and the line
// of the top-level key after it (0 when it is the last).
func updates(doc *yaml.Node) (*yaml.Node, int) {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, 0
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "updates" && m.Content[i+1].Kind == yaml.SequenceNode {
			next := 0
			if i+2 < len(m.Content) {
				next = m.Content[i+2].Line
			}
			return m.Content[i+1], next
		}
	}
	return nil, 0
}

// sameUpdate reports whether two updates are of one ecosystem and
// directory.
func sameUpdate(a, b *yaml.Node) bool {
	return field(a, "package-ecosystem") == field(b, "package-ecosystem") && dir(a) == dir(b)
}

// dir is an update's directory ("/" when it names none), without a
// trailing slash.
func dir(u *yaml.Node) string {
	d := field(u, "directory")
	if d == "" {
		d = "/"
	}
	if d != "/" {
		d = strings.TrimSuffix(d, "/")
	}
	return d
}

// field is the value of a mapping's key, or "".
func field(m *yaml.Node, key string) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1].Value
		}
	}
	return ""
}

// itemIndent is the white space before the "- " of a list's items in src.
func itemIndent(src []byte, list *yaml.Node) string {
	if len(list.Content) == 0 {
		return "  "
	}
	l := strings.Split(string(src), "\n")[list.Content[0].Line-1]
	return l[:strings.Index(l, "-")]
}

// itemLines are the lines of src (split) that write the item u of list:
// from its line to the line before the next item's, or, for the last, to
// the last line indented below its "- ".
func itemLines(src []string, list, u *yaml.Node) []string {
	i := slices.Index(list.Content, u)
	from, to := u.Line-1, 0
	if i+1 < len(list.Content) {
		to = list.Content[i+1].Line - 1
	} else {
		indent := leading(src[from])
		for to = from + 1; to < len(src); to++ {
			if strings.TrimSpace(src[to]) != "" && leading(src[to]) <= indent {
				break
			}
		}
	}
	for to > from && strings.TrimSpace(src[to-1]) == "" {
		to--
	}
	return src[from:to]
}

// leading counts the spaces a line starts with.
func leading(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
