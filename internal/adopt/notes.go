package adopt

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/detect"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/render"
)

// Notes say what the plan cannot show, for the answers a against those
// adopt started from (start): the Go the flake builds with, where the
// defaults came from, the workspace left out, a vendorHash not computed,
// and files embedded that the flake would not see.
func (p *Project) Notes(a, start answers.Answers, d render.Data) []string {
	notes := []string{goNote(d)}
	notes = append(notes, p.packageNotes(a, start)...)
	notes = append(notes, p.versionNotes(a, start)...)
	if p.Work != "" {
		notes = append(notes, fmt.Sprintf("%s puts this module in a Go workspace: the flake builds it alone (GOWORK=off), from its own go.mod and go.sum", p.Work))
	}
	if p.Vendor.Note != "" {
		notes = append(notes, p.Vendor.Note)
	}
	return append(notes, p.unseenEmbeds(a)...)
}

// packageNotes say where the packages built and the tags came from, the
// helpers left out, and the main packages only other tags build.
func (p *Project) packageNotes(a, start answers.Answers) []string {
	var notes []string
	if r := p.Release; r != nil && len(r.Mains) > 0 && slices.Equal(a.Packages, start.Packages) {
		notes = append(notes, fmt.Sprintf("builds %s, the main packages of %s's builds", strings.Join(a.Packages, ", "), r.File))
	} else if dirs, left := p.Defaults(a.Tags); slices.Equal(a.Packages, start.Packages) {
		switch {
		case len(left) > 0:
			notes = append(notes, fmt.Sprintf("leaves out %s: helpers (under %s/), not programs to ship; --packages builds them too",
				strings.Join(left, ", "), strings.Join(detect.Helpers, "/, ")))
		case helpersOnly(p.Project, dirs):
			notes = append(notes, fmt.Sprintf("builds %s: helpers (under %s/), but the only main packages here", strings.Join(dirs, ", "), strings.Join(detect.Helpers, "/, ")))
		}
	}
	for _, m := range p.Mains {
		if !slices.Contains(p.MainsWith(a.Tags), m.Dir) {
			notes = append(notes, fmt.Sprintf("%s is a main package only with the build tags %s: --tags %s builds it",
				m.Dir, strings.Join(m.Tags, ", "), strings.Join(union(a.Tags, m.Tags), ",")))
		}
	}
	if r := p.Release; r != nil && len(a.Tags) > 0 && slices.Equal(a.Tags, start.Tags) {
		notes = append(notes, fmt.Sprintf("builds and tests with the tags %s, from %s", strings.Join(a.Tags, ", "), r.File))
	}
	return notes
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

// versionNotes say where nix/version and each stamp come from (file and
// line), that there is none, which -X flags of the project's own build the
// flake cannot give, and warn of a stamp whose variable Go would leave as
// it is.
func (p *Project) versionNotes(a, start answers.Answers) []string {
	notes := []string{"nix/version: 0.0.0, for the project has no tag like v1.2.3 yet"}
	if p.Tag != "" {
		notes[0] = fmt.Sprintf("nix/version: %s, from the latest tag, %s", p.Version, p.Tag)
	}
	stamps, skipped := p.Stamps(start.Packages, start.Tags)
	found := slices.Equal(a.Stamps, start.Stamps) // not replaced by --stamps
	if found {
		for _, st := range stamps {
			notes = append(notes, fmt.Sprintf("stamps %s, from %s", st, st.From))
		}
	}
	if at := p.BuildInfo(a.Packages, a.Tags); at != "" {
		switch why := p.buildInfoWhyNot(a.Packages, a.Tags); {
		case a.BuildInfo == answers.ModuleVersion:
			notes = append(notes, fmt.Sprintf("builds as go install %s@v%s does, for the version %s reads from the build info: go version -m shows mod %s v%s", a.Module, p.Version, at, a.Module, p.Version))
		case why != "":
			notes = append(notes, fmt.Sprintf("%s reads the version from the build info, which stays (devel): %s", at, why))
		}
	}
	if len(a.Stamps) == 0 && a.BuildInfo != answers.ModuleVersion && found {
		notes = append(notes, "no version stamp: no GoReleaser config, build file or Go comment sets a variable with -X (docs/adopt.md lists where adopt looks), "+
			"so the program prints what its code holds (often dev, or (devel) from the build info); --stamps main.version=version sets one")
	}
	if len(skipped) > 0 && found {
		notes = append(notes, fmt.Sprintf("leaves out -X %s: a value the flake cannot give (--stamps sets what it can)", strings.Join(skipped, ", -X ")))
	}
	for _, stamp := range a.Stamps {
		variable, _, _ := answers.ParseStamp(stamp)
		if why := p.CheckStamp(variable, a.Packages, a.Tags); why != "" {
			notes = append(notes, plan.Warning(fmt.Sprintf("-X %s sets nothing: %s, and go build leaves such a flag unused without a word; fix --stamps", variable, why)))
		}
	}
	return notes
}

// unseenEmbeds warns of each //go:embed pattern of a package built that
// takes in files a flake would not see (git does not track them, or
// .gitignore lists them): the Nix build would embed less, or fail.
func (p *Project) unseenEmbeds(a answers.Answers) []string {
	embeds, _ := p.Embeds(a.Packages, a.Tags) // Check refused the errors
	var notes []string
	for _, e := range embeds {
		var missing []string
		for _, f := range e.Files {
			if slices.Contains(p.unseen, f) {
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
	return notes
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
