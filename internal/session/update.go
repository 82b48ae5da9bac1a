package session

import (
	"context"
	"maps"
	"path/filepath"
	"strings"

	"github.com/spf13/afero"
	"golang.org/x/mod/modfile"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/detect"
	"github.com/gonix-init/gonix-init/internal/merge"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/update"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
	"github.com/gonix-init/gonix-init/internal/version"
)

// UpdateProject is the session of gonix-init update [flags] [DIR]: the
// project in o.Dir, of the profile it records, brought to the current
// templates, and to any answer the flags change.
func UpdateProject(_ context.Context, e Env, o *UpdateOptions) (Session, error) {
	recorded, origin, err := update.Recorded(e.FS, o.Dir)
	if err != nil {
		return Session{}, err
	}
	base, err := update.BaseOf(e.FS, o.BaseDir, o.Dir, origin)
	if err != nil {
		return Session{}, err
	}
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	asking := o.Run
	asking.Yes = asking.Yes || o.Check // --check writes nothing, and asks nothing
	a, given, err := Collect(e.FS, Sources{Base: recorded, Flags: o.Flags, CanAsk: e.canAsk(asking)})
	if err != nil {
		return Session{}, err
	}
	if len(o.Flags) > 0 {
		// A flag given to update means "change this answer": the others
		// stay as recorded, unasked; the plan and its confirm follow, whose
		// Go back opens every question.
		for _, q := range answers.Questions {
			given[q.Key] = true
		}
	}
	goVersion := goLineOf(e.FS, o.Dir)
	goLine := render.WithGoLine(goVersion)
	baseFiles, err := update.RenderBase(recorded, base, goLine)
	return Session{
		Env: e, Prompt: e.prompter(asking), Answers: a, Given: given, DryRun: o.DryRun,
		Planner: updater{
			env: e, opts: o, base: baseFiles, baseOf: base, templates: tmpl, goLine: goLine, goVersion: goVersion,
			origin: origin, recorded: recorded,
		},
	}, err
}

// updater is update's planner: the project brought to what the templates
// write now, by a three-way merge from base, what its own templates wrote,
// with the files as they are (internal/update decides).
type updater struct {
	env       Env
	opts      *UpdateOptions
	base      []render.File // the project as its templates wrote it
	baseOf    update.Base   // what made it: the base of a file the recorded answers did not write
	templates Templates     // the templates of now
	goLine    func(*render.Data)
	goVersion string         // go.mod's go line, which goLine renders
	origin    answers.Origin // what made the project, or last updated it
	recorded  answers.Answers
}

// Plan merges every file, and plans the writes with the answers file last.
// A project with nothing to change stops here as Current, and one with
// changes under --check as WouldChange; one whose files to touch git has
// uncommitted changes to is refused without --force.
func (u updater) Plan(ctx context.Context, a answers.Answers) (plan.Plan, error) {
	pl := plan.Plan{Confirm: "Apply the update?", Done: "Updated", Line: UpdateLine(a, u.opts), Steps: []answers.Step{
		{Cmd: "git diff --staged", Why: "what the update changed"},
		{Cmd: "git commit -m " + answers.ShellQuote(u.commitMessage(a)), Why: "when it reads right"},
	}}
	rules, options := a.Profile().Merges, []func(*render.Data){u.goLine}
	if hash, changed := u.vendorHash(ctx, a); hash != "" {
		rules = maps.Clone(rules)
		rules[answers.VendorHashFile] = merge.Ours
		options = append(options, render.WithVendorHash(hash))
	} else if changed {
		pl.Steps = append([]answers.Step{{Cmd: "nix run .#vendor-hash", Why: "writes nix/vendor-hash.nix for the build's new kind of vendor derivation (--build-info)"}}, pl.Steps...)
	}
	files, err := u.env.Render(a, u.templates, options...)
	if refusal(err) {
		return plan.Refuse(pl, err), nil
	} else if err != nil {
		return pl, err
	}
	newBase := func(path string) []byte { return update.BaseFile(a, u.baseOf, path, u.goLine) }
	entries, record, earlier := update.Reconcile(u.env.FS, u.opts.Dir, u.base, files, newBase, rules)
	if refusal(earlier) && entries == nil {
		return plan.Refuse(pl, earlier), nil
	} else if earlier != nil && !refusal(earlier) {
		return pl, earlier
	}
	if pl.Writes, err = update.Writes(u.env.FS, u.opts.Dir, entries, record); err != nil {
		return pl, err
	}
	for _, e := range entries {
		pl.Outcomes = append(pl.Outcomes, plan.Outcome{Path: e.Path, What: string(e.Outcome), Same: e.Outcome == update.Unchanged})
	}
	if pl.Unstaged = update.Conflicts(entries); len(pl.Unstaged) > 0 {
		pl.Stop, pl.Fault = plan.Conflicts, &update.ConflictError{Paths: pl.Unstaged}
	}
	switch {
	case earlier != nil:
		// Conflict markers an earlier update left: the outcomes, and nothing written.
		return plan.Refuse(pl, earlier), nil
	case !update.Changes(entries) && pl.Writes.Count(scaffold.Replace) == 0:
		pl.Stop = plan.Current // nothing to write: no confirm, and no .gonix.json either
	case u.opts.Check:
		pl.Stop = plan.WouldChange
	case !u.opts.Force:
		if err := update.RefuseDirty(ctx, u.env.Git.Dirty, u.opts.Dir, entries); err != nil {
			return plan.Refuse(pl, err), nil
		}
	}
	return pl, nil
}

// vendorHash is nix/vendor-hash.nix anew, computed as adopt computes it,
// when the answers change the kind of the build's vendor derivation
// (--build-info: go mod vendor's tree, or a module proxy's): the hash the
// project keeps is the other kind's, on which its build would fail. It is
// "" with changed true when it cannot be computed here (the modules are
// not all in the module cache, say), and "" with changed false when
// nothing changed, or for a project that keeps its modules in vendor/,
// whose vendorHash is null either way.
func (u updater) vendorHash(ctx context.Context, a answers.Answers) (hash string, changed bool) {
	proxy := a.BuildInfo == answers.ModuleVersion
	if proxy == (u.recorded.BuildInfo == answers.ModuleVersion) {
		return "", false
	}
	if vendored, _ := afero.Exists(u.env.FS, filepath.Join(u.opts.Dir, filepath.FromSlash(detect.VendorList))); vendored {
		return "", false
	}
	if u.env.VendorHash == nil {
		return "", true
	}
	mode := vendorhash.Vendor
	if proxy {
		mode = vendorhash.Proxy
	}
	hash, err := u.env.VendorHash(ctx, u.opts.Dir, u.goVersion, mode)
	if err != nil {
		return "", true
	}
	return hash, true
}

// commitMessage says what the update did: a move to this gonix-init, or,
// when the project is already on it, the answers the flags changed.
func (u updater) commitMessage(a answers.Answers) string {
	if u.origin.Generator != version.Generator() {
		return "Update to " + version.Generator()
	}
	return strings.Join(append([]string{version.Program, "update"}, changed(a, u.opts)...), " ")
}

// UpdateLine is the update command that --check stands for: the same
// answer flags, --templates and DIR.
func UpdateLine(a answers.Answers, opts *UpdateOptions) string {
	args := append([]string{version.Program, "update"}, changed(a, opts)...)
	return strings.Join(append(args, runFlags(opts.Dir, opts.TemplatesDir)...), " ")
}

// changed are the answer flags of the answers opts' flags change.
func changed(a answers.Answers, opts *UpdateOptions) []string {
	given := func(q *answers.Question) bool { _, ok := opts.Flags[q.Key]; return ok }
	return answers.Args(a, given)
}

// goLineOf is the go line of the go.mod in dir, "" when there is none to
// read: the project's own, which the Go its flake picks, and its
// nix/README.md, follow.
func goLineOf(fsys afero.Fs, dir string) string {
	data, err := afero.ReadFile(fsys, filepath.Join(dir, "go.mod"))
	if err != nil {
		return ""
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil || f.Go == nil {
		return ""
	}
	return f.Go.Version
}
