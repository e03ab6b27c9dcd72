package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// LowercasePrimarySMTP finds objects with SMTP aliases but no primary.
var LowercasePrimarySMTP = &Rule{
	ID:       "lowercase-primary-smtp",
	Title:    "proxyAddresses has smtp: aliases but no SMTP: primary",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Doc: `The primary SMTP address is the proxyAddresses value with the uppercase
SMTP: prefix. When proxyAddresses holds only lowercase smtp: values, the object has
no primary: without mail it cannot soft match by SMTP and Exchange Online picks a
primary address itself (error); with mail, mail becomes the primary address
(warning: make sure that is the address you want). The fix makes an alias
primary that the cloud keeps as it is: well formed, on a routable domain, and
not on another tenant's onmicrosoft.com domain (which proxy-domain-unverified
removes); without such an alias it only says what to do.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/proxyaddresses-attribute-populate",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			var first, matchMail string
			hasPrimary := false
			mail := strings.TrimSpace(o.Mail) // leading-trailing-space trims mail itself
			for _, pa := range o.ProxyAddresses {
				switch {
				case strings.HasPrefix(pa, "SMTP:"):
					hasPrimary = true
				case scanner.IsSMTPProxy(pa):
					if first == "" {
						first = pa
					}
					if mail != "" && strings.EqualFold(pa[5:], mail) && matchMail == "" {
						matchMail = pa
					}
				}
			}
			if hasPrimary || first == "" {
				continue
			}
			f := Finding{Attribute: "proxyAddresses", Value: first}
			switch {
			case mail == "":
				f.Message = fmt.Sprintf("proxyAddresses holds only lowercase smtp: aliases (first %s) and mail is empty: the object has no primary SMTP address, so it cannot soft match by SMTP and Exchange Online chooses a primary itself", first)
				f.Fix = Fix{Text: "Make the address that should be primary uppercase SMTP:; none of the aliases is one the cloud keeps as it is."}
				if pa := p.primaryCandidate(o); pa != "" {
					f.Fix = Fix{Text: fmt.Sprintf("Make the address that should be primary uppercase SMTP:, e.g. %s.", "SMTP:"+pa[5:]), Attribute: "proxyAddresses", From: pa, To: "SMTP:" + pa[5:]}
				}
			case matchMail != "":
				f.Severity = Warning
				f.Value = matchMail
				f.Message = fmt.Sprintf("proxyAddresses holds only lowercase smtp: aliases: mail (%s) becomes the primary SMTP address", o.Mail)
				f.Fix = Fix{Text: "Mark the mail address as primary in proxyAddresses.", Attribute: "proxyAddresses", From: matchMail, To: "SMTP:" + matchMail[5:]}
				if !p.goodPrimary(matchMail) {
					f.Fix = Fix{Text: fmt.Sprintf("Set mail to the address that should be primary and make that address uppercase SMTP: in proxyAddresses; %s is not one the cloud keeps as it is.", o.Mail)}
				}
			default:
				f.Severity = Warning
				f.Message = fmt.Sprintf("proxyAddresses holds only lowercase smtp: aliases and none equals mail: mail (%s) becomes the primary SMTP address", o.Mail)
				f.Fix = Fix{Text: "Add mail as the primary address to proxyAddresses (or make the intended alias uppercase SMTP: and set mail to it).", Attribute: "proxyAddresses", From: "", To: "SMTP:" + mail}
			}
			p.OnPrem(o, f)
		}
	},
}

// primaryCandidate returns the first smtp: alias of o that goodPrimary
// accepts, "" when there is none.
func (p *Pass) primaryCandidate(o *scanner.OnPrem) string {
	for _, pa := range o.ProxyAddresses {
		if scanner.IsSMTPProxy(pa) && p.goodPrimary(pa) {
			return pa
		}
	}
	return ""
}

// goodPrimary reports whether the smtp: alias pa may become the primary
// address: the address is well formed and holds no character an address
// cannot, its top-level domain is routable, and it is not on an
// onmicrosoft.com domain other than a verified one of the tenant (another
// tenant's such address is discarded, and proxy-domain-unverified removes
// it).
func (p *Pass) goodPrimary(pa string) bool {
	addr := pa[5:]
	if formatProblem(addr) != "" || len(scan(addr, smtpCheck)) > 0 {
		return false
	}
	d := domainOf(addr)
	if !routable(d) {
		return false
	}
	if isMicrosoftDomain(d) {
		t := p.Snap.Tenant
		return t != nil && t.Known(scanner.FactDomains) && t.DomainVerified(d)
	}
	return true
}
