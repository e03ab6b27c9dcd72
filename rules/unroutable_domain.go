package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// UnroutableDomain finds addresses on top-level domains that do not exist
// on the internet.
var UnroutableDomain = &Rule{
	ID:       "unroutable-domain",
	Title:    "address on a top-level domain that is not routable",
	Severity: Warning,
	Impact:   ImpactFailsSync,
	Doc: `In UPN, mail, every SMTP proxy address and targetAddress, the top-level domain
(the last label, looked up alone) must be an ICANN top-level domain in the public
suffix list. So .app, .cloud, .swiss and .edu.au pass, while .local, .lan, .corp and
.internal do not (IdFix #1, #96 flagged new TLDs). Such a UPN suffix cannot be
verified in any tenant, so Entra ID gives the user mailNickname@<initial domain>
(the message names it, as upn-suffix-unverified does); such addresses cannot
receive mail.`,
	Source: "https://learn.microsoft.com/en-us/microsoft-365/enterprise/prepare-a-non-routable-domain-for-directory-synchronization",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind == scanner.KindUser && o.UPN != "" {
				p.checkRoutable(i, p.UPNAttr, o.UPN, o.UPN)
			}
			if o.Mail != "" && !p.upnIsMail(o) {
				p.checkRoutable(i, "mail", o.Mail, o.Mail)
			}
			for _, pa := range o.ProxyAddresses {
				if scanner.IsSMTPProxy(pa) {
					p.checkRoutable(i, "proxyAddresses", pa, pa[5:])
				}
			}
			if addr, ok := smtpTarget(o.TargetAddress); ok && addr != "" {
				p.checkRoutable(i, "targetAddress", o.TargetAddress, addr)
			}
		}
	},
}

// checkRoutable checks one address of the on-premises object at index i.
func (p *Pass) checkRoutable(i int, attr, value, addr string) {
	o := &p.Snap.OnPrem[i]
	addr = strings.TrimSpace(addr)
	if formatProblem(addr) != "" {
		return // invalid-format reports it
	}
	_, domain, _ := parseAddress(addr)
	tld, routable := tldRoutable(domain)
	if routable {
		return
	}
	what := "mail to it cannot be delivered"
	if attr == p.UPNAttr && o.Kind == scanner.KindUser {
		u := p.cloudUPN(i, value)
		if u.outcome == upnMOERA {
			what = "the suffix cannot be verified in any tenant, so " + u.result()
		} else {
			what = "the suffix cannot be verified in any tenant; " + u.String()
		}
	}
	p.OnPrem(o, Finding{
		Attribute: attr,
		Value:     value,
		Message:   fmt.Sprintf("%s is on .%s, which is not a public top-level domain: %s", addr, tld, what),
		Fix:       Fix{Text: fmt.Sprintf("Use a domain you own on the internet instead of %s (for UPNs: add it as a UPN suffix in Active Directory Domains and Trusts and verify it in the tenant).", strings.ToLower(domain))},
	})
}
