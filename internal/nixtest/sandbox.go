package nixtest

// SandboxTests are a main package's tests of what a build's sandbox gives:
// no HOME to write (Nix's /homeless-shelter, absent, which is also why no
// Go telemetry is written), a build user who cannot read a file of mode
// 000 (root could), no network; and one that needs none of them.
const SandboxTests = `package main

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWritesHome(t *testing.T) {
	if err := os.WriteFile(filepath.Join(os.Getenv("HOME"), "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestModeZeroIsUnreadable(t *testing.T) {
	f := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(f, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile(f); err == nil {
		t.Fatal("read a file of mode 000: the tests run as root")
	}
}

func TestDials(t *testing.T) {
	c, err := net.DialTimeout("tcp", "proxy.golang.org:443", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestPasses(t *testing.T) {}
`
