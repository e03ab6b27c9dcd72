package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// HardMatchTakeoverBlocked finds hard matches the tenant refuses.
var HardMatchTakeoverBlocked = &Rule{
	ID:       idHardMatchTakeoverBlocked,
	Title:    "hard match to a cloud-managed user while the tenant blocks takeover",
	Severity: Error,
	Impact:   ImpactSecurityBlock,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `The tenant has blockCloudObjectTakeoverThroughHardMatchEnabled set, and the
cloud user whose onPremisesImmutableId equals this object's source anchor is not
synchronized (onPremisesSyncEnabled not true). The sync service refuses the hard match
(InvalidHardMatch): no join, a second cloud object.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-syncservice-features",
	Run: func(p *Pass) {
		p.eachTarget(func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud) {
			if m.Blocks&scanner.ReasonTakeoverBlocked == 0 {
				return
			}
			attr, value, how := p.matchedOn(o, m)
			p.OnPrem(o, Finding{
				Attribute: attr,
				Value:     value,
				Message: fmt.Sprintf("hard matches %s cloud-managed %s, but the tenant blocks cloud object takeover through hard match: InvalidHardMatch, %s",
					how, describeCloud(c), noJoin),
				Fix:          Fix{Text: "Turn blockCloudObjectTakeoverThroughHardMatchEnabled off for the first sync (Update-MgDirectoryOnPremiseSynchronization) and on again afterwards, or, if the cloud user is another person, clear its onPremisesImmutableId so that this object does not take it over." + alsoBlocked(m, scanner.ReasonTakeoverBlocked)},
				Related:      []string{c.ID},
				RelatedNames: []string{CloudName(c)},
			})
		})
	},
}
