package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// TestHelpAndReadmeAgree checks that --help and the README's flags table
// list exactly the flags gonix-init has, each question's with its help,
// which comes from the one table of questions.
func TestHelpAndReadmeAgree(t *testing.T) {
	help := usageText(initCmd)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var inReadme []string
	for _, m := range regexp.MustCompile("(?m)^\\| `--([a-z-]+)").FindAllStringSubmatch(string(readme), -1) {
		inReadme = append(inReadme, m[1])
	}
	for _, name := range initCmd.flagNames() {
		if !regexp.MustCompile(`(?m)^  --` + name + `\b`).MatchString(help) {
			t.Errorf("--help lacks --%s", name)
		}
	}
	var all []string
	for _, cmd := range commands {
		all = append(all, cmd.flagNames()...)
	}
	for _, name := range all {
		if !slices.Contains(inReadme, name) && name != "help" {
			t.Errorf("the README's flags table lacks --%s", name)
		}
	}
	for _, name := range inReadme {
		if !slices.Contains(all, name) {
			t.Errorf("the README's flags table has --%s, which gonix-init lacks", name)
		}
	}
	if n := strings.Count(strings.Join(strings.Fields(usageText(updateCmd)), " "), "(default: as recorded)"); n != len(answers.Questions) {
		t.Errorf("update --help says \"(default: as recorded)\" %d times, want once for each of the %d answers", n, len(answers.Questions))
	}
	for _, q := range answers.Questions {
		if first := strings.Fields(q.Help)[0]; initCmd.Takes(q) && !strings.Contains(help, first) {
			t.Errorf("--help does not say the help of --%s", q.Key)
		}
	}
	for _, cmd := range commands {
		help := usageText(cmd)
		for _, name := range cmd.flagNames() {
			if !regexp.MustCompile(`(?m)^  --` + name + `\b`).MatchString(help) {
				t.Errorf("help of %s lacks --%s", cmd.LongName(), name)
			}
		}
		for _, line := range strings.Split(help, "\n") {
			if len(line) > 80 {
				t.Errorf("--help line longer than 80 columns: %q", line)
			}
		}
	}
}

// TestMainStaysThin keeps package main to flags, help and exit codes: under
// 500 lines of non-test Go, doc.go's generated comment (the help files'
// text) left out.
func TestMainStaysThin(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") && f != "doc.go" {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			n += bytes.Count(data, []byte("\n"))
		}
	}
	if n >= 500 {
		t.Errorf("package main has %d lines of non-test Go; keep it under 500 (what is not flags, help or exit codes belongs in internal/)", n)
	}
}
