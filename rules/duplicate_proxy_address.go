package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// DuplicateProxyAddress finds SMTP addresses held by two holders of the
// post-sync namespace.
var DuplicateProxyAddress = &Rule{
	ID:       "duplicate-proxy-address",
	Title:    "SMTP address held by more than one object after sync",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Doc: `An SMTP address (an SMTP proxyAddresses value or mail, compared without
case and without the smtp: prefix) must be unique in the tenant. Holders are every
in-scope on-premises object and every cloud object that no on-premises object joins;
an on-premises object and the cloud object it joins are one holder, and a linked
mailbox and its account-forest user are one person. The sync service rejects the
second holder's value (AttributeValueMustBeUnique) and quarantines it (duplicate
attribute resiliency). A duplicate whose one other holder is the cloud object
this object's blocked match targets exists only because of the block: its cause
is the block's finding (when the rule reporting it runs), and its fix is that
finding's. Runs on Active Directory alone when no tenant was read.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-syncservice-duplicate-attribute-resiliency",
	Run: func(p *Pass) {
		var cloud func(*scanner.Cloud, func(string))
		if p.Snap.HasCloud() {
			cloud = cloudSMTP
		}
		ns := newNamespace(p, 2, smtpValues, cloud)
		ns.report(smtpValues, func(i int, o *scanner.OnPrem, v onpremValue, others []holder) {
			related, names, desc := ns.related(others)
			f := Finding{
				Attribute: v.attr,
				Value:     v.value,
				Message: fmt.Sprintf("SMTP address %s is also held by %s: the sync service rejects the duplicate (AttributeValueMustBeUnique) and quarantines the address, so mail to it will not reach this object reliably",
					v.key(), desc),
				Fix:          Fix{Text: fmt.Sprintf("Keep %s on the one object that should receive its mail and remove it from the others (or give them another address) before sync.", v.key())},
				Related:      related,
				RelatedNames: names,
			}
			if c, cause, rule := ns.blockedTarget(i, others); c != nil {
				why, fix := blockedWords(c, rule)
				f.Message = fmt.Sprintf("SMTP address %s is also held by cloud %s: %s; the sync service rejects the duplicate (AttributeValueMustBeUnique) and quarantines the address, so mail to it will not reach this object reliably",
					v.key(), describeCloud(c), why)
				f.Fix, f.Cause = fix, cause
			}
			p.OnPrem(o, f)
		})
	},
}
