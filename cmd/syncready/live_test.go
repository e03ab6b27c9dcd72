package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/ldif"
)

// liveLDAP returns the test directory started by .ci/samba/with-samba.sh,
// skipping (or failing, under SYNCREADY_TEST_LDAP_REQUIRED) without it.
func liveLDAP(t *testing.T) (url, ca, bindDN, password string) {
	url, ca = os.Getenv("SYNCREADY_TEST_LDAPS_URL"), os.Getenv("SYNCREADY_TEST_LDAP_CA_FILE")
	bindDN, password = os.Getenv("SYNCREADY_TEST_LDAP_BIND_DN"), os.Getenv("SYNCREADY_TEST_LDAP_PASSWORD")
	if os.Getenv("SYNCREADY_TEST_LDAP_WRITE") != "" && t.Name() != "TestLiveFixAppliesToTheDC" {
		t.Skip("a run that writes to the DC: only TestLiveFixAppliesToTheDC runs")
	}
	if url == "" || password == "" {
		if os.Getenv("SYNCREADY_TEST_LDAP_REQUIRED") != "" {
			t.Fatal("SYNCREADY_TEST_LDAP_REQUIRED is set but no test directory is running (make test starts one)")
		}
		t.Skip("no test directory: run through .ci/samba/with-samba.sh (make test does)")
	}
	return
}

type finding struct{ Rule, Severity, Object, Attribute, Value, Fingerprint string }

type match struct {
	OnPrem  string  `json:"onprem"`
	Cloud   *string `json:"cloud"`
	Outcome string  `json:"outcome"`
	Reason  *string `json:"reason"`
}

func reportOf(t *testing.T, path string) ([]finding, []match) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []finding
		Matches  []match
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	sort.Slice(rep.Findings, func(i, j int) bool { return rep.Findings[i].Fingerprint < rep.Findings[j].Fingerprint })
	return rep.Findings, rep.Matches
}

// TestLiveScanMatchesOfflineScan scans the test domain over LDAPS with its
// CA, exports it, scans the export offline, and requires the same findings
// and match plan — including hard matches on objectGUID and on
// mS-DS-ConsistencyGuid against a tenant built from what was read.
func TestLiveScanMatchesOfflineScan(t *testing.T) {
	url, ca, bindDN, password := liveLDAP(t)
	t.Setenv(passwordEnv, password)
	dir := t.TempDir()
	base := "OU=SyncReady," + os.Getenv("SYNCREADY_TEST_LDAP_BASE_DN")
	src := []string{"--ldap-url", url, "--ldap-ca-file", ca, "--ldap-bind-dn", bindDN, "--ldap-base-dn", base}
	export := filepath.Join(dir, "export.ldif")
	code, out, errOut := runCmd(t, append([]string{"export", "--ldif", export}, src...)...)
	if code != exitOK {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	if fi, err := os.Stat(export); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("export file: %v %v", fi, err)
	}

	// A tenant: a cloud user per anchor kind, taken from what was read.
	var guidUser, plainUser *scanner.OnPrem
	_, err := ldif.ReadFile(context.Background(), export, ldif.Options{}, func(o *scanner.OnPrem) {
		c := *o // the reader reuses o
		switch {
		case o.SAMAccountName == "guid.user":
			guidUser = &c
		case o.SAMAccountName == "bulkuser0001":
			plainUser = &c
		}
	})
	if err != nil || guidUser == nil || plainUser == nil {
		t.Fatalf("export lacks the seeded users: %v", err)
	}
	graph := filepath.Join(dir, "graph")
	os.Mkdir(graph, 0o700)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	users := `{"value":[
		{"id":"cloud-guid","userPrincipalName":"guid.user.cloud@example.com","onPremisesImmutableId":"` + b64(guidUser.ConsistencyGUID) + `"},
		{"id":"cloud-plain","userPrincipalName":"` + plainUser.UPN + `","onPremisesImmutableId":"` + b64(plainUser.ObjectGUID) + `"},
		{"id":"cloud-objguid-of-guid-user","userPrincipalName":"x@example.com","onPremisesImmutableId":"` + b64(guidUser.ObjectGUID) + `"}]}`
	os.WriteFile(filepath.Join(graph, "users.json"), []byte(users), 0o600)

	live, offline := filepath.Join(dir, "live.json"), filepath.Join(dir, "offline.json")
	code, out, errOut = runCmd(t, append([]string{"scan", "--graph-dir", graph, "--out", live}, src...)...)
	if code != exitOK {
		t.Fatalf("live scan: exit %d: %s", code, errOut)
	}
	if strings.Contains(out+errOut, password) {
		t.Fatal("the password appears in the output")
	}
	if b, _ := os.ReadFile(live); strings.Contains(string(b), password) {
		t.Fatal("the password appears in the report")
	}
	code, _, errOut = runCmd(t, "scan", "--ldif", export, "--graph-dir", graph, "--out", offline)
	if code != exitOK {
		t.Fatalf("offline scan: exit %d: %s", code, errOut)
	}
	lf, lm := reportOf(t, live)
	of, om := reportOf(t, offline)
	if len(lf) == 0 || !reflect.DeepEqual(lf, of) {
		t.Errorf("live and offline findings differ: %d vs %d", len(lf), len(of))
	}
	if !reflect.DeepEqual(lm, om) {
		t.Errorf("live and offline match plans differ")
	}
	outcome := map[string]string{}
	for _, m := range lm {
		c := ""
		if m.Cloud != nil {
			c = *m.Cloud
		}
		outcome[m.OnPrem] = m.Outcome + " " + c
	}
	if got := outcome[guidUser.DN]; got != "hard-match cloud-guid" {
		t.Errorf("guid.user (mS-DS-ConsistencyGuid anchor): %q", got)
	}
	if got := outcome[plainUser.DN]; got != "hard-match cloud-plain" {
		t.Errorf("bulkuser0001 (objectGUID anchor): %q", got)
	}
	// The seeded defects are found (SEED.md).
	rules := map[string]bool{}
	for _, f := range lf {
		rules[f.Rule] = true
	}
	for _, r := range []string{"duplicate-proxy-address", "lowercase-primary-smtp", "multiple-primary-smtp", "unroutable-domain", "missing-upn", "large-object"} {
		if !rules[r] {
			t.Errorf("the live scan did not report %s", r)
		}
	}
}

func TestLiveWrongPasswordIsNeverPrinted(t *testing.T) {
	url, ca, bindDN, password := liveLDAP(t)
	wrong := password + "-not"
	t.Setenv(passwordEnv, wrong)
	code, out, errOut := runCmd(t, "scan", "--ldap-url", url, "--ldap-ca-file", ca, "--ldap-bind-dn", bindDN)
	if code != exitFailure || !strings.Contains(errOut, "invalid credentials for DN "+bindDN) {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out+errOut, wrong) {
		t.Fatal("the password appears in the output")
	}
}

// TestLiveConfigPerSourcePassword reads the test domain from a config file
// whose source names its own password variable.
func TestLiveConfigPerSourcePassword(t *testing.T) {
	url, ca, bindDN, password := liveLDAP(t)
	t.Setenv(passwordEnv, "")
	t.Setenv("SYNCREADY_TEST_PW_SAMDOM", password)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("sources:\n  ldap:\n    - url: "+url+"\n      bindDN: "+bindDN+"\n      passwordEnv: SYNCREADY_TEST_PW_SAMDOM\n      caFile: "+ca+
		"\n      baseDN: OU=SyncReady,"+os.Getenv("SYNCREADY_TEST_LDAP_BASE_DN")+"\noutputs: ["+filepath.Join(dir, "r.json")+"]\n"), 0o600)
	code, out, errOut := runCmd(t, "scan", "--config", cfg)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out+errOut, password) {
		t.Fatal("the password appears in the output")
	}
	if f, _ := reportOf(t, filepath.Join(dir, "r.json")); len(f) == 0 {
		t.Error("no findings read through the config's source")
	}
}
