package rules_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// TestMoveUnderBothTargets runs the two-forest environment Connect Sync
// already syncs (testdata/cloud-sync-move) with every rule for each
// target: for Cloud Sync its rules report the linked mailbox, the large
// group and device writeback; for Connect Sync none of them runs, and the
// checks of an already-synced tenant (the changed anchor, the synced user
// out of scope) report the same as for Cloud Sync.
func TestMoveUnderBothTargets(t *testing.T) {
	const dir = "testdata/cloud-sync-move"
	byTarget := map[scanner.Target][]*rules.Finding{}
	for _, target := range []scanner.Target{scanner.TargetCloudSync, scanner.TargetConnectSync} {
		fx := loadFixture(t, dir)
		fx.cfg.Target = target
		fx.snap.Sources.Target = target
		selected, err := rules.Select(rules.All(), fx.cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := fx.run(t, selected)
		byTarget[target] = got
	}
	has := func(fs []*rules.Finding, rule, object string) bool {
		return slices.ContainsFunc(fs, func(f *rules.Finding) bool { return f.Rule == rule && f.Object == object })
	}
	cloud, connect := byTarget[scanner.TargetCloudSync], byTarget[scanner.TargetConnectSync]
	for _, c := range []struct{ rule, object string }{
		{"cloud-sync-linked-mailbox", "CN=Jo,OU=Staff,DC=contoso,DC=com"},
		{"cloud-sync-linked-mailbox", "CN=Jo Mailbox,OU=Mailboxes,DC=res,DC=contoso,DC=net"},
		{"cloud-sync-limit", "CN=Everyone,OU=Groups,DC=contoso,DC=com"},
		{"cloud-sync-feature-unsupported", "t-contoso"},
	} {
		if !has(cloud, c.rule, c.object) {
			t.Errorf("cloud-sync: no %s on %s", c.rule, c.object)
		}
	}
	for _, f := range connect {
		if strings.HasPrefix(f.Rule, "cloud-sync-") {
			t.Errorf("connect-sync: %s on %s: a Cloud Sync rule ran", f.Rule, f.Object)
		}
	}
	for _, c := range []struct{ rule, object string }{
		{"anchor-changes", "CN=Ann,OU=Staff,DC=contoso,DC=com"},
		{"synced-object-orphaned", "c-lee"},
	} {
		for target, fs := range byTarget {
			if !has(fs, c.rule, c.object) {
				t.Errorf("%s: no %s on %s", target, c.rule, c.object)
			}
		}
	}
	for target, fs := range byTarget {
		if has(fs, "synced-object-orphaned", "c-fab") {
			t.Errorf("%s: a user synced from a forest that was not read is reported as deleted", target)
		}
		for _, f := range fs {
			if f.Object == "CN=Cy,OU=Staff,DC=contoso,DC=com" || f.Object == "CN=Kim,OU=Staff,DC=contoso,DC=com" {
				t.Errorf("%s: %s on the clean object %s", target, f.Rule, f.Object)
			}
		}
	}
}

// TestLinkedMailboxNamespace: an account-forest user and its linked
// mailbox, which share an address, are one holder for Connect Sync, which
// joins them, and two colliding holders for Cloud Sync, which does not.
func TestLinkedMailboxNamespace(t *testing.T) {
	const account, mailbox = "CN=Jo,OU=Staff,DC=contoso,DC=com", "CN=Jo Mailbox,OU=Mailboxes,DC=res,DC=contoso,DC=net"
	for _, c := range []struct {
		target  scanner.Target
		collide bool
	}{
		{scanner.TargetConnectSync, false},
		{scanner.TargetCloudSync, true},
	} {
		fx := loadFixture(t, "testdata/duplicates")
		fx.cfg.Target = c.target
		got, _ := fx.run(t, []*rules.Rule{rules.DuplicateProxyAddress})
		for _, object := range []string{account, mailbox} {
			other := account
			if object == account {
				other = mailbox
			}
			found := slices.ContainsFunc(got, func(f *rules.Finding) bool { return f.Object == object && slices.Contains(f.Related, other) })
			if found != c.collide {
				t.Errorf("%s: a duplicate on %s naming %s: %v, want %v", c.target, object, other, found, c.collide)
			}
		}
	}
}
