package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/syncready/syncready/report/change"
)

// TestLiveFixAppliesToTheDC applies a fix's LDIF to the test domain
// controller with ldapmodify, as an admin would, and rescans it live: the
// findings its apply rows resolve are gone and nothing else changed; the
// undo LDIF gives back the directory as it was (the export before equals
// the export after). It writes to the DC, so it runs in a run of its own
// (SYNCREADY_TEST_LDAP_WRITE, see the Makefile), where the other live
// tests skip.
func TestLiveFixAppliesToTheDC(t *testing.T) {
	if os.Getenv("SYNCREADY_TEST_LDAP_WRITE") == "" {
		t.Skip("writes to the test DC: run with SYNCREADY_TEST_LDAP_WRITE=1 in a with-samba run of its own (make test does)")
	}
	url, ca, bindDN, password := liveLDAP(t)
	if _, err := exec.LookPath("ldapmodify"); err != nil {
		t.Fatal("ldapmodify is not installed (with-samba.sh installs ldap-utils)")
	}
	t.Setenv(passwordEnv, password)
	dir := t.TempDir()
	base := "OU=SyncReady," + os.Getenv("SYNCREADY_TEST_LDAP_BASE_DN")
	src := []string{"--ldap-url", url, "--ldap-ca-file", ca, "--ldap-bind-dn", bindDN, "--ldap-base-dn", base}
	export := func(name string) string {
		p := filepath.Join(dir, name)
		if code, _, e := runCmd(t, append([]string{"export", "--ldif", p}, src...)...); code != exitOK {
			t.Fatalf("export: exit %d: %s", code, e)
		}
		return p
	}
	scan := func(name string) map[string]finding {
		p := filepath.Join(dir, name)
		if code, _, e := runCmd(t, append([]string{"scan", "--out", p}, src...)...); code != exitOK {
			t.Fatalf("scan: exit %d: %s", code, e)
		}
		fs, _ := reportOf(t, p)
		m := map[string]finding{}
		for _, f := range fs {
			m[f.Fingerprint] = f
		}
		return m
	}
	ldapmodify := func(file string) {
		cmd := exec.Command("ldapmodify", "-H", url, "-x", "-D", os.Getenv("SYNCREADY_TEST_LDAP_ADMIN_DN"), "-y", "/dev/stdin", "-f", file)
		cmd.Env = append(os.Environ(), "LDAPTLS_CACERT="+ca)
		cmd.Stdin = strings.NewReader(os.Getenv("SYNCREADY_TEST_LDAP_ADMIN_PASSWORD"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ldapmodify -f %s: %v\n%s", filepath.Base(file), err, out)
		}
	}

	before := export("before.ldif")
	found := scan("before.json")
	plan, changes := filepath.Join(dir, "plan.csv"), filepath.Join(dir, "changes.ldif")
	if code, _, e := runCmd(t, append([]string{"fix", "--out", plan, "--out", changes}, src...)...); code != exitOK {
		t.Fatalf("fix: exit %d: %s", code, e)
	}
	f, err := os.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	p, err := change.ReadCSV(f, plan)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	fixed := map[string]bool{}
	for _, r := range p.Rows {
		if r.Action == change.Apply && r.Side.String() == "onprem" {
			for _, fp := range r.Findings {
				fixed[fp] = true
			}
		}
	}
	if len(fixed) == 0 {
		t.Fatal("the seeded defects gave no row to apply")
	}
	ldapmodify(changes)
	undone := false
	t.Cleanup(func() {
		if !undone { // leave the DC as it was for whoever comes next
			ldapmodify(filepath.Join(dir, "changes.undo.ldif"))
		}
	})
	after := scan("after.json")
	for fp := range fixed {
		if f, still := after[fp]; still {
			t.Errorf("still there after ldapmodify: %s on %s", f.Rule, f.Object)
		}
	}
	for fp, f := range found {
		if _, there := after[fp]; !there && !fixed[fp] {
			t.Errorf("gone although no apply row resolves it: %s on %s", f.Rule, f.Object)
		}
	}
	for fp, f := range after {
		if _, was := found[fp]; !was {
			t.Errorf("new after the fix: %s on %s %s", f.Rule, f.Object, f.Value)
		}
	}

	ldapmodify(filepath.Join(dir, "changes.undo.ldif"))
	undone = true
	if a, b := records(t, before), records(t, export("undone.ldif")); !slices.Equal(a, b) {
		t.Errorf("after the undo the directory differs from before (%d and %d lines)", len(a), len(b))
	}
}

// records is an export as sorted lines, each line of a record prefixed with
// its DN: a server keeps no order of values.
func records(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	dn := ""
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "#"), l == "":
		case strings.HasPrefix(l, "dn:"):
			dn = l
		default:
			out = append(out, dn+"\x00"+l)
		}
	}
	sort.Strings(out)
	return out
}
