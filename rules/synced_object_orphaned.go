package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// SyncedObjectOrphaned finds synced cloud users the next sync deletes.
var SyncedObjectOrphaned = &Rule{
	ID:       "synced-object-orphaned",
	Title:    "synced cloud user that no in-scope object keeps: deleted on the next sync",
	Severity: Error,
	Impact:   ImpactSecurityBlock,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `A cloud user with onPremisesSyncEnabled true came from a part of the directory this
scan read (its onPremisesDistinguishedName lies under a naming context that was read),
but no in-scope on-premises object hard matches it: its OU is out of the new scope, the
sync rules filter it, or it is gone from Active Directory. The sync service deletes it on
the next cycle: a user is soft-deleted for 30 days, then gone for good with its mailbox
and licenses. Moving objects out of Connect Sync's scope deletes them in Microsoft Entra
ID (the Connect-to-Cloud-Sync pilot tutorial), and a user moved out of an OU in Cloud
Sync's scope is deleted and created anew (Cloud Sync FAQ). The message says how many
users of its OU and in all are in the same position, and which scope change keeps them;
in a side-by-side pilot another sync (a Connect Sync server) may still cover the user,
and the message says so. A user synced from a forest or domain that was not read is
left alone, and so is one that anchor-changes reports (it is in scope, but its anchor
changed). summary.syncedToDelete counts these findings.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/cloud-sync/tutorial-pilot-aadc-aadccp#considerations",
	Run: func(p *Pass) {
		s := p.Snap
		links := p.linkSynced()
		var orphans []int32
		for i := range s.Cloud {
			c := &s.Cloud[i]
			if c.Kind != scanner.KindUser || !c.SyncEnabled || c.OnPremDN == "" {
				continue
			}
			if p.Plan != nil && p.Plan.JoinedBy[i] >= 0 || links.linked != nil && links.linked[i] {
				continue // kept, or in scope with another anchor (anchor-changes)
			}
			if s.UnderScanned(c.OnPremDN) {
				orphans = append(orphans, int32(i))
			}
		}
		if len(orphans) == 0 {
			return
		}
		// How many per OU, for every message.
		type ou struct {
			dn string
			n  int
		}
		var ous []ou
		perOU := map[string]int{}
		for _, ci := range orphans {
			parent := parentDN(s.Cloud[ci].OnPremDN)
			k := strings.ToLower(parent)
			if j, ok := perOU[k]; ok {
				ous[j].n++
				continue
			}
			perOU[k] = len(ous)
			ous = append(ous, ou{parent, 1})
		}
		sorted := slices.Clone(ous)
		slices.SortStableFunc(sorted, func(a, b ou) int { return cmp.Compare(b.n, a.n) })
		var most []string
		for _, o := range sorted[:min(len(sorted), 5)] {
			most = append(most, fmt.Sprintf("%s (%d)", o.dn, o.n))
		}
		if len(sorted) > 5 {
			most = append(most, fmt.Sprintf("and %d more", len(sorted)-5))
		}
		where := fmt.Sprintf("%d in all, under %s: %s", len(orphans), plural(len(ous), "OU"), strings.Join(most, ", "))
		skipped := map[string]string{}
		for _, k := range s.Coverage.Skipped {
			skipped[scanner.NormalizeDN(k.Object)] = k.Reason
		}
		for _, ci := range orphans {
			c := &s.Cloud[ci]
			parent := parentDN(c.OnPremDN)
			why, keep := p.orphanedWhy(c.OnPremDN, parent, skipped)
			p.Cloud(c, Finding{
				Attribute: "onPremisesDistinguishedName",
				Value:     c.OnPremDN,
				Message: fmt.Sprintf("synced user %s came from %s, in a part of the directory this scan read, but no in-scope on-premises object hard matches it (%s): the sync service deletes it on the next cycle — soft-deleted for 30 days, then gone for good with its mailbox and licenses. Under %s, %s would be deleted this way; %s. Unless another sync still covers it: in a side-by-side pilot, a Connect Sync server whose scope still holds this OU keeps the user",
					CloudName(c), c.OnPremDN, why, parent, plural(ous[perOU[strings.ToLower(parent)]].n, "synced user"), where),
				Fix: Fix{Text: keep + " If the user is meant to go, nothing needs doing; check first that its mailbox and licenses may go with it."},
			})
		}
	},
}

// orphanedWhy says why a synced user's on-premises object is not in scope,
// and the scope change that keeps it.
func (p *Pass) orphanedWhy(dn, parent string, skipped map[string]string) (why, keep string) {
	reason, ok := skipped[scanner.NormalizeDN(dn)]
	switch {
	case !ok:
		return "no in-scope user with this DN or objectSid was read: it was deleted or moved in Active Directory, or lies where the export did not reach",
			fmt.Sprintf("If the user still exists in Active Directory, bring it into the scope (its OU %s, or wherever it moved, under --include-ou, not under --exclude-ou) and check that its source anchor is still the synced user's onPremisesImmutableId.", parent)
	case strings.HasPrefix(reason, "under --exclude-ou "):
		ex := strings.TrimPrefix(reason, "under --exclude-ou ")
		return "it is " + reason,
			fmt.Sprintf("Keep it in scope: take %s out of --exclude-ou (for Cloud Sync: select that OU in the configuration's scope), or move the user to an OU in scope.", ex)
	case strings.HasPrefix(reason, "not under any --include-ou"):
		return "it is " + reason,
			fmt.Sprintf("Keep it in scope: add %s to --include-ou (for Cloud Sync: to the OUs the configuration selects), or move the user to an OU in scope.", parent)
	}
	return "the sync rules leave it out: " + reason,
		"Keep it only by making it an object the sync rules take (see the reason), or let it go."
}

// parentDN returns the DN of the container of dn (without its first RDN).
func parentDN(dn string) string {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',':
			return strings.TrimSpace(dn[i+1:])
		}
	}
	return dn
}
