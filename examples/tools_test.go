package examples_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestFlakesParseAndLock checks each example's flake with real Nix, offline:
// flake.nix parses (metadata reads its inputs), and flake.lock matches
// flake.nix's inputs (Nix would otherwise want to re-lock, which fails
// offline), with no warning.
func TestFlakesParseAndLock(t *testing.T) {
	n := nixtest.New(t)
	for _, ex := range examples(t) {
		t.Run(ex.Name, func(t *testing.T) {
			dir := copyExample(t, ex)
			n.MustRun(t, dir, "flake", "metadata", "--offline", "--no-update-lock-file", ".")
		})
	}
}

// TestTaskfiles checks that go-task accepts each generated Taskfile and that
// it lists the tasks the article names, each with a description.
func TestTaskfiles(t *testing.T) {
	task := testenv.Task(t)
	for _, ex := range examples(t) {
		if !ex.Answers.Has("go-task") {
			if _, err := os.Stat(filepath.Join(ex.Dir, "Taskfile.yaml")); err == nil {
				t.Errorf("%s: Taskfile.yaml without go-task chosen", ex.Name)
			}
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			dir := copyExample(t, ex)
			out := testenv.Run(t, dir, os.Environ(), task, "--list-all", "--json")
			var listed struct {
				Tasks []struct{ Name, Desc string }
			}
			if err := json.Unmarshal([]byte(out), &listed); err != nil {
				t.Fatalf("task --list-all --json: %v\n%s", err, out)
			}
			descs := map[string]string{}
			for _, tk := range listed.Tasks {
				descs[tk.Name] = tk.Desc
			}
			want := []string{"run", "build", "test", "release", "oci", "docker:build", "docker:load", "docker:run", "push", "vendor-hash", "verify", "clean", "update"}
			if ex.Answers.Has("golangci-lint") {
				want = append(want, "lint")
			} else if _, ok := descs["lint"]; ok {
				t.Errorf("lint task without golangci-lint chosen")
			}
			for _, name := range want {
				if desc, ok := descs[name]; !ok || desc == "" {
					t.Errorf("task %q missing or without desc; tasks: %v", name, descs)
				}
			}
			if len(descs) != len(want) {
				t.Errorf("tasks %v, want exactly %v", descs, want)
			}
			// A command-line program's run task names no port.
			if run := descs["run"]; len(ex.Answers.Ports) == 0 && strings.Contains(run, "port") {
				t.Errorf("task run of a program with no port: %q", run)
			}
		})
	}
}

// TestTaskRunTakesArguments runs examples/cli's task run -- ARGS, as its
// README says: the program gets the arguments after --.
func TestTaskRunTakesArguments(t *testing.T) {
	task := testenv.Task(t)
	for _, ex := range examples(t) {
		if !ex.Answers.Has("go-task") || len(ex.Answers.Ports) > 0 {
			continue
		}
		dir := copyExample(t, ex)
		env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
		if out := testenv.Run(t, dir, env, task, "run", "--", "-name", "Ada"); !strings.HasPrefix(out, "Hello, Ada, from "+ex.Answers.Name+"\n") {
			t.Errorf("%s: task run -- -name Ada printed %q", ex.Name, out)
		}
	}
}

// TestVerifyTask runs the generated `task verify` against an OCI layout
// that the project's own nix/image.sh wrote, from fixture binaries, with a
// stand-in `nix` that links ./result-* to the fixtures: the same binaries
// pass, printing both sums of each arch and the index's digest; an image
// whose arm64 binary was swapped fails, naming linux/arm64.
func TestVerifyTask(t *testing.T) {
	task := testenv.Task(t)
	bash := testenv.Require(t, "bash", "apt-get install -y bash")
	for _, ex := range examples(t) {
		if !ex.Answers.Has("go-task") {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			name := ex.Answers.Name
			binary := func(arch string) []byte { return []byte("\x7fELF a static linux/" + arch + " " + name + " binary\n") }
			for _, tc := range []struct {
				what     string
				inImage  []byte // the arm64 binary in the image
				wantOK   bool
				wantText string
			}{
				{"same binary", binary("arm64"), true, "verify: identical"},
				{"swapped binary", append([]byte("tampered "), binary("arm64")...), false, "verify: DIFFERENT: linux/arm64:"},
			} {
				t.Run(tc.what, func(t *testing.T) {
					dir := copyExample(t, ex)
					fixtures, oci := verifyFixtures(t, bash, dir, name, binary, tc.inImage)
					bin := fakeNix(t, fixtures)

					cmd := exec.Command(task, "verify")
					cmd.Dir = dir
					cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
					out, err := cmd.CombinedOutput()
					if (err == nil) != tc.wantOK {
						t.Fatalf("task verify: err = %v, want ok=%v\n%s", err, tc.wantOK, out)
					}
					if !strings.Contains(string(out), tc.wantText) {
						t.Errorf("task verify output lacks %q:\n%s", tc.wantText, out)
					}
					checkVerifySays(t, string(out), binary, oci, tc.wantOK)
					if testing.Verbose() {
						t.Logf("task verify:\n%s", out)
					}
				})
			}
		})
	}
}

// checkVerifySays checks what task verify printed: vendorHash checked
// first, no notice of tar's or go's, the local sha256 of each arch's
// binary, and for an image that passed the index's digest.
func checkVerifySays(t *testing.T, out string, binary func(arch string) []byte, oci string, ok bool) {
	t.Helper()
	if !strings.Contains(out, "is current: null") {
		t.Errorf("task verify does not check vendorHash first:\n%s", out)
	}
	for _, noise := range []string{"Removing leading", "no dependencies to vendor"} {
		if strings.Contains(out, noise) {
			t.Errorf("task verify prints %q:\n%s", noise, out)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		sum := sha256.Sum256(binary(arch))
		if !strings.Contains(out, "linux/"+arch+"  local  "+hex.EncodeToString(sum[:])) {
			t.Errorf("task verify does not print the local sha256 of linux/%s:\n%s", arch, out)
		}
	}
	index, _ := os.ReadFile(filepath.Join(oci, "index.json"))
	var idx struct{ Manifests []struct{ Digest string } }
	if err := json.Unmarshal(index, &idx); err != nil || len(idx.Manifests) != 1 {
		t.Fatalf("index.json: %v\n%s", err, index)
	}
	if ok && !strings.Contains(out, "image index "+idx.Manifests[0].Digest) {
		t.Errorf("task verify does not print the index's digest %s:\n%s", idx.Manifests[0].Digest, out)
	}
}

// verifyFixtures writes what task verify reads in the project dir: the
// local binaries of each arch, from binary, and the OCI layout that
// nix/image.sh writes from the same amd64 binary and arm64InImage. It
// returns the fixtures' directory and the layout in it.
func verifyFixtures(t *testing.T, bash, dir, name string, binary func(arch string) []byte, arm64InImage []byte) (fixtures, oci string) {
	t.Helper()
	fixtures = t.TempDir()
	for _, arch := range []string{"amd64", "arm64"} {
		local := filepath.Join(fixtures, "linux-"+arch, "bin", name)
		must(t, os.MkdirAll(filepath.Dir(local), 0o755))
		must(t, os.WriteFile(local, binary(arch), 0o555))
	}
	// The image, from the same amd64 binary and tc's arm64 one.
	inImage := filepath.Join(t.TempDir(), "arm64", "bin", name)
	must(t, os.MkdirAll(filepath.Dir(inImage), 0o755))
	must(t, os.WriteFile(inImage, arm64InImage, 0o555))
	etc := filepath.Join(t.TempDir(), "etc")
	must(t, os.MkdirAll(etc, 0o755))
	for _, f := range []string{"services", "protocols", "mime.types", "ssl/certs/ca-bundle.crt"} {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(etc, f)), 0o755))
		must(t, os.WriteFile(filepath.Join(etc, f), []byte(f+"\n"), 0o444))
	}
	oci = filepath.Join(fixtures, "oci")
	must(t, os.Mkdir(oci, 0o755))
	build := exec.Command(bash, filepath.Join(dir, "nix", "image.sh"), "oci")
	build.Env = append(os.Environ(), "out="+oci, "imageName="+name, "ports=8080", `cmd=["/bin/`+name+`"]`,
		"amd64="+filepath.Join(fixtures, "linux-amd64"), "arm64="+filepath.Dir(filepath.Dir(inImage)),
		"iana="+filepath.Dir(etc), "mailcap="+filepath.Dir(etc), "cacert="+filepath.Dir(etc),
		`labels={"org.opencontainers.image.title":"`+name+`"}`, "created=1970-01-01T00:00:01Z")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("nix/image.sh oci: %v\n%s", err, out)
	}
	return fixtures, oci
}

// fakeNix writes a `nix` that answers `nix build [.#attr] [-o link]` by
// linking link (default ./result) to fixtures/attr (default "default").
func fakeNix(t *testing.T, fixtures string) string {
	t.Helper()
	bin := t.TempDir()
	script := `#!/bin/sh
if [ "$*" = "run .#vendor-hash -- --check" ]; then
  echo "vendor-hash: nix/vendor-hash.nix is current: null"
  exit 0
fi
[ "$1" = build ] || { echo "fake nix: only build and the vendorHash check" >&2; exit 2; }
shift
attr=default
link=result
while [ $# -gt 0 ]; do
  case "$1" in
    -o) link=$2; shift 2 ;;
    .#*) attr=${1#.#}; shift ;;
    *) shift ;;
  esac
done
ln -sfn "` + fixtures + `/$attr" "$link"
`
	must(t, os.WriteFile(filepath.Join(bin, "nix"), []byte(script), 0o755))
	return bin
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestExamplesLint runs the real golangci-lint, with the project's own
// .golangci.yml, on each example that chose it: `task lint` and the flake's
// lint check must pass on a freshly generated project. (The stand-in nixpkgs
// only runs go vet there.)
func TestExamplesLint(t *testing.T) {
	lint := testenv.Require(t, "golangci-lint", "go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0")
	for _, ex := range examples(t) {
		if !ex.Answers.Has("golangci-lint") {
			continue
		}
		t.Run(ex.Name, func(t *testing.T) {
			dir := copyExample(t, ex)
			env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
			out := testenv.Run(t, dir, env, lint, "run", "./...")
			if !strings.Contains(out, "0 issues") {
				t.Errorf("golangci-lint:\n%s", out)
			}
		})
	}
}

// TestTaskClean runs the generated `task clean` where no Docker daemon runs
// (none does here): it removes the out links and says nothing of Docker.
func TestTaskClean(t *testing.T) {
	task := testenv.Task(t)
	for _, ex := range examples(t) {
		if !ex.Answers.Has("go-task") {
			continue
		}
		dir := copyExample(t, ex)
		// Every out link the README's and the Taskfile's commands make.
		links := []string{"result", "result-docker", "result-oci", "result-linux-amd64", "result-linux-arm64", "result-release", "result-sbom"}
		for _, l := range links {
			must(t, os.Symlink("/nonexistent", filepath.Join(dir, l)))
		}
		out := testenv.Run(t, dir, os.Environ(), task, "clean")
		if strings.Contains(out, "daemon") || strings.Contains(out, "docker rm") || strings.Contains(out, "Error") {
			t.Errorf("%s: task clean talks of Docker without a daemon:\n%s", ex.Name, out)
		}
		for _, l := range links {
			if _, err := os.Lstat(filepath.Join(dir, l)); err == nil {
				t.Errorf("%s: task clean left ./%s", ex.Name, l)
			}
		}
	}
}

// TestTaskRunCtrlC runs the generated `task run` in a terminal and stops it
// with Ctrl-C, as a user does: the server stops cleanly, and task reports no
// failure.
func TestTaskRunCtrlC(t *testing.T) {
	testenv.Slow(t, "builds and runs a project in tmux")
	task := testenv.Task(t)
	tmux := testenv.Require(t, "tmux", "apt-get install -y tmux")
	ex := examples(t)[0]
	for _, e := range examples(t) {
		if e.Answers.Has("go-task") && len(e.Answers.Ports) > 0 {
			ex = e
			break
		}
	}
	dir := copyExample(t, ex)
	base := t.TempDir()
	sock, exit := filepath.Join(base, "tmux.sock"), filepath.Join(base, "exit")
	script := "trap true INT; cd " + dir + " && PORT=0 GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local " + task + " run; echo $? > " + exit + "; sleep 60"
	tm := func(args ...string) string {
		out, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	tm("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "30", "sh", "-c", script)
	defer exec.Command(tmux, "-S", sock, "kill-server").Run()
	wait := func(done func() bool) {
		for deadline := time.Now().Add(60 * time.Second); !done(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out:\n%s", tm("capture-pane", "-p"))
			}
		}
	}
	wait(func() bool { return strings.Contains(tm("capture-pane", "-p"), "listening on") })
	tm("send-keys", "-t", "0", "C-c")
	var code []byte
	wait(func() bool { code, _ = os.ReadFile(exit); return len(code) > 0 })
	screen := tm("capture-pane", "-p")
	if strings.TrimSpace(string(code)) != "0" || strings.Contains(screen, "Failed to run task") || !strings.Contains(screen, "stopped") {
		t.Errorf("Ctrl-C in task run: exit %s\n%s", code, screen)
	}
}

// TestVendorHashQuietWithoutRequirements runs each example's vendor-hash
// script, whose go.mod requires nothing: it says the file is current and
// nothing else (go mod edit -json says "Require": null, which is not a
// requirement to vendor).
func TestVendorHashQuietWithoutRequirements(t *testing.T) {
	bash := testenv.Require(t, "bash", "apt-get install -y bash")
	for _, ex := range examples(t) {
		t.Run(ex.Name, func(t *testing.T) {
			dir := copyExample(t, ex)
			cmd := exec.Command(bash, "nix/vendor-hash.sh", "--check")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=", "GOPROXY=off")
			out, err := cmd.CombinedOutput()
			if want := "vendor-hash: nix/vendor-hash.nix is current: null\n"; err != nil || string(out) != want {
				t.Errorf("vendor-hash --check: %v\n%s\nwant only %q", err, out, want)
			}
		})
	}
}

// TestGitIgnoresTheBuild builds each example as `go build` does, in a git
// repository: `git add -A` stages the project, not the binary.
func TestGitIgnoresTheBuild(t *testing.T) {
	git := testenv.Require(t, "git", "apt-get install -y git")
	for _, ex := range examples(t) {
		t.Run(ex.Name, func(t *testing.T) {
			dir := copyExample(t, ex)
			testenv.Run(t, dir, os.Environ(), git, "init", "-q")
			goCmd(t, dir, "build")
			if _, err := os.Stat(filepath.Join(dir, answers.GoBinary(ex.Answers.Module))); err != nil {
				t.Fatalf("go build wrote no %s: %v", answers.GoBinary(ex.Answers.Module), err)
			}
			testenv.Run(t, dir, os.Environ(), git, "add", "-A")
			staged := testenv.Run(t, dir, os.Environ(), git, "diff", "--cached", "--name-only")
			if slices.Contains(strings.Fields(staged), answers.GoBinary(ex.Answers.Module)) {
				t.Errorf("git add -A staged the binary go build wrote:\n%s", staged)
			}
		})
	}
}

// TestScriptsShellcheck runs shellcheck on every script a generated project
// has in nix/ (the fullest example has them all), as bash: the ones the
// flake wraps with writeShellApplication are checked at their build too.
func TestScriptsShellcheck(t *testing.T) {
	shellcheck := testenv.Require(t, "shellcheck", "apt-get install -y shellcheck")
	for _, ex := range examples(t) {
		scripts, _ := filepath.Glob(filepath.Join(ex.Dir, "nix", "*.sh"))
		if len(scripts) == 0 {
			t.Errorf("%s has no nix/*.sh", ex.Name)
		}
		for _, s := range scripts {
			if out, err := exec.Command(shellcheck, "-s", "bash", s).CombinedOutput(); err != nil {
				t.Errorf("shellcheck %s: %v\n%s", s, err, out)
			}
		}
	}
}
