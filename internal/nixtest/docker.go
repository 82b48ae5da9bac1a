package nixtest

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Docker runs the docker program bin and returns its output, failing t on
// error.
func Docker(t testing.TB, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// WaitHealthy waits for docker to report the container name healthy, as
// the image's health check finds it, within the time given from its
// start.
func WaitHealthy(t testing.TB, bin, name string, started time.Time, within time.Duration) {
	t.Helper()
	for {
		status := Docker(t, bin, "inspect", "--format", "{{if .State.Health}}{{.State.Health.Status}}{{end}}", name)
		if status == "healthy" {
			t.Logf("%s healthy after %v", name, time.Since(started).Round(100*time.Millisecond))
			return
		}
		if status == "" || time.Since(started) > within {
			t.Fatalf("%s is %q, not healthy, %v after its start (within %v wanted): %s", name, status, time.Since(started).Round(time.Second), within,
				Docker(t, bin, "inspect", "--format", "{{json .State.Health}}", name))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// RunImage loads the docker-archive archive into Docker and runs its image
// tag once, with args as docker run's arguments after the image, as a user
// runs a command-line program's image; it returns what the container
// printed. The image is removed afterwards.
func RunImage(t testing.TB, bin, archive, tag string, args ...string) string {
	t.Helper()
	t.Cleanup(func() { exec.Command(bin, "rmi", "-f", tag).Run() }) //nolint:errcheck // clean-up
	if loaded := Docker(t, bin, "load", "-i", archive); !strings.Contains(loaded, "Loaded image: "+tag) {
		t.Fatalf("docker load: %s", loaded)
	}
	return Docker(t, bin, append([]string{"run", "--rm", "--pull=never", tag}, args...)...)
}
