package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncready/syncready/scanner"
)

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
