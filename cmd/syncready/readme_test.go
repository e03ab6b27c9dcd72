package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestReadmeRuleTable keeps the README's rule table generated from the
// catalog; -update rewrites it.
func TestReadmeRuleTable(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	i, j := bytes.Index(b, []byte(begin)), bytes.Index(b, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s has no %q … %q markers", path, begin, end)
	}
	var table strings.Builder
	if err := runRules([]string{"-markdown"}, &table); err != nil {
		t.Fatal(err)
	}
	want := append(append(append([]byte{}, b[:i+len(begin)]...), table.String()...), b[j:]...)
	if bytes.Equal(b, want) {
		return
	}
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the rule table in %s is stale; run go test ./cmd/syncready -update", path)
}

func TestReadmeNamesTheTwoCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"make demo", "make test"} {
		if !bytes.Contains(b, []byte(s)) {
			t.Errorf("README lacks %q", s)
		}
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(ci, []byte("make test")) {
		t.Error(".ci/run must run the README's test command, make test")
	}
}
