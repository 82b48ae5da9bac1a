package detect

import (
	"regexp"
	"strings"
	"sync"
)

// goreleaserSources map GoReleaser's templates (and ko's, and promu's,
// which share their syntax) to what the flake stamps.
var goreleaserSources = map[string]string{
	"{{.Version}}":          "version",
	"{{.RawVersion}}":       "version",
	"{{.Tag}}":              "tag",
	"v{{.Version}}":         "tag",
	"{{.Commit}}":           "commit",
	"{{.FullCommit}}":       "commit",
	"{{.ShortCommit}}":      "short-commit",
	"{{.Date}}":             "date",
	"{{.CommitDate}}":       "date",
	"{{.Timestamp}}":        "timestamp",
	"{{.CommitTimestamp}}":  "timestamp",
	"{{.Env.GOVERSION}}":    "go-version",
	"{{.Git.Tag}}":          "tag",
	"{{.Git.FullCommit}}":   "commit",
	"{{.Git.ShortCommit}}":  "short-commit",
	"{{.Git.CommitDate}}":   "date",
	"{{.Revision}}":         "commit",
	"${{github.ref_name}}":  "tag",
	"${{github.sha}}":       "commit",
	"${{env.GITHUB_SHA}}":   "commit",
	"${{github.event.ref}}": "tag",
}

// reference is a variable's value written in one of the syntaxes of the
// files adopt reads: $(NAME) or ${NAME} (make, shell, Dockerfile), $NAME,
// {{.NAME}} or {{.Env.NAME}} (Task, GoReleaser, ko), {{NAME}} (just),
// ${{env.NAME}} or ${{steps.ID.outputs.NAME}} (a GitHub workflow), with
// what stands before it (v, for the tag's shape).
var reference = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(v?)(?:\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\{\{\.(?:Env\.)?([A-Za-z_][A-Za-z0-9_]*)\}\}|\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}|\$\{\{(?:env|vars|steps\.[A-Za-z0-9_-]+\.outputs|needs\.[A-Za-z0-9_-]+\.outputs)\.([A-Za-z_][A-Za-z0-9_]*)\}\})$`)
})

// command is a command's output as a value: $(...), `...` or {{`...`}}.
var command = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^(v?)(?:\\$\\((.+)\\)|`(.+)`)$") })

// valueSource is what a -X value is, read from the text of a build file
// (all its template spaces taken out): a template GoReleaser knows, a
// command's output (git describe, git rev-parse, date, go version), or a
// variable, read by its name or by the command assigned to it in the
// file (vars); a plain text is itself. False for what the flake cannot
// give.
func valueSource(v string, vars func(name string) string) (string, bool) {
	if src, ok := goreleaserSources[v]; ok {
		return src, true
	}
	if strings.HasPrefix(v, "${") && strings.HasSuffix(v, "#v}") { // ${VERSION#v}: the v taken off
		return "version", nameSource(v[2:len(v)-3]) != ""
	}
	if m := reference().FindStringSubmatch(v); m != nil {
		name := strings.Join(m[2:], "")
		if assigned := vars(name); assigned != "" {
			if src, ok := valueSource(assigned, func(string) string { return "" }); ok && src != assigned {
				return shaped(m[1], src)
			}
		}
		return shaped(m[1], nameSource(name))
	}
	if m := command().FindStringSubmatch(v); m != nil {
		return shaped(m[1], commandSource(m[2]+m[3]))
	}
	return v, !strings.ContainsAny(v, "$`{}()")
}

// shaped is src with a v before it: the tag where src is the version.
func shaped(v, src string) (string, bool) {
	switch {
	case src == "":
		return "", false
	case v == "":
		return src, true
	case src == "version":
		return "tag", true
	}
	return "", false
}

// commandSource is what a command prints, as a source: git describe is the
// tag (the version when a sed, cut or tr takes its v off), git rev-parse
// the commit, date the date, go version (or go env GOVERSION) the Go.
func commandSource(cmd string) string {
	switch {
	case strings.Contains(cmd, "git describe"):
		if strings.ContainsAny(cmd, "|#") {
			return "version"
		}
		return "tag"
	case strings.Contains(cmd, "git rev-parse --short"), strings.Contains(cmd, "%h"):
		return "short-commit"
	case strings.Contains(cmd, "git rev-parse"), strings.Contains(cmd, "%H"):
		return "commit"
	case strings.Contains(cmd, "go version"), strings.Contains(cmd, "GOVERSION"):
		return "go-version"
	case strings.HasPrefix(cmd, "date"):
		if strings.Contains(cmd, "%s") {
			return "timestamp"
		}
		return "date"
	}
	return ""
}

// nameSource is what a variable holds, read from its name: VERSION,
// COMMIT (SHORT_COMMIT), DATE, GOVERSION; "" for another.
func nameSource(name string) string {
	name = strings.ToUpper(name)
	switch {
	case strings.Contains(name, "GOVERSION") || strings.Contains(name, "GO_VERSION"):
		return "go-version"
	case strings.Contains(name, "REF_NAME") || name == "TAG" || strings.HasSuffix(name, "_TAG") || strings.HasPrefix(name, "TAG_"):
		return "tag"
	case strings.Contains(name, "VERSION"):
		return "version"
	case strings.Contains(name, "SHORT") && (strings.Contains(name, "COMMIT") || strings.Contains(name, "SHA")):
		return "short-commit"
	case strings.Contains(name, "COMMIT") || strings.Contains(name, "SHA") || strings.Contains(name, "REV"):
		return "commit"
	case strings.Contains(name, "DATE") || strings.Contains(name, "TIME"):
		return "date"
	}
	return ""
}

// assignment finds the value a build file assigns to a variable: NAME=,
// NAME :=, NAME ?= (make, shell, just), export NAME=, ARG NAME= and
// ENV NAME= (a Dockerfile), NAME: (Task's vars, a workflow's env).
func assignment(text string) func(name string) string {
	return func(name string) string {
		re := regexp.MustCompile(`(?m)^\s*(?:export\s+|ARG\s+|ENV\s+|-\s+)?` + regexp.QuoteMeta(name) + `\s*(?::=|\?=|=|:)\s*(.+?)\s*$`)
		m := re.FindStringSubmatch(text)
		if m == nil {
			return ""
		}
		v := strings.Trim(m[1], `"'`)
		if sh, ok := strings.CutPrefix(v, "sh: "); ok { // Task's dynamic variable
			v = "$(" + strings.Trim(sh, `"'`) + ")"
		}
		return templateSpaces().ReplaceAllString(v, "{{$1}}")
	}
}

// words splits a line of a build file into its words: at spaces outside
// $(...), ${...}, {{...}} and backquotes, with the quotes taken out (a
// flag in quotes reads like any other), and each template's spaces.
func words(line string) []string {
	line = templateSpaces().ReplaceAllStringFunc(line, func(t string) string { return strings.ReplaceAll(t, " ", "") })
	line = strings.NewReplacer(`"`, "", `'`, "").Replace(line)
	var out []string
	var w strings.Builder
	depth, backquote := 0, false
	for _, r := range line {
		switch {
		case r == '`':
			backquote = !backquote
		case r == '(' || r == '{':
			depth++
		case (r == ')' || r == '}') && depth > 0:
			depth--
		case (r == ' ' || r == '\t') && depth == 0 && !backquote:
			if w.Len() > 0 {
				out = append(out, w.String())
				w.Reset()
			}
			continue
		}
		w.WriteRune(r)
	}
	if w.Len() > 0 {
		out = append(out, w.String())
	}
	return out
}
