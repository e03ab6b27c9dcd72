package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// SoftDeletedConflict finds new objects whose values a deleted user still holds.
var SoftDeletedConflict = &Rule{
	ID:       "soft-deleted-conflict",
	Title:    "new object's UPN or SMTP address is held by a soft-deleted user",
	Severity: Warning,
	Needs:    []scanner.Fact{scanner.FactDeleted},
	Doc: `An on-premises object that will be provisioned (no match) has a UPN or SMTP
address that a soft-deleted cloud user (in the recycle bin for 30 days) still holds.
The new object conflicts with it until the deleted user is purged, or restored if it
is the same person. Deleted users' UPNs carry their id without dashes as a prefix;
that prefix is removed before comparing.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/users/users-restore",
	Run: func(p *Pass) {
		t := p.Snap.Tenant
		if len(t.Deleted) == 0 {
			return
		}
		byUPN := map[string]*scanner.Cloud{}
		bySMTP := map[string]*scanner.Cloud{}
		for i := range t.Deleted {
			d := &t.Deleted[i]
			if d.UPN != "" {
				byUPN[strings.ToLower(deletedUPN(d))] = d
			}
			d.SMTPAddresses(func(a string) { bySMTP[strings.ToLower(a)] = d })
		}
		for i, m := range p.Plan.Matches {
			if m.Outcome() != scanner.OutcomeProvision {
				continue
			}
			o := &p.Snap.OnPrem[i]
			report := func(attr, value string, d *scanner.Cloud) {
				p.OnPrem(o, Finding{
					Attribute: attr,
					Value:     value,
					Message: fmt.Sprintf("this object will be created in the cloud, but soft-deleted user %s (%s) still holds %s: the new object conflicts until the deleted user is purged or restored",
						deletedUPN(d), d.ID, value),
					Fix: Fix{Text: fmt.Sprintf("If it is the same person, restore deleted user %s and set its onPremisesImmutableId to %s so sync joins it; otherwise purge it from the recycle bin before sync.",
						d.ID, o.Anchor(p.Plan.Anchor))},
					Related:      []string{d.ID},
					RelatedNames: []string{deletedUPN(d)},
				})
			}
			if o.Kind == scanner.KindUser && o.UPN != "" {
				if d := byUPN[strings.ToLower(o.UPN)]; d != nil {
					report(p.UPNAttr, o.UPN, d)
				}
			}
			var done []string
			smtpValues(o, func(v onpremValue) {
				k := v.key()
				if d := bySMTP[k]; d != nil && !slices.Contains(done, k) {
					done = append(done, k)
					report(v.attr, v.value, d)
				}
			})
		}
	},
}

// deletedUPN removes the prefix Entra ID puts on a deleted user's UPN: its
// object id without dashes.
func deletedUPN(d *scanner.Cloud) string {
	prefix := strings.ReplaceAll(d.ID, "-", "")
	if len(prefix) == 32 && len(d.UPN) > 32 && strings.EqualFold(d.UPN[:32], prefix) {
		return d.UPN[32:]
	}
	return d.UPN
}
