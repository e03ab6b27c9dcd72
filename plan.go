package syncready

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/report/change"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// planner turns a scan's findings into the rows of a change plan. A row is
// apply only when its change has one right answer and cannot make anything
// worse (the what-if checks that it adds no finding); everything the tool
// cannot choose for the admin is a decide row per choice; a finding caused
// by another (a duplicate that exists only because a match is blocked) gets
// no rows of its own: its root's rows resolve it.
type planner struct {
	snap    *scanner.Snapshot
	mp      *scanner.Plan
	upnAttr string
	loc     *locator
	rows    []change.Row
	group   []int          // per row: the decision group (first row's index)
	at      map[string]int // row id -> index
	groups  map[string]int // rule and value -> decision group
	byFP    map[string][]int
	upns    map[uint64][]int32 // UPNs by hash (cloud objects as ^index), built when first needed
	seed    maphash.Seed
	// none counts findings for which no attribute change exists.
	none int
}

func newPlanner(snap *scanner.Snapshot, mp *scanner.Plan, upnAttr string, findings []rules.Finding) *planner {
	names := map[string]bool{}
	for i := range findings {
		names[findings[i].Object] = true
		for _, r := range findings[i].Related {
			names[r] = true
		}
	}
	if upnAttr == "" {
		upnAttr = "userPrincipalName"
	}
	return &planner{snap: snap, mp: mp, upnAttr: upnAttr, loc: newLocator(snap, names), at: map[string]int{}, groups: map[string]int{}, byFP: map[string][]int{}}
}

// plan makes the rows for every finding, in the findings' order, the apply
// rows first, then the decisions (each decision's rows together), then the
// rows skipped.
func (p *planner) plan(findings []rules.Finding) *change.Plan {
	var caused []*rules.Finding
	for i := range findings {
		f := &findings[i]
		if causeOf(f) != "" {
			caused = append(caused, f)
			continue
		}
		if n := len(p.rows); !p.finding(f) && len(p.rows) == n {
			p.none++
		}
	}
	for _, f := range caused {
		if rows, ok := p.byFP[causeOf(f)]; ok {
			for _, k := range rows {
				p.rows[k].Findings = appendOnce(p.rows[k].Findings, f.Fingerprint)
			}
			continue
		}
		// The root finding made no row (its rule was off): plan it alone.
		if n := len(p.rows); !p.finding(f) && len(p.rows) == n {
			p.none++
		}
	}
	rank := map[change.Action]int{change.Apply: 0, change.Decide: 1, change.Skip: 2}
	idx := make([]int, len(p.rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if d := rank[p.rows[a].Action] - rank[p.rows[b].Action]; d != 0 {
			return d
		}
		return p.group[a] - p.group[b]
	})
	out := &change.Plan{Rows: make([]change.Row, len(idx))}
	for i, k := range idx {
		out.Rows[i] = p.rows[k]
	}
	return out
}

func appendOnce(l []string, s string) []string {
	if slices.Contains(l, s) {
		return l
	}
	return append(l, s)
}

// add adds a row (or the finding to the row of the same change) in the
// decision group of row g (-1: a group of its own).
func (p *planner) add(r change.Row, f *rules.Finding, g int) int {
	if k, ok := p.at[r.ID]; ok {
		p.rows[k].Findings = appendOnce(p.rows[k].Findings, f.Fingerprint)
		p.byFP[f.Fingerprint] = appendOnce2(p.byFP[f.Fingerprint], k)
		if r.Action == change.Apply && p.rows[k].Action == change.Decide {
			p.rows[k].Action, p.rows[k].Note = change.Apply, r.Note
		}
		return k
	}
	r.Findings = []string{f.Fingerprint}
	if r.Rule == "" {
		r.Rule = f.Rule
	}
	k := len(p.rows)
	if g < 0 {
		g = k
	}
	p.rows = append(p.rows, r)
	p.group = append(p.group, g)
	if _, ok := p.groups[groupKey(f)]; !ok {
		p.groups[groupKey(f)] = g
	}
	p.at[r.ID] = k
	p.byFP[f.Fingerprint] = append(p.byFP[f.Fingerprint], k)
	return k
}

func appendOnce2(l []int, k int) []int {
	if slices.Contains(l, k) {
		return l
	}
	return append(l, k)
}

// onprem builds a row on on-premises object i.
func (p *planner) onprem(i int, action change.Action, attr string, op change.Op, from, to, note string) change.Row {
	o := &p.snap.OnPrem[i]
	guid := ""
	if len(o.ObjectGUID) == 16 {
		guid = scanner.FormatGUID(o.ObjectGUID)
	}
	return change.Row{ID: change.RowID(scanner.OnPremSide, o.IdentityKey(), attr, op, from, to), Action: action, Side: scanner.OnPremSide,
		Object: o.DN, Name: o.Name(), Attribute: attr, Operation: op, From: from, To: to, Note: note, GUID: guid, Kind: o.Kind}
}

// cloud builds a row on cloud object ci.
func (p *planner) cloud(ci int, action change.Action, attr string, op change.Op, from, to, note string) change.Row {
	c := &p.snap.Cloud[ci]
	name := c.UPN
	if name == "" {
		name = c.DisplayName
	}
	return change.Row{ID: change.RowID(scanner.CloudSide, c.ID, attr, op, from, to), Action: action, Side: scanner.CloudSide,
		Object: c.ID, Name: name, Attribute: attr, Operation: op, From: from, To: to, Note: note, Kind: c.Kind}
}

func opOf(from, to string) change.Op {
	switch {
	case from == "":
		return change.Add
	case to == "":
		return change.Remove
	}
	return change.Replace
}

// finding plans the rows of one finding; false when it has none.
func (p *planner) finding(f *rules.Finding) bool {
	if f.Side != scanner.OnPremSide {
		return false
	}
	// Info findings get a row only for a safe change: nothing is wrong
	// enough to decide about.
	if f.Severity == rules.Info && f.Fix.Attribute == "" {
		return false
	}
	i, ok := p.loc.onprem[f.Object]
	if !ok {
		return false
	}
	o := &p.snap.OnPrem[i]
	switch f.Rule {
	case "duplicate-proxy-address":
		return p.duplicateAddress(f, i)
	case "duplicate-upn", "duplicate-mailnickname":
		g := p.groupOf(f)
		p.add(p.onprem(i, change.Decide, f.Attribute, change.Replace, f.Value, "",
			fmt.Sprintf("%s is held by %s too: keep it on one holder, and fill in another value for the others (then set their rows to apply)", f.Value, p.names(f.Related))), f, g)
		return true
	case "admin-soft-match-blocked", "admin-hard-match-blocked":
		return p.adminBlock(f, i)
	case "anchor-changes":
		return p.anchorChange(f, i)
	case "type-mismatch", "soft-match-anchored", "soft-match-disabled":
		if f.Attribute == "" || f.Value == "" {
			return false
		}
		if _, ok := onpremAttr(o, f.Attribute, p.upnAttr); !ok {
			return false
		}
		p.add(p.onprem(i, change.Decide, f.Attribute, change.Remove, f.Value, "",
			"no join: "+report.FirstSentence(f.Fix.Text)+" Or remove the colliding value from this object, so that it provisions as a new object beside the cloud one."), f, -1)
		return true
	}
	if fx := f.Fix; fx.Attribute != "" && (fx.From != "" || fx.To != "") {
		if _, ok := onpremAttr(o, fx.Attribute, p.upnAttr); !ok {
			return false
		}
		action, note := change.Apply, report.FirstSentence(fx.Text)
		if strings.EqualFold(fx.Attribute, p.upnAttr) && fx.To != "" {
			if holder := p.upnHolder(fx.To, i); holder != "" {
				action = change.Decide
				note = fmt.Sprintf("%s is already the UPN of %s: choose another UPN for this user and fill it in", fx.To, holder)
			}
		}
		r := p.onprem(i, action, fx.Attribute, opOf(fx.From, fx.To), fx.From, fx.To, note)
		if action == change.Decide {
			r.To = ""
		}
		p.add(r, f, -1)
		return true
	}
	switch f.Rule {
	case "upn-suffix-unverified", "unroutable-domain", "too-long", "invalid-format", "invalid-character", "missing-upn", "proxy-domain-unverified":
		if _, ok := onpremAttr(o, f.Attribute, p.upnAttr); !ok || f.Attribute == "" {
			return false
		}
		op, note := change.Replace, report.FirstSentence(f.Fix.Text)+" Fill in the new value, then set the row to apply."
		switch {
		case f.Value == "":
			op = change.Add
		case scanner.IsSMTPProxy(f.Value) && f.Rule == "proxy-domain-unverified":
			op, note = change.Remove, report.FirstSentence(f.Fix.Text)
		}
		p.add(p.onprem(i, change.Decide, f.Attribute, op, f.Value, "", note), f, -1)
		return true
	}
	return false
}

// groupOf is the decision group of a finding's value: the first row made
// for the same rule and value, so that the choices of one decision stand
// together in the plan; -1 when there is none yet.
func (p *planner) groupOf(f *rules.Finding) int {
	if g, ok := p.groups[groupKey(f)]; ok {
		return g
	}
	return -1
}

func groupKey(f *rules.Finding) string {
	v := f.Value
	if scanner.IsSMTPProxy(v) {
		v = v[5:]
	}
	return f.Rule + "\x00" + strings.ToLower(v)
}

// names names objects by DN or, for cloud ids, by UPN and id.
func (p *planner) names(ids []string) string {
	var l []string
	for _, id := range ids {
		if ci, ok := p.loc.cloud[strings.ToLower(id)]; ok {
			c := &p.snap.Cloud[ci]
			l = append(l, fmt.Sprintf("cloud %s %s (%s)", c.Kind, firstNonEmpty(c.UPN, c.Mail, c.DisplayName), c.ID))
			continue
		}
		l = append(l, id)
	}
	return strings.Join(l, " and ")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// upnHolder names another object (on premises or in the cloud) whose UPN
// is upn, "" when it is free.
func (p *planner) upnHolder(upn string, self int) string {
	if p.upns == nil {
		// Indexed once, by hash: the fixes of a million objects ask often.
		p.seed = maphash.MakeSeed()
		p.upns = map[uint64][]int32{}
		for j := range p.snap.OnPrem {
			if u := p.snap.OnPrem[j].UPN; u != "" {
				h := scanner.HashFold(p.seed, u)
				p.upns[h] = append(p.upns[h], int32(j))
			}
		}
		for ci := range p.snap.Cloud {
			if u := p.snap.Cloud[ci].UPN; u != "" {
				h := scanner.HashFold(p.seed, u)
				p.upns[h] = append(p.upns[h], ^int32(ci))
			}
		}
	}
	for _, j := range p.upns[scanner.HashFold(p.seed, upn)] {
		if j >= 0 {
			if int(j) != self && strings.EqualFold(p.snap.OnPrem[j].UPN, upn) {
				return p.snap.OnPrem[j].DN
			}
			continue
		}
		ci := int(^j)
		c := &p.snap.Cloud[ci]
		if strings.EqualFold(c.UPN, upn) && (p.mp == nil || p.mp.JoinedBy[ci] != int32(self)) {
			return fmt.Sprintf("cloud user %s (%s)", c.UPN, c.ID)
		}
	}
	return ""
}

// address is how a holder holds an SMTP address.
type address struct {
	alias   string // the smtp: proxyAddresses value, "" when none
	primary bool   // it is the holder's primary SMTP, mail or UPN
	mail    bool
	proxies []string // every proxyAddresses value of the address
}

func onpremAddress(o *scanner.OnPrem, addr string) address {
	var a address
	prim, _ := o.PrimarySMTP()
	for _, pa := range o.ProxyAddresses {
		if scanner.IsSMTPProxy(pa) && strings.EqualFold(pa[5:], addr) {
			a.proxies = append(a.proxies, pa)
			if strings.HasPrefix(pa, "smtp:") {
				a.alias = pa
			}
		}
	}
	a.mail = strings.EqualFold(o.Mail, addr)
	a.primary = strings.EqualFold(prim, addr) || a.mail || strings.EqualFold(o.UPN, addr)
	return a
}

func cloudAddress(c *scanner.Cloud, addr string) address {
	var a address
	for _, pa := range c.ProxyAddresses {
		if scanner.IsSMTPProxy(pa) && strings.EqualFold(pa[5:], addr) {
			a.proxies = append(a.proxies, pa)
			if strings.HasPrefix(pa, "SMTP:") {
				a.primary = true
			} else {
				a.alias = pa
			}
		}
	}
	a.mail = strings.EqualFold(c.Mail, addr)
	a.primary = a.primary || a.mail || strings.EqualFold(c.UPN, addr)
	return a
}

// duplicateAddress plans a duplicate SMTP address on holder i: when it is
// an alias here and the primary, mail or UPN of another holder, removing
// the alias is the one right answer; otherwise each holder gets a decide
// row removing it, and the admin applies all but one.
func (p *planner) duplicateAddress(f *rules.Finding, i int) bool {
	o := &p.snap.OnPrem[i]
	addr := f.Value
	if scanner.IsSMTPProxy(addr) {
		addr = addr[5:]
	}
	here := onpremAddress(o, addr)
	otherPrimary := false
	for _, id := range f.Related {
		if j, ok := p.loc.onprem[id]; ok {
			otherPrimary = otherPrimary || onpremAddress(&p.snap.OnPrem[j], addr).primary
		} else if ci, ok := p.loc.cloud[strings.ToLower(id)]; ok {
			otherPrimary = otherPrimary || cloudAddress(&p.snap.Cloud[ci], addr).primary
		}
	}
	switch {
	case here.alias != "" && !here.primary && otherPrimary:
		p.add(p.onprem(i, change.Apply, "proxyAddresses", change.Remove, here.alias, "",
			fmt.Sprintf("%s is only an alias here and the primary address of %s: remove the alias", addr, p.names(f.Related))), f, -1)
		return true
	case here.primary && !here.mail && here.alias == "" && otherPrimaryAlias(p, f, addr):
		return true // the other holder's alias goes (its own finding's row)
	}
	g := p.groupOf(f)
	note := fmt.Sprintf("%s is held by %s too: keep it on the one that should receive its mail; apply the rows that remove it from all the others", addr, p.names(f.Related))
	for _, pa := range here.proxies {
		g = p.group[p.add(p.onprem(i, change.Decide, "proxyAddresses", change.Remove, pa, "", note), f, g)]
	}
	if here.mail {
		g = p.group[p.add(p.onprem(i, change.Decide, "mail", change.Remove, o.Mail, "", note), f, g)]
	}
	// Cloud holders that no on-premises object joins hold it too.
	for _, id := range f.Related {
		ci, ok := p.loc.cloud[strings.ToLower(id)]
		if !ok {
			continue
		}
		c := &p.snap.Cloud[ci]
		ca := cloudAddress(c, addr)
		cnote := fmt.Sprintf("%s is held by %s too: keep it on the one that should receive its mail; apply the rows that remove it from all the others", addr, o.DN)
		for _, pa := range ca.proxies {
			g = p.group[p.add(p.cloud(ci, change.Decide, "proxyAddresses", change.Remove, pa, "", cnote), f, g)]
		}
		if ca.mail {
			g = p.group[p.add(p.cloud(ci, change.Decide, "mail", change.Remove, c.Mail, "", cnote), f, g)]
		}
	}
	return true
}

// otherPrimaryAlias reports whether some other on-premises holder holds addr
// only as an alias: that holder's row removes it.
func otherPrimaryAlias(p *planner, f *rules.Finding, addr string) bool {
	for _, id := range f.Related {
		if j, ok := p.loc.onprem[id]; ok {
			if a := onpremAddress(&p.snap.OnPrem[j], addr); a.alias != "" && !a.primary {
				return true
			}
		}
	}
	return false
}

// adminBlock plans an admin-role block: the documented way is to take the
// role away for the first sync and give it back once the object joined, so
// each role held gets a decide row on the cloud side (the membership of the
// role-assignable group when the role comes through one).
func (p *planner) adminBlock(f *rules.Finding, i int) bool {
	if f.Severity != rules.Error || p.mp == nil || p.snap.Tenant == nil {
		return false
	}
	m := p.mp.Matches[i]
	if m.Cloud < 0 {
		return false
	}
	ci := int(m.Cloud)
	c := &p.snap.Cloud[ci]
	made := false
	g := -1
	// A hard match is blocked by an eligibility too (since July 2026).
	hard := m.Method == scanner.OutcomeHardMatch
	for _, h := range p.snap.Tenant.Roles[c.ID] {
		if !h.Active && !hard {
			continue
		}
		attr, from, what := "roleAssignments", h.Role, "the role "+h.Role
		switch {
		case h.Via != "" && h.Active:
			attr, from = "memberOf", h.Via
			what = fmt.Sprintf("its membership of group %s, through which it holds %s", p.groupName(h.Via), h.Role)
		case h.Via != "":
			attr, from = "memberOf", h.Via
			what = fmt.Sprintf("its membership of group %s, through which it is eligible for %s", p.groupName(h.Via), h.Role)
		case !h.Active:
			attr, what = "roleEligibilitySchedules", "its eligibility (PIM) for "+h.Role
		}
		holds := "holds a directory role"
		if !h.Active {
			holds = "is eligible for a directory role by hard match (since July 2026)"
		}
		note := fmt.Sprintf("the sync service does not join a cloud account that %s: remove %s for the first sync, and give it back once %s has joined; if a sync already ran and created a duplicate object, hard-delete that duplicate first", holds, what, f.Object)
		k := p.add(p.cloud(ci, change.Decide, attr, change.Remove, from, "", note), f, g)
		g = p.group[k]
		made = true
	}
	return made
}

// anchorChange plans a changed source anchor: mS-DS-ConsistencyGuid set to
// the anchor the synced cloud user holds (base64 in the row), one right
// answer — the what-if shows the object hard matching the user again. A
// synced user's anchor that no attribute can carry makes no row.
func (p *planner) anchorChange(f *rules.Finding, i int) bool {
	fx := f.Fix
	if !strings.EqualFold(fx.Attribute, "mS-DS-ConsistencyGuid") || fx.To == "" {
		return false
	}
	note := fmt.Sprintf("set mS-DS-ConsistencyGuid to the onPremisesImmutableId of the synced %s, so that this object hard matches it again instead of becoming a new cloud user", strings.TrimPrefix(p.names(f.Related), "cloud "))
	p.add(p.onprem(i, change.Apply, "mS-DS-ConsistencyGuid", opOf(fx.From, fx.To), fx.From, fx.To, note), f, -1)
	return true
}

func (p *planner) groupName(id string) string {
	if ci, ok := p.loc.cloud[strings.ToLower(id)]; ok && p.snap.Cloud[ci].DisplayName != "" {
		return fmt.Sprintf("%s (%s)", p.snap.Cloud[ci].DisplayName, id)
	}
	for ci := range p.snap.Cloud {
		if strings.EqualFold(p.snap.Cloud[ci].ID, id) && p.snap.Cloud[ci].DisplayName != "" {
			return fmt.Sprintf("%s (%s)", p.snap.Cloud[ci].DisplayName, id)
		}
	}
	return id
}

// causeOf is the fingerprint of the finding that causes f ("" when none).
func causeOf(f *rules.Finding) string { return f.Cause }
