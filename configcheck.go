package syncready

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/syncready/syncready/rules"
)

// checkNode walks a YAML node against the Go type it is decoded into and
// returns the first mistake in words, with its line: a key that is not a
// setting (and the setting it most likely meant), or a value of the wrong
// shape (a string where a list goes). The YAML library's own messages name
// Go types ("cannot unmarshal !!str into []string", a struct dump for a
// nested key), which tell an admin nothing.
func checkNode(file string, n *yaml.Node, t reflect.Type, at string) error {
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			if err := checkNode(file, c, t, at); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return nil
	}
	where := at
	if where == "" {
		where = "the file"
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return configError(file, n.Line, "%s: expected settings (key: value lines), found %s", where, describeNode(n))
		}
		names := map[string]reflect.StructField{}
		var order []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			names[name] = f
			order = append(order, name)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := names[k.Value]
			if !ok {
				msg := fmt.Sprintf("%s is not a setting", join(at, k.Value))
				if at != "" {
					msg += " of " + at
				}
				if m := closest(k.Value, order); m != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", m)
				} else {
					msg += fmt.Sprintf(" (its settings: %s)", strings.Join(order, ", "))
				}
				return configError(file, k.Line, "%s; run \"syncready config example\" for every setting", msg)
			}
			if err := checkNode(file, v, f.Type, join(at, k.Value)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return configError(file, n.Line, "%s: expected key: value lines, found %s", where, describeNode(n))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := checkNode(file, n.Content[i+1], t.Elem(), join(at, n.Content[i].Value)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return configError(file, n.Line, "%s: expected a list (one \"- value\" line each, or [a, b]), found %s", where, describeNode(n))
		}
		for i, c := range n.Content {
			if err := checkNode(file, c, t.Elem(), fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return configError(file, n.Line, "%s: expected one value, found %s", where, describeNode(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return configError(file, n.Line, "%s: expected true or false, found %s", where, describeNode(n))
		}
	}
	return nil
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// describeNode says what a YAML value is, in words.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "key: value settings"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// DidYouMean returns " (did you mean X?)" for the known name a mistyped
// one most likely meant (see closest), "" when none is close.
func DidYouMean(name string, known []string) string {
	if m := closest(name, known); m != "" {
		return fmt.Sprintf(" (did you mean %s?)", m)
	}
	return ""
}

// NamedRules returns the rules of the catalog with the IDs given, in that
// order; an ID that is not one is an error with the ID it most likely meant.
func NamedRules(ids []string) ([]*rules.Rule, error) {
	all := rules.All()
	var known []string
	byID := map[string]*rules.Rule{}
	for _, r := range all {
		known, byID[r.ID] = append(known, r.ID), r
	}
	var out []*rules.Rule
	for _, id := range ids {
		if byID[id] == nil {
			return nil, &OptionsError{Msg: fmt.Sprintf("unknown rule %q%s; \"syncready rules\" lists them", id, DidYouMean(id, known))}
		}
		out = append(out, byID[id])
	}
	return out, nil
}

// closest returns the known name a mistyped key most likely meant: the same
// in another case, or at most two edits away.
func closest(key string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(k, key) {
			return k
		}
	}
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = slices.Min([]int{prev[j] + 1, cur[j-1] + 1, prev[j-1] + cost})
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// nodeLines records the line of every value under n by its path, as
// checkNode names them: "failOn", "sources.ldif[0]", "rules.severity.x".
func nodeLines(n *yaml.Node, at string, lines map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			nodeLines(c, at, lines)
		}
		return
	case yaml.AliasNode:
		if n.Alias != nil {
			n = n.Alias
		}
	}
	if at != "" {
		lines[at] = n.Line
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			nodeLines(n.Content[i+1], join(at, n.Content[i].Value), lines)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			nodeLines(c, fmt.Sprintf("%s[%d]", at, i), lines)
		}
	}
}

// checkValues refuses a setting whose value is not one of the words it
// takes (failOn, sourceAnchor, sources.graph.auth, a severity) or names no
// rule, with its line and the word it most likely meant.
func (c *Config) checkValues() error {
	oneOf := func(path, v string, words ...string) error {
		if v == "" || slices.Contains(words, strings.ToLower(v)) {
			return nil
		}
		return configError(c.file, c.lines[path], "%s %q: want %s or %s%s", path, v, strings.Join(words[:len(words)-1], ", "), words[len(words)-1], DidYouMean(strings.ToLower(v), words))
	}
	var ids []string
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	rule := func(path, id string) error {
		if slices.Contains(ids, id) {
			return nil
		}
		return configError(c.file, c.lines[path], "%s: no rule has the ID %q%s; \"syncready rules\" lists them", path, id, DidYouMean(id, ids))
	}
	errs := []error{
		oneOf("failOn", c.FailOn, "error", "warning", "none"),
		oneOf("sourceAnchor", c.SourceAnchor, "auto", "ms-ds-consistencyguid", "objectguid"),
		oneOf("sources.graph.auth", c.Sources.Graph.Auth, "device", "azcli", "managed-identity"),
	}
	for i, id := range c.Rules.Disable {
		errs = append(errs, rule(fmt.Sprintf("rules.disable[%d]", i), id))
	}
	for i, id := range c.Rules.Enable {
		errs = append(errs, rule(fmt.Sprintf("rules.enable[%d]", i), id))
	}
	for _, id := range slices.Sorted(maps.Keys(c.Rules.Severity)) {
		path := "rules.severity." + id
		errs = append(errs, rule(path, id), oneOf(path, c.Rules.Severity[id], "error", "warning", "info"))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// What a path in the config must be.
const (
	mustBeFile = iota
	mustBeDir
	mustHaveDir // the file may be missing, its directory not
)

// CheckFiles reports, in one error, the files and directories the config
// names that do not exist: the LDIF files, graphDir, the suppressions file,
// the baseline's directory (the baseline itself is last week's report, which
// the first scan writes), and each caFile and clientCert, in the order of
// their lines. Paths are taken as a scan takes them: as written, from the
// working directory.
func (c *Config) CheckFiles() error {
	type problem struct {
		line int
		text string
	}
	var missing []problem
	check := func(path, p string, must int) {
		if p == "" {
			return
		}
		subject := p
		if must == mustHaveDir {
			p = filepath.Dir(p)
			subject = "its directory " + p
		}
		fi, err := os.Stat(p)
		why := ""
		switch {
		case errors.Is(err, os.ErrNotExist):
			why = "does not exist"
		case err != nil:
			why = err.Error()
		case must != mustBeFile && !fi.IsDir():
			why = "is not a directory"
		case must == mustBeFile && fi.IsDir():
			why = "is a directory, not a file"
		default:
			return
		}
		line := ""
		if n := c.lines[path]; n > 0 {
			line = fmt.Sprintf("line %d: ", n)
		}
		missing = append(missing, problem{c.lines[path], fmt.Sprintf("  %s%s: %s %s", line, path, subject, why)})
	}
	for i, p := range c.Sources.LDIF {
		check(fmt.Sprintf("sources.ldif[%d]", i), p, mustBeFile)
	}
	check("sources.graphDir", c.Sources.GraphDir, mustBeDir)
	check("suppressions", c.Suppressions, mustBeFile)
	check("baseline", c.Baseline, mustHaveDir)
	for i, l := range c.Sources.LDAP {
		check(fmt.Sprintf("sources.ldap[%d].caFile", i), l.CAFile, mustBeFile)
	}
	check("sources.graph.clientCert", c.Sources.Graph.ClientCert, mustBeFile)
	slices.SortStableFunc(missing, func(a, b problem) int { return a.line - b.line })
	var l []string
	for _, m := range missing {
		l = append(l, m.text)
	}
	switch len(l) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%s: a path it names is missing:\n%s", c.file, l[0])
	}
	return fmt.Errorf("%s: %d paths it names are missing:\n%s", c.file, len(l), strings.Join(l, "\n"))
}
