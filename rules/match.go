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
			n += " (through group " + p.groupName(h.Via) + ")"
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// groupName names a cloud group for a message: its display name and id,
// or the id alone when the group was not read. The names of the groups are
// indexed once per pass, at the first finding that needs one.
func (p *Pass) groupName(id string) string {
	if p.groups == nil {
		p.groups = map[string]string{}
		for i := range p.Snap.Cloud {
			if c := &p.Snap.Cloud[i]; c.Kind == scanner.KindGroup && c.DisplayName != "" && c.DisplayName != c.ID {
				p.groups[c.ID] = c.DisplayName
			}
		}
	}
	if name := p.groups[id]; name != "" {
		return name + " (" + id + ")"
	}
	return id
}

// roleRemoval says what takes every active directory role from cloud
// object c (and, with eligible, every eligibility for one): each role
// assigned to it removed, and its membership of each role-assignable group
// it holds a role through.
func (p *Pass) roleRemoval(c *scanner.Cloud, eligible bool) string {
	var direct, elig, steps []string
	for _, h := range p.Snap.Tenant.Roles[c.ID] {
		switch {
		case !h.Active && !eligible:
		case h.Via == "" && h.Active:
			if !slices.Contains(direct, h.Role) {
				direct = append(direct, h.Role)
			}
		case h.Via == "":
			if !slices.Contains(elig, h.Role) {
				elig = append(elig, h.Role)
			}
		default:
			holds := "holds"
			if !h.Active {
				holds = "is eligible (PIM) for"
			}
			step := fmt.Sprintf("remove it from the role-assignable group %s, through which it %s %s", p.groupName(h.Via), holds, h.Role)
			if !slices.Contains(steps, step) {
				steps = append(steps, step)
			}
		}
	}
	if len(elig) > 0 {
		steps = append([]string{"remove its eligibility (PIM) for " + strings.Join(elig, ", ")}, steps...)
	}
	if len(direct) > 0 {
		roles := "role " + direct[0]
		if len(direct) > 1 {
			roles = "roles " + strings.Join(direct, ", ")
		}
		steps = append([]string{"remove the directory " + roles + " from it"}, steps...)
	}
	return fmt.Sprintf("take the role from cloud %s for the first sync: %s", describeCloud(c), strings.Join(steps, "; "))
}

// roleFix is the fix of a match blocked because its target holds a
// directory role (for a hard match: or is eligible for one): Microsoft's
// procedure for an existing tenant (Admin role considerations, Hard match
// security protections) and for the Existing Admin Role Conflict sync
// error — remove the role, hard-delete the duplicate a sync already
// created, sync, restore the role. what is the match ("soft match", "hard
// match"); other is the match that is no way around it, and why; eligible
// says eligibilities are taken away too.
func (p *Pass) roleFix(c *scanner.Cloud, what, other string, eligible bool) Fix {
	r := p.roleRemoval(c, eligible)
	again := ""
	if eligible && hasEligible(p.Snap.Tenant.Roles[c.ID]) {
		again = " (and restore the eligibility)"
	}
	return Fix{Text: strings.ToUpper(r[:1]) + r[1:] + fmt.Sprintf(", so that the %s goes through, and assign the role again once this object has joined%s. "+
		"If a sync already ran and created a second cloud object for this object (its colliding values quarantined), hard-delete that duplicate first (delete it, then delete it from the recycle bin) and run a sync. %s", what, again, other)}
}

func hasEligible(hs []scanner.RoleHolding) bool {
	return slices.ContainsFunc(hs, func(h scanner.RoleHolding) bool { return !h.Active })
}

// alsoBlocked says which of a match's other reasons block it too, for a
// block rule's fix: resolving one reason alone leaves the match blocked.
func alsoBlocked(m scanner.Match, own scanner.Reasons) string {
	var also []string
	for _, r := range scanner.AllReasons {
		if m.Blocks&r == 0 || r == own {
			continue
		}
		also = append(also, reasonWords[r]+" ("+blockRule(m, r)+")")
	}
	if len(also) == 0 {
		return ""
	}
	return " The match is blocked for another reason too, which must be resolved as well: " + strings.Join(also, "; ") + "."
}

// reasonWords says each reason a match is blocked in words.
var reasonWords = map[scanner.Reasons]string{
	scanner.ReasonTypeMismatch:      "the cloud object is of another type",
	scanner.ReasonAnchored:          "the cloud object is anchored to another on-premises object",
	scanner.ReasonAdminRole:         "the cloud object holds a directory role",
	scanner.ReasonTakeoverBlocked:   "the tenant blocks cloud object takeover through hard match",
	scanner.ReasonSoftMatchDisabled: "the tenant blocks soft match",
}

// hardMatchWorks reports whether setting cloud c's onPremisesImmutableId
// to o's source anchor, once c is cloud-managed, would give a hard match
// that joins: both are users, o's anchor is known, c holds no role, active
// or eligible, and the tenant does not block takeover through hard match.
func (p *Pass) hardMatchWorks(o *scanner.OnPrem, c *scanner.Cloud, m scanner.Match) bool {
	return o.Kind == scanner.KindUser && c.Kind == scanner.KindUser && o.Anchor(p.Plan.Anchor) != "" &&
		m.Role == scanner.RoleNone && !p.Snap.Tenant.Features.BlockHardMatchTakeover
}

const noJoin = "no join: the sync service creates a second cloud object and quarantines the colliding value"
