package report

import (
	"fmt"
	"strings"
	"testing"

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
	fmt.Fprint(style.Writer(&b, nil), fileTree(style.Report(), plan, true))
	if got := b.String(); got != want {
		t.Errorf("fileTree:\n%s\nwant:\n%s", got, want)
	}
}
