package containertest_test

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// must fails t on err.
var must = nixtest.Must

// docker runs the docker program and returns its output, failing t on error.
var docker = nixtest.Docker

// configDigests are the config digests of the images of an OCI layout's
// image index, by arch.
func configDigests(t *testing.T, oci string) map[string]string {
	t.Helper()
	_, idx := nixtest.LayoutIndex(t, oci)
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range im.Manifests {
		name, err := nixtest.PlatformImage(t, idx, m).ConfigName()
		if err != nil {
			t.Fatal(err)
		}
		out[m.Platform.Architecture] = name.String()
	}
	return out
}

// get fetches url until it answers (the container is starting), and
// returns the body.
func get(t *testing.T, url string) string {
	t.Helper()
	body, _ := testenv.Get(t, url, nil)
	return body
}

// TestImageInDocker runs a generated project's image on this machine's
// Docker Engine: `docker load` of .#docker reports the image ID that is the
// amd64 config digest of .#oci; the container answers GET / on both ports,
// mapped with -p; docker inspect shows the entrypoint, ports and arch the answers
// imply; docker stop ends it with exit 0 within 2 s; a time zone given as TZ
// resolves inside it; the article's verify (docker create, docker cp,
// sha256) agrees with the daemonless one; the OCI layout loads through
// skopeo as the same image; and its arm64 image runs under emulation,
// saying linux/arm64.
func TestImageInDocker(t *testing.T) {
	bin := testenv.Docker(t)
	skopeo := testenv.Require(t, "skopeo", "apt-get install -y skopeo")
	n := nixtest.New(t)
	a := nixtest.ImageAnswers()
	dir := nixtest.Generate(t, a)
	archive := n.BuildOut(t, dir, ".#packages.x86_64-linux.docker")
	oci := n.BuildOut(t, dir, ".#packages.x86_64-linux.oci")
	linuxBin := filepath.Join(n.BuildOut(t, dir, ".#packages.x86_64-linux.linux-amd64"), "bin", a.Name)
	digests := configDigests(t, oci)
	tag := a.Name + ":latest"
	t.Cleanup(func() { exec.Command(bin, "rmi", "-f", tag, a.Name+":oci", a.Name+":arm64").Run() })

	loaded := docker(t, bin, "load", "-i", archive)
	if !strings.Contains(loaded, "Loaded image: "+tag) {
		t.Fatalf("docker load: %s", loaded)
	}
	if id := docker(t, bin, "inspect", "--format", "{{.Id}}", tag); id != digests["amd64"] {
		t.Errorf("docker load's image ID %s is not the amd64 config digest of .#oci, %s", id, digests["amd64"])
	}
	checkInspect(t, bin, tag, a)

	// Each chosen port, mapped to a free one here.
	p1, p2 := testenv.FreePort(t), testenv.FreePort(t)
	name := "gonix-test-" + strconv.Itoa(p1)
	t.Cleanup(func() { exec.Command(bin, "rm", "-f", name).Run() })
	started := time.Now()
	docker(t, bin, "run", "-d", "--pull=never", "--name", name, "-e", "TZ=Asia/Tokyo",
		"-p", "127.0.0.1:"+strconv.Itoa(p1)+":8080", "-p", "127.0.0.1:"+strconv.Itoa(p2)+":9090", tag)
	checkHealthy(t, bin, name, started, 10*time.Second)
	checkUser(t, bin, name)
	for _, port := range []int{p1, p2} {
		body := get(t, "http://127.0.0.1:"+strconv.Itoa(port)+"/")
		if !strings.HasPrefix(body, "Hello from "+a.Name+"\n") || !strings.Contains(body, " linux/amd64\n") {
			t.Errorf("GET / on %d: %q", port, body)
		}
		if !strings.Contains(body, "Time zone: JST\n") {
			t.Errorf("TZ=Asia/Tokyo does not resolve in the container: %q", body)
		}
	}
	start := time.Now()
	docker(t, bin, "stop", "--time", "10", name)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("docker stop took %v: the server, PID 1, did not stop on SIGTERM", took)
	}
	if code := docker(t, bin, "inspect", "--format", "{{.State.ExitCode}}", name); code != "0" {
		t.Errorf("the container exited %s on docker stop, want 0", code)
	}

	// The article's verify: the binary copied out of a created container.
	created := docker(t, bin, "create", "--pull=never", tag)
	t.Cleanup(func() { exec.Command(bin, "rm", "-f", created).Run() })
	out := filepath.Join(t.TempDir(), a.Name)
	docker(t, bin, "cp", created+":/bin/"+a.Name, out)
	if sumOf(t, out) != sumOf(t, linuxBin) {
		t.Error("the binary docker cp copies out of the container is not packages.linux-amd64's")
	}

	checkTLS(t, bin, tag)
	checkLayoutInDocker(t, bin, skopeo, oci, a.Name, digests, name)
}

// checkHealthy waits for docker to report the container healthy, as the
// image's health check (`<app> -healthcheck`) finds it.
var checkHealthy = nixtest.WaitHealthy

// checkUser finds the container's process, seen from this machine, run by
// nonroot, 65532:65532.
func checkUser(t *testing.T, bin, name string) {
	t.Helper()
	pid := docker(t, bin, "inspect", "--format", "{{.State.Pid}}", name)
	status, err := os.ReadFile("/proc/" + pid + "/status")
	must(t, err)
	for _, line := range strings.Split(string(status), "\n") {
		key, ids, ok := strings.Cut(line, ":")
		if ok && (key == "Uid" || key == "Gid") && !slices.Equal(strings.Fields(ids), []string{"65532", "65532", "65532", "65532"}) {
			t.Errorf("the container's process has %s %v, want 65532 throughout", key, strings.Fields(ids))
		}
	}
	if !strings.Contains(string(status), "\nUid:") {
		t.Errorf("/proc/%s/status has no Uid line", pid)
	}
}

// probeSource is a TLS client: it GETs the URL it is given and prints the
// status and body, or the error.
const probeSource = `package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	resp, err := http.Get(os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(body))
}
`

// checkTLS runs a TLS client inside a container of the image tag, as its
// user, with the host's network: it reaches an HTTPS server on this
// machine's loopback whose certificate the test CA signed, which the
// image's CA bundle (the stand-in's cacert) holds. In an image without the
// bundle, the same client fails with x509's unknown authority.
func checkTLS(t *testing.T, bin, tag string) {
	t.Helper()
	probe := filepath.Join(t.TempDir(), "probe")
	nixtest.BuildLinux(t, probeSource, "amd64", probe)

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "over TLS")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{nixtest.ServerCert(t)}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	run := func(image string) (string, error) {
		out, err := exec.Command(bin, "run", "--rm", "--pull=never", "--network", "host", "-v", probe+":/probe:ro",
			"--entrypoint", "/probe", image, srv.URL).CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	if out, err := run(tag); err != nil || out != "200 OK over TLS" {
		t.Errorf("the TLS probe in the image: %v: %s", err, out)
	}

	// An image of nothing but /etc: no bundle.
	empty := filepath.Join(t.TempDir(), "empty.tar")
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	must(t, tw.WriteHeader(&tar.Header{Name: "etc/", Typeflag: tar.TypeDir, Mode: 0o755}))
	must(t, tw.Close())
	must(t, os.WriteFile(empty, buf.Bytes(), 0o644))
	const bare = "gonix-test-bare:latest"
	docker(t, bin, "import", empty, bare)
	t.Cleanup(func() { exec.Command(bin, "rmi", "-f", bare).Run() })
	if out, err := run(bare); err == nil || !strings.Contains(out, "x509: certificate signed by unknown authority") {
		t.Errorf("the TLS probe in an image without the bundle: %v: %s, want x509's unknown authority", err, out)
	}
}

// checkInspect checks what docker inspect says of the loaded image tag:
// the entrypoint (the program, with no arguments of its own), the ports and
// the platform the answers imply, the user, the
// health check, and the labels.
func checkInspect(t *testing.T, bin, tag string, a answers.Answers) {
	t.Helper()
	var inspect []struct {
		Architecture, Os string
		Config           struct {
			Entrypoint, Cmd []string
			ExposedPorts    map[string]struct{}
			User            string
			Labels          map[string]string
			Healthcheck     struct{ Test []string }
		}
	}
	if err := json.Unmarshal([]byte(docker(t, bin, "inspect", tag)), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("docker inspect: %v", err)
	}
	if c := inspect[0]; !slices.Equal(c.Config.Entrypoint, []string{"/bin/" + a.Name}) || len(c.Config.Cmd) != 0 ||
		!slices.Equal(nixtest.SortedKeys(c.Config.ExposedPorts), []string{"8080/tcp", "9090/tcp"}) ||
		c.Architecture != "amd64" || c.Os != "linux" {
		t.Errorf("docker inspect: %+v", c)
	}
	c := inspect[0].Config
	if c.User != "65532:65532" || !slices.Equal(c.Healthcheck.Test, []string{"CMD", "/bin/" + a.Name, "-healthcheck"}) {
		t.Errorf("docker inspect: User %q, Healthcheck %v", c.User, c.Healthcheck.Test)
	}
	const p = "org.opencontainers.image."
	if c.Labels[p+"title"] != a.Name || c.Labels[p+"version"] != "0.1.0" || c.Labels[p+"source"] != answers.Source(a.Module) ||
		c.Labels[p+"source"] == "" || c.Labels[p+"created"] == "" {
		t.Errorf("docker inspect: Labels %v", c.Labels)
	}
}

// checkLayoutInDocker copies the OCI layout into the daemon with skopeo
// (Engine 20.10 loads no OCI layout): the same image for amd64, and the
// arm64 one, which runs under emulation as container name-arm64.
func checkLayoutInDocker(t *testing.T, bin, skopeo, oci, app string, digests map[string]string, name string) {
	t.Helper()
	// The OCI layout, through skopeo (Engine 20.10 loads no OCI layout): the
	// same image for amd64, and the arm64 one under emulation.
	copyTo := func(arch, ref string) {
		t.Helper()
		cmd := exec.Command(skopeo, "--insecure-policy", "--override-arch", arch, "copy", "oci:"+oci+":latest", "docker-daemon:"+ref)
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("skopeo copy %s: %v\n%s", arch, err, o)
		}
	}
	copyTo("amd64", app+":oci")
	if id := docker(t, bin, "inspect", "--format", "{{.Id}}", app+":oci"); id != digests["amd64"] {
		t.Errorf("the OCI layout's amd64 image loads as %s, want %s", id, digests["amd64"])
	}
	testenv.Arm64Containers(t)
	copyTo("arm64", app+":arm64")
	if id := docker(t, bin, "inspect", "--format", "{{.Id}}", app+":arm64"); id != digests["arm64"] {
		t.Errorf("the OCI layout's arm64 image loads as %s, want %s", id, digests["arm64"])
	}
	arm := name + "-arm64"
	t.Cleanup(func() { exec.Command(bin, "rm", "-f", arm).Run() })
	p3 := testenv.FreePort(t)
	started := time.Now()
	docker(t, bin, "run", "-d", "--pull=never", "--platform", "linux/arm64", "--name", arm, "-p", "127.0.0.1:"+strconv.Itoa(p3)+":8080", app+":arm64")
	// Under emulation, the health check too: no time is promised.
	checkHealthy(t, bin, arm, started, time.Minute)
	if body := get(t, "http://127.0.0.1:"+strconv.Itoa(p3)+"/"); !strings.Contains(body, " linux/arm64\n") {
		t.Errorf("the arm64 container answers %q, want linux/arm64", body)
	}
}

func sumOf(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// TestCommandLineImageTakesArguments runs the image of a generated
// command-line program (--ports none) on this machine's Docker Engine with
// arguments, as its README shows: docker run IMAGE -name Ada runs the
// program with -name Ada.
func TestCommandLineImageTakesArguments(t *testing.T) {
	bin := testenv.Docker(t)
	n := nixtest.New(t)
	a := answers.Default()
	a.Module, a.Name, a.Ports, a.Systems = "example.com/greeter", "greeter", nil, []string{n.System}
	dir := nixtest.Generate(t, a)
	archive := n.BuildOut(t, dir, ".#docker")
	if out := nixtest.RunImage(t, bin, archive, a.Name+":latest", "-name", "Ada"); !strings.HasPrefix(out, "Hello, Ada, from greeter\n") {
		t.Errorf("docker run greeter:latest -name Ada printed %q, want the program's greeting of Ada", out)
	}
}
