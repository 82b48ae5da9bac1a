package main

import (
	"go/ast"
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

// TestFormReadsFields keeps the form on its one view of the questions:
// answers.Fields, never the question table (answers.Questions, Lookup,
// the Question type), so that a change of the table cannot reach into it.
func TestFormReadsFields(t *testing.T) {
	files, err := filepath.Glob("../../internal/form/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, isID := sel.X.(*ast.Ident); isID && id.Name == "answers" &&
				slices.Contains([]string{"Questions", "Lookup", "Question"}, sel.Sel.Name) {
				t.Errorf("%s uses answers.%s: the form reads answers.Fields", file, sel.Sel.Name)
			}
			return true
		})
	}
}
