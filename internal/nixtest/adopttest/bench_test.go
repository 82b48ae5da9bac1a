package adopttest_test

import (
	"context"
	"io"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// benchPrograms are the programs adopt is measured on: each of the
// adopted ones once, with the flags it needs.
var benchPrograms = map[string]adopting.Project{
	"gron":     {Module: "github.com/tomnomnom/gron", Version: "v0.7.1"},
	"gojq":     projects["cmd-name"],
	"toml":     projects["several-mains"],
	"chglog":   {Module: "github.com/goreleaser/chglog", Version: "v0.7.5", GoToolchain: nixtest.Toolchains["go_1_27"]},
	"vegeta":   {Module: "github.com/tsenart/vegeta/v12", Version: "v12.13.0"},
	"x-crypto": {Module: "golang.org/x/crypto", Version: "v0.59.0", Flags: map[string]string{"tags": "generate"}},
	"inbucket": {Module: "github.com/inbucket/inbucket/v3", Version: "v3.2.0", Flags: map[string]string{"main": "cmd/inbucket", "ports": "9000"}, Force: true},
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
		dir := adopting.Fetch(b, p)
		for _, withHash := range []bool{false, true} {
			sub := name + "/plan"
			if withHash {
				sub = name + "/vendorhash"
			}
			b.Run(sub, func(b *testing.B) {
				e := adopting.Env(io.Discard)
				if !withHash {
					e.VendorHash = nil
				}
				for b.Loop() {
					flags := maps.Clone(p.Flags)
					if flags == nil {
						flags = map[string]string{}
					}
					s, err := session.Adopt(context.Background(), e, &session.AdoptOptions{Run: session.Run{Dir: dir, DryRun: true, Yes: true, Flags: flags}, Force: p.Force})
					must(b, err)
					_, err = s.Run(context.Background())
					must(b, err)
				}
			})
		}
	}
}

// BenchmarkRebuild measures the builds of an adopted program with many
// modules (vegeta: 112 vendored packages), as nixtest.Rebuilds says.
//
//	go test -run '^$' -bench Rebuild -benchtime 3x -count 3 ./internal/nixtest/adopttest/
func BenchmarkRebuild(b *testing.B) {
	p := benchPrograms["vegeta"]
	n := nixtest.New(b)
	modcache := strings.TrimSpace(testenv.Run(b, b.TempDir(), os.Environ(), "go", "env", "GOMODCACHE"))
	proxy := b.TempDir()
	// New modules from the test's proxy, the project's from the module cache.
	env := append(os.Environ(), "GOPROXY=file://"+proxy+",file://"+modcache+"/cache/download",
		"GOSUMDB=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
	n.Env = n.EnvWith(env)
	nixtest.Rebuilds{Nix: n, Env: env, Proxy: proxy, Project: func(b *testing.B) string {
		dir := adopting.Fetch(b, p)
		adopting.Adopt(b, dir, p)
		return dir
	}}.Run(b)
}
