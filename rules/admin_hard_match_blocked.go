package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// AdminHardMatchBlocked finds hard-match targets that are cloud-managed
// accounts with a directory role, active or eligible.
var AdminHardMatchBlocked = &Rule{
	ID:       idAdminHardMatchBlocked,
	Title:    "hard-match target is a cloud-managed account with a directory role",
	Severity: Error,
	Impact:   ImpactSecurityBlock,
	Needs:    []scanner.Fact{scanner.FactRoles},
	Doc: `The cloud user whose onPremisesImmutableId equals this object's source anchor
is cloud-managed (onPremisesSyncEnabled not true) and holds a directory role, or is
eligible (PIM) for one. Since June 2026 the sync service blocks a hard match to a
cloud-managed user who holds a Microsoft Entra role (message center MC1262584), and
since July 1, 2026 also to one who is eligible for a privileged role or whose
onPremisesObjectIdentifier is already set (MC1263280; "Hard match security
protections" in "Configure Microsoft Entra Connect for an existing tenant"). The check
runs in the cloud, so it applies to Connect Sync and Cloud Sync alike: InvalidHardMatch,
no join. An eligible-only role blocks the hard match as an active one does (error).
What works is Microsoft's procedure: remove the role assignment or eligibility from
the cloud account (or its membership of the role-assignable group the role comes
through) for the first sync; hard-delete the quarantined duplicate if a sync already
created one; sync; restore the role. Clearing onPremisesImmutableId is no way around
it. Not modelled: which roles count as privileged (every role is taken as one), cloud
accounts with writeback enabled (excluded from the enforcement), and
onPremisesObjectIdentifier, which Graph v1.0 does not return.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant#hard-match-security-protections",
	Run: func(p *Pass) {
		p.eachTarget(func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud) {
			if m.Method != scanner.OutcomeHardMatch || c.SyncEnabled || m.Role == scanner.RoleNone {
				return
			}
			attr, value, how := p.matchedOn(o, m)
			f := Finding{Attribute: attr, Value: value, Related: []string{c.ID}, RelatedNames: []string{CloudName(c)}}
			if m.Role == scanner.RoleActive {
				f.Message = fmt.Sprintf("hard matches %s cloud-managed %s, which holds the directory role %s: the hard match is blocked, %s",
					how, describeCloud(c), p.roleNames(c.ID, true), noJoin)
				f.Fix = p.roleFix(c, "hard match", "Clearing the cloud account's onPremisesImmutableId is no way around it: the soft match that would follow is blocked for an account that holds a role too.", true)
			} else {
				f.Message = fmt.Sprintf("hard matches %s cloud-managed %s, which is eligible (PIM) for %s: since July 2026 the service blocks a hard match to a cloud-managed account eligible for a privileged role too (InvalidHardMatch), %s",
					how, describeCloud(c), p.roleNames(c.ID, false), noJoin)
				f.Fix = p.roleFix(c, "hard match", "Do not clear the cloud account's onPremisesImmutableId to get round the block: for an account eligible for a privileged role, Microsoft's way is to remove the eligibility for the match.", true)
			}
			f.Fix.Text += alsoBlocked(m, scanner.ReasonAdminRole)
			p.OnPrem(o, f)
		})
	},
}
