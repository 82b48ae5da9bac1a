package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/form"
	"github.com/gonix-init/gonix-init/internal/merge"
	"github.com/gonix-init/gonix-init/internal/releases"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/update"
	"github.com/gonix-init/gonix-init/internal/version"
)

// answersFile is where a project records its answers and template set.
const answersFile = ".gonix.json"

// update is `gonix-init update`: the same line as init (answers, render,
// plan, summary, confirm, apply), with two renders, the project's base and
// the new one, and a three-way merge with the files on disk between plan
// and apply. .gonix.json is written last.
func (e env) update(ctx context.Context, args []string) error {
	opts, err := parseFlags(args, e.stdout, updateCommand)
	if err != nil {
		return err
	}
	recorded := filepath.Join(opts.dir, answersFile)
	f, err := e.fs.Open(recorded)
	if err != nil {
		return usagef("%s: %s; update works on a project that gonix-init made (run gonix-init to start one)", recorded, errText(err))
	}
	base := answers.Default()
	origin, _, err := answers.Read(f, &base)
	f.Close() //nolint:errcheck // read-only
	if err != nil {
		return answerError(err, func(string) string { return recorded + ": " })
	}
	baseSet, err := e.baseTemplates(opts, recorded, origin)
	if err != nil {
		return err
	}
	newSet, err := templateSet(opts.templatesDir)
	if err != nil {
		return err
	}

	// The new answers: the recorded ones, changed by the flags (and the form).
	a := base
	given := map[string]bool{}
	var errs []error
	for _, q := range answers.Questions {
		if text, ok := opts.answerFlags[q.Key]; ok {
			errs = append(errs, q.Parse(&a, text))
			given[q.Key] = true
		}
	}
	canAsk := !opts.yes && !opts.check && e.terminal
	if err := errors.Join(errs...); err != nil {
		return answerError(err, flagOrigin)
	}
	if !canAsk {
		if err := a.Validate(); err != nil {
			return answerError(err, flagOrigin)
		}
	}
	baseFiles, err := render.Render(base, baseSet)
	if err != nil {
		return usagef("rendering the project as it was made: %v; give the template set it was made with as --base-templates DIR", err)
	}
	cfg := form.Config{In: e.stdin, Out: e.stdout, Accessible: opts.accessible || e.getenv("ACCESSIBLE") != ""}
	for {
		if canAsk {
			cfg.Given = given
			if a, err = form.Ask(ctx, a, cfg); err != nil {
				return answerError(err, flagOrigin)
			}
		}
		newFiles, err := renderChecked(a, newSet, opts.templatesDir)
		if err != nil {
			return err
		}
		entries, record, marked, err := e.reconcile(opts.dir, baseFiles, newFiles)
		if err != nil {
			return err
		}
		if len(marked) > 0 {
			return fmt.Errorf("%s still %s the conflict markers of an update: resolve the %s / %s sections first (then git add), and run update again",
				strings.Join(marked, ", "), plural(len(marked), "holds", "hold"), merge.Opening, merge.Closing+"gonix-init")
		}
		plan, err := e.updatePlan(opts.dir, entries, record)
		if err != nil {
			return err
		}
		if !update.Changes(entries) && plan.Count(scaffold.Replace) == 0 {
			// Nothing to write: no confirm, and no .gonix.json either.
			reportUpdate(e.stdout, entries, a, false)
			fmt.Fprintln(e.stdout, "The project is current.")
			return nil
		}
		if opts.check {
			reportUpdate(e.stdout, entries, a, false)
			return fmt.Errorf("update would change the project: run %s", updateLine(opts, a))
		}
		if err := e.refuseDirty(ctx, opts, entries); err != nil {
			return err
		}
		printDiffs(e.stdout, plan)
		reportUpdate(e.stdout, entries, a, !opts.dryRun)
		if opts.dryRun {
			fmt.Fprintln(e.stdout, "Dry run: nothing written.")
			return nil
		}
		if canAsk {
			choice, err := form.Confirm(ctx, cfg)
			if err != nil {
				return err
			}
			if choice == form.Back {
				given = map[string]bool{}
				cfg.AtEnd = true // from the last question, as the user left it
				continue
			}
		}
		if err := scaffold.Apply(ctx, e.fs, plan); err != nil {
			return err
		}
		// A file with conflict markers is left out of the index, so that a
		// plain git commit cannot take the markers.
		conflicts := update.Conflicts(entries)
		staged := e.stageFiles(ctx, plan, false, conflicts...)
		if len(conflicts) > 0 {
			then := "then commit"
			if staged.Staged {
				then = "then git add and commit them: they are left unstaged, the rest is staged"
			}
			return fmt.Errorf("conflicts in %s: both you and the templates changed the same lines; resolve the %s / %s%s sections, %s",
				strings.Join(conflicts, ", "), merge.Opening, merge.Closing+prog+" ", version.Version, then)
		}
		return nil
	}
}

// baseTemplates returns the template set the project was made with: the
// one given as --base-templates, else the embedded set of the version that
// made it, checked against the digest it recorded.
func (e env) baseTemplates(opts *options, recorded string, rec answers.Origin) (fs.FS, error) {
	if opts.baseDir != "" {
		info, err := os.Stat(opts.baseDir)
		if err != nil || !info.IsDir() {
			return nil, usagef("--base-templates %s: not a directory; give the template set the project was made with, laid out like templates/", opts.baseDir)
		}
		return os.DirFS(opts.baseDir), nil
	}
	ways := "give the set it was made with as --base-templates DIR"
	if strings.HasPrefix(rec.Templates, "custom ") {
		return nil, usagef("%s: the project was made with a custom template set; %s", recorded, ways)
	}
	v, ok := strings.CutPrefix(rec.Generator, "gonix-init ")
	if !ok {
		return nil, usagef("%s: no generator recorded; %s", recorded, ways)
	}
	set, err := releases.Set(v)
	if err != nil {
		return nil, usagef("%s: made by gonix-init %s: %v; update gonix-init, or %s", recorded, v, err, ways)
	}
	if rec.Templates != "" {
		if d, _ := releases.Digest(set); d != rec.Templates {
			return nil, usagef("%s: its template set (%s) is not gonix-init %s's; %s", recorded, rec.Templates, v, ways)
		}
	}
	return set, nil
}

// updateLine is the update command that --check stands for: the same
// answer flags, --templates and DIR.
func updateLine(opts *options, a answers.Answers) string {
	args := []string{prog, "update"}
	for _, q := range answers.Questions {
		if _, ok := opts.answerFlags[q.Key]; ok {
			args = append(args, "--"+q.Key, shellQuote(q.Format(a)))
		}
	}
	if opts.templatesDir != "" {
		args = append(args, "--templates", shellQuote(opts.templatesDir))
	}
	if filepath.Clean(opts.dir) != "." {
		args = append(args, shellQuote(opts.dir))
	}
	return strings.Join(args, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reconcile decides every file's outcome, and returns .gonix.json apart:
// it is always written, last. marked lists the files that still hold the
// conflict markers of an earlier update.
func (e env) reconcile(dir string, base, new []render.File) (entries []update.Entry, record render.File, marked []string, err error) {
	strip := func(files []render.File) []render.File {
		return slices.DeleteFunc(slices.Clone(files), func(f render.File) bool {
			if f.Path == answersFile {
				record = f
				return true
			}
			return false
		})
	}
	base = strip(base)
	new = strip(new)
	entries, err = update.Plan(base, new, func(p string) ([]byte, bool, error) {
		info, err := e.fs.Stat(filepath.Join(dir, filepath.FromSlash(p)))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		if err != nil || !info.Mode().IsRegular() {
			return nil, false, &scaffold.TargetError{Path: filepath.Join(dir, p), Reason: "is not a regular file: move it away first"}
		}
		data, err := afero.ReadFile(e.fs, filepath.Join(dir, filepath.FromSlash(p)))
		if merge.HasConflict(data, prog) {
			marked = append(marked, p)
		}
		return data, err == nil, err
	}, prog+" "+version.Version)
	return entries, record, marked, err
}

// updatePlan turns the outcomes into the writes: files written (through
// the same checks as init's, with their diffs), files removed, and
// .gonix.json last.
func (e env) updatePlan(dir string, entries []update.Entry, record render.File) (*scaffold.Plan, error) {
	var files []render.File
	for _, en := range entries {
		if en.Write {
			files = append(files, render.File{Path: en.Path, Data: en.Data, Mode: en.Mode})
		}
	}
	plan, err := scaffold.NewPlan(e.fs, dir, append(files, record), true)
	if err != nil {
		return nil, err
	}
	for _, en := range entries {
		if en.Remove {
			if err := plan.PlanDelete(e.fs, en.Path); err != nil {
				return nil, err
			}
		}
	}
	// .gonix.json last: an update cut short never records answers it did not apply.
	i := slices.IndexFunc(plan.Steps, func(s scaffold.Step) bool { return s.File.Path == answersFile })
	last := plan.Steps[i]
	plan.Steps = append(slices.Delete(plan.Steps, i, i+1), last)
	return plan, nil
}

// refuseDirty refuses, without --force, to touch a file that git has
// uncommitted changes to: the user's work would be mixed with the update's.
func (e env) refuseDirty(ctx context.Context, opts *options, entries []update.Entry) error {
	if opts.force || e.dirty == nil {
		return nil
	}
	var touched []string
	for _, en := range entries {
		if en.Write || en.Remove {
			touched = append(touched, en.Path)
		}
	}
	dirty, err := e.dirty(ctx, opts.dir, touched)
	if err != nil || len(dirty) == 0 {
		return err
	}
	return usagef("git has uncommitted changes to %s, which update would change: commit or stash them first, or add --force", strings.Join(dirty, ", "))
}
