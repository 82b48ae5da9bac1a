package dependencytest_test

import (
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
)

// BenchmarkRebuild measures the builds of a generated server, with
// examples/default's answers for this machine's system, as
// nixtest.Rebuilds says.
//
//	go test -run '^$' -bench Rebuild -benchtime 3x -count 3 ./internal/nixtest/dependencytest/
func BenchmarkRebuild(b *testing.B) {
	env := nixtest.Offline(b)
	n := nixtest.New(b)
	n.Env = n.EnvWith(env)
	a := answers.Default()
	a.Module, a.Name, a.Systems = "example.com/myapp", "myapp", []string{n.System}
	proxy := b.TempDir()
	env = append(env, "GOPROXY=file://"+proxy)
	nixtest.Rebuilds{Nix: n, Env: env, Proxy: proxy, Project: func(b *testing.B) string { return nixtest.Generate(b, a) }}.Run(b)
}
