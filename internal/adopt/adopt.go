// Package adopt is gonix-init adopt's policy, as internal/update is
// update's: what a Go project of one's own must be for a Nix build (Read
// and Check refuse the rest), the answers adopt starts from (Start), what
// the templates get beside them (Options: the latest tag's version, the
// modules' hash), which files of the project's own it may replace
// (Replaced), and what the plan says of it (Notes). The project is read
// once, into memory, when the run starts: planning it again, as the form
// does, reads no disk and runs no git.
package adopt

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/afero"
	"golang.org/x/mod/module"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/detect"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
)

// Git is what adopt asks of git about the project: its latest release
// tag, and which of its files a flake would not see.
type Git interface {
	LatestTag(ctx context.Context, dir string) string
	Unseen(ctx context.Context, dir string, paths []string) ([]string, error)
}

// VendorHasher computes the modules' hash of the module in dir, offline,
// for its go line, as the vendor derivation of mode holds them
// (session.Env's VendorHash); nil where it cannot.
type VendorHasher func(ctx context.Context, dir, goLine string, mode vendorhash.Mode) (string, error)

// Project is a Go project adopt takes up, as read when the run started.
type Project struct {
	*detect.Project
	Dir    string
	Own    map[string][]byte // the project's own files of the profile's Merges, by path
	Vendor VendorHash        // nix/vendor-hash.nix, or why it is not computed here
	// Proxy is nix/vendor-hash.nix for build-info module (proxyVendor: the
	// modules as go mod download leaves them), computed where a main
	// package reads its version from the build info.
	Proxy   VendorHash
	Work    string   // the go.work the module is in, or ""
	Version string   // nix/version: the latest tag's, or 0.0.0
	Tag     string   // that tag, or ""
	unseen  []string // the files a flake would not see: git does not track them, or .gitignore lists them
}

// Read reads the project in dir once (Snapshot), and refuses, as a usage
// error that says what to do, one a flake cannot build as gonix-init's
// do: no go.mod, a replace that leaves the project, a go.sum without its
// checksums, or no main package. Its go line is no reason to refuse: the
// flake builds with the Go of nixpkgs it asks for, or, when the pinned
// nixpkgs has none new enough, says so (Notes). modcache is the module
// cache (vendorhash.ModCache), where a stamp of a package of a required
// module is read and checked; "" reads none.
func Read(ctx context.Context, fsys afero.Fs, dir string, git Git, hash VendorHasher, modcache string) (*Project, error) {
	snap, err := Snapshot(fsys, dir)
	if err != nil {
		return nil, err
	}
	d, err := detect.Read(snap)
	if err != nil {
		return nil, usage.Errorf("%s: %v", dir, err)
	}
	p := &Project{Project: d, Dir: dir, Own: map[string][]byte{}, Work: goWork(fsys, dir), Version: "0.0.0"}
	for path := range answers.Adopted.Merges {
		if f, err := fs.Stat(snap, path); err == nil && f.Mode().IsRegular() {
			if p.Own[path], err = afero.ReadFile(fsys, filepath.Join(dir, filepath.FromSlash(path))); err != nil {
				return nil, err
			}
		}
	}
	if p.Vendor, err = vendorHashOf(ctx, hash, dir, d, vendorhash.Vendor); err != nil {
		return nil, err
	}
	if d.BuildInfo(d.MainsWith(nil), nil) != "" {
		if p.Proxy, err = vendorHashOf(ctx, hash, dir, d, vendorhash.Proxy); err != nil {
			return nil, err
		}
	}
	if modcache != "" {
		// Where go mod vendor, just now, found the required modules: a
		// stamp of one of their packages is checked there (CheckStamp).
		d.Deps = afero.NewIOFS(afero.NewReadOnlyFs(afero.NewBasePathFs(fsys, modcache)))
	}
	if p.Tag = git.LatestTag(ctx, dir); p.Tag != "" {
		p.Version = strings.TrimPrefix(p.Tag, "v")
	}
	if p.unseen, err = git.Unseen(ctx, dir, files(snap)); err != nil {
		return nil, err
	}
	return p, nil
}

// Options are what the templates get of the project beside the answers
// a: its go line, its version and its modules' hash (as the build a asks
// for reads them).
func (p *Project) Options(a answers.Answers) []func(*render.Data) {
	options := []func(*render.Data){render.WithGoLine(p.Go), render.WithVersion(p.Version)}
	hash := p.Vendor
	if a.BuildInfo == answers.ModuleVersion {
		hash = p.Proxy
	}
	if hash.Content != "" {
		options = append(options, render.WithVendorHash(hash.Content))
	}
	return options
}

// Start is the answers adopt starts from: GoReleaser's tags, and the main
// packages its defaults build with the tags flags give (or those), its
// stamps and how the build checks the version they give; the form offers
// every main package. A module whose main
// packages all need tags not given is refused, naming them.
func (p *Project) Start(flags map[string]string) (answers.Answers, error) {
	var tags []string
	if p.Release != nil {
		tags = p.Release.Tags
	}
	start := answers.Adopting(p.Module, nil, tags)
	if text, ok := flags["tags"]; ok {
		given := start
		if answers.Lookup("tags").Parse(&given, text) == nil { // the flag's own check comes with the others
			tags = given.Tags
		}
	}
	start.Packages, _ = p.Defaults(tags)
	stamps, _ := p.Stamps(start.Packages, tags)
	for _, st := range stamps {
		start.Stamps = append(start.Stamps, st.String())
	}
	// The build checks the version the stamps give (versionCheckHook), where
	// the code shows how to ask for it; --stamps none asks for no check
	// but with --version-check.
	stamped := len(stamps) > 0
	if text, ok := flags["stamps"]; ok {
		given := start
		stamped = stamped && answers.Lookup("stamps").Parse(&given, text) == nil && len(given.Stamps) > 0
	}
	if len(stamps) == 0 && p.buildInfoWhyNot(start.Packages, tags) == "" {
		start.BuildInfo = answers.ModuleVersion
	}
	if stamped || start.BuildInfo == answers.ModuleVersion {
		start.VersionCheck = p.VersionArg(start.Packages, tags)
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
	if len(start.Packages) == 0 {
		return start, p.noMainWithout()
	}
	return start, nil
}

// buildInfoWhyNot says why the programs of mains, which read their version
// from the build info, cannot get it as go install MODULE@VERSION gives
// it, or "" when they can; "no" when none reads it.
func (p *Project) buildInfoWhyNot(mains, tags []string) string {
	switch {
	case p.BuildInfo(mains, tags) == "":
		return "no"
	case p.Vendored:
		return "the project keeps its modules in vendor/, which go install MODULE@VERSION does not read"
	case p.InstallRefuses != "":
		return p.InstallRefuses + ", which go install MODULE@VERSION refuses"
	case p.Proxy.Content == "":
		return "the modules' hash for it is not computed here (" + p.Proxy.Note + ")"
	}
	if err := module.Check(p.Module, "v"+p.Version); err != nil {
		return fmt.Sprintf("v%s is no version of the module %s (%v)", p.Version, p.Module, err)
	}
	return ""
}

// noMainWithout is the refusal of a module whose main packages all need
// build tags that were not given: it names them, and the tags.
func (p *Project) noMainWithout() error {
	var each []string
	for _, m := range p.Mains {
		tags := "tag " + m.Tags[0]
		if len(m.Tags) > 1 {
			tags = "tags " + strings.Join(m.Tags, ", ")
		}
		each = append(each, fmt.Sprintf("%s is one with the build %s: give --tags %s", m.Dir, tags, strings.Join(m.Tags, ",")))
	}
	return usage.Errorf("%s: no main package without build tags; %s", p.Dir, strings.Join(each, "; "))
}

// Check refuses packages that are not the project's main packages with
// the build tags given (naming the tags one needs), one that needs cgo,
// which a static build (CGO_ENABLED=0) leaves out, build-info module where
// go install MODULE@VERSION cannot build, and a //go:embed pattern go
// build refuses.
func (p *Project) Check(a answers.Answers) error {
	for _, pkg := range a.Packages {
		m, ok := p.Main(pkg)
		switch {
		case !ok:
			return usage.Errorf("--packages: %s is not a main package of %s; its main packages are %s",
				pkg, p.Module, strings.Join(p.MainsWith(a.Tags), ", "))
		case !slices.Contains(p.MainsWith(a.Tags), pkg):
			return usage.Errorf("--packages: %s is a main package only with the build tags %s: give --tags %s",
				pkg, strings.Join(m.Tags, ", "), strings.Join(union(a.Tags, m.Tags), ","))
		}
		cgo, err := p.Cgo(pkg, a.Tags)
		if err != nil {
			return err
		}
		if len(cgo) > 0 {
			return usage.Errorf("%s: the main package %s needs cgo (import \"C\" in %s), and gonix-init builds static binaries with CGO_ENABLED=0, "+
				"which would leave those files out; build the others with --packages, or give the package a pure-Go build first", p.Dir, pkg, strings.Join(cgo, ", "))
		}
	}
	if a.BuildInfo == answers.ModuleVersion {
		switch why := p.buildInfoWhyNot(a.Packages, a.Tags); why {
		case "":
		case "no":
			return usage.Errorf("--build-info module: no main package built reads its version from the build info (debug.ReadBuildInfo); give --build-info off")
		default:
			return usage.Errorf("--build-info module: %s; give --build-info off", why)
		}
	}
	if _, err := p.Embeds(a.Packages, a.Tags); err != nil {
		return usage.Errorf("%s: go build would refuse a //go:embed pattern: %v; make the pattern match a file of the project (or give --packages without that package)",
			p.Dir, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return nil
}

// Merge applies the profile's rules to what the templates write for the
// files the project has of its own (Own): each file keeps all of the
// project's, with what gonix-init needs added.
func (p *Project) Merge(files []render.File) error {
	for i, f := range files {
		if own, ok := p.Own[f.Path]; ok {
			data, err := answers.Adopted.Merges[f.Path](own, f.Data)
			if err != nil {
				return usage.Errorf("%s: adopt adds to your %s what gonix-init needs, but %v", p.Dir, f.Path, err)
			}
			files[i].Data = data
		}
	}
	return nil
}

// Replaced are the files of the project's own the plan would replace:
// all but those it adds to (Own).
func (p *Project) Replaced(writes *scaffold.Plan) []string {
	var there []string
	for _, s := range writes.Steps {
		if _, merged := p.Own[s.File.Path]; s.Action == scaffold.Replace && !merged {
			there = append(there, s.File.Path)
		}
	}
	return there
}

// Steps are the next steps: the profile's, and the vendor hash when adopt
// could not compute it. They come after the first commit, so the hash gets
// a commit of its own, which leaves the tree clean for the build (a dirty
// tree stamps no commit).
func (p *Project) Steps(a answers.Answers) []answers.Step {
	steps := a.Profile().NextSteps(a)
	if p.Vendor.Content == "" {
		i := slices.IndexFunc(steps, func(s answers.Step) bool { return strings.HasPrefix(s.Cmd, "nix build") })
		steps = slices.Insert(steps, max(i, 0),
			answers.Step{Cmd: "nix run .#vendor-hash", Why: "writes nix/vendor-hash.nix, which adopt could not compute"},
			answers.Step{Cmd: "git commit -am " + answers.ShellQuote("Write nix/vendor-hash.nix"), Why: "the build stamps a clean tree's commit"})
	}
	return steps
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
