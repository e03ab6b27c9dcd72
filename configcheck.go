package syncready

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
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
