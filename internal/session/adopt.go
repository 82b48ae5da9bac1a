package session

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/detect"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
	"github.com/gonix-init/gonix-init/internal/version"
)

// Adopt is the session of gonix-init adopt [flags] [DIR]: the Go project in
// o.Dir taken up (the Adopted profile), its own files kept. What stops a
// static Nix build of it stops the run before any question. What it reads
// of the project (its packages, its .gitignore, a go.work above it, its
// modules' hash) it reads once, here.
func Adopt(e Env, o *Options) (Session, error) {
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	if err := usage.ProjectDir(e.FS, o.Dir); err != nil {
		return Session{}, err
	}
	if err := gonixAlready(e.FS, o.Dir, o.Force); err != nil {
		return Session{}, err
	}
	p, err := Detect(e.FS, o.Dir)
	if err != nil {
		return Session{}, err
	}
	// The project's own files that gonix-init's merge into.
	own := map[string][]byte{}
	for path := range answers.Adopted.Merges {
		data, err := afero.ReadFile(e.FS, filepath.Join(o.Dir, filepath.FromSlash(path)))
		switch {
		case err == nil:
			own[path] = data
		case !errors.Is(err, afero.ErrFileNotFound):
			return Session{}, err
		}
	}
	vendor, err := vendorHashOf(context.Background(), e, o.Dir, p)
	if err != nil {
		return Session{}, err
	}
	start := adopting(p, o.Flags)
	if len(start.Packages) == 0 {
		return Session{}, noMainWithout(o.Dir, p)
	}
	version, tag := "0.0.0", e.Git.LatestTag(context.Background(), o.Dir)
	if tag != "" {
		version = strings.TrimPrefix(tag, "v")
	}
	a, given, err := Collect(e.FS, Sources{Base: start, Flags: o.Flags, CanAsk: e.canAsk(o)})
	if len(p.Mains) == 1 {
		given["packages"], given["main"] = true, true // nothing to choose
	}
	return Session{
		Env: e, Prompt: e.prompter(o), Answers: a, Given: given, DryRun: o.DryRun, GitInit: o.Git,
		Planner: adoption{env: e, opts: o, templates: tmpl, project: p, start: start, own: own,
			vendor: vendor, work: goWork(e.FS, o.Dir), unseen: map[string][]string{}, version: version, tag: tag},
	}, err
}

// adopting is the answers adopt starts from in project p: GoReleaser's
// tags, and the main packages its defaults build with the tags the flags
// give (or those); the form offers every main package.
func adopting(p *detect.Project, flags map[string]string) answers.Answers {
	var tags []string
	if p.Release != nil {
		tags = p.Release.Tags
	}
	start := answers.Adopting(p.Module, nil, tags)
	if text, ok := flags["tags"]; ok {
		given := start
		if answers.Lookup("tags").Parse(&given, text) == nil {
			tags = given.Tags
		}
	}
	start.Packages, _ = p.Defaults(tags)
	stamps, _ := p.Stamps()
	for _, st := range stamps {
		start.Stamps = append(start.Stamps, st.String())
	}
	for _, m := range p.Mains {
		about := ""
		switch {
		case len(m.Tags) > 0:
			about = "needs --tags " + strings.Join(m.Tags, ",")
		case m.Helper != "":
			about = "a helper, under " + m.Helper + "/"
		}
		start.Mains = append(start.Mains, answers.Choice{Value: m.Dir, About: about})
	}
	return start
}

// noMainWithout is the refusal of a module whose main packages all need
// build tags that were not given: it names them, and the tags.
func noMainWithout(dir string, p *detect.Project) error {
	var each []string
	for _, m := range p.Mains {
		tags := "tag " + m.Tags[0]
		if len(m.Tags) > 1 {
			tags = "tags " + strings.Join(m.Tags, ", ")
		}
		each = append(each, fmt.Sprintf("%s is one with the build %s: give --tags %s", m.Dir, tags, strings.Join(m.Tags, ",")))
	}
	return usage.Errorf("%s: no main package without build tags; %s", dir, strings.Join(each, "; "))
}

// Detect reads the project in dir (internal/detect), and refuses, as a
// usage error that says what to do, one that a flake cannot build as
// gonix-init's do: no go.mod, a replace that leaves the project, a go.sum
// without its checksums, or no main package. Its go line is no reason to
// refuse: the flake builds with the Go of nixpkgs it asks for (and the
// toolchain line is only a preference, which Nix's builds ignore), or,
// when the pinned nixpkgs has none new enough, says so; the plan says
// which (goNote).
func Detect(fsys afero.Fs, dir string) (*detect.Project, error) {
	root := afero.NewIOFS(fsys)
	if filepath.Clean(dir) != "." { // a base path of "." holds nothing
		root = afero.NewIOFS(afero.NewBasePathFs(fsys, dir))
	}
	p, err := detect.Read(root)
	if err != nil {
		return nil, usage.Errorf("%s: %v", dir, err)
	}
	return p, nil
}

// goWork is the go.work in dir or the nearest above it (as a path from
// dir: ../go.work), "" for none: the workspace a go command there builds
// in.
func goWork(fsys afero.Fs, dir string) string {
	if _, err := fsys.Stat(filepath.Join(dir, "go.work")); err == nil {
		return "go.work"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if _, err := fsys.Stat(filepath.Join(d, "go.work")); err == nil {
			rel, _ := filepath.Rel(abs, filepath.Join(d, "go.work"))
			return rel
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// adoption is adopt's planner: the files the Adopted profile manages,
// planned into the project. An existing file is replaced only with
// --force, one the profile merges into (.gitignore, Dependabot's
// configuration) gets what it lacks, and nix/vendor-hash.nix the modules'
// hash, computed offline when it can be.
type adoption struct {
	env       Env
	opts      *Options
	templates Templates
	project   *detect.Project
	start     answers.Answers   // the answers adopt found, before any was given
	own       map[string][]byte // the project's own files of the profile's Merges, by path
	vendor    vendorHash
	work      string              // the go.work the module is in, or ""
	unseen    map[string][]string // the embedded files a flake would not see, by the files asked about
	version   string              // nix/version: the latest tag's, or 0.0.0
	tag       string              // that tag, or ""
}

// vendorHash is nix/vendor-hash.nix as adopt can write it: its content,
// or, when it could not be computed here, "" and why.
type vendorHash struct{ content, note string }

// Plan renders the managed files and plans them into the project. A plan
// that would replace a file of the project's (but .gitignore) without
// --force, or build a package that is not a main one with its tags, needs
// cgo, or embeds what go build refuses, is refused.
func (p adoption) Plan(ctx context.Context, a answers.Answers) (plan.Plan, error) {
	pl := plan.Plan{Steps: p.steps(a), Confirm: "Write the files?", Done: "Created", Line: AdoptLine(a, p.start, p.opts)}
	if err := p.check(a); err != nil {
		return plan.Refuse(pl, err), nil
	}
	goLine := render.WithGoLine(p.project.Go)
	files, err := p.env.Render(a, p.templates, goLine)
	if refusal(err) {
		return plan.Refuse(pl, err), nil
	} else if err != nil {
		return pl, err
	}
	if pl.Notes, err = p.notes(ctx, a, render.NewData(a, goLine)); err != nil {
		return pl, err
	}
	for i, f := range files {
		if own, ok := p.own[f.Path]; ok {
			if files[i].Data, err = a.Profile().Merges[f.Path](own, f.Data); err != nil {
				return plan.Refuse(pl, usage.Errorf("%s: adopt adds to your %s what gonix-init needs, but %v", p.opts.Dir, f.Path, err)), nil
			}
		}
		if _, ok := p.own[f.Path]; ok {
			continue
		}
		switch f.Path {
		case "nix/vendor-hash.nix":
			if p.vendor.content != "" {
				files[i].Data = []byte(p.vendor.content + "\n")
			}
		case "nix/version":
			files[i].Data = []byte(p.version + "\n")
		}
	}
	if pl.Writes, err = scaffold.NewPlan(p.env.FS, p.opts.Dir, files, true); err != nil {
		return pl, err
	}
	if there := p.replaced(pl.Writes); len(there) > 0 && !p.opts.Force {
		it := them(there, "it", "them")
		return plan.Refuse(pl, usage.Errorf("%s: %s already there (diff above): adopt writes %s; move %s away, or add --force to replace %s",
			p.opts.Dir, strings.Join(there, ", "), it, it, it)), nil
	}
	return pl, nil
}

// steps are the next steps: the profile's, and first the vendor hash when
// adopt could not compute it. They come after the first commit, so the
// hash gets a commit of its own, which leaves the tree clean for the build
// (a dirty tree stamps no commit).
func (p adoption) steps(a answers.Answers) []answers.Step {
	steps := a.Profile().NextSteps(a)
	if p.vendor.content == "" {
		i := slices.IndexFunc(steps, func(s answers.Step) bool { return strings.HasPrefix(s.Cmd, "nix build") })
		steps = slices.Insert(steps, max(i, 0),
			answers.Step{Cmd: "nix run .#vendor-hash", Why: "writes nix/vendor-hash.nix, which adopt could not compute"},
			answers.Step{Cmd: "git commit -am " + answers.ShellQuote("Write nix/vendor-hash.nix"), Why: "the build stamps a clean tree's commit"})
	}
	return steps
}

// replaced are the files of the project's own the plan would replace:
// all but those it adds to (the profile's Merges).
func (p adoption) replaced(writes *scaffold.Plan) []string {
	var there []string
	for _, s := range writes.Steps {
		if _, merged := p.own[s.File.Path]; s.Action == scaffold.Replace && !merged {
			there = append(there, s.File.Path)
		}
	}
	return there
}

// them is one or many, for how many names there are.
func them(names []string, one, many string) string {
	if len(names) == 1 {
		return one
	}
	return many
}

// check refuses packages that are not the project's main packages with
// the build tags given (naming the tags one needs), one that needs cgo,
// which a static build (CGO_ENABLED=0) leaves out, and a //go:embed
// pattern go build refuses.
func (p adoption) check(a answers.Answers) error {
	for _, pkg := range a.Packages {
		m, ok := p.project.Main(pkg)
		switch {
		case !ok:
			return usage.Errorf("--packages: %s is not a main package of %s; its main packages are %s",
				pkg, p.project.Module, strings.Join(p.project.MainsWith(a.Tags), ", "))
		case !slices.Contains(p.project.MainsWith(a.Tags), pkg):
			return usage.Errorf("--packages: %s is a main package only with the build tags %s: give --tags %s",
				pkg, strings.Join(m.Tags, ", "), strings.Join(union(a.Tags, m.Tags), ","))
		}
		cgo, err := p.project.Cgo(pkg, a.Tags)
		if err != nil {
			return err
		}
		if len(cgo) > 0 {
			return usage.Errorf("%s: the main package %s needs cgo (import \"C\" in %s), and gonix-init builds static binaries with CGO_ENABLED=0, "+
				"which would leave those files out; build the others with --packages, or give the package a pure-Go build first", p.opts.Dir, pkg, strings.Join(cgo, ", "))
		}
	}
	if _, err := p.project.Embeds(a.Packages, a.Tags); err != nil {
		return usage.Errorf("%s: go build would refuse a //go:embed pattern: %v; make the pattern match a file of the project (or give --packages without that package)",
			p.opts.Dir, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return nil
}

// helpersOnly reports whether every one of dirs is a helper's.
func helpersOnly(p *detect.Project, dirs []string) bool {
	for _, d := range dirs {
		if m, _ := p.Main(d); m.Helper == "" {
			return false
		}
	}
	return len(dirs) > 0
}

// union is a with the items of b it lacks.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// notes say what the plan cannot show: the Go the flake builds with, where
// the defaults came from, the workspace left out, a vendorHash not
// computed, and files embedded that the flake would not see.
func (p adoption) notes(ctx context.Context, a answers.Answers, d render.Data) ([]string, error) {
	notes := []string{goNote(d)}
	if r := p.project.Release; r != nil && len(r.Mains) > 0 && slices.Equal(a.Packages, p.start.Packages) {
		notes = append(notes, fmt.Sprintf("builds %s, the main packages of %s's builds", strings.Join(a.Packages, ", "), r.File))
	} else if dirs, left := p.project.Defaults(a.Tags); slices.Equal(a.Packages, p.start.Packages) {
		switch {
		case len(left) > 0:
			notes = append(notes, fmt.Sprintf("leaves out %s: helpers (under %s/), not programs to ship; --packages builds them too",
				strings.Join(left, ", "), strings.Join(detect.Helpers, "/, ")))
		case helpersOnly(p.project, dirs):
			notes = append(notes, fmt.Sprintf("builds %s: helpers (under %s/), but the only main packages here", strings.Join(dirs, ", "), strings.Join(detect.Helpers, "/, ")))
		}
	}
	for _, m := range p.project.Mains {
		if !slices.Contains(p.project.MainsWith(a.Tags), m.Dir) {
			notes = append(notes, fmt.Sprintf("%s is a main package only with the build tags %s: --tags %s builds it",
				m.Dir, strings.Join(m.Tags, ", "), strings.Join(union(a.Tags, m.Tags), ",")))
		}
	}
	if r := p.project.Release; r != nil && len(a.Tags) > 0 && slices.Equal(a.Tags, p.start.Tags) {
		notes = append(notes, fmt.Sprintf("builds and tests with the tags %s, from %s", strings.Join(a.Tags, ", "), r.File))
	}
	notes = append(notes, p.versionNotes(a)...)
	if p.work != "" {
		notes = append(notes, fmt.Sprintf("%s puts this module in a Go workspace: the flake builds it alone (GOWORK=off), from its own go.mod and go.sum", p.work))
	}
	if p.vendor.note != "" {
		notes = append(notes, p.vendor.note)
	}
	unseen, err := p.unseenEmbeds(ctx, a)
	return append(notes, unseen...), err
}

// versionNotes say where nix/version and the stamps come from, which -X
// flags of the project's own build the flake cannot give, and warn of a
// stamp whose variable Go would leave as it is.
func (p adoption) versionNotes(a answers.Answers) []string {
	notes := []string{"nix/version: 0.0.0, for the project has no tag like v1.2.3 yet"}
	if p.tag != "" {
		notes[0] = fmt.Sprintf("nix/version: %s, from the latest tag, %s", p.version, p.tag)
	}
	stamps, skipped := p.project.Stamps()
	found := slices.Equal(a.Stamps, p.start.Stamps) // not replaced by --stamps
	if len(stamps) > 0 && found {
		notes = append(notes, fmt.Sprintf("stamps %s with -X, from %s", strings.Join(a.Stamps, ", "), stamps[0].From))
	}
	if len(skipped) > 0 && found {
		notes = append(notes, fmt.Sprintf("leaves out -X %s: a value the flake cannot give (--stamps sets what it can)", strings.Join(skipped, ", -X ")))
	}
	for _, stamp := range a.Stamps {
		variable, _, _ := answers.ParseStamp(stamp)
		if why := p.project.CheckStamp(variable, a.Packages, a.Tags); why != "" {
			notes = append(notes, plan.Warning(fmt.Sprintf("-X %s sets nothing: %s, and go build leaves such a flag unused without a word; fix --stamps", variable, why)))
		}
	}
	return notes
}

// unseenEmbeds warns of each //go:embed pattern of a package built that
// takes in files a flake would not see (git does not track them, or
// .gitignore lists them): the Nix build would embed less, or fail.
func (p adoption) unseenEmbeds(ctx context.Context, a answers.Answers) ([]string, error) {
	embeds, _ := p.project.Embeds(a.Packages, a.Tags) // check refused the errors
	var all []string
	for _, e := range embeds {
		all = append(all, e.Files...)
	}
	key := strings.Join(all, "\x00")
	unseen, ok := p.unseen[key]
	if !ok {
		var err error
		if unseen, err = p.env.Git.Unseen(ctx, p.opts.Dir, all); err != nil {
			return nil, err
		}
		p.unseen[key] = unseen
	}
	var notes []string
	for _, e := range embeds {
		var missing []string
		for _, f := range e.Files {
			if slices.Contains(unseen, f) {
				missing = append(missing, f)
			}
		}
		if len(missing) == 0 {
			continue
		}
		shown := missing[:min(len(missing), 3)]
		more := ""
		if len(missing) > 3 {
			more = fmt.Sprintf(" and %d more", len(missing)-3)
		}
		notes = append(notes, plan.Warning(fmt.Sprintf("%s embeds %s (//go:embed %s), which git does not track or .gitignore lists: "+
			"the flake builds only what git tracks, so its build would not have them. Build them in the flake (a preBuild step in flake.nix), "+
			"or commit them (git add -f %s)", e.Package, strings.Join(shown, ", ")+more, e.Pattern, strings.Join(shown, " "))))
	}
	return notes, nil
}

// vendorHashOf is nix/vendor-hash.nix for the project in dir: null for one
// that keeps its modules in vendor/, else the hash the module cache gives
// (e.VendorHash), or why it cannot be computed here. A go.sum without a
// checksum the build needs is refused, with the command that adds it.
func vendorHashOf(ctx context.Context, e Env, dir string, p *detect.Project) (vendorHash, error) {
	if p.Vendored {
		return vendorHash{content: vendorhash.None}, nil
	}
	later := "run nix run .#vendor-hash, which writes it"
	if e.VendorHash == nil {
		return vendorHash{note: "nix/vendor-hash.nix holds null: it is not computed here; " + later}, nil
	}
	hash, err := e.VendorHash(ctx, dir, p.Go)
	switch {
	case err != nil && strings.Contains(err.Error(), "missing go.sum entry"):
		return vendorHash{}, usage.Errorf("%s: go.sum lacks a checksum the build needs (go mod vendor: %s): run go mod tidy (GOWORK=off go mod tidy in a workspace), "+
			"and commit go.sum; adopt does not change go.sum, which is yours", dir, firstLine(err))
	case errors.Is(err, vendorhash.ErrNoGo):
		return vendorHash{note: fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)}, nil
	case errors.Is(err, vendorhash.ErrNotCached):
		return vendorHash{note: "nix/vendor-hash.nix holds null: the modules go.mod requires are not all in the module cache (go mod download fetches them); " + later}, nil
	case err != nil:
		return vendorHash{note: fmt.Sprintf("nix/vendor-hash.nix holds null: %v; %s", err, later)}, nil
	}
	return vendorHash{content: hash}, nil
}

// firstLine is the line of err that says "missing go.sum entry".
func firstLine(err error) string {
	for _, l := range strings.Split(err.Error(), "\n") {
		if strings.Contains(l, "missing go.sum entry") {
			_, after, _ := strings.Cut(l, "go: ")
			return strings.TrimSpace(after)
		}
	}
	return err.Error()
}

// goNote says which Go the flake builds the project with, for its go
// line, and why when it is not pkgs.go; or, when no Go of the pin is new
// enough, what to do.
func goNote(d render.Data) string {
	switch {
	case d.GoTooNew != nil:
		return d.GoTooNew.Error() + " (nix/README.md says more)"
	case d.Go.Attr != d.Pin.Go().Attr:
		return fmt.Sprintf("go.mod's go line asks for Go %s, newer than the pinned nixpkgs' pkgs.go (%s): the flake builds with %s (nix/go.nix picks it)",
			d.GoLine, d.Pin.Go().Version, d.Go)
	}
	return fmt.Sprintf("go.mod's go line asks for Go %s: the flake builds with %s of the pinned nixpkgs", d.GoLine, d.Go)
}

// AdoptLine is the command line that adopts the project as the run did,
// without asking: as InitLine, for the answers adopt asks (the module path
// is go.mod's).
func AdoptLine(a, start answers.Answers, opts *Options) string {
	return makeLine([]string{version.Program, "adopt"}, a, start, opts)
}
