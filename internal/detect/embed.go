package detect

import (
	"errors"
	"fmt"
	"go/build"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/mod/module"
)

// Embed is one //go:embed pattern of a package a build compiles, and the
// files it takes in, relative to the project, sorted.
type Embed struct {
	Package, Pattern string
	Files            []string
}

// EmbedError is a //go:embed pattern that go build refuses: one that
// matches nothing, or a directory without a file it can embed. Go's own
// message follows the package.
type EmbedError struct {
	Package, Pattern string
	Err              error
}

func (e *EmbedError) Error() string {
	return fmt.Sprintf("%s: pattern %s: %v", e.Package, e.Pattern, e.Err)
}

// Embeds returns the //go:embed patterns of the main packages in dirs and
// of the module's packages they import, with the build tags given, and
// the files each takes in, as go build finds them
// (cmd/go/internal/load's resolveEmbed): a pattern matches files and
// directories under its package's directory; a directory takes in every
// file below it but those whose names start with . or _ (unless the
// pattern starts with all:) and other modules. A pattern go build refuses
// is an *EmbedError.
func (p *Project) Embeds(dirs, tags []string) ([]Embed, error) {
	var embeds []Embed
	var errs []error
	seen := map[string]bool{}
	for _, main := range dirs {
		err := p.walkImports(main, tags, func(dir string, pkg *build.Package) {
			if seen[dir] {
				return
			}
			seen[dir] = true
			for _, pattern := range pkg.EmbedPatterns {
				files, err := p.resolveEmbed(dir, pattern)
				if err != nil {
					errs = append(errs, &EmbedError{Package: dir, Pattern: pattern, Err: err})
					continue
				}
				embeds = append(embeds, Embed{Package: dir, Pattern: pattern, Files: files})
			}
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(embeds, func(a, b Embed) int { return strings.Compare(a.Package+" "+a.Pattern, b.Package+" "+b.Pattern) })
	return embeds, errors.Join(errs...)
}

// resolveEmbed returns the files one pattern of the package in dir takes
// in, relative to the project.
func (p *Project) resolveEmbed(dir, pattern string) ([]string, error) {
	glob, all := strings.CutPrefix(pattern, "all:")
	if _, err := path.Match(glob, ""); err != nil || glob == "." || !fs.ValidPath(glob) {
		return nil, errors.New("invalid pattern syntax")
	}
	matches, err := fs.Glob(p.fsys, path.Join(dir, glob))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, m := range matches {
		info, err := fs.Stat(p.fsys, m)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, m)
			continue
		}
		count := 0
		err = fs.WalkDir(p.fsys, m, func(f string, d fs.DirEntry, err error) error {
			if err != nil || f == m {
				return err
			}
			name := d.Name()
			if badEmbedName(name) || (name[0] == '.' || name[0] == '_') && !all || d.IsDir() && isModule(p.fsys, f) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				files = append(files, f)
				count++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if count == 0 {
			rel := strings.TrimPrefix(m, dir+"/")
			return nil, fmt.Errorf("cannot embed directory %s: contains no embeddable files", rel)
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no matching files found")
	}
	slices.Sort(files)
	return slices.Compact(files), nil
}

// badEmbedName reports a name no module holds, which go build does not
// embed: a version control directory, or an invalid file name.
func badEmbedName(name string) bool {
	return module.CheckFilePath(name) != nil || slices.Contains([]string{".bzr", ".hg", ".git", ".svn"}, name)
}
