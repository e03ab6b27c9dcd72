package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTargetFlag: --target (or the config key target) says which product
// the prediction is for, in sources.target and on the terminal; Cloud Sync
// with another --source-anchor than auto, or an unknown target, is a usage
// error.
func TestTargetFlag(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cloud.yaml")
	if err := os.WriteFile(cfg, []byte("target: cloud-sync\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badCfg := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badCfg, []byte("target: cloud-sync\nsourceAnchor: objectguid\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		target string // sources.target; "" when the scan is refused
		msg    string
	}{
		{"default", nil, exitOK, "connect-sync", "Prediction for Microsoft Entra Connect Sync (--target connect-sync)"},
		{"cloud sync", []string{"--target", "cloud-sync"}, exitOK, "cloud-sync", "Prediction for Microsoft Entra Cloud Sync (--target cloud-sync)"},
		{"cloud sync, auto anchor", []string{"--target", "cloud-sync", "--source-anchor", "auto"}, exitOK, "cloud-sync", "Cloud Sync"},
		{"from the config file", []string{"--config", cfg}, exitOK, "cloud-sync", "Cloud Sync"},
		{"the flag over the config file", []string{"--config", cfg, "--target", "connect-sync"}, exitOK, "connect-sync", "Connect Sync"},
		{"cloud sync, objectguid", []string{"--target", "cloud-sync", "--source-anchor", "objectguid"}, exitUsage, "", "--target cloud-sync takes only --source-anchor auto"},
		{"cloud sync, consistency guid", []string{"--target", "cloud-sync", "--source-anchor", "ms-ds-consistencyguid"}, exitUsage, "", "cannot be changed"},
		{"the config file's anchor", []string{"--config", badCfg}, exitUsage, "", "--target cloud-sync takes only --source-anchor auto"},
		{"unknown target", []string{"--target", "cloudsync"}, exitUsage, "", `unknown target "cloudsync": want connect-sync or cloud-sync`},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append(exampleArgs("graph"), c.args...)
			code, stdout, stderr := runCmd(t, append(args, "--out", filepath.Join(dir, c.name+".json"))...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, stderr)
			}
			if !strings.Contains(stdout+stderr, c.msg) {
				t.Errorf("want %q in the output:\n%s%s", c.msg, stdout, stderr)
			}
			if c.target == "" {
				return
			}
			rep := scanJSON(t, args...)
			if got := rep["sources"].(map[string]any)["target"]; got != c.target {
				t.Errorf("sources.target %v, want %s", got, c.target)
			}
		})
	}
}
