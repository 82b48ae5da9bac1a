package answers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// FileName is where a project records its answers and its template set.
const FileName = ".gonix.json"

// File is the answers file (.gonix.json) that every generated project records,
// so it can be rendered again with --answers.
type File struct {
	Generator string `json:"generator"`
	Templates string `json:"templates,omitempty"` // the set's digest, after "custom " for a --templates set
	Answers
	// Manages are the files gonix-init wrote in a project it adopted, and
	// keeps current there; a generated project has none (every file is).
	Manages []string `json:"manages,omitempty"`
}

// Origin is what an answers file says made the project.
type Origin struct {
	Generator string // "gonix-init 0.2.0"
	Templates string // File.Templates; "" before 0.2.0
}

// ErrNotJSON is Read's error for a file that is not a JSON object at all
// (truncated, or not JSON): no field of it can be read.
var ErrNotJSON = errors.New("not a JSON object")

// Read decodes an answers file into a, field by field, and returns what
// made the project and the keys it answers. A field of the wrong type or an
// unknown field (a misspelt answer must not silently become a default) is
// an *Error naming the field. The kind of project is read into a.Kind;
// files from before gonix-init 0.8.0 have none, and read as adopted when
// they list the files gonix-init manages, which only adopt wrote, as new
// otherwise. Files of gonix-init 0.1.0, which listed github-actions among
// the tools, read as ci: github-actions. The answers are validated by the
// caller, after flags have overridden them.
func Read(r io.Reader, a *Answers) (origin Origin, answered []string, err error) {
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
			return origin, nil, fmt.Errorf("%w: it holds a JSON %s, where gonix-init writes an object of the answers", ErrNotJSON, te.Value)
		}
		return origin, nil, fmt.Errorf("%w (%v)", ErrNotJSON, err)
	}
	var errs []error
	if g, ok := raw["generator"]; ok {
		if err := json.Unmarshal(g, &origin.Generator); err != nil {
			errs = append(errs, invalid("generator", "want a string like \"gonix-init 0.1.0\""))
		}
	}
	if t, ok := raw["templates"]; ok {
		if err := json.Unmarshal(t, &origin.Templates); err != nil {
			errs = append(errs, invalid("templates", "want a string like \"sha256:...\""))
		}
	}
	errs = append(errs, readKind(raw, a))
	for key := range raw {
		if key != "generator" && key != "templates" && key != "manages" && key != "kind" && Lookup(key) == nil {
			errs = append(errs, invalid(key, "unknown field; the fields are generator, templates, kind, manages, %s", strings.Join(Keys(), ", ")))
		}
	}
	for _, q := range Questions {
		v, ok := raw[q.Key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(v, q.field(a)); err != nil {
			errs = append(errs, invalid(q.Key, "want %s, got %s", q.jsonType, v))
			continue
		}
		answered = append(answered, q.Key)
	}
	for _, q := range Questions {
		if q.upgrade != nil {
			answered = q.upgrade(a, answered)
		}
	}
	errs = slices.DeleteFunc(errs, func(e error) bool { return e == nil })
	slices.SortFunc(errs, func(x, y error) int { return strings.Compare(x.Error(), y.Error()) })
	return origin, answered, errors.Join(errs...)
}

// readKind reads the answers file's kind of project into a: recorded since
// 0.8.0; before, a file that lists the files gonix-init manages is an
// adopted project's.
func readKind(raw map[string]json.RawMessage, a *Answers) error {
	v, ok := raw["kind"]
	if !ok {
		a.Kind = New.Kind
		if _, manages := raw["manages"]; manages {
			a.Kind = Adopted.Kind
		}
		return nil
	}
	if err := json.Unmarshal(v, &a.Kind); err != nil || ProfileOf(a.Kind) == nil {
		return invalid("kind", "want %s, got %s", strings.Join(kinds(), " or "), v)
	}
	return nil
}
