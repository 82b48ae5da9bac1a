package adoptservertest_test

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestAdoptedServerHealthy adopts inbucket, a mail server with a web API
// (its main package among two), with its three ports and a health path,
// and runs its image on this machine's Docker Engine: docker reports it
// healthy, as the image's own health check (nix/healthcheck, asking the
// first port for the path) finds it, and the API answers on the mapped
// port. Its build ran the tests of every package of its module, and every
// system's outputs evaluate.
func TestAdoptedServerHealthy(t *testing.T) {
	bin := testenv.Docker(t)
	n := nixtest.New(t)
	p := adopting.Project{
		Module: "github.com/inbucket/inbucket/v3", Version: "v3.2.0", Mains: []string{"cmd/client", "cmd/inbucket"},
		Flags: map[string]string{"main": "cmd/inbucket", "ports": "9000,2500,1100", "health": "/api/v1/mailbox/healthcheck", "tools": "none"},
		Force: true, // its own .envrc (use nix) gives way to the flake's
	}
	dir := adopting.Fetch(t, p)
	a, _ := adopting.Adopt(t, dir, p)
	// Every system's outputs evaluate, the health check's among them.
	n.MustFlake(t, dir, "flake", "check", "--no-build", "--all-systems")
	archive := n.BuildOut(t, dir, ".#docker")
	adopting.CheckTested(t, n, dir, p, a)
	tag := a.Name + ":latest"
	t.Cleanup(func() { exec.Command(bin, "rmi", "-f", tag).Run() })
	if loaded := nixtest.Docker(t, bin, "load", "-i", archive); !strings.Contains(loaded, "Loaded image: "+tag) {
		t.Fatalf("docker load: %s", loaded)
	}
	want := `["CMD","/bin/healthcheck","http://127.0.0.1:9000/api/v1/mailbox/healthcheck"]`
	if got := nixtest.Docker(t, bin, "inspect", "--format", "{{json .Config.Healthcheck.Test}}", tag); got != want {
		t.Errorf("the image's health check is %s, want %s", got, want)
	}

	port := testenv.FreePort(t)
	name := "gonix-adopted-" + strconv.Itoa(port)
	t.Cleanup(func() { exec.Command(bin, "rm", "-f", name).Run() })
	started := time.Now()
	nixtest.Docker(t, bin, "run", "-d", "--pull=never", "--name", name, "-p", "127.0.0.1:"+strconv.Itoa(port)+":9000", tag)
	nixtest.WaitHealthy(t, bin, name, started, 20*time.Second)
	if body, _ := testenv.Get(t, "http://127.0.0.1:"+strconv.Itoa(port)+"/api/v1/mailbox/someone", nil); strings.TrimSpace(body) != "[]" {
		t.Errorf("the API answered %q, want an empty mailbox", body)
	}
}
