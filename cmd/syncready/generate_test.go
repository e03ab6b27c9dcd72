package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/syncready/syncready/scanner/synth"
)

// TestGeneratedEnvironment scans a generated environment and requires the
// findings and match outcomes its manifest promises, rule by rule; the
// generator is deterministic.
func TestGeneratedEnvironment(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCmd(t, "generate", "--objects", "6000", "--seed", "7", dir); code != exitOK {
		t.Fatal(e)
	}
	var m synth.Manifest
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	rep := scanJSON(t, "scan", "--ldif", filepath.Join(dir, "onprem.ldif"), "--graph-dir", filepath.Join(dir, "graph"))
	sum := rep["summary"].(map[string]any)
	byRule := map[string]int{}
	for k, v := range sum["findings"].(map[string]any)["byRule"].(map[string]any) {
		if n := int(v.(float64)); n > 0 {
			byRule[k] = n
		}
	}
	if !reflect.DeepEqual(byRule, m.Findings) {
		t.Errorf("findings by rule\n got %v\nwant %v", byRule, m.Findings)
	}
	outcomes := map[string]int{}
	for k, v := range sum["matches"].(map[string]any)["byOutcome"].(map[string]any) {
		if n := int(v.(float64)); n > 0 {
			outcomes[k] = n
		}
	}
	if !reflect.DeepEqual(outcomes, m.Outcomes) {
		t.Errorf("outcomes\n got %v\nwant %v", outcomes, m.Outcomes)
	}
	// Deterministic: the same seed writes the same files.
	dir2 := t.TempDir()
	runCmd(t, "generate", "--objects", "6000", "--seed", "7", dir2)
	a, _ := os.ReadFile(filepath.Join(dir, "onprem.ldif"))
	c, _ := os.ReadFile(filepath.Join(dir2, "onprem.ldif"))
	if string(a) != string(c) {
		t.Error("the same seed wrote different LDIF")
	}
}
