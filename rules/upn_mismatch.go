package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// UPNMismatch finds joined users whose UPNs differ.
var UPNMismatch = &Rule{
	ID:       "upn-mismatch",
	Title:    "joined pair with different UPNs: the cloud sign-in name changes",
	Severity: Warning,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `The on-premises user joins a cloud user (hard or soft match) whose UPN differs
(compared without case). With synchronizeUpnForManagedUsersEnabled (a new tenant's
default) the cloud UPN, the user's sign-in name, is overwritten with the UPN the
service computes: the on-premises one when its suffix is a verified domain of the
tenant, else mailNickname@<initial domain>; with it off, managed users keep the cloud
UPN and the two stay different. The message says which; when the tenant's domains
were not read it says that the new UPN cannot be predicted, and what it would be
either way.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/howto-troubleshoot-upn-changes",
	Run: func(p *Pass) {
		if p.Plan == nil {
			return
		}
		for i, m := range p.Plan.Matches {
			if !m.Joined() || m.Cloud < 0 {
				continue
			}
			o, c := &p.Snap.OnPrem[i], &p.Snap.Cloud[m.Cloud]
			if o.Kind != scanner.KindUser || o.UPN == "" || strings.EqualFold(o.UPN, c.UPN) {
				continue
			}
			u := p.cloudUPN(i, o.UPN)
			if u.outcome != upnCloudKeeps && u.is(c.UPN) {
				continue // the service writes the UPN the cloud user already has
			}
			f := Finding{Attribute: p.UPNAttr, Value: o.UPN, Related: []string{c.ID}, RelatedNames: []string{CloudName(c)}}
			joins := fmt.Sprintf("joins cloud user %s (%s), whose UPN is %s", c.UPN, c.ID, c.UPN)
			if u.outcome == upnCloudKeeps {
				f.Message = fmt.Sprintf("%s: %s and differs from %s", joins, u.String(), o.UPN)
				f.Fix = Fix{Text: fmt.Sprintf("Align the two: set %s to %s on premises, or change the cloud UPN.", p.UPNAttr, c.UPN)}
			} else {
				f.Message = fmt.Sprintf("%s: sync overwrites the cloud sign-in name; %s", joins, u.String())
				changes := "changes"
				if u.exact() {
					changes = "changes to " + u.address()
				}
				f.Fix = Fix{Text: fmt.Sprintf("If users sign in as %s, set %s to %s on premises before sync; otherwise tell the user the sign-in name %s.", c.UPN, p.UPNAttr, c.UPN, changes)}
			}
			p.OnPrem(o, f)
		}
	},
}
