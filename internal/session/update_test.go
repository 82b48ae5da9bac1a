package session_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
)

// TestUpdateBuildInfoWritesVendorHash: update --build-info changes the kind
// of the build's vendor derivation (go mod vendor's tree, or a module
// proxy's), whose hash nix/vendor-hash.nix holds; update writes it anew,
// computed as adopt computes it, and where it cannot be computed it keeps
// the file and the next steps say how to write it. Another answer leaves
// it alone: it is the project's, as nix run .#vendor-hash wrote it.
func TestUpdateBuildInfoWritesVendorHash(t *testing.T) {
	ctx := context.Background()
	fsys := afero.NewMemMapFs()
	for name, data := range map[string]string{
		"tool/go.mod":  "module example.com/tool\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
		"tool/go.sum":  "example.com/dep v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/dep v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		"tool/main.go": "package main\n\nimport _ \"example.com/dep\"\n\nfunc main() {}\n",
	} {
		if err := afero.WriteFile(fsys, name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hashes := map[vendorhash.Mode]string{vendorhash.Vendor: `"sha256-vendor"`, vendorhash.Proxy: `"sha256-proxy"`}
	e := memEnv(fsys, &bytes.Buffer{})
	e.VendorHash = func(_ context.Context, _, _ string, mode vendorhash.Mode) (string, error) { return hashes[mode], nil }
	run := runWith(t)
	file := func() string {
		t.Helper()
		data, err := afero.ReadFile(fsys, "tool/nix/vendor-hash.nix")
		if err != nil {
			t.Fatal(err)
		}
		return string(bytes.TrimSpace(data))
	}
	update := func(flags map[string]string) session.Session {
		t.Helper()
		s, err := session.UpdateProject(ctx, e, &session.UpdateOptions{Run: session.Run{Dir: "tool", Yes: true, Flags: flags}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	run(session.Adopt(ctx, e, &session.AdoptOptions{Run: session.Run{Dir: "tool", Yes: true, Flags: map[string]string{"build-info": "off"}}}))
	if got := file(); got != hashes[vendorhash.Vendor] {
		t.Fatalf("adopt wrote vendorHash %s, want go mod vendor's %s", got, hashes[vendorhash.Vendor])
	}
	if err := afero.WriteFile(fsys, "tool/nix/vendor-hash.nix", []byte(`"sha256-yours"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(update(map[string]string{"ports": "8080"}), nil)
	if got := file(); got != `"sha256-yours"` {
		t.Errorf("update --ports changed nix/vendor-hash.nix to %s", got)
	}
	run(update(map[string]string{"build-info": answers.ModuleVersion}), nil)
	if got := file(); got != hashes[vendorhash.Proxy] {
		t.Errorf("update --build-info module: vendorHash %s, want the module proxy's %s", got, hashes[vendorhash.Proxy])
	}

	e.VendorHash = func(context.Context, string, string, vendorhash.Mode) (string, error) {
		return "", errors.New("not in the module cache")
	}
	back := update(map[string]string{"build-info": answers.NoBuildInfo})
	pl := planTwice(t, "update --build-info off", back)
	if !slices.ContainsFunc(pl.Steps, func(s answers.Step) bool { return s.Cmd == "nix run .#vendor-hash" }) {
		t.Errorf("update --build-info off, the hash not computed: the next steps %v lack nix run .#vendor-hash", pl.Steps)
	}
	run(back, nil)
	if got := file(); got != hashes[vendorhash.Proxy] {
		t.Errorf("update --build-info off, the hash not computed: vendorHash %s, want it kept", got)
	}
}
