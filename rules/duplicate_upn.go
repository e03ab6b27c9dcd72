package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// DuplicateUPN finds UPNs held by two holders of the post-sync namespace.
var DuplicateUPN = &Rule{
	ID:       "duplicate-upn",
	Title:    "UPN held by more than one user after sync",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Doc: `A userPrincipalName (or the --upn-source attribute) must be unique in the
tenant. Holders are every in-scope on-premises user and every cloud user that no
on-premises object joins. The sync service rejects the duplicate
(AttributeValueMustBeUnique) and gives the second user a UPN of the form
prefix+NNNN@<initial domain>. When the UPN is not taken as the cloud UPN (its
suffix is not verified, or the tenant's domains are not known) the message says so
in the words of upn-suffix-unverified. A duplicate whose one other holder is the
cloud user this user's blocked match targets exists only because of the block:
its cause is the block's finding (when the rule reporting it runs), and its fix
is that finding's. Runs on Active Directory alone when no tenant was read
(across every forest scanned).`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-syncservice-duplicate-attribute-resiliency",
	Run: func(p *Pass) {
		upns := func(o *scanner.OnPrem, yield func(onpremValue)) {
			if o.Kind == scanner.KindUser && o.UPN != "" {
				yield(onpremValue{p.UPNAttr, o.UPN, o.UPN})
			}
		}
		var cloud func(*scanner.Cloud, func(string))
		if p.Snap.HasCloud() {
			cloud = func(c *scanner.Cloud, yield func(string)) {
				if c.Kind == scanner.KindUser && c.UPN != "" {
					yield(c.UPN)
				}
			}
		}
		initial, _ := p.initialDomain()
		ns := newNamespace(p, 1, upns, cloud)
		ns.report(upns, func(i int, o *scanner.OnPrem, v onpremValue, others []holder) {
			related, names, desc := ns.related(others)
			rejected := fmt.Sprintf("the sync service rejects the duplicate (AttributeValueMustBeUnique) and one of the users gets the UPN %sNNNN@%s (four random digits) instead",
				localPart(v.value), initial)
			f := Finding{
				Attribute:    v.attr,
				Value:        v.value,
				Fix:          Fix{Text: fmt.Sprintf("Give each user its own %s before sync; keep %s on the user who signs in with it.", p.UPNAttr, v.value)},
				Related:      related,
				RelatedNames: names,
			}
			held := "also held by " + desc
			if c, cause, rule := ns.blockedTarget(i, others); c != nil {
				var why string
				why, f.Fix = blockedWords(c, rule)
				held, f.Cause = "also held by cloud "+describeCloud(c)+": "+why, cause
			}
			f.Message = fmt.Sprintf("UPN %s is %s: %s", v.value, held, rejected)
			if u := p.cloudUPN(i, v.value); u.outcome != upnAsIs {
				// The service may not take the value as the cloud UPN at all.
				f.Message = fmt.Sprintf("UPN %s is %s: a UPN must be unique; %s, and once the UPN is taken as is, %s", v.value, held, u.String(), rejected)
			}
			p.OnPrem(o, f)
		})
	},
}
