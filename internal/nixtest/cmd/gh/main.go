// Command gh is a model of GitHub's gh command for the calls the generated
// workflows make, which the workflow rehearsals (internal/nixtest/
// workflowtest) put first on PATH: GitHub cannot be reached from where
// gonix-init is tested. It keeps the repository's pull requests, issues
// and labels in $GH_STATE/state.json, appends each call to $GH_STATE/calls,
// and answers as gh 2.x does (cli.github.com/manual), for:
//
//	gh pr list --head BRANCH --state open --json FIELDS [--jq EXPR]
//	gh pr create --base B --head H --title T --body-file F [--draft] [--label L]
//	gh pr edit N [--title T] [--body-file F] [--add-label L] [--remove-label L]
//	gh pr ready N [--undo]
//	gh issue list --state open --search "TEXT in:title" --json FIELDS [--jq EXPR]
//	gh issue create --title T --body-file F [--label L]
//	gh issue edit N [--title T] [--body-file F]
//	gh label create NAME [--color C] [--description D] [--force]
//	gh release create TAG [FILES...] --verify-tag [--title T] [--notes N] (recorded)
//
// As GitHub does, it refuses a pull request whose head branch the remote
// ($GH_REMOTE, a git repository) does not have, a release with
// --verify-tag of a tag it does not have, a release of a tag released, a second open pull request
// of the same head and base, and a label that does not exist. --jq runs
// jq (gh's gojq reads these expressions alike).
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// item is a pull request or an issue.
type item struct {
	Number  int      `json:"number"`
	Title   string   `json:"title"`
	Body    string   `json:"body"`
	State   string   `json:"state"` // OPEN, CLOSED
	Head    string   `json:"headRefName,omitempty"`
	Base    string   `json:"baseRefName,omitempty"`
	IsDraft bool     `json:"isDraft"`
	Labels  []string `json:"labels"`
	URL     string   `json:"url"`
}

// state is the repository as GitHub keeps it.
type state struct {
	Next   int      `json:"next"` // pull requests and issues share their numbers
	Pulls  []*item  `json:"pulls"`
	Issues []*item  `json:"issues"`
	Labels []string `json:"labels"`
	// Releases are the tags released.
	Releases []string `json:"releases"`
}

func main() {
	dir := os.Getenv("GH_STATE")
	if dir == "" {
		fail("GH_STATE is not set")
	}
	calls, err := os.OpenFile(filepath.Join(dir, "calls"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = fmt.Fprintln(calls, strings.Join(os.Args[1:], " "))
		err = errors.Join(err, calls.Close())
	}
	if err != nil {
		fail(err.Error())
	}
	s := load(dir)
	if len(os.Args) < 3 {
		fail("usage: gh pr|issue|label|release COMMAND [flags]")
	}
	out, err := s.run(os.Args[1], os.Args[2], os.Args[3:])
	if err != nil {
		fail(err.Error())
	}
	save(dir, s)
	fmt.Print(out)
}

// fail prints msg as gh does, and exits 1.
func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}

// run runs one command on the state.
func (s *state) run(group, cmd string, args []string) (string, error) {
	f, pos := parseFlags(args)
	switch group + " " + cmd {
	case "pr list":
		return list(s.Pulls, f, func(p *item) bool { return f["head"] == "" || p.Head == f["head"] })
	case "pr create":
		return s.createPull(f)
	case "pr edit":
		return s.edit(s.Pulls, pos, f)
	case "pr ready":
		p, err := find(s.Pulls, pos)
		if err == nil {
			p.IsDraft = f["undo"] == "true"
		}
		return "", err
	case "issue list":
		return list(s.Issues, f, func(i *item) bool { return matchesSearch(i, f["search"]) })
	case "issue create":
		return s.createIssue(f)
	case "issue edit":
		return s.edit(s.Issues, pos, f)
	case "label create":
		return s.createLabel(pos, f)
	case "release create":
		return s.createRelease(pos, f)
	}
	return "", fmt.Errorf("unknown command %q for \"gh\"", group+" "+cmd)
}

// flags are the flags of a call: --name value, and true for a switch.
type flags map[string]string

var switches = []string{"draft", "undo", "force", "verify-tag"}

// parseFlags splits args into flags (a repeated one keeps the last) and
// the positional arguments.
func parseFlags(args []string) (flags, []string) {
	f, pos := flags{}, []string(nil)
	for i := 0; i < len(args); i++ {
		name, ok := strings.CutPrefix(args[i], "--")
		switch {
		case !ok:
			pos = append(pos, args[i])
		case slices.Contains(switches, name):
			f[name] = "true"
		case i+1 < len(args):
			f[name] = args[i+1]
			i++
		}
	}
	return f, pos
}

// list prints the open items that keep selects, as --json and --jq say.
func list(items []*item, f flags, keep func(*item) bool) (string, error) {
	var rows []map[string]any
	for _, it := range items {
		if (f["state"] == "" || strings.EqualFold(it.State, f["state"])) && keep(it) {
			rows = append(rows, fields(it, f["json"]))
		}
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	data, err := json.Marshal(rows)
	if err != nil || f["jq"] == "" {
		return string(data) + "\n", err
	}
	cmd := exec.Command("jq", "-r", f["jq"])
	cmd.Stdin = strings.NewReader(string(data))
	out, err := cmd.Output()
	return string(out), err
}

// fields is it as --json FIELDS writes it: those fields alone.
func fields(it *item, names string) map[string]any {
	var all map[string]any
	data, _ := json.Marshal(it)
	_ = json.Unmarshal(data, &all)
	all["labels"] = labelObjects(it.Labels)
	out := map[string]any{}
	for _, name := range strings.Split(names, ",") {
		out[name] = all[name]
	}
	return out
}

// labelObjects are labels as GitHub's API lists them: objects with a name.
func labelObjects(names []string) []map[string]string {
	out := []map[string]string{}
	for _, n := range names {
		out = append(out, map[string]string{"name": n})
	}
	return out
}

// matchesSearch is gh's --search for "TEXT in:title": the title holds TEXT.
func matchesSearch(it *item, search string) bool {
	text, _ := strings.CutSuffix(strings.TrimSpace(search), "in:title")
	return strings.Contains(strings.ToLower(it.Title), strings.ToLower(strings.Trim(strings.TrimSpace(text), `"`)))
}

// createPull opens a pull request, as the API refuses one of a head the
// remote lacks, or a second open one of the same head and base.
func (s *state) createPull(f flags) (string, error) {
	remote := os.Getenv("GH_REMOTE")
	if err := exec.Command("git", "-C", remote, "rev-parse", "--verify", "-q", "refs/heads/"+f["head"]).Run(); err != nil {
		return "", fmt.Errorf("pull request create failed: GraphQL: Head sha can't be blank, Base sha can't be blank, No commits between %s and %s, Head ref must be a branch (createPullRequest)", f["base"], f["head"])
	}
	for _, p := range s.Pulls {
		if p.State == "OPEN" && p.Head == f["head"] && p.Base == f["base"] {
			return "", fmt.Errorf("a pull request for branch %q into branch %q already exists:\n%s", f["head"], f["base"], p.URL)
		}
	}
	it, err := s.newItem(f, "pull")
	if err != nil {
		return "", err
	}
	it.Head, it.Base, it.IsDraft = f["head"], f["base"], f["draft"] == "true"
	s.Pulls = append(s.Pulls, it)
	return it.URL + "\n", nil
}

// createIssue opens an issue.
func (s *state) createIssue(f flags) (string, error) {
	it, err := s.newItem(f, "issues")
	if err == nil {
		s.Issues = append(s.Issues, it)
	}
	return it.URL + "\n", err
}

// newItem is the next pull request or issue, with the title, body and
// label f gives.
func (s *state) newItem(f flags, kind string) (*item, error) {
	body, err := bodyOf(f)
	if err != nil {
		return nil, err
	}
	it := &item{Number: s.Next + 1, Title: f["title"], Body: body, State: "OPEN", Labels: []string{}}
	if l := f["label"]; l != "" {
		if !slices.Contains(s.Labels, l) {
			return nil, fmt.Errorf("could not add label: '%s' not found", l)
		}
		it.Labels = append(it.Labels, l)
	}
	s.Next++
	it.URL = "https://github.com/" + os.Getenv("GITHUB_REPOSITORY") + "/" + kind + "/" + strconv.Itoa(it.Number)
	return it, nil
}

// bodyOf is --body-file's content, or --body.
func bodyOf(f flags) (string, error) {
	if file := f["body-file"]; file != "" {
		data, err := os.ReadFile(file)
		return string(data), err
	}
	return f["body"], nil
}

// edit changes the title, body and labels of the item numbered pos[0].
func (s *state) edit(items []*item, pos []string, f flags) (string, error) {
	it, err := find(items, pos)
	if err != nil {
		return "", err
	}
	if t, ok := f["title"]; ok {
		it.Title = t
	}
	if _, ok := f["body-file"]; ok {
		if it.Body, err = bodyOf(f); err != nil {
			return "", err
		}
	}
	if l := f["add-label"]; l != "" {
		if !slices.Contains(s.Labels, l) {
			return "", fmt.Errorf("'%s' not found", l)
		}
		if !slices.Contains(it.Labels, l) {
			it.Labels = append(it.Labels, l)
		}
	}
	if l := f["remove-label"]; l != "" {
		it.Labels = slices.DeleteFunc(it.Labels, func(x string) bool { return x == l })
	}
	return it.URL + "\n", nil
}

// find is the item numbered pos[0].
func find(items []*item, pos []string) (*item, error) {
	if len(pos) == 1 {
		n, _ := strconv.Atoi(strings.TrimPrefix(pos[0], "#"))
		for _, it := range items {
			if it.Number == n {
				return it, nil
			}
		}
	}
	return nil, fmt.Errorf("GraphQL: Could not resolve to a PullRequest or Issue with the number of %v.", pos) //nolint:staticcheck // gh's own words
}

// createLabel adds a label; an existing one is refused but with --force.
func (s *state) createLabel(pos []string, f flags) (string, error) {
	if len(pos) != 1 {
		return "", errors.New("cannot create label: name argument required")
	}
	if slices.Contains(s.Labels, pos[0]) {
		if f["force"] != "true" {
			return "", fmt.Errorf("label with name %q already exists; use `--force` to update its color and description", pos[0])
		}
		return "", nil
	}
	s.Labels = append(s.Labels, pos[0])
	return "", nil
}

// load reads the state in dir, empty when there is none yet.
func load(dir string) *state {
	s := &state{}
	if data, err := os.ReadFile(filepath.Join(dir, "state.json")); err == nil {
		if err := json.Unmarshal(data, s); err != nil {
			fail(err.Error())
		}
	}
	return s
}

// save writes the state to dir.
func save(dir string, s *state) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "state.json"), data, 0o644)
	}
	if err != nil {
		fail(err.Error())
	}
}

// createRelease records a release of a tag, once: with --verify-tag, of a
// tag the remote has (without, GitHub would make the tag).
func (s *state) createRelease(pos []string, f flags) (string, error) {
	if len(pos) == 0 {
		return "", errors.New("could not create: no tag name provided")
	}
	tag := pos[0]
	if f["verify-tag"] == "true" {
		if err := exec.Command("git", "-C", os.Getenv("GH_REMOTE"), "rev-parse", "--verify", "-q", "refs/tags/"+tag).Run(); err != nil {
			return "", fmt.Errorf("tag %s doesn't exist in the repo", tag)
		}
	}
	if slices.Contains(s.Releases, tag) {
		return "", errors.New("a release with the same tag name already exists: " + tag)
	}
	s.Releases = append(s.Releases, tag)
	return "https://github.com/" + os.Getenv("GITHUB_REPOSITORY") + "/releases/tag/" + tag + "\n", nil
}
