package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// UPNMismatch finds joined users whose UPNs differ.
var UPNMismatch = &Rule{
	ID:          "upn-mismatch",
	Title:       "joined pair with different UPNs: the cloud sign-in name changes",
	Severity:    Warning,
	NeedsTenant: true,
	Doc: `The on-premises user joins a cloud user (hard or soft match) whose UPN differs
(compared without case). With synchronizeUpnForManagedUsersEnabled (a new tenant's
default) the cloud UPN, the user's sign-in name, is overwritten with the on-premises
one; with it off, managed users keep the cloud UPN and the two stay different. The
message says which.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/howto-troubleshoot-upn-changes",
	Run: func(p *Pass) {
		t := p.Snap.Tenant
		assumed := ""
		if !t.Known(scanner.FactFeatures) {
			assumed = " (assumed: the tenant's sync features were not read)"
		}
		p.eachTarget(func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud) {
			if !m.Joined() || o.Kind != scanner.KindUser || o.UPN == "" || strings.EqualFold(o.UPN, c.UPN) {
				return
			}
			newUPN := cloudUPN(t, o)
			if strings.EqualFold(newUPN, c.UPN) {
				return
			}
			f := Finding{Attribute: p.UPNAttr, Value: o.UPN, Related: []string{c.ID}}
			if t.Features.SynchronizeUPNForManagedUsers {
				f.Message = fmt.Sprintf("joins cloud user %s (%s), whose UPN is %s: sync overwrites the cloud sign-in name with %s%s",
					c.UPN, c.ID, c.UPN, newUPN, assumed)
				f.Fix = Fix{Text: fmt.Sprintf("If users sign in as %s, set %s to %s on premises before sync; otherwise tell the user the sign-in name changes to %s.", c.UPN, p.UPNAttr, c.UPN, newUPN)}
			} else {
				f.Message = fmt.Sprintf("joins cloud user %s (%s), whose UPN is %s: UPN sync for managed users is off, so the cloud keeps %s and differs from %s%s",
					c.UPN, c.ID, c.UPN, c.UPN, o.UPN, assumed)
				f.Fix = Fix{Text: fmt.Sprintf("Align the two: set %s to %s on premises, or change the cloud UPN.", p.UPNAttr, c.UPN)}
			}
			p.OnPrem(o, f)
		})
	},
}

// cloudUPN predicts the UPN the sync service gives a user: its own when the
// suffix is verified (or the domains are unknown), else
// mailNickname@<initial domain> (the UPN prefix when there is no mailNickname).
func cloudUPN(t *scanner.Tenant, o *scanner.OnPrem) string {
	d := domainOf(o.UPN)
	if !t.Known(scanner.FactDomains) || t.DomainVerified(d) || t.InitialDomain() == "" {
		return o.UPN
	}
	prefix := o.MailNickname
	if prefix == "" {
		prefix = localPart(o.UPN)
	}
	return prefix + "@" + t.InitialDomain()
}
