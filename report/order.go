package report

import (
	"strings"

	"github.com/syncready/syncready/rules"
)

// Every report lists findings in one order: most severe first; within a
// severity by the rule's impact (security blocks, then what fails export or
// sign-in, then the rest, as the rule catalog ranks them); then by object;
// then by the rule's place in the catalog; then as they came. A finding
// that another causes (a duplicate that exists only because a match is
// blocked) comes right after its cause.

// ruleOrder is a rule's impact and catalog place, by rule ID.
type ruleOrder struct {
	impact rules.Impact
	place  uint16
}

var ruleOrders = func() map[string]ruleOrder {
	m := map[string]ruleOrder{}
	for i, r := range rules.All() {
		imp := r.Impact
		if imp == 0 {
			imp = rules.ImpactOther
		}
		m[r.ID] = ruleOrder{impact: imp, place: uint16(i)}
	}
	return m
}()

func orderOf(rule string) ruleOrder {
	if o, ok := ruleOrders[rule]; ok {
		return o
	}
	return ruleOrder{impact: rules.ImpactOther, place: uint16(len(ruleOrders))}
}

// orderKey is what the order compares of a finding.
type orderKey struct {
	sev    rules.Severity
	impact rules.Impact
	place  uint16
	object string
}

func keyOf(f *rules.Finding) orderKey {
	o := orderOf(f.Rule)
	return orderKey{sev: f.Severity, impact: o.impact, place: o.place, object: f.Object}
}

// compare orders two keys: -1 when a comes first.
func (a *orderKey) compare(b *orderKey) int {
	switch {
	case a.sev != b.sev:
		if a.sev > b.sev {
			return -1
		}
		return 1
	case a.impact != b.impact:
		if a.impact < b.impact {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.object, b.object); c != 0 {
		return c
	}
	switch {
	case a.place < b.place:
		return -1
	case a.place > b.place:
		return 1
	}
	return 0
}

// CompareFindings orders two findings as every report does (a finding's
// cause aside: see the spool).
func CompareFindings(a, b *rules.Finding) int {
	ka, kb := keyOf(a), keyOf(b)
	return ka.compare(&kb)
}
