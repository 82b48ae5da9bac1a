package main

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestLayers keeps the floors apart: the command maps a run's end to an
// exit code through internal/exit, not by knowing update's or scaffold's
// errors, and the form wraps exit's ErrAborted, not the session's.
func TestLayers(t *testing.T) {
	const module = "github.com/gonix-init/gonix-init/"
	for dir, banned := range map[string][]string{
		".":                   {"internal/update", "internal/scaffold"},
		"../../internal/form": {"internal/session"},
	} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if slices.Contains(banned, strings.TrimPrefix(path, module)) {
					t.Errorf("%s imports %s", file, path)
				}
			}
		}
	}
}
