package testenv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// Example is one rendered example project (examples/<Name>) and the
// answers in its .gonix.json.
type Example struct {
	Name    string
	Dir     string
	Answers answers.Answers
}

// Examples reads every example under dir (the repository's examples/).
func Examples(t testing.TB, dir string) []Example {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []Example
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		exDir := filepath.Join(dir, e.Name())
		f, err := os.Open(filepath.Join(exDir, ".gonix.json"))
		if err != nil {
			t.Fatalf("example %s has no answers file: %v", e.Name(), err)
		}
		a := answers.Default()
		_, _, err = answers.Read(f, &a)
		f.Close() //nolint:errcheck // read-only
		if err != nil {
			t.Fatalf("example %s: %v", e.Name(), err)
		}
		out = append(out, Example{e.Name(), exDir, a})
	}
	if len(out) < 3 {
		t.Fatalf("found %d examples in %s, want at least 3 (default, minimal, full)", len(out), dir)
	}
	return out
}
