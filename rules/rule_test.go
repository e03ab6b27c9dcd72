package rules

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

func run(t *testing.T, snap *scanner.Snapshot, cfg Config, only ...*Rule) ([]Finding, []scanner.NotEvaluated) {
	t.Helper()
	plan := scanner.Pair(snap, scanner.AnchorAuto)
	sel := only
	if sel == nil {
		var err error
		if sel, err = Select(All(), cfg); err != nil {
			t.Fatal(err)
		}
	}
	var got []Finding
	ne, err := Run(context.Background(), snap, plan, sel, cfg, func(f *Finding) error {
		got = append(got, *f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, ne
}

func TestDuplicateRelatedNamesEveryOtherHolder(t *testing.T) {
	snap := &scanner.Snapshot{
		OnPrem: []scanner.OnPrem{
			{DN: "CN=A", Kind: scanner.KindGroup, GroupType: 8, ProxyAddresses: []string{"SMTP:team@x.com"}},
			{DN: "CN=B", Kind: scanner.KindGroup, GroupType: 8, Mail: "TEAM@x.com"},
			{DN: "CN=C", Kind: scanner.KindUser, SAMAccountName: "c", UPN: "c@x.com", ProxyAddresses: []string{"SMTP:c@x.com", "smtp:team@x.com"}},
		},
		Cloud: []scanner.Cloud{
			{ID: "cloud-1", Kind: scanner.KindContact, Mail: "team@x.com", SyncEnabled: true, ProxyAddresses: []string{"SMTP:team@x.com"}},
			{ID: "cloud-2", Kind: scanner.KindUser, UPN: "other@x.com"},
		},
		Tenant: &scanner.Tenant{Features: scanner.DefaultFeatures},
	}
	got, _ := run(t, snap, Config{}, DuplicateProxyAddress)
	want := map[string][]string{
		"CN=A": {"CN=B", "CN=C", "cloud-1"},
		"CN=B": {"CN=A", "CN=C", "cloud-1"},
		"CN=C": {"CN=A", "CN=B", "cloud-1"},
	}
	if len(got) != 3 {
		t.Fatalf("got %d findings, want 3: %+v", len(got), got)
	}
	for _, f := range got {
		if !reflect.DeepEqual(f.Related, want[f.Object]) {
			t.Errorf("%s: related %v, want %v", f.Object, f.Related, want[f.Object])
		}
		if f.Fix.Attribute != "" {
			t.Errorf("%s: a duplicate has no safe automatic change, got fix %+v", f.Object, f.Fix)
		}
		if !strings.Contains(f.Message, "team@x.com") {
			t.Errorf("%s: message does not name the address: %s", f.Object, f.Message)
		}
	}
}

func TestSelect(t *testing.T) {
	if _, err := Select(All(), Config{Disable: []string{"no-such-rule"}}); err == nil {
		t.Fatal("unknown --disable ID accepted")
	} else {
		var ue *UnknownRuleError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "duplicate-upn") {
			t.Fatalf("error should list the known IDs: %v", err)
		}
	}
	for _, cfg := range []Config{{Enable: []string{"nope"}}, {Severity: map[string]Severity{"nope": Info}}} {
		if _, err := Select(All(), cfg); err == nil {
			t.Errorf("%+v: unknown ID accepted", cfg)
		}
	}
	cloudSync := 0
	for _, r := range All() {
		if r.CloudSync {
			cloudSync++
		}
	}
	if cloudSync == 0 {
		t.Fatal("the catalog has no rule for Cloud Sync only")
	}
	for _, c := range []struct {
		target scanner.Target
		want   int
	}{
		{scanner.TargetCloudSync, len(All()) - 2},
		{scanner.TargetConnectSync, len(All()) - 2 - cloudSync},
	} {
		// Enabling a Cloud Sync rule does not make it one of a Connect Sync
		// prediction.
		sel, err := Select(All(), Config{Target: c.target, Disable: []string{"missing-upn", "duplicate-upn"}, Enable: []string{"cloud-sync-limit"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(sel) != c.want {
			t.Errorf("%s, disable: %d rules selected, want %d", c.target, len(sel), c.want)
		}
		for _, r := range sel {
			if r.ID == "missing-upn" || r.ID == "duplicate-upn" {
				t.Errorf("%s still selected", r.ID)
			}
			if r.CloudSync && c.target != scanner.TargetCloudSync {
				t.Errorf("%s selected for %s", r.ID, c.target)
			}
		}
	}
}

func TestCatalogIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if seen[r.ID] {
			t.Errorf("duplicate rule ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Doc == "" || r.Run == nil || r.Severity == 0 || !strings.HasPrefix(r.Source, "https://learn.microsoft.com/") {
			t.Errorf("%s: incomplete rule (title, doc, run, severity and a Microsoft Learn source are required)", r.ID)
		}
		if r.ID != strings.ToLower(r.ID) || strings.ContainsAny(r.ID, " _") {
			t.Errorf("%s: IDs are kebab-case", r.ID)
		}
	}
}

func TestSeverityOverrideAndSystemMailbox(t *testing.T) {
	snap := &scanner.Snapshot{OnPrem: []scanner.OnPrem{
		{DN: "CN=U", Kind: scanner.KindUser, SAMAccountName: "u"},
		{DN: "CN=HealthMailboxabc", Kind: scanner.KindUser, SAMAccountName: "h", Flags: scanner.FlagSystemMailbox},
	}}
	cfg := Config{Severity: map[string]Severity{"missing-upn": Error}}
	got, _ := run(t, snap, cfg, MissingUPN)
	if len(got) != 2 {
		t.Fatalf("got %d findings", len(got))
	}
	if got[0].Severity != Error {
		t.Errorf("override: severity %s, want error", got[0].Severity)
	}
	if got[1].Severity != Info {
		t.Errorf("system mailbox: severity %s, want info whatever the override", got[1].Severity)
	}
}

func TestFingerprintStable(t *testing.T) {
	snap := func(dn string) *scanner.Snapshot {
		return &scanner.Snapshot{OnPrem: []scanner.OnPrem{{DN: dn, ObjectGUID: "0123456789abcdef", Kind: scanner.KindUser, SAMAccountName: "u"}}}
	}
	a, _ := run(t, snap("CN=Old,OU=A,DC=x"), Config{}, MissingUPN)
	b, _ := run(t, snap("CN=New,OU=B,DC=x"), Config{}, MissingUPN)
	if a[0].Fingerprint != b[0].Fingerprint {
		t.Error("fingerprint changed when the object was renamed and moved")
	}
	c, _ := run(t, &scanner.Snapshot{OnPrem: []scanner.OnPrem{{DN: "CN=Old,OU=A,DC=x", Kind: scanner.KindUser, SAMAccountName: "u"}}}, Config{}, MissingUPN)
	d, _ := run(t, &scanner.Snapshot{OnPrem: []scanner.OnPrem{{DN: "CN=New,OU=A,DC=x", Kind: scanner.KindUser, SAMAccountName: "u"}}}, Config{}, MissingUPN)
	if c[0].Fingerprint == d[0].Fingerprint {
		t.Error("without a GUID the fingerprint must fall back to the DN")
	}
	// Pinned: a change of the fingerprint recipe breaks diff across versions.
	if got := Fingerprint("missing-upn", "CN=Old,OU=A,DC=x", "userPrincipalName", ""); got != "479de8a02e652051665e76f1c1f2a580" {
		t.Errorf("fingerprint %q", got)
	}
}

// TestDuplicateValuesFoldCase: values are compared as strings.ToLower
// makes them, non-ASCII letters too, and the finding names the address in
// lower case; a value held once is never reported, whatever its case.
func TestDuplicateValuesFoldCase(t *testing.T) {
	snap := &scanner.Snapshot{
		OnPrem: []scanner.OnPrem{
			{DN: "CN=A", Kind: scanner.KindUser, SAMAccountName: "a", UPN: "Élodie@x.com", ProxyAddresses: []string{"SMTP:Élodie@X.com"}},
			{DN: "CN=B", Kind: scanner.KindUser, SAMAccountName: "b", UPN: "élodie@x.COM", ProxyAddresses: []string{"SMTP:b@x.com", "smtp:élodie@x.COM"}},
			{DN: "CN=C", Kind: scanner.KindUser, SAMAccountName: "c", UPN: "Solo@X.com", ProxyAddresses: []string{"SMTP:Solo@X.com"}},
		},
	}
	got, _ := run(t, snap, Config{}, DuplicateProxyAddress, DuplicateUPN)
	if len(got) != 4 {
		t.Fatalf("got %d findings, want 4 (two rules, two objects): %+v", len(got), got)
	}
	for _, f := range got {
		if f.Object == "CN=C" {
			t.Errorf("a value held once: %+v", f)
		}
		if f.Rule == "duplicate-proxy-address" && !strings.Contains(f.Message, "élodie@x.com") {
			t.Errorf("message names the address in lower case: %s", f.Message)
		}
	}
}

// TestRepeatedValueOneFinding: an LDIF may list one value of a
// multi-valued attribute twice (AD never does). Each rule reports it once:
// a fingerprint names one finding, and diff and --baseline refuse a report
// that lists one twice.
func TestRepeatedValueOneFinding(t *testing.T) {
	bad := "smtp:bad name@contoso.local"
	snap := &scanner.Snapshot{OnPrem: []scanner.OnPrem{
		{DN: "CN=Dup,DC=x", ObjectGUID: "0123456789abcdef", Kind: scanner.KindUser, SAMAccountName: "dup", UPN: "dup@contoso.com",
			ProxyAddresses: []string{"SMTP:dup@contoso.com", bad, bad, "x500:\x01", "x500:\x01", "SMTP:dup@contoso.com"}},
	}}
	got, _ := run(t, snap, Config{})
	seen := map[string]string{}
	perRule := map[string]int{}
	for _, f := range got {
		if r, dup := seen[f.Fingerprint]; dup {
			t.Errorf("%s and %s both report fingerprint %s (%s %q)", r, f.Rule, f.Fingerprint, f.Attribute, f.Value)
		}
		seen[f.Fingerprint] = f.Rule
		if f.Value == bad {
			perRule[f.Rule]++
		}
	}
	if perRule["invalid-character"] != 1 || perRule["unroutable-domain"] != 1 {
		t.Errorf("the repeated value should be reported once by each rule: %v", perRule)
	}
}
