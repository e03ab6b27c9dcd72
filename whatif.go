package syncready

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/syncready/syncready/report/change"
	"github.com/syncready/syncready/scanner"
)

// What a row of the plan changes in the snapshot, so that the what-if scan
// sees the directory as it will be once the rows are applied. Every change
// is checked first as a server would check it: removing a value the object
// does not hold, or adding one to a single-valued attribute that has one,
// is refused.

// onpremValues is the attribute an on-premises change names: one of the
// object's fields, single-valued, or proxyAddresses.
type onpremValues struct {
	single *string
	multi  *[]string
	binary bool // values are base64 of the bytes (mS-DS-ConsistencyGuid)
}

func onpremAttr(o *scanner.OnPrem, attr, upnAttr string) (onpremValues, bool) {
	if upnAttr == "" {
		upnAttr = "userPrincipalName"
	}
	if strings.EqualFold(attr, upnAttr) {
		return onpremValues{single: &o.UPN}, true
	}
	switch strings.ToLower(attr) {
	case "proxyaddresses":
		return onpremValues{multi: &o.ProxyAddresses}, true
	case "mail":
		return onpremValues{single: &o.Mail}, true
	case "mailnickname":
		return onpremValues{single: &o.MailNickname}, true
	case "targetaddress":
		return onpremValues{single: &o.TargetAddress}, true
	case "samaccountname":
		return onpremValues{single: &o.SAMAccountName}, true
	case "displayname":
		return onpremValues{single: &o.DisplayName}, true
	case "givenname":
		return onpremValues{single: &o.GivenName}, true
	case "sn":
		return onpremValues{single: &o.SN}, true
	case "ms-ds-consistencyguid":
		return onpremValues{single: &o.ConsistencyGUID, binary: true}, true
	}
	return onpremValues{}, false
}

// check says why the row cannot be applied to the object as it is ("" when
// it can).
func (v onpremValues) check(r *change.Row) string {
	from, to := r.From, r.To
	if v.binary {
		if _, err := base64.StdEncoding.DecodeString(from); from != "" && err != nil {
			return fmt.Sprintf("from %q is not base64", from)
		}
		if _, err := base64.StdEncoding.DecodeString(to); to != "" && err != nil {
			return fmt.Sprintf("to %q is not base64", to)
		}
	}
	if v.multi != nil {
		if r.Operation != change.Add && !slices.Contains(*v.multi, from) {
			return fmt.Sprintf("it does not hold %s %s", r.Attribute, from)
		}
		if r.Operation != change.Remove && slices.Contains(*v.multi, to) && !strings.EqualFold(to, from) {
			return fmt.Sprintf("it already holds %s %s", r.Attribute, to)
		}
		return ""
	}
	cur := *v.single
	if v.binary {
		cur = base64.StdEncoding.EncodeToString([]byte(cur))
		if *v.single == "" {
			cur = ""
		}
	}
	switch r.Operation {
	case change.Add:
		if cur != "" {
			return fmt.Sprintf("%s already holds %q (a single value)", r.Attribute, cur)
		}
	default:
		if cur != from {
			if cur == "" {
				return fmt.Sprintf("%s is empty, not %q", r.Attribute, from)
			}
			return fmt.Sprintf("%s is %q, not %q", r.Attribute, cur, from)
		}
	}
	return ""
}

// apply makes the change and returns what undoes it.
func (v onpremValues) apply(r *change.Row) func() {
	if v.multi != nil {
		old := *v.multi
		l := slices.Clone(old)
		if r.Operation != change.Add {
			if i := slices.Index(l, r.From); i >= 0 {
				l = slices.Delete(l, i, i+1)
			}
		}
		if r.Operation != change.Remove {
			l = append(l, r.To)
		}
		*v.multi = l
		return func() { *v.multi = old }
	}
	old := *v.single
	val := r.To
	if r.Operation == change.Remove {
		val = ""
	}
	if v.binary && val != "" {
		b, _ := base64.StdEncoding.DecodeString(val)
		val = string(b)
	}
	*v.single = val
	return func() { *v.single = old }
}

// cloudValues is the property a cloud change names.
func cloudApply(t *scanner.Tenant, c *scanner.Cloud, r *change.Row) (why string, undo func()) {
	switch strings.ToLower(r.Attribute) {
	case "onpremisesimmutableid":
		if r.Operation != change.Add && c.ImmutableID != r.From {
			return fmt.Sprintf("onPremisesImmutableId is %q, not %q", c.ImmutableID, r.From), nil
		}
		if r.Operation == change.Add && c.ImmutableID != "" {
			return fmt.Sprintf("onPremisesImmutableId already holds %q", c.ImmutableID), nil
		}
		old := c.ImmutableID
		c.ImmutableID = r.To
		if r.Operation == change.Remove {
			c.ImmutableID = ""
		}
		return "", func() { c.ImmutableID = old }
	case "proxyaddresses":
		if r.Operation != change.Add && !slices.Contains(c.ProxyAddresses, r.From) {
			return fmt.Sprintf("it does not hold proxyAddresses %s", r.From), nil
		}
		old := c.ProxyAddresses
		l := slices.Clone(old)
		if i := slices.Index(l, r.From); i >= 0 && r.Operation != change.Add {
			l = slices.Delete(l, i, i+1)
		}
		if r.Operation != change.Remove {
			l = append(l, r.To)
		}
		c.ProxyAddresses = l
		return "", func() { c.ProxyAddresses = old }
	case "mail":
		if r.Operation != change.Add && c.Mail != r.From {
			return fmt.Sprintf("mail is %q, not %q", c.Mail, r.From), nil
		}
		old := c.Mail
		c.Mail = r.To
		if r.Operation == change.Remove {
			c.Mail = ""
		}
		return "", func() { c.Mail = old }
	case "roleassignments", "roleeligibilityschedules", "memberof":
		// A role held directly (roleAssignments: the role's name), an
		// eligibility for one (roleEligibilitySchedules: the role's name),
		// or either through a role-assignable group (memberOf: the
		// group's id).
		if t == nil || r.Operation != change.Remove {
			return "only the removal of a role or a role group's membership is modelled", nil
		}
		old := t.Roles[c.ID]
		var kept []scanner.RoleHolding
		for _, h := range old {
			if strings.EqualFold(r.Attribute, "memberOf") && h.Via == r.From ||
				strings.EqualFold(r.Attribute, "roleAssignments") && h.Via == "" && h.Active && h.Role == r.From ||
				strings.EqualFold(r.Attribute, "roleEligibilitySchedules") && h.Via == "" && !h.Active && h.Role == r.From {
				continue
			}
			kept = append(kept, h)
		}
		if len(kept) == len(old) {
			return fmt.Sprintf("it holds no role %s %s", strings.TrimSuffix(strings.ToLower(r.Attribute), "s"), r.From), nil
		}
		t.Roles[c.ID] = kept
		return "", func() { t.Roles[c.ID] = old }
	}
	return fmt.Sprintf("the what-if does not model changes of %s", r.Attribute), nil
}

// locator finds the objects rows name.
type locator struct {
	snap   *scanner.Snapshot
	onprem map[string]int // DN -> index
	cloud  map[string]int // Graph id (lower case) -> index
}

// newLocator indexes the objects of snap whose DN or id is in names (all
// of them when names is nil).
func newLocator(snap *scanner.Snapshot, names map[string]bool) *locator {
	l := &locator{snap: snap, onprem: map[string]int{}, cloud: map[string]int{}}
	for i := range snap.OnPrem {
		if dn := snap.OnPrem[i].DN; names == nil || names[dn] {
			l.onprem[dn] = i
		}
	}
	for i := range snap.Cloud {
		if id := snap.Cloud[i].ID; names == nil || names[id] {
			l.cloud[strings.ToLower(id)] = i
		}
	}
	return l
}

// applyRows applies the rows of the given actions to the snapshot, each
// checked as a server would. It returns the undo (which restores every
// value, in reverse order) and, for a row that cannot be applied, an error
// naming it. cloudChanged says a cloud object changed (the pairing index
// must be built again).
func applyRows(snap *scanner.Snapshot, loc *locator, rows []change.Row, upnAttr string, rowNo func(int) string) (undo func(), cloudChanged bool, err error) {
	var undos []func()
	undo = func() {
		for i := len(undos) - 1; i >= 0; i-- {
			undos[i]()
		}
	}
	for k := range rows {
		r := &rows[k]
		if r.Action != change.Apply {
			continue
		}
		fail := func(format string, args ...any) (func(), bool, error) {
			undo()
			return nil, false, fmt.Errorf("%s (%s %s %s): %s", rowNo(k), r.ID, r.Side, r.Object, fmt.Sprintf(format, args...))
		}
		if r.Side == scanner.CloudSide {
			ci, ok := loc.cloud[strings.ToLower(r.Object)]
			if !ok {
				return fail("no cloud object with this id is in the scan")
			}
			why, u := cloudApply(snap.Tenant, &snap.Cloud[ci], r)
			if why != "" {
				return fail("%s; the tenant changed since the plan was made, or the row was edited wrongly", why)
			}
			undos = append(undos, u)
			cloudChanged = true
			continue
		}
		i, ok := loc.onprem[r.Object]
		if !ok {
			return fail("no on-premises object with this DN is in the scan (moved, renamed or out of scope since the plan was made)")
		}
		v, ok := onpremAttr(&snap.OnPrem[i], r.Attribute, upnAttr)
		if !ok {
			return fail("the attribute %s cannot be changed by a fix", r.Attribute)
		}
		if why := v.check(r); why != "" {
			return fail("%s; the directory changed since the plan was made: make a new plan", why)
		}
		undos = append(undos, v.apply(r))
	}
	return undo, cloudChanged, nil
}
