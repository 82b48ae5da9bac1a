package answers

import (
	"errors"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/module"
)

// CheckModule accepts exactly the module paths that `go mod init` accepts.
func CheckModule(p string) error {
	if err := checkText("module", "module path", p, maxModuleLen, "github.com/you/myapp"); err != nil {
		return err
	}
	if err := module.CheckImportPath(p); err != nil {
		reason := err.Error()
		var pe *module.InvalidPathError
		if errors.As(err, &pe) {
			reason = pe.Err.Error()
		}
		if p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") {
			reason = "is a local import path"
		}
		return invalid("module", "%q: %s; give a path like github.com/you/myapp", p, reason)
	}
	if _, _, ok := module.SplitPathVersion(p); !ok {
		if strings.HasPrefix(p, "gopkg.in/") {
			return invalid("module", "%q: paths beginning with gopkg.in/ need a major version suffix like .v1", p)
		}
		return invalid("module", "%q: a major version suffix must look like /v2 (or later) at the end", p)
	}
	return nil
}

// checkText refuses an empty text answer, and one over maxLen characters:
// what names it, example is one to give.
func checkText(field, what, s string, maxLen int, example string) error {
	switch {
	case s == "":
		return invalid(field, "%s is empty; give one like %s", what, example)
	case len(s) > maxLen:
		return invalid(field, "%s is %d characters long; use at most %d", what, len(s), maxLen)
	}
	return nil
}

// nameRE is what every consumer of the name accepts: a file name, a Nix
// pname and a Docker image name (lower case, separators between alphanumerics).
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$`)

// CheckName accepts a name that works as a binary, a Nix pname and an image name.
func CheckName(n string) error {
	if err := checkText("name", "app name", n, maxNameLen, "myapp"); err != nil {
		return err
	}
	switch {
	case !nameRE.MatchString(n):
		return invalid("name", "%q is not a valid app name: use lower-case ASCII letters and digits, "+
			"starting with a letter, with single '-', '_' or '.' between them (it names the binary and the image)", n)
	}
	return nil
}

// GoBinary returns the name that `go build` and `go install` give the binary
// of the module's root package: the last path element, skipping a /vN suffix.
func GoBinary(modulePath string) string {
	base := path.Base(modulePath)
	if dir := path.Dir(modulePath); dir != "." {
		if _, major, ok := module.SplitPathVersion(modulePath); ok && strings.HasPrefix(major, "/v") {
			base = path.Base(dir)
		}
	}
	return base
}

// LowPortNote says what ports below 1024 mean for an image that runs as a
// user other than root, or "" when there are none.
func LowPortNote(ports []int) string {
	var low []string
	for _, p := range ports {
		if p < 1024 {
			low = append(low, strconv.Itoa(p))
		}
	}
	switch len(low) {
	case 0:
		return ""
	case 1:
		return "Port " + low[0] + " is below 1024: the image's non-root user may bind it on Docker, " +
			"but not on Kubernetes unless the pod sets net.ipv4.ip_unprivileged_port_start"
	}
	return "Ports " + strings.Join(low, ", ") + " are below 1024: the image's non-root user may bind them on Docker, " +
		"but not on Kubernetes unless the pod sets net.ipv4.ip_unprivileged_port_start"
}

// forges are the hosts whose module paths start host/owner/repo, where
// https://host/owner/repo is the repository.
var forges = []string{"github.com", "codeberg.org", "bitbucket.org"}

// Source returns the address of the repository the module path names, for
// the image's org.opencontainers.image.source label, which registries and
// Renovate follow back to the code: https://github.com/owner/repo for
// github.com/owner/repo/..., and "" for a path on no forge it knows (GitLab's
// nested groups make its paths ambiguous).
func Source(modulePath string) string {
	parts := strings.Split(modulePath, "/")
	if len(parts) < 3 || !slices.Contains(forges, parts[0]) {
		return ""
	}
	return "https://" + strings.Join(parts[:3], "/")
}

// SourceNote says where the image's source label points, or "" when the
// module path names no forge.
func SourceNote(modulePath string) string {
	if src := Source(modulePath); src != "" {
		return "The image's source label: " + src
	}
	return ""
}

// DefaultName derives the app name from the module path, as `go build` names
// the binary. It fails when that element is not a valid name.
func DefaultName(modulePath string) (string, error) {
	return nameOf(GoBinary(modulePath), "the module path")
}

// nameOf is binary as the app name, which from says where it came from.
func nameOf(binary, from string) (string, error) {
	if CheckName(binary) != nil {
		like := "give one with --name, like myapp"
		if s := suggestName(binary); s != "" {
			like = "give --name " + s + " (or another)"
		}
		return "", invalid("name", "the app name would be %q, from %s, which is not a valid app name "+
			"(lower-case letters and digits, with single '-', '_' or '.' between them): %s", binary, from, like)
	}
	return binary, nil
}

// suggestName is a valid app name made from s: lower case, each run of
// other characters one '-', no separator at either end; "" when none is.
func suggestName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	name := strings.TrimLeft(strings.TrimRight(b.String(), "-"), "0123456789-")
	if CheckName(name) != nil {
		return ""
	}
	return name
}

// Binary is the name `go install` gives the program the image runs: the
// module path's (GoBinary) for a main package at the module's root, its
// directory's otherwise.
func (a Answers) Binary() string {
	if a.Main == "" || a.Main == "." {
		return GoBinary(a.Module)
	}
	return path.Base(a.Main)
}
