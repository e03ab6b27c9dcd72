package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// CloudSyncLinkedMailbox finds the account-forest users and linked
// mailboxes Cloud Sync makes two cloud users of.
var CloudSyncLinkedMailbox = &Rule{
	ID:        "cloud-sync-linked-mailbox",
	Title:     "linked mailbox and its account become two cloud users",
	Severity:  Error,
	Impact:    ImpactFailsSync,
	CloudSync: true,
	Doc: `An account-forest user and its linked mailbox in a resource forest (the mailbox's
msExchMasterAccountSid is the user's objectSid) are one person to Connect Sync, which
joins them into one cloud user. Cloud Sync does not match across forests ("Matching
across forests doesn't occur with cloud sync"; no cross-forest references, no merging
of attributes from several domains): it makes two cloud users of them, each with its
own sign-in name and addresses, so the person gets two accounts and the addresses they
share collide. Reported on both objects. Sources: Cloud Sync supported topologies
("Things to remember about all scenarios and topologies") and the Connect Sync to Cloud
Sync decision guide (comparison table).`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/cloud-sync/plan-cloud-sync-topologies#things-to-remember-about-all-scenarios-and-topologies",
	Run: func(p *Pass) {
		objs := p.Snap.OnPrem
		person := linkedPersons(objs)
		// mailboxOf[j] is a linked mailbox of account-forest user j.
		mailboxOf := map[int32]int32{}
		for i := range person {
			if j := person[i]; j != int32(i) {
				if _, ok := mailboxOf[j]; !ok {
					mailboxOf[j] = int32(i)
				}
			}
		}
		const fix = "Before these forests move to Cloud Sync, make the person one object: move the mailbox to the account forest (a regular user mailbox), or keep Connect Sync for the two forests, which joins them."
		for i := range objs {
			o := &objs[i]
			if j := person[i]; j != int32(i) {
				u := &objs[j]
				p.OnPrem(o, Finding{
					Attribute: "msExchMasterAccountSid",
					Value:     scanner.FormatSID(o.MasterSID),
					Message: fmt.Sprintf("this linked mailbox belongs to account-forest user %s (objectSid %s): Cloud Sync does not match across forests, so it becomes a second cloud user for the same person (Connect Sync joins the two)",
						u.DN, scanner.FormatSID(u.ObjectSID)),
					Fix:          Fix{Text: fix},
					Related:      []string{u.DN},
					RelatedNames: []string{OnPremName(u)},
				})
			}
			if k, ok := mailboxOf[int32(i)]; ok {
				m := &objs[k]
				p.OnPrem(o, Finding{
					Attribute: "objectSid",
					Value:     scanner.FormatSID(o.ObjectSID),
					Message: fmt.Sprintf("this user's linked mailbox is %s in a resource forest: Cloud Sync does not match across forests, so the mailbox becomes a second cloud user for the same person (Connect Sync joins the two)",
						m.DN),
					Fix:          Fix{Text: fix},
					Related:      []string{m.DN},
					RelatedNames: []string{OnPremName(m)},
				})
			}
		}
	},
}
