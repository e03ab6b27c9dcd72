package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// SoftMatchDisabled finds soft-match candidates in a tenant that blocks soft match.
var SoftMatchDisabled = &Rule{
	ID:       idSoftMatchDisabled,
	Title:    "soft-match candidate exists but the tenant blocks soft match",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `The tenant has blockSoftMatchEnabled set, and a cloud object shares this
object's primary SMTP address (or UPN). The sync service will not join them: it
creates a second object whose addresses collide with the existing one. The fix
suggests a hard match instead only where one would join: between users, to a
cloud-managed account that holds no role, in a tenant that does not block
takeover through hard match.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-syncservice-features",
	Run: func(p *Pass) {
		p.eachTarget(func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud) {
			if m.Blocks&scanner.ReasonSoftMatchDisabled == 0 {
				return
			}
			attr, value, how := p.matchedOn(o, m)
			fix := "Turn blockSoftMatchEnabled off for the first sync (Update-MgDirectoryOnPremiseSynchronization) and on again once this object has joined."
			if !c.Anchored() && p.hardMatchWorks(o, c, m) {
				fix = fmt.Sprintf("Hard match instead: set the onPremisesImmutableId of cloud %s to %s before sync, or turn blockSoftMatchEnabled off for the first sync.",
					c.ID, o.Anchor(p.Plan.Anchor))
			}
			p.OnPrem(o, Finding{
				Attribute:    attr,
				Value:        value,
				Message:      fmt.Sprintf("would soft match %s cloud %s, but the tenant blocks soft match (blockSoftMatchEnabled): %s", how, describeCloud(c), noJoin),
				Fix:          Fix{Text: fix + alsoBlocked(m, scanner.ReasonSoftMatchDisabled)},
				Related:      []string{c.ID},
				RelatedNames: []string{CloudName(c)},
			})
		})
	},
}
