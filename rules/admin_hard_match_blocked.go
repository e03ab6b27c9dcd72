package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// AdminHardMatchBlocked finds hard-match targets that are cloud-managed admins.
var AdminHardMatchBlocked = &Rule{
	ID:       idAdminHardMatchBlocked,
	Title:    "hard-match target is a cloud-managed account with a directory role",
	Severity: Error,
	Impact:   ImpactSecurityBlock,
	Needs:    []scanner.Fact{scanner.FactRoles},
	Doc: `The cloud user whose onPremisesImmutableId equals this object's source anchor
is cloud-managed (onPremisesSyncEnabled not true) and holds an active directory role.
Since mid-2026 the sync service no longer lets an on-premises object take over such an
account by hard match (InvalidHardMatch; message center MC1262584): no join, a second
cloud object. What works is Microsoft's procedure for admin accounts (Admin role
considerations): remove the role from the cloud account, or its membership of the
role-assignable group the role comes through, for the first sync; hard-delete the
quarantined duplicate if a sync already created one; sync; assign the role again.
Clearing onPremisesImmutableId is no way around it: the soft match that would follow
is blocked for role holders too. Eligible-only roles: info.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant#admin-role-considerations",
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
				f.Fix = p.roleFix(c, "hard match", "Clearing the cloud account's onPremisesImmutableId is no way around it: the soft match that would follow is blocked for an account that holds a role too.")
				f.Fix.Text += alsoBlocked(m, scanner.ReasonAdminRole)
			} else {
				f.Severity = Info
				f.Message = fmt.Sprintf("hard matches %s cloud-managed %s, which is eligible (PIM) for %s: the join goes ahead, but activating the role before sync would block it",
					how, describeCloud(c), p.roleNames(c.ID, false))
				f.Fix = Fix{Text: "Do not activate the eligible role during the first sync."}
			}
			p.OnPrem(o, f)
		})
	},
}
