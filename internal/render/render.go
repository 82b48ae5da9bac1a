// Package render turns Answers into the files of a new project, in memory.
//
// It reads templates from an fs.FS and touches no disk, so the same answers
// give the same bytes on any machine, and a template error writes nothing.
// Every *.tmpl file renders to the path without .tmpl; a file whose output is
// empty (or only white space) is not part of the project, which is how a
// template makes itself conditional on the answers.
package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"go/scanner"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/rogpeppe/go-internal/txtar"
	"go.yaml.in/yaml/v3"
)

// File is one rendered file of the project.
type File struct {
	Path string      // slash-separated, relative to the project root
	Data []byte      // contents
	Mode fs.FileMode // permission bits
}

// Render validates the answers and renders every template in templates,
// returning the files in lexical order of their paths.
func Render(a answers.Answers, templates fs.FS, options ...func(*Data)) ([]File, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	set, err := Files(templates)
	if err != nil {
		return nil, err
	}
	digest := func(d *Data) { d.Templates = DigestOf(set) }
	data := NewData(a, append([]func(*Data){digest}, options...)...)
	// The answers file is rendered last, so that an adopted project's can
	// list the files gonix-init manages; it keeps its place among them.
	profile := a.Profile()
	rendered := make([]*File, len(set))
	record := slices.IndexFunc(set, func(t txtar.File) bool { return t.Name == answers.FileName+".tmpl" })
	for i, t := range set {
		if i == record || !profile.Owns(profile.PathOf(strings.TrimSuffix(t.Name, ".tmpl"))) {
			continue
		}
		f, err := renderFile(t.Name, t.Data, data)
		if err != nil {
			return nil, err
		}
		rendered[i] = f
	}
	if record >= 0 {
		if profile.Manages != nil {
			data.Manages = slices.Sorted(slices.Values(append(renderedPaths(rendered), answers.FileName)))
		}
		f, err := renderFile(set[record].Name, set[record].Data, data)
		if err != nil {
			return nil, err
		}
		rendered[record] = f
	}
	var files []File
	for _, f := range rendered {
		if f != nil {
			files = append(files, *f)
		}
	}
	if len(files) == 0 {
		return nil, errors.New("render: the templates produced no files (is the template directory laid out like templates/?)")
	}
	return files, nil
}

// renderedPaths are the paths of the files rendered, in order.
func renderedPaths(files []*File) []string {
	var out []string
	for _, f := range files {
		if f != nil {
			out = append(out, f.Path)
		}
	}
	return out
}

// renderFile renders one template; it returns nil for an empty output.
func renderFile(name string, src []byte, data Data) (*File, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(Funcs).Parse(string(src))
	if err != nil {
		if line := unclosedAction(string(src)); line > 0 && strings.Contains(err.Error(), "unexpected EOF") {
			return nil, fmt.Errorf("%w (the action opened on line %d is never closed with {{end}})", err, line)
		}
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(src)) // a file is about the size of its template
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(buf.Bytes())) == 0 {
		return nil, nil
	}
	// What a template produces is checked by Check: for a custom set at
	// every render, for the embedded set by the tests (golden files, the
	// examples built and tested, FuzzRender over any answers), so a user's
	// render does not parse Go it is known to produce.
	return &File{Path: data.Profile().PathOf(strings.TrimSuffix(name, ".tmpl")), Data: buf.Bytes(), Mode: 0o644}, nil
}

// Funcs are the functions templates can call besides text/template's own.
// They quote values for the file being written: validation already refuses
// answers that would need it, and these are the second line of defence.
var Funcs = template.FuncMap{
	"nix":    Nix,
	"gostr":  strconv.Quote,
	"yaml":   YAML,
	"json":   JSON,
	"goarch": GoArch,
	"runner": Runner,
	"shell":  answers.ShellQuote,
	"join":   strings.Join,
}

// Nix quotes s as a Nix string literal: `"`, `\` and `${` are escaped, so
// the value can never end the string or interpolate.
func Nix(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			b.WriteString(`\$`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// YAML quotes s as a YAML double-quoted scalar (JSON's string syntax is a
// subset of it, and escapes every control character).
func YAML(s string) string {
	q, _ := JSON(s) // a string always encodes
	return q
}

// JSON encodes v as indented JSON without HTML escaping.
func JSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// GoArch returns the GOARCH of a system's Linux image, from its row of
// answers.AllSystems.
func GoArch(system string) (string, error) {
	c, ok := answers.System(system)
	if !ok {
		return "", fmt.Errorf("goarch: unknown system %q", system)
	}
	return c.GoArch, nil
}

// Runner returns the GitHub Actions runner label whose machine is system
// natively, from its row of answers.AllSystems.
func Runner(system string) (string, error) {
	c, ok := answers.System(system)
	if !ok {
		return "", fmt.Errorf("runner: unknown system %q", system)
	}
	return c.Runner, nil
}

// actionRE finds the template actions that open a block or end one. It is
// compiled on the first broken template, not at every start.
var actionRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\{\{-?\s*(if|range|with|block|define|end)\b`)
})

// unclosedAction returns the line of the last block action in src that no
// {{end}} closes, or 0. text/template reports an unclosed block at the end
// of the file; the line it was opened on is where to look.
func unclosedAction(src string) int {
	var open []int
	for _, m := range actionRE().FindAllStringSubmatchIndex(src, -1) {
		line := 1 + strings.Count(src[:m[0]], "\n")
		if src[m[2]:m[3]] == "end" {
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		} else {
			open = append(open, line)
		}
	}
	if len(open) == 0 {
		return 0
	}
	return open[len(open)-1]
}

// Check checks that rendered files are well-formed for their kind, as the
// tests check the embedded templates' output: Go parses and is gofmt'd,
// YAML and JSON parse. (Nix is checked by the caller, with Nix.) The error
// names the file and the line.
func Check(files []File) error {
	var errs []error
	for _, f := range files {
		switch path.Ext(f.Path) {
		case ".go":
			formatted, err := format.Source(f.Data)
			switch {
			case err != nil:
				where, msg := f.Path, err.Error()
				var list scanner.ErrorList
				if errors.As(err, &list) && len(list) > 0 {
					where, msg = fmt.Sprintf("%s:%d:%d", f.Path, list[0].Pos.Line, list[0].Pos.Column), list[0].Msg
				}
				errs = append(errs, fmt.Errorf("%s: not valid Go: %s", where, msg))
			case !bytes.Equal(formatted, f.Data):
				errs = append(errs, fmt.Errorf("%s: not gofmt'd; run gofmt on the template's output", f.Path))
			}
		case ".yaml", ".yml":
			var v any
			if err := yaml.Unmarshal(f.Data, &v); err != nil {
				errs = append(errs, fmt.Errorf("%s: not valid YAML: %v", f.Path, strings.TrimPrefix(err.Error(), "yaml: ")))
			}
		case ".json":
			var v any
			if err := json.Unmarshal(f.Data, &v); err != nil {
				errs = append(errs, fmt.Errorf("%s: not valid JSON: %v", f.Path, err))
			}
		}
	}
	return errors.Join(errs...)
}
