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
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/version"
	"github.com/rogpeppe/go-internal/txtar"
	"go.yaml.in/yaml/v3"
)

// File is one rendered file of the project.
type File struct {
	Path string      // slash-separated, relative to the project root
	Data []byte      // contents
	Mode fs.FileMode // permission bits
}

// Data is what templates see as dot: the answers, and what follows from them.
type Data struct {
	answers.Answers

	Version  string     // the project's first version, which nix/version holds until a release
	GoBinary string     // the name `go install` gives the binary; the flake renames it to Name
	Source   string     // the repository's address, from the module path, or ""
	Pin      nixpin.Pin // the nixpkgs revision in flake.lock, and the go line it implies
	// GoLine is go.mod's go line: Pin.GoLine for a generated go.mod, the
	// project's own for one gonix-init adopted (WithGoLine). Go is the Go
	// of the pin that nix/go.nix picks for it, nil when the pin has none
	// new enough (GoTooNew then says what to do).
	GoLine   string
	Go       *nixpin.Go
	GoTooNew error
	// Templates identifies the template set: its digest (Digest),
	// after "custom " when it is not gonix-init's own (--templates).
	Templates string
	// Manages are the files gonix-init wrote in a project whose profile
	// manages only some (Profile.Manages: an adopted one), for .gonix.json,
	// which is rendered after them; nil where it writes every file.
	Manages []string
}

// AnswersFile is the content of .gonix.json: the answers, the generator and
// the template set that made the project, which `gonix-init update` needs.
func (d Data) AnswersFile() answers.File {
	return answers.File{Generator: version.Generator(), Templates: d.Templates, Answers: d.Answers, Manages: d.Manages}
}

// Custom marks the render as made from a custom template set.
func Custom(d *Data) { d.Templates = "custom " + d.Templates }

// Has reports whether the answers choose the tool. For the template set of
// gonix-init 0.1.0, which `update` renders as the base of a merge, the CI
// workflow was a tool: Has("github-actions") is the CI choice.
func (d Data) Has(tool string) bool {
	return d.Answers.Has(tool) || (tool == answers.GitHubActions && d.CI == answers.GitHubActions)
}

// Workflow is the path of gonix-init's CI workflow name ("ci") in the
// project: the profile's prefix names it beside a project's own.
func (d Data) Workflow(name string) string {
	return d.Profile().PathOf(".github/workflows/" + name + ".yml")
}

// WorkflowName is the name a workflow of gonix-init's shows on GitHub: its
// file's name without .yml.
func (d Data) WorkflowName(name string) string { return d.Profile().Workflows + name }

// StartCommit is the first commit's command and why (answers.StartCommit).
func (Data) StartCommit() answers.Step { return answers.StartCommit }

// LowPortNote is answers.LowPortNote of the ports, or "".
func (d Data) LowPortNote() string { return answers.LowPortNote(d.Ports) }

// SubPackages are the main packages an adopted project builds, for
// buildGoModule's subPackages, the module's root alone included: without
// them nixpkgs builds every directory with Go files, those of a module
// nested in the project too, which the root module does not hold. Nil for
// a generated project, which builds its one package.
func (d Data) SubPackages() []string { return d.Packages }

// XFlags are the build's -X flags, as Nix strings of flake.nix: for a
// generated project its main.version, main.commit and main.date; for an
// adopted one its stamps (answers.Answers.Stamps), each set to a value of
// flake.nix (version, v and version, commit, shortCommit, date, timestamp) or to its own
// text.
func (d Data) XFlags() []string {
	stamps := d.Stamps
	if !d.Adopted() {
		stamps = []string{"main.version=version", "main.commit=commit", "main.date=date"}
	}
	values := map[string]string{"version": "${version}", "tag": "v${version}", "commit": "${commit}", "short-commit": "${shortCommit}", "date": "${date}", "timestamp": "${timestamp}"}
	var out []string
	for _, stamp := range stamps {
		variable, source, err := answers.ParseStamp(stamp)
		if err != nil {
			continue // Validate refused it
		}
		value, ok := values[source]
		if !ok {
			value = source // a text: ParseStamp lets no quote, $ or \ through
		}
		out = append(out, `"-X `+variable+"="+value+`"`)
	}
	return out
}

// Platform is a platform of the release: GOOS and GOARCH.
type Platform struct{ GOOS, GOARCH string }

// Attr is the platform as the name of the release's build of it: linux_amd64.
func (p Platform) Attr() string { return p.GOOS + "_" + p.GOARCH }

// Platforms are the release's platforms (answers.Answers.Release).
func (d Data) Platforms() []Platform {
	var out []Platform
	for _, p := range d.Release {
		goos, goarch, _ := strings.Cut(p, "/")
		out = append(out, Platform{goos, goarch})
	}
	return out
}

// ArchiveGlobs are the file patterns of the release's archives: *.tar.gz
// when a platform is not Windows, *.zip when one is.
func (d Data) ArchiveGlobs() []string {
	var globs []string
	for _, p := range d.Platforms() {
		glob := "*.tar.gz"
		if p.GOOS == "windows" {
			glob = "*.zip"
		}
		if !slices.Contains(globs, glob) {
			globs = append(globs, glob)
		}
	}
	return globs
}

// ShellTools are the dev-shell tools, under the name the template set of
// gonix-init 0.1.0 uses (now .Tools).
func (d Data) ShellTools() []string { return d.Tools }

// NewData returns the template data for valid answers, changed by
// options (Custom, WithGoLine, WithPin): for a go.mod with the pin's own go
// line unless WithGoLine says otherwise, and the Go the flake picks for it.
func NewData(a answers.Answers, options ...func(*Data)) Data {
	version := "0.1.0"
	if a.Adopted() {
		version = "0.0.0" // until adopt writes the project's latest tag
	}
	d := Data{
		Answers:  a,
		Version:  version,
		GoBinary: a.Binary(),
		Source:   answers.Source(a.Module),
		Pin:      nixpin.Nixpkgs,
	}
	for _, o := range options {
		if o != nil {
			o(&d)
		}
	}
	if d.GoLine == "" {
		d.GoLine = d.Pin.GoLine
	}
	if g, err := d.Pin.GoFor(d.GoLine); err != nil {
		d.GoTooNew = err
	} else {
		d.Go = &g
	}
	return d
}

// WithGoLine renders for a go.mod whose go line is line (a project's own:
// adopt and update read it).
func WithGoLine(line string) func(*Data) {
	return func(d *Data) { d.GoLine = line }
}

// WithPin renders with the nixpkgs pin p in place of gonix-init's: the pin
// of the version that made a project, for update's base.
func WithPin(p nixpin.Pin) func(*Data) {
	return func(d *Data) { d.Pin = p }
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
