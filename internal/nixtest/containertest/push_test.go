package containertest_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// registry starts Debian's docker-registry (the CNCF distribution registry)
// on a free loopback port, storing into a directory of t's, and returns its
// host:port. With user and pass it asks for them (htpasswd, bcrypt). It is
// stopped when t ends.
func registry(t testing.TB, user, pass string) string {
	t.Helper()
	bin := testenv.Require(t, "docker-registry", "apt-get install -y docker-registry")
	dir := t.TempDir()
	host := "127.0.0.1:" + strconv.Itoa(testenv.FreePort(t))
	config := "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: " + filepath.Join(dir, "data") + "\nhttp:\n  addr: " + host + "\n"
	if user != "" {
		htpasswd := testenv.Require(t, "htpasswd", "apt-get install -y apache2-utils")
		line := testenv.Run(t, dir, os.Environ(), htpasswd, "-Bbn", user, pass)
		must(t, os.WriteFile(filepath.Join(dir, "htpasswd"), []byte(line), 0o600))
		config += "auth:\n  htpasswd:\n    realm: gonix-test\n    path: " + filepath.Join(dir, "htpasswd") + "\n"
	}
	must(t, os.WriteFile(filepath.Join(dir, "config.yml"), []byte(config), 0o644))
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "config.yml"))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + host + "/v2/")
		if err == nil {
			resp.Body.Close()
			return host
		}
		if time.Now().After(deadline) {
			t.Fatalf("docker-registry did not answer on %s: %v\n%s", host, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// push runs `nix run .#push -- ref` in dir with env added, and returns its
// stdout and error (with stderr).
func push(n *nixtest.Nix, dir, ref string, env ...string) (string, error) {
	m := *n
	m.Env = append(append([]string{}, n.Env...), env...)
	return m.App(dir, ".#push", ref)
}

// tags lists the registry's tags of repo (none when it has no such repo).
func tags(t *testing.T, repo string, opts ...remote.Option) []string {
	t.Helper()
	r, err := name.NewRepository(repo, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	list, err := remote.List(r, opts...)
	if err != nil {
		return nil
	}
	return list
}

// checkPushed checks the registry's ref: the index of digest, of two
// platforms, each with its SBOM as a referrer.
func checkPushed(t *testing.T, ref, index, sbom string) {
	t.Helper()
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := remote.Get(r)
	if err != nil || desc.Digest.String() != index {
		t.Fatalf("the registry holds %v (%v), want %s", desc, err, index)
	}
	idx, err := desc.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil || len(im.Manifests) != 2 {
		t.Fatalf("the pushed index: %+v, %v", im, err)
	}
	for _, m := range im.Manifests {
		checkSBOMReferrer(t, r, m, sbom)
	}

}

// TestPush pushes a generated project's image to a real registry on this
// machine with `nix run .#push`: it prints REF@<the local index digest>,
// the registry holds exactly that index with both platforms, Docker pulls
// it by digest and runs it, each platform's SBOM hangs beside its manifest
// as a referrer (the sha256-<digest> tag: distribution 2.8 has no referrers
// API) with the local SBOM's bytes, and a second push changes nothing. A
// registry that asks for a password refuses the push without it, and
// takes it with the Docker config's credentials. Bad input is refused
// before anything moves: a malformed reference, an unreachable registry, a
// layout whose blob was altered; no tag is left after any failure.
func TestPush(t *testing.T) {
	n := nixtest.New(t)
	a := nixtest.ImageAnswers()
	dir := nixtest.Generate(t, a)
	host := registry(t, "", "")
	oci := n.BuildOut(t, dir, ".#oci")
	sbom := n.BuildOut(t, dir, ".#sbom")
	local, _ := nixtest.LayoutIndex(t, oci)
	index := local.Digest.String()
	ref := host + "/test/" + a.Name + ":v1"

	// It prints the result alone: one line, REF@DIGEST, and nothing of
	// regctl's on its way.
	cmd := exec.Command(n.Bin, append(append([]string{"run", ".#push"}, n.Override()...), "--", ref)...)
	cmd.Dir, cmd.Env = dir, n.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nix run .#push: %v\n%s", err, &stderr)
	}
	if got := stdout.String(); got != ref+"@"+index+"\n" {
		t.Fatalf("nix run .#push printed %q, want %s@%s", got, ref, index)
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, ref) {
			t.Errorf("nix run .#push printed on stderr besides its result: %q", l)
		}
	}
	checkPushed(t, ref, index, sbom)

	// Docker pulls it by digest and runs it.
	checkPulled(t, host+"/test/"+a.Name+"@"+index, a.Name)

	// Again: the same digest, the same tags.
	before := tags(t, host+"/test/"+a.Name)
	if out, err := push(n, dir, ref); err != nil || strings.TrimSpace(out) != ref+"@"+index {
		t.Errorf("a second push: %q, %v", out, err)
	}
	if after := tags(t, host+"/test/"+a.Name); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("a second push changed the tags: %v, then %v", before, after)
	}

	t.Run("refused", func(t *testing.T) { testPushRefused(t, n, dir, host) })

	t.Run("password", func(t *testing.T) { testPushPassword(t, n, dir, a.Name, index) })

	t.Run("altered", func(t *testing.T) { testPushAltered(t, dir, oci, sbom, host) })
}

// checkSBOMReferrer checks that the platform manifest m of the image r has
// one referrer, a CycloneDX SBOM with the bytes of .#sbom's for its arch.
func checkSBOMReferrer(t *testing.T, r name.Reference, m v1.Descriptor, sbom string) {
	t.Helper()
	arch := m.Platform.Architecture
	referrers, err := remote.Referrers(r.Context().Digest(m.Digest.String()))
	if err != nil {
		t.Fatalf("%s referrers: %v", arch, err)
	}
	rm, err := referrers.IndexManifest()
	if err != nil || len(rm.Manifests) != 1 || rm.Manifests[0].ArtifactType != "application/vnd.cyclonedx+json" {
		t.Fatalf("%s: referrers %+v, %v; want one CycloneDX SBOM", arch, rm, err)
	}
	art, err := remote.Image(r.Context().Digest(rm.Manifests[0].Digest.String()))
	if err != nil {
		t.Fatal(err)
	}
	layers, err := art.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("%s SBOM artifact: %d layers, %v", arch, len(layers), err)
	}
	rc, err := layers[0].Compressed()
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.ReadFrom(rc)
	rc.Close()
	want, err := os.ReadFile(filepath.Join(sbom, "linux-"+arch+".cdx.json"))
	if err != nil || !bytes.Equal(got.Bytes(), want) {
		t.Errorf("%s: the registry's SBOM is not .#sbom's linux-%s.cdx.json", arch, arch)
	}
}

// checkPulled pulls the image pulled by digest into Docker and runs it:
// it answers as app.
func checkPulled(t *testing.T, pulled, app string) {
	t.Helper()
	if bin := testenv.Docker(t); bin != "" {
		t.Cleanup(func() { exec.Command(bin, "rmi", "-f", pulled).Run() })
		docker(t, bin, "pull", pulled)
		p := testenv.FreePort(t)
		cname := "gonix-push-" + strconv.Itoa(p)
		t.Cleanup(func() { exec.Command(bin, "rm", "-f", cname).Run() })
		docker(t, bin, "run", "-d", "--pull=never", "--name", cname, "-p", "127.0.0.1:"+strconv.Itoa(p)+":8080", pulled)
		if body := get(t, "http://127.0.0.1:"+strconv.Itoa(p)+"/"); !strings.HasPrefix(body, "Hello from "+app+"\n") {
			t.Errorf("the pulled image answers %q", body)
		}
	}
}

// testPushRefused: a push is refused before anything moves: a malformed reference, no registry, upper case, an unreachable registry.
func testPushRefused(t *testing.T, n *nixtest.Nix, dir, host string) {
	for _, tc := range []struct{ what, ref, want string }{
		{"malformed", "Not A Ref", `"Not A Ref" is not an image reference`},
		{"no registry", "app:v1", `is not an image reference`},
		{"uppercase", host + "/Test/App", "is not an image reference"},
		{"unreachable", "127.0.0.1:" + strconv.Itoa(testenv.FreePort(t)) + "/test/app:v1", "could not push"},
	} {
		_, err := push(n, dir, tc.ref)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: nix run .#push -- %s: want %q, got %v", tc.what, tc.ref, tc.want, err)
		}
	}
}

// testPushPassword: a registry that asks for a password refuses the push without it, and takes it with the Docker config's credentials.
func testPushPassword(t *testing.T, n *nixtest.Nix, dir, app, index string) {
	locked := registry(t, "gonix", "s3cret")
	repo := locked + "/test/" + app
	if _, err := push(n, dir, repo+":v1", "DOCKER_CONFIG="+t.TempDir()); err == nil || !strings.Contains(err.Error(), "could not push") {
		t.Errorf("a push without credentials: want refused, got %v", err)
	}
	auth := remote.WithAuth(&authn.Basic{Username: "gonix", Password: "s3cret"})
	if got := tags(t, repo, auth); len(got) != 0 {
		t.Errorf("a refused push left the tags %v", got)
	}
	config := t.TempDir()
	creds := base64.StdEncoding.EncodeToString([]byte("gonix:s3cret"))
	must(t, os.WriteFile(filepath.Join(config, "config.json"), []byte(`{"auths":{"`+locked+`":{"auth":"`+creds+`"}}}`), 0o600))
	if out, err := push(n, dir, repo+":v1", "DOCKER_CONFIG="+config); err != nil || strings.TrimSpace(out) != repo+":v1@"+index {
		t.Errorf("a push with the Docker config's credentials: %q, %v", out, err)
	}
}

// testPushAltered: a layout whose blob was altered is refused by the script itself, and no tag is left.
func testPushAltered(t *testing.T, dir, oci, sbom, host string) {
	// The script itself, on a copy of the layout with one blob altered.
	altered := filepath.Join(t.TempDir(), "oci")
	must(t, os.CopyFS(altered, os.DirFS(oci)))
	blobs, _ := filepath.Glob(filepath.Join(altered, "blobs", "sha256", "*"))
	must(t, os.Chmod(blobs[0], 0o644))
	must(t, os.WriteFile(blobs[0], []byte("altered"), 0o644))
	regctl := filepath.Dir(nixtest.Tool(t, "regctl"))
	cmd := exec.Command("bash", filepath.Join(dir, "nix", "push.sh"), host+"/test/altered:v1")
	cmd.Env = append(os.Environ(), "OCI="+altered, "SBOM="+sbom, "IMAGE_SH="+filepath.Join(dir, "nix", "image.sh"), "PATH="+regctl+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "does not match its digest: the layout was altered") || !strings.Contains(string(out), "nothing was pushed") {
		t.Errorf("a push of an altered layout: %v\n%s", err, out)
	}
	if got := tags(t, host+"/test/altered"); len(got) != 0 {
		t.Errorf("a refused push left the tags %v", got)
	}
}

// BenchmarkPush times `nix run .#push` of the default example to a
// registry on this machine: "first" into a repository that does not have
// it, "again" of the same image to the same tag.
func BenchmarkPush(b *testing.B) {
	n := nixtest.New(b)
	a := answers.Default()
	a.Module, a.Name = "example.com/myapp", "myapp"
	dir := nixtest.Generate(b, a)
	host := registry(b, "", "")
	if _, err := push(n, dir, host+"/warm/myapp:v1"); err != nil { // builds the image and the app
		b.Fatal(err)
	}
	b.Run("first", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			empty := registry(b, "", "") // a registry without the image
			b.StartTimer()
			if _, err := push(n, dir, empty+"/first/myapp:v1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		for b.Loop() {
			if _, err := push(n, dir, host+"/warm/myapp:v1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestPushAppCarriesItsScript builds the push app (running it on a
// malformed reference, which it refuses) and finds nix/image.sh, the
// script it runs, in the app's closure: the path its IMAGE_SH names is
// one of the store paths `nix path-info --recursive` lists, so the app
// still works once the flake's source is collected, or on another machine
// it is copied to.
func TestPushAppCarriesItsScript(t *testing.T) {
	n := nixtest.New(t)
	dir := nixtest.Generate(t, nixtest.ImageAnswers())
	if _, err := push(n, dir, "not a reference!"); err == nil {
		t.Fatal("nix run .#push took a malformed reference")
	}
	program := strings.TrimSpace(n.MustFlake(t, dir, "eval", "--raw", ".#apps."+n.System+".push.program"))
	closure := strings.Fields(n.MustRun(t, dir, "path-info", "--recursive", filepath.Dir(filepath.Dir(program))))
	script, err := os.ReadFile(program)
	must(t, err)
	m := regexp.MustCompile(`(?m)^IMAGE_SH=(\S+)$`).FindSubmatch(script)
	if m == nil {
		t.Fatalf("the push app sets no IMAGE_SH:\n%s", script)
	}
	image := strings.Trim(string(m[1]), `'`)
	if !slices.ContainsFunc(closure, func(p string) bool { return image == p || strings.HasPrefix(image, p+"/") }) {
		t.Errorf("IMAGE_SH=%s is not in the push app's closure %v", image, closure)
	}
	if data, err := os.ReadFile(image); err != nil || !strings.Contains(string(data), "image.sh writes and reads") {
		t.Errorf("IMAGE_SH=%s is not nix/image.sh: %v", image, err)
	}
}
