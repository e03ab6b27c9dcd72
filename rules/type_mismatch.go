package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// TypeMismatch finds soft-match candidates of another kind.
var TypeMismatch = &Rule{
	ID:       idTypeMismatch,
	Title:    "soft-match candidate is of another object type",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `The cloud object that shares this object's primary SMTP address (or UPN) is
of another kind: a user against a contact or a mail-enabled group, and so on. The sync
service does not join objects of different types (ObjectTypeMismatch): it creates a
second cloud object and quarantines the colliding address.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/object-type-mismatch",
	Run: func(p *Pass) {
		p.eachTarget(func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud) {
			if m.Blocks&scanner.ReasonTypeMismatch == 0 {
				return
			}
			attr, value, how := p.matchedOn(o, m)
			p.OnPrem(o, Finding{
				Attribute: attr,
				Value:     value,
				Message: fmt.Sprintf("on-premises %s soft matches %s, which is a cloud %s: ObjectTypeMismatch, %s",
					o.Kind, how, c.Kind, noJoin),
				Fix: Fix{Text: fmt.Sprintf("Decide which object should own the address: delete or change the cloud %s, or convert one of the objects so both are %ss, before sync.",
					describeCloud(c), o.Kind) + alsoBlocked(m, scanner.ReasonTypeMismatch)},
				Related:      []string{c.ID},
				RelatedNames: []string{CloudName(c)},
			})
		})
	},
}
