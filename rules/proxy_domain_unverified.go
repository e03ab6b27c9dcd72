package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// ProxyDomainUnverified finds SMTP proxy addresses on unverified domains.
var ProxyDomainUnverified = &Rule{
	ID:       "proxy-domain-unverified",
	Title:    "SMTP proxy address on a domain the tenant has not verified",
	Severity: Warning,
	Needs:    []scanner.Fact{scanner.FactDomains},
	Doc: `An SMTP proxyAddresses value of a user or group is on a domain that is not a
verified domain of the tenant. Exchange Online drops such addresses: mail to them stops
arriving after the move. Addresses on another tenant's onmicrosoft.com domain are
discarded and regenerated, so they are info; the fix removes such an alias, but
not a primary (SMTP:), which another address must replace first. Contacts, and a user's external address
that equals its targetAddress, point outside the organization and are not checked.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/proxyaddresses-attribute-populate",
	Run: func(p *Pass) {
		t := p.Snap.Tenant
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind == scanner.KindContact {
				continue
			}
			target := strings.TrimPrefix(strings.TrimPrefix(o.TargetAddress, "SMTP:"), "smtp:")
			for _, pa := range o.ProxyAddresses {
				if !scanner.IsSMTPProxy(pa) {
					continue
				}
				addr := pa[5:]
				d := domainOf(addr)
				if d == "" || t.DomainVerified(d) || t.DomainUnknown(d) || target != "" && strings.EqualFold(addr, target) {
					continue
				}
				f := Finding{Attribute: "proxyAddresses", Value: pa}
				switch {
				case isMicrosoftDomain(d) && strings.HasPrefix(pa, "SMTP:"):
					// A primary is not removed: multiple-primary-smtp or
					// the admin makes another address primary first.
					f.Severity = Info
					f.Message = fmt.Sprintf("%s is on %s, which is not this tenant's: Exchange Online discards it and generates the tenant's own onmicrosoft.com address", addr, d)
					f.Fix = Fix{Text: "Make another address the primary (SMTP:); this one can then be removed to keep the directory tidy."}
				case isMicrosoftDomain(d):
					f.Severity = Info
					f.Message = fmt.Sprintf("%s is on %s, which is not this tenant's: Exchange Online discards it and generates the tenant's own onmicrosoft.com address", addr, d)
					f.Fix = Fix{Text: "Nothing is needed; remove the address to keep the directory tidy.", Attribute: "proxyAddresses", From: pa, To: ""}
				default:
					f.Message = fmt.Sprintf("%s is on %s, which is not a verified domain of the tenant: Exchange Online drops the address and mail to it stops arriving", addr, d)
					f.Fix = Fix{Text: fmt.Sprintf("Add and verify %s in the tenant before sync, or remove the address if it is no longer used.", d)}
				}
				p.OnPrem(o, f)
			}
		}
	},
}

func isMicrosoftDomain(d string) bool {
	return strings.HasSuffix(strings.ToLower(d), ".onmicrosoft.com")
}

func joinList(l []string) string { return strings.Join(l, ", ") }
