package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// SoftMatchAnchored finds soft-match candidates that already belong to a sync.
var SoftMatchAnchored = &Rule{
	ID:       idSoftMatchAnchored,
	Title:    "soft-match candidate is already anchored to another object",
	Severity: Error,
	Impact:   ImpactSecurityBlock,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `The cloud object that shares this object's primary SMTP address (or UPN)
already carries an onPremisesImmutableId, or is already synchronized
(onPremisesSyncEnabled true), so it belongs to another on-premises object. Soft match
is refused (InvalidSoftMatch): the sync service creates a second cloud object and
quarantines the colliding value. The fix offers the ways to a join that work for
this match: clearing the candidate's onPremisesImmutableId (a soft match) unless
a soft match to it is blocked for another reason, setting it to this object's
source anchor (a hard match) where a hard match would join; else removing the
shared value from one of them.`,
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
				Attribute:    attr,
				Value:        value,
				Message:      fmt.Sprintf("soft matches %s cloud %s, which %s: InvalidSoftMatch, %s", how, describeCloud(c), state, noJoin),
				Fix:          Fix{Text: p.anchoredFix(o, c, m) + alsoBlocked(m, scanner.ReasonAnchored)},
				Related:      []string{c.ID},
				RelatedNames: []string{CloudName(c)},
			})
		})
	},
}

// anchoredFix says how to resolve a soft match refused because the
// candidate is anchored, offering only the ways to a join that would work.
func (p *Pass) anchoredFix(o *scanner.OnPrem, c *scanner.Cloud, m scanner.Match) string {
	var ways []string
	if c.Kind == scanner.KindUser && c.ImmutableID != "" && m.Blocks&^scanner.ReasonAnchored == 0 {
		ways = append(ways, "clear its onPremisesImmutableId, so that this object soft matches it")
	}
	if p.hardMatchWorks(o, c, m) {
		ways = append(ways, fmt.Sprintf("set its onPremisesImmutableId to this object's source anchor %s, so that this object hard matches it", o.Anchor(p.Plan.Anchor)))
	}
	if c.Kind != scanner.KindUser && m.Blocks&^scanner.ReasonAnchored == 0 {
		ways = append(ways, "stop the other sync of it, so that it is cloud-managed and this object soft matches it")
	}
	if len(ways) == 0 {
		return fmt.Sprintf("Remove the shared value from this object or from cloud %s before sync.", c.ID)
	}
	when := ""
	if c.SyncEnabled && c.Kind == scanner.KindUser {
		when = "once the other source no longer syncs it, "
	}
	return fmt.Sprintf("If cloud %s is this object, %s%s; otherwise remove the shared value from one of them.", c.ID, when, strings.Join(ways, ", or "))
}
