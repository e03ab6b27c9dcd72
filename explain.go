package syncready

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// Explanations are Explain's answers, one per name in the order given, and
// what the prediction could not cover.
type Explanations struct {
	Names []Explained
	// NotEvaluated are the rules that did not run for lack of input;
	// Assumed what was taken for granted (a new tenant's sync features).
	NotEvaluated []scanner.NotEvaluated
	Assumed      []string
}

// Unknown returns the names no object has, quoted.
func (x *Explanations) Unknown() []string {
	var l []string
	for _, n := range x.Names {
		if len(n.Objects) == 0 {
			l = append(l, strconv.Quote(n.Name))
		}
	}
	return l
}

// Err is an error naming the names no object has, nil when every name
// was found.
func (x *Explanations) Err() error {
	if u := x.Unknown(); len(u) > 0 {
		return fmt.Errorf("no object has the name %s (on premises: DN, UPN, sAMAccountName, mail or proxy address; in the cloud: UPN, mail or id)", strings.Join(u, ", "))
	}
	return nil
}

// Explained is the answer for one name given to Explain: every object that
// has the name, each explained. No object means no object has the name.
type Explained struct {
	Name    string
	Objects []*Explanation
}

// Explanation tells one object's fate: what it is, the attributes that
// matter to sync, the predicted outcome and the steps of the pairing that
// lead to it, and the findings on it and on other objects that involve it.
type Explanation struct {
	// Title names the object: its DN, or a cloud object's kind, name and id.
	Title string
	// What says what it is and where it was read: "on-premises user, read
	// from contoso.ldif (line 412)".
	What  string
	Attrs []Attr
	// Outcome is the prediction in one line; Chain the steps that lead there.
	Outcome string
	Chain   []string
	// Findings are on the object; Involving are on other objects and name
	// it among their related objects (or, for an on-premises object, are on
	// its cloud match).
	Findings, Involving []rules.Finding
}

// Attr is one attribute of an explained object.
type Attr struct{ Name, Value string }

// Explain reads the sources as Scan does, pairs the objects and runs the
// rules, and explains each object that has one of the names: on premises a
// DN, UPN, sAMAccountName, mail or SMTP proxy address; in the cloud an id,
// UPN, mail or SMTP proxy address (case-insensitive). A cloud object that
// is the match (joined or blocked) of a named on-premises object is
// explained as part of it. No report is written: Outputs, Baseline and
// FailOn are not used.
func Explain(ctx context.Context, opts Options, names []string) (*Explanations, error) {
	o := &opts
	selected, err := rules.Select(rules.All(), o.Rules)
	if err != nil {
		return nil, &OptionsError{Msg: err.Error()}
	}
	snap, cloudIdx, err := o.read(ctx)
	if err != nil {
		return nil, err
	}
	add, done := o.phase("pairing", len(snap.OnPrem))
	plan := scanner.PairIndexed(snap, o.Anchor, cloudIdx, add)
	done()

	e := &explainer{snap: snap, plan: plan, upnAttr: cmp.Or(o.UPNAttr, "userPrincipalName")}
	found := e.resolve(names)
	// The findings kept: those on a named object, its cloud match, or
	// naming one of them among their related objects.
	keep := map[string]bool{}
	for _, f := range found {
		for _, t := range f {
			for _, k := range t.keys {
				keep[strings.ToLower(k)] = true
			}
		}
	}
	cfg := o.Rules
	cfg.UPNAttr = o.UPNAttr
	add, done = o.phase(fmt.Sprintf("checking %d rules", len(selected)), len(selected))
	cfg.Progress = func(int, int) { add(1) }
	notEval, err := rules.Run(ctx, snap, plan, selected, cfg, func(f *rules.Finding) error {
		hit := keep[strings.ToLower(f.Object)]
		for _, r := range f.Related {
			hit = hit || keep[strings.ToLower(r)]
		}
		if hit {
			c := *f
			c.Related, c.RelatedNames = slices.Clone(f.Related), slices.Clone(f.RelatedNames)
			e.findings = append(e.findings, c)
		}
		return nil
	})
	done()
	if err != nil {
		return nil, err
	}
	// In the reports' order, a finding another causes right after its cause.
	slices.SortStableFunc(e.findings, func(a, b rules.Finding) int { return report.CompareFindings(&a, &b) })
	e.findings = causesAfterRoots(e.findings)
	out := &Explanations{Names: make([]Explained, len(names)), NotEvaluated: notEval, Assumed: snap.Coverage.Assumed}
	for i, n := range names {
		out.Names[i].Name = n
		for _, t := range found[i] {
			out.Names[i].Objects = append(out.Names[i].Objects, e.explain(t))
		}
	}
	return out, nil
}

// causesAfterRoots moves each finding whose cause is in l to right after
// it, keeping the order otherwise.
func causesAfterRoots(l []rules.Finding) []rules.Finding {
	present := map[string]bool{}
	for _, f := range l {
		present[f.Fingerprint] = true
	}
	caused := map[string][]rules.Finding{}
	for _, f := range l {
		if f.Cause != "" && f.Cause != f.Fingerprint && present[f.Cause] {
			caused[f.Cause] = append(caused[f.Cause], f)
		}
	}
	out := make([]rules.Finding, 0, len(l))
	done := map[string]bool{}
	var add func(f rules.Finding)
	add = func(f rules.Finding) {
		if done[f.Fingerprint] {
			return
		}
		done[f.Fingerprint] = true
		out = append(out, f)
		for _, c := range caused[f.Fingerprint] {
			add(c)
		}
	}
	for _, f := range l {
		if f.Cause == "" || f.Cause == f.Fingerprint || !present[f.Cause] {
			add(f)
		}
	}
	for _, f := range l { // causes that form a loop: in their order
		add(f)
	}
	return out
}

// target is an object a name resolved to: on premises (onprem >= 0), in
// the cloud (cloud >= 0), or left out of the scan (skipped >= 0). keys are
// the DNs and ids whose findings concern it.
type target struct {
	onprem, cloud, skipped int
	keys                   []string
}

type explainer struct {
	snap     *scanner.Snapshot
	plan     *scanner.Plan
	upnAttr  string
	findings []rules.Finding
	groups   map[string]string // cloud group names by id
}

// resolve finds the objects each name names, in snapshot order: on
// premises, then in the cloud, then the skipped.
func (e *explainer) resolve(names []string) [][]target {
	want := map[string][]int{} // lower-case name -> indexes into names
	for i, n := range names {
		k := strings.ToLower(strings.TrimSpace(n))
		if scanner.IsSMTPProxy(k) {
			k = k[5:]
		}
		want[k] = append(want[k], i)
	}
	out := make([][]target, len(names))
	seen := map[[2]int]bool{} // name index, object -> listed
	hit := func(key string, t target, object int) {
		for _, i := range want[strings.ToLower(key)] {
			if key != "" && !seen[[2]int{i, object}] {
				seen[[2]int{i, object}] = true
				out[i] = append(out[i], t)
			}
		}
	}
	matchedCloud := map[[2]int]bool{} // name index, cloud object explained with an on-premises one
	for i := range e.snap.OnPrem {
		o := &e.snap.OnPrem[i]
		t := target{onprem: i, cloud: -1, skipped: -1, keys: []string{o.DN}}
		if m := e.plan.Matches[i]; m.Cloud >= 0 {
			t.keys = append(t.keys, e.snap.Cloud[m.Cloud].ID)
		}
		keys := []string{o.DN, o.UPN, o.SAMAccountName, o.Mail}
		for _, p := range o.ProxyAddresses {
			if scanner.IsSMTPProxy(p) {
				keys = append(keys, p[5:])
			}
		}
		for _, k := range keys {
			before := len(seen)
			hit(k, t, i)
			if len(seen) > before {
				if m := e.plan.Matches[i]; m.Cloud >= 0 {
					for _, n := range want[strings.ToLower(k)] {
						matchedCloud[[2]int{n, int(m.Cloud)}] = true
					}
				}
			}
		}
	}
	base := len(e.snap.OnPrem)
	for ci := range e.snap.Cloud {
		c := &e.snap.Cloud[ci]
		keys := []string{c.ID, c.UPN, c.Mail}
		for _, p := range c.ProxyAddresses {
			if scanner.IsSMTPProxy(p) {
				keys = append(keys, p[5:])
			}
		}
		for _, k := range keys {
			for _, n := range want[strings.ToLower(k)] {
				if k == "" || matchedCloud[[2]int{n, ci}] || seen[[2]int{n, base + ci}] {
					continue
				}
				seen[[2]int{n, base + ci}] = true
				out[n] = append(out[n], target{onprem: -1, cloud: ci, skipped: -1, keys: []string{c.ID}})
			}
		}
	}
	base += len(e.snap.Cloud)
	for si, s := range e.snap.Coverage.Skipped {
		hit(s.Object, target{onprem: -1, cloud: -1, skipped: si, keys: []string{s.Object}}, base+si)
	}
	return out
}

func (e *explainer) explain(t target) *Explanation {
	var x *Explanation
	var own []string
	switch {
	case t.onprem >= 0:
		x = e.onprem(t.onprem)
		own = []string{e.snap.OnPrem[t.onprem].DN}
	case t.cloud >= 0:
		x = e.cloud(t.cloud)
		own = []string{e.snap.Cloud[t.cloud].ID}
	default:
		s := e.snap.Coverage.Skipped[t.skipped]
		return &Explanation{Title: s.Object, What: "on-premises object, left out of the scan", Outcome: "not synced: " + s.Reason}
	}
	for _, f := range e.findings {
		switch {
		case slices.ContainsFunc(own, func(k string) bool { return strings.EqualFold(k, f.Object) }):
			x.Findings = append(x.Findings, f)
		case slices.ContainsFunc(t.keys, func(k string) bool {
			return strings.EqualFold(k, f.Object) || slices.ContainsFunc(f.Related, func(r string) bool { return strings.EqualFold(r, k) })
		}):
			x.Involving = append(x.Involving, f)
		}
	}
	return x
}

// onprem explains on-premises object i.
func (e *explainer) onprem(i int) *Explanation {
	o := &e.snap.OnPrem[i]
	x := &Explanation{Title: o.DN, What: "on-premises " + o.Kind.String()}
	if int(o.Source) < len(e.snap.Sources.Forests) {
		x.What += ", read from " + e.snap.Sources.Forests[o.Source]
		if o.Line > 0 {
			x.What += fmt.Sprintf(" (line %d)", o.Line)
		}
	}
	add := func(name, v string) {
		if v != "" {
			x.Attrs = append(x.Attrs, Attr{name, quoteIfNeeded(v)})
		}
	}
	if o.Kind == scanner.KindUser {
		add(e.upnAttr, o.UPN)
		add("sAMAccountName", o.SAMAccountName)
	}
	add("displayName", o.DisplayName)
	add("givenName", o.GivenName)
	add("sn", o.SN)
	add("mail", o.Mail)
	add("mailNickname", o.MailNickname)
	add("targetAddress", o.TargetAddress)
	for _, p := range o.ProxyAddresses {
		add("proxyAddresses", p)
	}
	if o.Kind == scanner.KindGroup {
		kind := "distribution"
		if o.SecurityEnabled() {
			kind = "security"
		}
		add("groupType", fmt.Sprintf("%d (%s)", o.GroupType, kind))
	}
	if len(o.ObjectGUID) == 16 {
		add("objectGUID", scanner.FormatGUID(o.ObjectGUID))
	}
	switch {
	case o.Flags.Has(scanner.FlagAnchorUnknown):
		add("mS-DS-ConsistencyGuid", "(not read)")
	case len(o.ConsistencyGUID) == 16:
		add("mS-DS-ConsistencyGuid", scanner.FormatGUID(o.ConsistencyGUID))
	case o.ConsistencyGUID != "":
		add("mS-DS-ConsistencyGuid", fmt.Sprintf("%x", o.ConsistencyGUID))
	}
	if o.UserCertificates > 0 {
		add("userCertificate", plural(int(o.UserCertificates), "value"))
	}

	t := e.snap.Tenant
	if t == nil {
		x.Outcome = "not predicted: no cloud side was read (give --graph-dir or a live tenant)"
		return x
	}
	m := e.plan.Matches[i]
	var c *scanner.Cloud
	if m.Cloud >= 0 {
		c = &e.snap.Cloud[m.Cloud]
	}
	step := func(format string, args ...any) { x.Chain = append(x.Chain, fmt.Sprintf(format, args...)) }

	// 1. Hard match, users only.
	anchorAttr, anchor := e.anchor(o)
	switch {
	case o.Kind != scanner.KindUser:
		step("Hard match: not tried, only users hard match.")
	case anchor == "":
		step("Hard match: not possible, the source anchor is not known (mS-DS-ConsistencyGuid was not read: a global catalog does not hold it).")
	case m.Method == scanner.OutcomeHardMatch:
		step("Hard match by source anchor (%s): cloud user %s has onPremisesImmutableId %s.", anchorAttr, cloudRef(c), anchor)
	default:
		step("Hard match by source anchor (%s): no cloud user has onPremisesImmutableId %s.", anchorAttr, anchor)
	}
	// 2. Soft match: primary SMTP, then UPN.
	if m.Method != scanner.OutcomeHardMatch {
		smtp, ok := o.PrimarySMTP()
		switch {
		case o.Kind == scanner.KindGroup && !o.MailEnabled():
			step("Soft match: not tried, a group that is not mail-enabled never soft matches.")
		case !ok && strings.Count(strings.Join(o.ProxyAddresses, "\n"), "SMTP:") > 1:
			step("Soft match by primary SMTP: none, proxyAddresses has more than one SMTP: value.")
		case !ok:
			step("Soft match by primary SMTP: none, no SMTP: proxy address and no mail.")
		case m.Method == scanner.OutcomeSoftMatchSMTP:
			step("Soft match by primary SMTP %s: cloud %s %s holds it.", smtp, c.Kind, cloudRef(c))
		default:
			step("Soft match by primary SMTP %s: no cloud object holds it.", smtp)
		}
		if o.Kind == scanner.KindUser && m.Method != scanner.OutcomeSoftMatchSMTP {
			assumed := ""
			if !t.Known(scanner.FactFeatures) {
				assumed = " (assumed: the tenant's sync features were not read)"
			}
			switch {
			case !t.Features.SoftMatchOnUPN:
				step("Soft match by %s: off, the tenant has softMatchOnUpnEnabled false%s.", e.upnAttr, assumed)
			case o.UPN == "":
				step("Soft match by %s: none, the user has no %s.", e.upnAttr, e.upnAttr)
			case m.Method == scanner.OutcomeSoftMatchUPN:
				step("Soft match by %s %s: cloud user %s has it%s.", e.upnAttr, o.UPN, cloudRef(c), assumed)
			default:
				step("Soft match by %s %s: no cloud user has it%s.", e.upnAttr, o.UPN, assumed)
			}
		}
	}
	// 3. What blocks the join.
	for _, r := range scanner.AllReasons {
		if m.Blocks&r != 0 {
			step("Blocked (%s): %s.", r, e.blockWords(r, o, c))
		}
	}
	if m.Blocks&scanner.ReasonAdminRole == 0 && m.Role == scanner.RoleEligible {
		step("The cloud %s is eligible (PIM) for %s: the join goes ahead, but activating the role before sync would block it.", c.Kind, e.roles(c.ID, false))
	}

	switch {
	case m.Blocks != 0:
		x.Outcome = fmt.Sprintf("blocked (%s): no join; the sync service creates a second cloud object and quarantines the colliding value", m.Blocks)
	case c != nil:
		x.Outcome = fmt.Sprintf("%s: joins cloud %s %s", m.Outcome(), c.Kind, cloudRef(c))
		if j := e.plan.JoinedBy[m.Cloud]; j >= 0 && int(j) != i {
			x.Outcome += fmt.Sprintf(", but %s matches it too and comes first", e.snap.OnPrem[j].DN)
		}
	default:
		x.Outcome = fmt.Sprintf("provision: a new cloud %s is created", o.Kind)
	}
	return x
}

// cloud explains cloud object ci.
func (e *explainer) cloud(ci int) *Explanation {
	c := &e.snap.Cloud[ci]
	x := &Explanation{Title: fmt.Sprintf("cloud %s %s", c.Kind, cloudRef(c)), What: "cloud " + c.Kind.String()}
	if t := e.snap.Tenant; t != nil && t.DisplayName != "" {
		x.What += " of tenant " + t.DisplayName
	}
	if id := e.snap.Sources.TenantID; id != "" {
		x.What += " (" + id + ")"
	}
	add := func(name, v string) {
		if v != "" {
			x.Attrs = append(x.Attrs, Attr{name, quoteIfNeeded(v)})
		}
	}
	add("id", c.ID)
	add("userPrincipalName", c.UPN)
	add("displayName", c.DisplayName)
	add("mail", c.Mail)
	add("mailNickname", c.MailNickname)
	for _, p := range c.ProxyAddresses {
		add("proxyAddresses", p)
	}
	add("onPremisesImmutableId", c.ImmutableID)
	add("onPremisesSyncEnabled", strconv.FormatBool(c.SyncEnabled))
	add("onPremisesDistinguishedName", c.OnPremDN)
	add("userType", c.UserType)
	if c.Kind == scanner.KindGroup {
		add("mailEnabled", strconv.FormatBool(c.MailEnabled))
		add("securityEnabled", strconv.FormatBool(c.SecurityEnabled))
		add("isAssignableToRole", strconv.FormatBool(c.RoleAssignable))
	}
	if e.snap.Tenant != nil {
		add("directory roles", e.roles(c.ID, true))
		add("eligible roles (PIM)", e.roles(c.ID, false))
	}
	var blocked []string
	for i, m := range e.plan.Matches {
		if int(m.Cloud) != ci {
			continue
		}
		o := &e.snap.OnPrem[i]
		switch {
		case m.Blocks != 0:
			blocked = append(blocked, o.DN)
			x.Chain = append(x.Chain, fmt.Sprintf("On-premises %s %s matches it, %s; blocked (%s): %s.", o.Kind, o.DN, e.how(o, m), m.Blocks, e.blockWords(m.Blocks.First(), o, c)))
		default:
			x.Chain = append(x.Chain, fmt.Sprintf("On-premises %s %s matches it, %s (%s).", o.Kind, o.DN, e.how(o, m), m.Outcome()))
		}
	}
	switch {
	case len(e.snap.OnPrem) == 0:
		x.Outcome = "not predicted: no on-premises side was read"
	case e.plan.JoinedBy[ci] >= 0:
		x.Outcome = fmt.Sprintf("joined by on-premises %s: sync takes it over, and its synced attributes then come from on premises", e.snap.OnPrem[e.plan.JoinedBy[ci]].DN)
	case len(blocked) > 0:
		x.Outcome = "stays as it is: the match of " + strings.Join(blocked, " and ") + " to it is blocked, so the sync service creates a second cloud object beside it and quarantines the colliding value"
	case c.SyncEnabled:
		x.Outcome = "stays synced from another directory: no object of this scan matches it"
	default:
		x.Outcome = "stays cloud-only: no on-premises object hard or soft matches it; its UPN and addresses stay taken, so an on-premises object that has one of them collides"
	}
	return x
}

// how says how an on-premises object found its cloud match.
func (e *explainer) how(o *scanner.OnPrem, m scanner.Match) string {
	switch m.Method {
	case scanner.OutcomeHardMatch:
		attr, a := e.anchor(o)
		return fmt.Sprintf("by source anchor (%s %s = onPremisesImmutableId)", attr, a)
	case scanner.OutcomeSoftMatchUPN:
		return fmt.Sprintf("by %s %s", e.upnAttr, o.UPN)
	}
	smtp, _ := o.PrimarySMTP()
	return "by primary SMTP " + smtp
}

// anchor returns the source anchor attribute and value of o, as the plan's
// --source-anchor chooses them; the value is "" when not known.
func (e *explainer) anchor(o *scanner.OnPrem) (string, string) {
	attr := "objectGUID"
	if a := e.plan.Anchor; a == scanner.AnchorConsistencyGUID || a == scanner.AnchorAuto && (o.ConsistencyGUID != "" || o.Flags.Has(scanner.FlagAnchorUnknown)) {
		attr = "mS-DS-ConsistencyGuid"
	}
	return attr, o.Anchor(e.plan.Anchor)
}

// blockWords says why reason r blocks the match of o to c.
func (e *explainer) blockWords(r scanner.Reasons, o *scanner.OnPrem, c *scanner.Cloud) string {
	switch r {
	case scanner.ReasonTypeMismatch:
		return fmt.Sprintf("the cloud object is a %s and this is a %s (ObjectTypeMismatch)", c.Kind, o.Kind)
	case scanner.ReasonAnchored:
		if c.SyncEnabled {
			return "the cloud object is already synced from another directory (onPremisesSyncEnabled true) (InvalidSoftMatch)"
		}
		return fmt.Sprintf("the cloud object is anchored to another object (onPremisesImmutableId %s) (InvalidSoftMatch)", c.ImmutableID)
	case scanner.ReasonAdminRole:
		return fmt.Sprintf("the cloud %s holds the directory role %s, and a match to a cloud-managed role holder is blocked", c.Kind, e.roles(c.ID, true))
	case scanner.ReasonTakeoverBlocked:
		return "the tenant blocks the takeover of cloud-managed users by hard match (blockCloudObjectTakeoverThroughHardMatchEnabled)"
	case scanner.ReasonSoftMatchDisabled:
		return "the tenant blocks soft match (blockSoftMatchEnabled)"
	}
	return r.String()
}

// roles lists the directory roles a cloud object holds (active) or is
// eligible for, each with the group it comes through.
func (e *explainer) roles(id string, active bool) string {
	if e.groups == nil {
		e.groups = map[string]string{}
		for i := range e.snap.Cloud {
			if c := &e.snap.Cloud[i]; c.Kind == scanner.KindGroup && c.DisplayName != "" {
				e.groups[c.ID] = c.DisplayName
			}
		}
	}
	var l []string
	for _, h := range e.snap.Tenant.Roles[id] {
		if h.Active != active {
			continue
		}
		s := h.Role
		switch {
		case h.Via != "" && e.groups[h.Via] != "":
			s += fmt.Sprintf(" through the group %s (%s)", e.groups[h.Via], h.Via)
		case h.Via != "":
			s += " through the group " + h.Via
		}
		if !slices.Contains(l, s) {
			l = append(l, s)
		}
	}
	return strings.Join(l, ", ")
}

// cloudRef names a cloud object by UPN (users) or display name, with its id.
func cloudRef(c *scanner.Cloud) string {
	if n := rules.CloudName(c); n != c.ID {
		return n + " (" + c.ID + ")"
	}
	return c.ID
}

// quoteIfNeeded quotes a value whose ends or characters would not show.
func quoteIfNeeded(v string) string {
	if strings.TrimFunc(v, unicode.IsSpace) != v || strings.IndexFunc(v, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(v)
	}
	return v
}

// WriteText prints the explanations for the terminal, and what the
// prediction could not cover.
func (x *Explanations) WriteText(w io.Writer) error {
	var b strings.Builder
	for i, e := range x.Names {
		if i > 0 {
			b.WriteString("\n")
		}
		switch len(e.Objects) {
		case 0:
			fmt.Fprintf(&b, "%s: no object has this name\n", e.Name)
			continue
		case 1:
		default:
			fmt.Fprintf(&b, "%s: %d objects have this name:\n", e.Name, len(e.Objects))
			for _, x := range e.Objects {
				fmt.Fprintf(&b, "  %s\n", x.Title)
			}
			b.WriteString("\n")
		}
		for j, x := range e.Objects {
			if j > 0 {
				b.WriteString("\n")
			}
			x.write(&b)
		}
	}
	if len(x.NotEvaluated) > 0 || len(x.Assumed) > 0 {
		b.WriteString("\nCoverage:\n")
		// One line per reason: without a tenant side most rules share one.
		var reasons []string
		ids := map[string][]string{}
		for _, n := range x.NotEvaluated {
			if ids[n.Reason] == nil {
				reasons = append(reasons, n.Reason)
			}
			ids[n.Reason] = append(ids[n.Reason], n.Rule)
		}
		for _, r := range reasons {
			fmt.Fprintf(&b, "  not evaluated: %s — %s\n", strings.Join(ids[r], ", "), r)
		}
		for _, a := range x.Assumed {
			fmt.Fprintf(&b, "  assumed: %s\n", a)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (x *Explanation) write(b *strings.Builder) {
	fmt.Fprintf(b, "%s\n  %s\n", x.Title, x.What)
	width := 0
	for _, a := range x.Attrs {
		width = max(width, len(a.Name))
	}
	if len(x.Attrs) > 0 {
		b.WriteString("\n")
	}
	for _, a := range x.Attrs {
		fmt.Fprintf(b, "  %-*s  %s\n", width, a.Name, a.Value)
	}
	fmt.Fprintf(b, "\nOutcome: %s\n", x.Outcome)
	for i, s := range x.Chain {
		fmt.Fprintf(b, "  %d. %s\n", i+1, s)
	}
	findings := func(title string, l []rules.Finding, object bool) {
		fmt.Fprintf(b, "\n%s (%d):\n", title, len(l))
		for _, f := range l {
			fmt.Fprintf(b, "  %-7s  %s", f.Severity, f.Rule)
			if object {
				fmt.Fprintf(b, "  %s", f.Object)
			}
			if f.Attribute != "" {
				fmt.Fprintf(b, "  %s %s", f.Attribute, quoteIfNeeded(f.Value))
			}
			fmt.Fprintf(b, "\n           %s\n           Fix: %s\n", f.Message, f.Fix.Text)
		}
	}
	if len(x.Findings) == 0 {
		b.WriteString("\nNo findings.\n")
	} else {
		findings("Findings", x.Findings, false)
	}
	if len(x.Involving) > 0 {
		findings("Findings on other objects that involve it", x.Involving, true)
	}
}
