package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// UPNSuffixUnverified finds UPNs on domains the tenant has not verified.
var UPNSuffixUnverified = &Rule{
	ID:       "upn-suffix-unverified",
	Title:    "UPN suffix is not a verified domain of the tenant",
	Severity: Warning,
	Impact:   ImpactFailsSync,
	Needs:    []scanner.Fact{scanner.FactDomains},
	Doc: `The domain of the user's UPN (or of the --upn-source attribute) is not a
verified domain of the tenant: a non-routable suffix such as .local or .corp, or a
domain that was added but never verified. Entra ID does not take it: the user signs
in as mailNickname@<initial domain> (the MailNickName Entra ID computes: the
on-premises mailNickname, else the prefix of the primary SMTP address, of mail, of the
UPN). A joined user in a tenant with UPN sync for managed users off keeps its cloud
UPN; the message says which. A subdomain counts only when it is itself listed as a
verified domain. A suffix on a top-level domain that does not exist on the
internet (.local, .corp) can be verified in no tenant, and the fix does not
suggest it.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/plan-connect-userprincipalname",
	Run: func(p *Pass) {
		t := p.Snap.Tenant
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind != scanner.KindUser || o.UPN == "" {
				continue
			}
			d := domainOf(o.UPN)
			if d == "" || t.DomainVerified(d) || t.DomainUnknown(d) {
				continue
			}
			u := p.cloudUPN(i, o.UPN)
			what := u.String()
			if u.unverified {
				what = u.result() // the message has just said why
			}
			fix := Fix{Text: fmt.Sprintf("Give the user a UPN on a verified domain (%s), adding the UPN suffix in Active Directory Domains and Trusts if needed, or add and verify %s in the tenant.", verifiedList(t), d)}
			if !routable(d) {
				// As unroutable-domain says: no tenant can verify it.
				fix.Text = fmt.Sprintf("Give the user a UPN on a verified domain (%s), adding the UPN suffix in Active Directory Domains and Trusts if needed: a suffix on .%s can be verified in no tenant.", verifiedList(t), tldOf(d))
			}
			p.OnPrem(o, Finding{
				Attribute: p.UPNAttr,
				Value:     o.UPN,
				Message:   fmt.Sprintf("UPN suffix %s is not a verified domain of the tenant: %s", d, what),
				Fix:       fix,
			})
		}
	},
}

// verifiedList names the tenant's verified domains other than the
// onmicrosoft.com ones, for fix texts.
func verifiedList(t *scanner.Tenant) string {
	var l []string
	for _, d := range t.Domains {
		if d.Verified && !isMicrosoftDomain(d.Name) {
			l = append(l, d.Name)
		}
	}
	if len(l) == 0 {
		return "no custom domain is verified yet"
	}
	if len(l) > 5 {
		l = append(l[:5], "…")
	}
	return "verified: " + joinList(l)
}
