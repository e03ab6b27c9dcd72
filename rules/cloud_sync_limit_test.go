package rules_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/ldif"
	"github.com/syncready/syncready/scanner/synth"
)

// TestCloudSyncObjectsPerDomain: a generated domain of more than 150,000
// in-scope objects is over Cloud Sync's limit, one of exactly 150,000 is
// not; objects out of scope do not count.
func TestCloudSyncObjectsPerDomain(t *testing.T) {
	// One generated domain, read once; each case takes the first n objects.
	var in bytes.Buffer
	if err := (synth.Minimal{Users: rules.CloudSyncMaxObjects + 10, Base: "DC=big,DC=example"}).WriteLDIF(&in); err != nil {
		t.Fatal(err)
	}
	var all []scanner.OnPrem
	if _, err := ldif.Read(context.Background(), &in, "big.ldif", ldif.Options{}, func(o *scanner.OnPrem) { all = append(all, *o) }); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		users   int
		exclude []string
		want    bool
	}{
		{rules.CloudSyncMaxObjects + 1, nil, true},
		{rules.CloudSyncMaxObjects, nil, false},
		{rules.CloudSyncMaxObjects + 10, []string{"OU=Dept07,DC=big,DC=example"}, false},
	} {
		snap := &scanner.Snapshot{OnPrem: slices.Clone(all[:c.users])}
		scanner.ApplyScope(snap, scanner.ScopeOptions{ExcludeOUs: c.exclude})
		var got []rules.Finding
		_, err := rules.Run(context.Background(), snap, scanner.Pair(snap, scanner.AnchorAuto), []*rules.Rule{rules.CloudSyncLimit}, rules.Config{Target: scanner.TargetCloudSync},
			func(f *rules.Finding) error { got = append(got, *f); return nil })
		if err != nil {
			t.Fatal(err)
		}
		found := len(got) == 1 && got[0].Kind == scanner.KindDomain && got[0].Object == "DC=big,DC=example" && got[0].Severity == rules.Error && got[0].Attribute == "objects"
		if found != c.want || len(got) > 1 {
			t.Errorf("%d users, %d in scope: findings %+v, want one on the domain: %v", c.users, len(snap.OnPrem), got, c.want)
		}
	}
}

// TestCloudSyncFeatures: each feature Cloud Sync does not offer is reported
// on the tenant, directory extensions as a warning; none set, none reported.
func TestCloudSyncFeatures(t *testing.T) {
	for _, c := range []struct {
		features scanner.Features
		want     map[string]rules.Severity // attribute -> severity
	}{
		{scanner.DefaultFeatures, map[string]rules.Severity{}},
		{scanner.Features{UserWriteback: true}, map[string]rules.Severity{"userWritebackEnabled": rules.Error}},
		{scanner.Features{DeviceWriteback: true, UserWriteback: true, DirectoryExtensions: true},
			map[string]rules.Severity{"deviceWritebackEnabled": rules.Error, "userWritebackEnabled": rules.Error, "directoryExtensionsEnabled": rules.Warning}},
	} {
		snap := &scanner.Snapshot{Tenant: &scanner.Tenant{ID: "tid", Features: c.features}, Sources: scanner.Sources{TenantID: "tid"}}
		got := map[string]rules.Severity{}
		_, err := rules.Run(context.Background(), snap, scanner.Pair(snap, scanner.AnchorAuto), []*rules.Rule{rules.CloudSyncFeatureUnsupported}, rules.Config{Target: scanner.TargetCloudSync},
			func(f *rules.Finding) error {
				if f.Side != scanner.CloudSide || f.Kind != scanner.KindTenant || f.Object != "tid" {
					t.Errorf("%s on %s %s %s, want the tenant", f.Attribute, f.Side, f.Kind, f.Object)
				}
				got[f.Attribute] = f.Severity
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Errorf("%+v: findings %v, want %v", c.features, got, c.want)
		}
		for a, sev := range c.want {
			if got[a] != sev {
				t.Errorf("%+v: %s %v, want %v", c.features, a, got[a], sev)
			}
		}
	}
}
