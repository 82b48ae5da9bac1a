package nixtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/testenv"
)

// Rebuilds measures nix build .#default of a project on the stand-in,
// which builds as nixpkgs and Nix do: in the sandbox, each build from an
// empty Go build cache but for the layers of nix/go-cache.nix. Beside it,
// go build and go test ./... in the project's dev shell, as its developer
// runs them. Run runs one sub-benchmark each:
//
//   - cold: from an empty store (another host's Go: every derivation the
//     package needs is new, but the sources and the vendored modules);
//   - edit: after an edit of one line of main.go;
//   - go-get: after go get of a new module (a version of Greet no run has
//     had, imported by main.go) and nix run .#vendor-hash, not timed;
//   - go-build, go-test: go build and go test ./... in the dev shell after
//     an edit of one line, their build cache warm.
type Rebuilds struct {
	Nix     *Nix
	Env     []string // the go commands', with a GOPROXY of Proxy's
	Proxy   string   // the folder of a module proxy where new versions of Greet go
	Project func(b *testing.B) string
}

// Run runs the sub-benchmarks.
func (r Rebuilds) Run(b *testing.B) {
	attr := ".#packages." + r.Nix.System + ".default"
	b.Run("cold", func(b *testing.B) {
		dir := r.Project(b)
		for b.Loop() {
			b.StopTimer()
			other := NewOtherHost(b)
			b.StartTimer()
			other.BuildOut(b, dir, attr)
		}
	})
	b.Run("edit", func(b *testing.B) {
		dir := r.Project(b)
		r.Nix.BuildOut(b, dir, attr)
		for b.Loop() {
			b.StopTimer()
			EditMain(b, dir)
			b.StartTimer()
			r.Nix.BuildOut(b, dir, attr)
		}
	})
	b.Run("go-get", func(b *testing.B) {
		dir := r.Project(b)
		PublishGreet(b, r.Proxy, "v1.0.0")
		UseGreet(b, dir, r.Env, "v1.0.0")
		r.vendorHash(b, dir)
		r.Nix.BuildOut(b, dir, attr)
		for b.Loop() {
			b.StopTimer()
			v := fmt.Sprintf("v1.2.%d", time.Now().UnixNano())
			PublishGreet(b, r.Proxy, v)
			testenv.Run(b, dir, r.Env, "go", "get", Greet+"@"+v)
			r.vendorHash(b, dir)
			b.StartTimer()
			r.Nix.BuildOut(b, dir, attr)
		}
	})
	for _, cmd := range []string{"build", "test"} {
		b.Run("go-"+cmd, func(b *testing.B) {
			dir := r.Project(b)
			goBin := strings.TrimSpace(r.Nix.MustFlake(b, dir, "develop", "--command", "sh", "-c", "command -v go"))
			goEnv := append(os.Environ(), "GOCACHE="+b.TempDir(), "GOFLAGS=", "GOTOOLCHAIN=local", "GOWORK=off", "GOPROXY=off")
			args := map[string][]string{"build": {"build", "-o", b.TempDir(), "./..."}, "test": {"test", "./..."}}[cmd]
			testenv.Run(b, dir, goEnv, goBin, args...) // the cache warm
			for b.Loop() {
				b.StopTimer()
				EditMain(b, dir)
				b.StartTimer()
				testenv.Run(b, dir, goEnv, goBin, args...)
			}
		})
	}
}

// vendorHash runs nix run .#vendor-hash in dir.
func (r Rebuilds) vendorHash(b *testing.B, dir string) {
	b.Helper()
	if out, err := r.Nix.App(dir, ".#vendor-hash"); err != nil {
		b.Fatalf("nix run .#vendor-hash: %v\n%s", err, out)
	}
}

// EditMain edits one line of main.go in dir: a variable no run has had,
// so that its package is not in the store.
func EditMain(t testing.TB, dir string) {
	t.Helper()
	mainGo := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(mainGo)
	Must(t, err)
	if i := strings.Index(string(src), "\nvar edited = "); i >= 0 {
		src = src[:i+1]
	}
	Must(t, os.WriteFile(mainGo, fmt.Appendf(src, "\nvar edited = %d\n", time.Now().UnixNano()), 0o644))
}
