package rules_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// syncedTenant is an environment Connect Sync already syncs: n users, each
// the synced cloud user of an on-premises user (linked by objectSid for
// half, by DN — some not ASCII — for the other half), plus a fixed few
// whose anchor changed and a fixed few gone from Active Directory.
func syncedTenant(n int) *scanner.Snapshot {
	snap := &scanner.Snapshot{Tenant: &scanner.Tenant{ID: "t", Features: scanner.DefaultFeatures}, Scanned: []string{"dc=contoso,dc=com"}}
	for i := range n {
		guid := fmt.Sprintf("%016d", i)
		sid, _ := scanner.ParseSID(nil, fmt.Sprintf("S-1-5-21-1-2-3-%d", 1000+i))
		dn := fmt.Sprintf("CN=Ünal %d,OU=Dept%02d,OU=Staff,DC=contoso,DC=com", i, i%50)
		o := scanner.OnPrem{DN: dn, Kind: scanner.KindUser, ObjectGUID: guid, ObjectSID: string(sid), SAMAccountName: fmt.Sprint("u", i), UPN: fmt.Sprintf("u%d@contoso.com", i)}
		c := scanner.Cloud{ID: fmt.Sprint("c", i), Kind: scanner.KindUser, UPN: o.UPN, SyncEnabled: true, OnPremDN: dn, ImmutableID: (&o).Anchor(scanner.AnchorAuto)}
		if i%2 == 0 {
			c.OnPremSID = scanner.FormatSID(o.ObjectSID)
		}
		if i < 3 {
			o.ConsistencyGUID = "changed anchor!!" // anchor-changes
		}
		snap.OnPrem = append(snap.OnPrem, o)
		snap.Cloud = append(snap.Cloud, c)
	}
	for i := range 3 { // gone: synced-object-orphaned
		snap.Cloud = append(snap.Cloud, scanner.Cloud{ID: fmt.Sprint("gone", i), Kind: scanner.KindUser, SyncEnabled: true, ImmutableID: "Z29uZQ==",
			OnPremDN: fmt.Sprintf("CN=Gone %d,OU=Staff,DC=contoso,DC=com", i)})
	}
	return snap
}

// TestNewRulesAllocatePerSideNotPerObject: the rules of an already-synced
// tenant and for Cloud Sync allocate as much for 4,000 objects as for
// 1,000 (their findings are the same few): nothing per object.
func TestNewRulesAllocatePerSideNotPerObject(t *testing.T) {
	for _, r := range []*rules.Rule{rules.AnchorChanges, rules.SyncedObjectOrphaned, rules.CloudSyncLimit, rules.CloudSyncLinkedMailbox, rules.CloudSyncFeatureUnsupported} {
		allocs := map[int]float64{}
		for _, n := range []int{1000, 4000} {
			snap := syncedTenant(n)
			plan := scanner.Pair(snap, scanner.AnchorAuto)
			cfg := rules.Config{Target: scanner.TargetCloudSync, Workers: 1}
			found := 0
			allocs[n] = testing.AllocsPerRun(5, func() {
				found = 0
				if _, err := rules.Run(context.Background(), snap, plan, []*rules.Rule{r}, cfg, func(*rules.Finding) error { found++; return nil }); err != nil {
					t.Fatal(err)
				}
			})
			if r == rules.AnchorChanges && found != 3 || r == rules.SyncedObjectOrphaned && found != 3 {
				t.Fatalf("%s: %d findings of %d objects, want 3", r.ID, found, n)
			}
		}
		// A map sized once still takes a table per thousand or so entries;
		// a per-object allocation would add 3,000.
		if allocs[4000] > allocs[1000]+3000/100 {
			t.Errorf("%s: %v allocations for 1,000 objects, %v for 4,000: it allocates per object", r.ID, allocs[1000], allocs[4000])
		}
	}
}
