package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncready/syncready"

	"go.yaml.in/yaml/v3"
)

const schedule = "../../examples/schedule"

// TestScheduleRecipes checks the recipes as far as this machine can run
// them: their config files load, the Kubernetes manifest parses and embeds
// a valid config, and the cron script runs a real weekly scan twice (the
// second against the first as baseline) and passes exit code 3 on.
func TestScheduleRecipes(t *testing.T) {
	if _, err := syncready.LoadConfig(filepath.Join(schedule, "config.yaml")); err != nil {
		t.Errorf("config.yaml: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(schedule, "kubernetes", "cronjob.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	kinds := []string{}
	for {
		var doc struct {
			Kind string
			Data map[string]string
			Spec struct {
				Schedule string
			}
		}
		if err := dec.Decode(&doc); err != nil {
			break
		}
		kinds = append(kinds, doc.Kind)
		if cfg, ok := doc.Data["config.yaml"]; ok {
			if _, err := syncready.ParseConfig([]byte(cfg), "cronjob.yaml:config.yaml"); err != nil {
				t.Errorf("the ConfigMap's config: %v", err)
			}
		}
		if doc.Kind == "CronJob" && doc.Spec.Schedule != "0 6 * * 1" {
			t.Errorf("schedule %q", doc.Spec.Schedule)
		}
	}
	if strings.Join(kinds, ",") != "ConfigMap,PersistentVolumeClaim,CronJob" {
		t.Errorf("manifest kinds %v", kinds)
	}

	// The cron script, with its fixed paths pointed into a temp dir.
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "syncready")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte("sources:\n  ldif: ["+abs(filepath.Join(example, "contoso.ldif"))+"]\n  graphDir: "+abs(filepath.Join(example, "graph"))+
		"\noutputs:\n  - "+dir+"/reports/syncready-{date}.json\n  - "+dir+"/reports/latest.json\nbaseline: "+dir+"/reports/latest.json\nfailOn: error\n"), 0o600)
	env := filepath.Join(dir, "env")
	os.WriteFile(env, []byte("SYNCREADY_LDAP_PASSWORD=not-used\n"), 0o600)
	os.MkdirAll(filepath.Join(dir, "log"), 0o700)
	script, _ := os.ReadFile(filepath.Join(schedule, "cron", "run-weekly.sh"))
	s := strings.NewReplacer("/etc/syncready/env", env, "/usr/local/bin/syncready", bin, "/etc/syncready/config.yaml", cfg,
		"/var/log/syncready", filepath.Join(dir, "log"), "/var/lib/syncready/reports", filepath.Join(dir, "reports")).Replace(string(script))
	run := filepath.Join(dir, "run-weekly.sh")
	os.WriteFile(run, []byte(s), 0o700)
	// The first week has no baseline yet: seed it (an admin runs the first scan by hand).
	os.MkdirAll(filepath.Join(dir, "reports"), 0o700)
	if code, _, e := runCmd(t, "scan", "--ldif", filepath.Join(example, "contoso.ldif"), "--graph-dir", filepath.Join(example, "graph"), "--out", filepath.Join(dir, "reports", "latest.json")); code != exitOK {
		t.Fatal(e)
	}
	for week := 1; week <= 2; week++ {
		cmd := exec.Command("sh", run)
		cmd.Env = append(os.Environ(), "PATH="+os.Getenv("PATH"))
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 3 {
			t.Fatalf("week %d: the script must pass exit 3 on: %v", week, err)
		}
		last, _ := os.ReadFile(filepath.Join(dir, "log", "last-run.txt"))
		if !strings.Contains(string(last), "persisting since") {
			t.Errorf("week %d: the scan did not compare with the baseline:\n%s", week, last)
		}
	}
}
