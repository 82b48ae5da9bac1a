package main

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestGreets runs the program as its command line would: a greeting, and
// one for the name -name gives.
func TestGreets(t *testing.T) {
	goLine := "Go " + strings.TrimPrefix(runtime.Version(), "go") + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "Hello, world, from " + name + "\n" + goLine},
		{[]string{"-name", "Ada"}, "Hello, Ada, from " + name + "\n" + goLine},
	} {
		var out, errOut bytes.Buffer
		if err := run(c.args, &out, &errOut); err != nil || out.String() != c.want {
			t.Errorf("run(%q) = %v, printed %q; want %q", c.args, err, out.String(), c.want)
		}
	}
}

// TestVersion: -version prints the name, and the version, commit and date
// flake.nix sets with -X.
func TestVersion(t *testing.T) {
	saved := [3]string{version, commit, date}
	t.Cleanup(func() { version, commit, date = saved[0], saved[1], saved[2] })
	version, commit, date = "1.2.3", "0123abc", "2001-02-03T04:05:06Z"
	var out, errOut bytes.Buffer
	if err := run([]string{"-version"}, &out, &errOut); err != nil || out.String() != name+" 1.2.3 (commit 0123abc, 2001-02-03T04:05:06Z)\n" {
		t.Errorf("-version: %v, printed %q", err, out.String())
	}
}

// TestWrongCommandLine: an unknown flag or an argument is a usage error,
// with the usage on the error output and nothing on the output.
func TestWrongCommandLine(t *testing.T) {
	for _, args := range [][]string{
		{"-nope"},
		{"extra"},
	} {
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); !errors.Is(err, errUsage) || out.Len() > 0 || !strings.Contains(errOut.String(), "-name string") {
			t.Errorf("run(%q) = %v, printed %q, and %q on the error output; want the usage", args, err, out.String(), errOut.String())
		}
	}
}
