package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// The rules that report why a match is blocked, one for each reason (the
// admin role: one for a soft match, one for a hard match). Their IDs are
// named here because the findings a block causes name the block's finding.
const (
	idTypeMismatch             = "type-mismatch"
	idSoftMatchAnchored        = "soft-match-anchored"
	idAdminSoftMatchBlocked    = "admin-soft-match-blocked"
	idAdminHardMatchBlocked    = "admin-hard-match-blocked"
	idHardMatchTakeoverBlocked = "hard-match-takeover-blocked"
	idSoftMatchDisabled        = "soft-match-disabled"
)

// blockRule returns the ID of the rule that reports reason r of match m.
func blockRule(m scanner.Match, r scanner.Reasons) string {
	switch r {
	case scanner.ReasonTypeMismatch:
		return idTypeMismatch
	case scanner.ReasonAnchored:
		return idSoftMatchAnchored
	case scanner.ReasonAdminRole:
		if m.Method == scanner.OutcomeHardMatch {
			return idAdminHardMatchBlocked
		}
		return idAdminSoftMatchBlocked
	case scanner.ReasonTakeoverBlocked:
		return idHardMatchTakeoverBlocked
	case scanner.ReasonSoftMatchDisabled:
		return idSoftMatchDisabled
	}
	return ""
}

// blockCause returns the fingerprint of the finding that reports why the
// match of the on-premises object at index i is blocked, and that finding's
// rule: of the match's reasons, the first in the report's precedence order
// whose rule runs. It is "" when the match is not blocked or none of those
// rules runs. The fingerprint is computed as the block rule's own finding
// gets it: its rule, the object's identity key, and the attribute and value
// matchedOn names.
func (p *Pass) blockCause(i int) (fingerprint, rule string) {
	if p.Plan == nil {
		return "", ""
	}
	m := p.Plan.Matches[i]
	if m.Blocks == 0 || m.Cloud < 0 {
		return "", ""
	}
	for _, r := range scanner.AllReasons {
		if m.Blocks&r == 0 {
			continue
		}
		if id := blockRule(m, r); p.runs(id) {
			o := &p.Snap.OnPrem[i]
			attr, value, _ := p.matchedOn(o, m)
			return onPremFingerprint(id, o, attr, value), id
		}
	}
	return "", ""
}

// eachTarget calls fn for every on-premises object that has a hard-match
// target or a soft-match candidate, joined or blocked.
func (p *Pass) eachTarget(fn func(o *scanner.OnPrem, m scanner.Match, c *scanner.Cloud)) {
	if p.Plan == nil {
		return
	}
	for i, m := range p.Plan.Matches {
		if m.Cloud >= 0 {
			fn(&p.Snap.OnPrem[i], m, &p.Snap.Cloud[m.Cloud])
		}
	}
}

// matchedOn returns the attribute and value by which an object found its
// target, and the same in words.
func (p *Pass) matchedOn(o *scanner.OnPrem, m scanner.Match) (attr, value, how string) {
	switch m.Method {
	case scanner.OutcomeHardMatch:
		attr = "objectGUID"
		if p.Plan.Anchor == scanner.AnchorConsistencyGUID || p.Plan.Anchor == scanner.AnchorAuto && o.ConsistencyGUID != "" {
			attr = "mS-DS-ConsistencyGuid"
		}
		value = o.Anchor(p.Plan.Anchor)
		return attr, value, fmt.Sprintf("by its source anchor (%s %s = onPremisesImmutableId)", attr, value)
	case scanner.OutcomeSoftMatchUPN:
		return p.UPNAttr, o.UPN, "by UPN " + o.UPN
	}
	smtp, _ := o.PrimarySMTP()
	for _, pa := range o.ProxyAddresses {
		if strings.HasPrefix(pa, "SMTP:") {
			return "proxyAddresses", pa, "by primary SMTP address " + smtp
		}
	}
	return "mail", o.Mail, "by primary SMTP address " + smtp
}

// roleNames lists the roles a cloud object holds, active or eligible.
func (p *Pass) roleNames(id string, active bool) string {
	var names []string
	for _, h := range p.Snap.Tenant.Roles[id] {
		if h.Active != active {
			continue
		}
		n := h.Role
		if h.Via != "" {
			n += " (through group " + h.Via + ")"
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

const noJoin = "no join: the sync service creates a second cloud object and quarantines the colliding value"
