package adoptembedtest_test

import (
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestAdoptHelpersAndEmbeds adopts vegeta: two helpers under internal/cmd
// are left out; lib/plot embeds assets/*, which the project's git
// repository does not track until the warning is followed (adopting.Check).
func TestAdoptHelpersAndEmbeds(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	adopting.Check(t, nixtest.New(t), helpersEmbed)
}

var helpersEmbed = adopting.Project{
	Module: "github.com/tsenart/vegeta/v12", Version: "v12.13.0", Mains: []string{"."},
	Run: []string{"-version"}, Output: "Version:", Layout: adopting.UntrackedAssets,
	After: func(t *testing.T, dir string) {
		adopting.Git(t, dir, "add", "-f", "lib/plot/assets")
		adopting.Commit(t, dir)
	},
	Notes: []string{
		"leaves out internal/cmd/echosrv, internal/cmd/jsonschema: helpers",
		"Warning: lib/plot embeds lib/plot/assets/VERSIONS, lib/plot/assets/plot.html.tpl, lib/plot/assets/uPlot.min.css and 2 more (//go:embed assets/*), which git does not track",
	},
}
