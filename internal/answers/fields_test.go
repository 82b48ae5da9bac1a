package answers

import (
	"slices"
	"testing"
)

// TestFields checks the form's view of the table: the questions the
// profile asks, less those given, in the table's order, each with its
// kind, its answer as text, its note and its parse.
func TestFields(t *testing.T) {
	a := Default()
	a.Ports = []int{80}
	fields := Fields(a, map[string]bool{"module": true})
	var keys, want []string
	for _, f := range fields {
		keys = append(keys, f.Key)
	}
	for _, q := range Questions {
		if q.Key != "module" && a.Profile().Asks(q) {
			want = append(want, q.Key)
		}
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("Fields = %v, want %v", keys, want)
	}
	for _, f := range fields {
		q := Lookup(f.Key)
		kind := Text
		if q.Options(a) != nil {
			kind = Choose
			if q.Multi {
				kind = List
			}
		}
		if f.Kind != kind || f.Title != q.Title || f.Text != q.Format(a) || f.Default != a.Profile().DefaultText(q) {
			t.Errorf("%s: %+v does not show the question as the table has it", f.Key, f)
		}
		if f.Kind == List && f.ListText(f.Values) != f.Text {
			t.Errorf("%s: ListText(Values) = %q, want %q", f.Key, f.ListText(f.Values), f.Text)
		}
		var b Answers
		if f.Follows != "" && f.Text == "" {
			continue // derived: nothing to parse until the answer it follows is
		}
		if err := f.Parse(&b, f.Text); err != nil || q.Format(b) != f.Text {
			t.Errorf("%s: Parse(Text) = %v, %q", f.Key, err, q.Format(b))
		}
	}
	ports := fields[slices.IndexFunc(fields, func(f Field) bool { return f.Key == "ports" })]
	if ports.Note == nil || ports.Note("80") == "" || ports.Note("8080") != "" {
		t.Errorf("ports: the note on 80 and 8080 = %q, %q; want one on the low port alone", ports.Note("80"), ports.Note("8080"))
	}
	name := fields[slices.IndexFunc(fields, func(f Field) bool { return f.Key == "name" })]
	if name.Follows != "module" {
		t.Errorf("name follows %q, want module", name.Follows)
	}
}
