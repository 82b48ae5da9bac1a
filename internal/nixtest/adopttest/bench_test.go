package adopttest_test

import (
	"context"
	"io"
	"maps"
	"testing"

	"github.com/gonix-init/gonix-init/internal/session"
)

// benchPrograms are the programs adopt is measured on: each of the
// adopted ones once, with the flags it needs.
var benchPrograms = map[string]realProject{
	"gron":     projects["root"],
	"gojq":     projects["cmd-name"],
	"toml":     projects["several-mains"],
	"chglog":   projects["newer-go"],
	"vegeta":   {module: "github.com/tsenart/vegeta/v12", version: "v12.13.0"},
	"x-crypto": {module: "golang.org/x/crypto", version: "v0.59.0", flags: map[string]string{"tags": "generate"}},
	"inbucket": {module: "github.com/inbucket/inbucket/v3", version: "v3.2.0", flags: map[string]string{"main": "cmd/inbucket", "ports": "9000"}, force: true},
}

// BenchmarkAdopt measures gonix-init adopt --dry-run on each program, its
// modules in the module cache: adopt's own work (reading the project,
// planning, rendering; plan), and that with the offline vendorHash, which
// runs go mod vendor (vendorhash).
//
//	go test -run '^$' -bench Adopt ./internal/nixtest/adopttest/
func BenchmarkAdopt(b *testing.B) {
	for _, name := range []string{"gron", "gojq", "toml", "chglog", "vegeta", "x-crypto", "inbucket"} {
		p := benchPrograms[name]
		dir := fetch(b, p)
		for _, withHash := range []bool{false, true} {
			sub := name + "/plan"
			if withHash {
				sub = name + "/vendorhash"
			}
			b.Run(sub, func(b *testing.B) {
				e := env(io.Discard)
				if !withHash {
					e.VendorHash = nil
				}
				for b.Loop() {
					flags := maps.Clone(p.flags)
					if flags == nil {
						flags = map[string]string{}
					}
					s, err := session.Adopt(e, &session.Options{Dir: dir, DryRun: true, Yes: true, Force: p.force, Flags: flags})
					must(b, err)
					_, err = s.Run(context.Background())
					must(b, err)
				}
			})
		}
	}
}
