package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/style"
)

// TestFileTree pins the drawing of the file tree, which fileTree draws by
// hand as lipgloss's tree package drew it: branches, the last child of
// each level, directories nested two deep and in the order of their first
// file, and the marks of each action.
func TestFileTree(t *testing.T) {
	plan := &scaffold.Plan{Dir: "proj"}
	for _, s := range []struct {
		path   string
		action scaffold.Action
	}{
		{".envrc", scaffold.Create},
		{".github/workflows/ci.yml", scaffold.Replace},
		{"README.md", scaffold.Keep},
		{"nix/vendor-hash.nix", scaffold.Create},
		{"nix/vendor-hash.sh", scaffold.Create},
	} {
		plan.Steps = append(plan.Steps, scaffold.Step{File: render.File{Path: s.path}, Action: s.action})
	}
	want := `proj
├── .envrc (new)
├── .github/
│   └── workflows/
│       └── ci.yml (replaced)
├── README.md (unchanged)
└── nix/
    ├── vendor-hash.nix (new)
    └── vendor-hash.sh (new)`
	// As printed to a file: style.Writer drops the colour.
	var b strings.Builder
	fmt.Fprint(style.Writer(&b, nil), fileTree(style.Report(), plan, true, nil))
	if got := b.String(); got != want {
		t.Errorf("fileTree:\n%s\nwant:\n%s", got, want)
	}
}

// TestNotes finds the answers' notes under their answers in the summary,
// and after the tree once written: the source label a forge's module path
// gives, and what a port below 1024 means.
func TestNotes(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name, a.Ports = "github.com/you/web", "web", []int{80, 8080}
	pl := plan.Plan{Done: "Created", Writes: &scaffold.Plan{Dir: "web", Steps: []scaffold.Step{{File: render.File{Path: "main.go"}, Action: scaffold.Create}}}}
	var summary, written strings.Builder
	Printer{Out: &summary}.Summary(pl, a)
	Printer{Out: &written}.Written(pl, a, gitstage.Result{})
	for _, want := range []string{"The image's source label: https://github.com/you/web", "Port 80 is below 1024: "} {
		if !strings.Contains(summary.String(), want) || !strings.Contains(written.String(), want) {
			t.Errorf("the summary or the report lacks %q:\n%s\n%s", want, summary.String(), written.String())
		}
	}
	a.Module, a.Ports = "example.com/web", []int{8080}
	summary.Reset()
	Printer{Out: &summary}.Summary(pl, a)
	if s := summary.String(); strings.Contains(s, "source label") || strings.Contains(s, "below 1024") {
		t.Errorf("notes without a forge or a low port:\n%s", s)
	}
}

// TestNotesWrapToTheTerminal: at 100 columns, a note under its answer is
// wrapped at spaces in the answers' column, and a plan's note at spaces
// too: no line is wider than the terminal, and no word is cut.
func TestNotesWrapToTheTerminal(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name, a.Ports = "github.com/you/web", "web", []int{80, 443}
	pl := plan.Plan{Notes: []string{strings.TrimSpace(strings.Repeat("a long note of the plan ", 8))},
		Writes: &scaffold.Plan{Dir: "web", Steps: []scaffold.Step{{File: render.File{Path: "main.go"}, Action: scaffold.Create}}}}
	var b strings.Builder
	Printer{Out: &b, Width: 100}.Summary(pl, a)
	out := b.String()
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 100 {
			t.Errorf("a line of %d columns:\n%s", len(line), line)
		}
	}
	for _, word := range []string{"Docker,", "net.ipv4.ip_unprivileged_port_start"} {
		if !strings.Contains(out, word) {
			t.Errorf("the summary cut %q:\n%s", word, out)
		}
	}
	if !regexp.MustCompile(`\n {27}Docker, but`).MatchString(out) {
		t.Errorf("the note's next line does not start in the answers' column:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("a line ends in spaces: %q", line)
		}
	}
}

// TestPlanNotesOnce prints a plan's notes once in a run: with the plan
// before its confirm, and then not again once written; without a confirm
// (--yes), once written.
func TestPlanNotesOnce(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name = "example.com/web", "web"
	pl := plan.Plan{Done: "Created", Notes: []string{"nix/version: 0.0.0, for the project has no tag like v1.2.3 yet"},
		Writes: &scaffold.Plan{Dir: "web", Steps: []scaffold.Step{{File: render.File{Path: "main.go"}, Action: scaffold.Create}}}}
	for _, asked := range []bool{true, false} {
		var out strings.Builder
		p := Printer{Out: &out}
		if asked {
			p.Show(pl, a, Confirming)
		}
		p.Done(pl, a, gitstage.Result{}, asked)
		if n := strings.Count(out.String(), "nix/version: 0.0.0"); n != 1 {
			t.Errorf("asked %v: the note is printed %d times:\n%s", asked, n, out.String())
		}
	}
}
