package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// AdminSoftMatchBlocked finds soft-match candidates that hold a directory role.
var AdminSoftMatchBlocked = &Rule{
	ID:       idAdminSoftMatchBlocked,
	Title:    "soft-match candidate holds a directory role",
	Severity: Error,
	Impact:   ImpactSecurityBlock,
	Needs:    []scanner.Fact{scanner.FactRoles},
	Doc: `The cloud object this object would soft match holds an active Microsoft Entra
directory role, directly or through a role-assignable group. The sync service does not
soft match privileged cloud accounts ("Existing Admin Role Conflict"): no join, a
second cloud object, the colliding value quarantined. The fix is Microsoft's
procedure (Admin role considerations; Existing Admin Role Conflict in "Understanding
errors during Microsoft Entra synchronization"): remove the role from the cloud
account, or its membership of the role-assignable group the role comes through, for
the first sync; hard-delete the quarantined duplicate if a sync already created one;
sync; assign the role again. A hard match is no way around it: since mid-2026 the
service blocks hard matches to cloud-managed role holders too (MC1262584). An
eligible-only (PIM) role does not block the join and is reported as info.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant#admin-role-considerations",
	Run: func(p *Pass) {
		p.eachTarget(func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud) {
			if m.Method == scanner.OutcomeHardMatch || m.Role == scanner.RoleNone {
				return
			}
			attr, value, how := p.matchedOn(o, m)
			f := Finding{Attribute: attr, Value: value, Related: []string{c.ID}, RelatedNames: []string{CloudName(c)}}
			if m.Role == scanner.RoleActive {
				f.Message = fmt.Sprintf("soft matches %s cloud %s, which holds the directory role %s: Existing Admin Role Conflict, %s",
					how, describeCloud(c), p.roleNames(c.ID, true), noJoin)
				f.Fix = p.roleFix(c, "soft match", "Setting the cloud account's onPremisesImmutableId for a hard match is no way around it: a hard match to a cloud-managed account that holds a role is blocked too.", false)
				f.Fix.Text += alsoBlocked(m, scanner.ReasonAdminRole)
			} else {
				f.Severity = Info
				f.Message = fmt.Sprintf("soft matches %s cloud %s, which is eligible (PIM) for %s: the join goes ahead, but activating the role before sync would block it",
					how, describeCloud(c), p.roleNames(c.ID, false))
				f.Fix = Fix{Text: "Do not activate the eligible role during the first sync."}
			}
			p.OnPrem(o, f)
		})
	},
}
