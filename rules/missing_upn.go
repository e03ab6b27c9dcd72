package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// MissingUPN finds users without a UPN.
var MissingUPN = &Rule{
	ID:       "missing-upn",
	Title:    "user has no UPN",
	Severity: Warning,
	Impact:   ImpactFailsSync,
	Doc: `The user has no userPrincipalName (or no value in the --upn-source attribute).
Entra Connect derives one as sAMAccountName@<the Active Directory DNS domain>, which is
usually not a verified domain of the tenant, so the user ends up signing in as
mailNickname@<initial domain>; the message says which UPN the user gets, as
upn-suffix-unverified would for the derived one. Runs on Active Directory alone.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/plan-connect-userprincipalname",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind != scanner.KindUser || o.UPN != "" {
				continue
			}
			derived := o.SAMAccountName + "@" + scanner.DNSDomain(o.DN)
			u := p.cloudUPN(i, derived)
			p.OnPrem(o, Finding{
				Attribute: p.UPNAttr,
				Message:   fmt.Sprintf("%s is empty: Entra Connect derives %s from sAMAccountName and the domain, and %s", p.UPNAttr, derived, u.String()),
				Fix:       Fix{Text: fmt.Sprintf("Set %s to the address the user signs in with, on a verified domain.", p.UPNAttr)},
			})
		}
	},
}
