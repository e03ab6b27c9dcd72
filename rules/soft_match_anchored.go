package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// SoftMatchAnchored finds soft-match candidates that already belong to a sync.
var SoftMatchAnchored = &Rule{
	ID:       idSoftMatchAnchored,
	Title:    "soft-match candidate is already anchored to another object",
	Severity: Error,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `The cloud object that shares this object's primary SMTP address (or UPN)
already carries an onPremisesImmutableId, or is already synchronized
(onPremisesSyncEnabled true), so it belongs to another on-premises object. Soft match
is refused (InvalidSoftMatch): the sync service creates a second cloud object and
quarantines the colliding value.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/invalidsoftmatch-error",
	Run: func(p *Pass) {
		p.eachTarget(func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud) {
			if m.Blocks&scanner.ReasonAnchored == 0 {
				return
			}
			attr, value, how := p.matchedOn(o, m)
			state := "is already synchronized from a directory (onPremisesSyncEnabled true)"
			if c.ImmutableID != "" {
				state = fmt.Sprintf("already carries onPremisesImmutableId %s, which is not this object's source anchor %s", c.ImmutableID, o.Anchor(p.Plan.Anchor))
			}
			p.OnPrem(o, Finding{
				Attribute: attr,
				Value:     value,
				Message:   fmt.Sprintf("soft matches %s cloud %s, which %s: InvalidSoftMatch, %s", how, describeCloud(c), state, noJoin),
				Fix: Fix{Text: fmt.Sprintf("If cloud %s is this person, clear its onPremisesImmutableId (or set it to this object's anchor for a hard match) once the other source no longer syncs it; otherwise remove the shared value from one of them.",
					c.ID)},
				Related: []string{c.ID},
			})
		})
	},
}
