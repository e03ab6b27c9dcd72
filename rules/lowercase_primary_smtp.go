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
	Doc: `The primary SMTP address is the proxyAddresses value with the uppercase
SMTP: prefix. When proxyAddresses holds only lowercase smtp: values, the object has
no primary: without mail it cannot soft match by SMTP and Exchange Online picks a
primary address itself (error); with mail, mail becomes the primary address
(warning: make sure that is the address you want).`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/proxyaddresses-attribute-populate",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			var first, matchMail string
			hasPrimary := false
			for _, pa := range o.ProxyAddresses {
				switch {
				case strings.HasPrefix(pa, "SMTP:"):
					hasPrimary = true
				case scanner.IsSMTPProxy(pa):
					if first == "" {
						first = pa
					}
					if o.Mail != "" && strings.EqualFold(pa[5:], o.Mail) && matchMail == "" {
						matchMail = pa
					}
				}
			}
			if hasPrimary || first == "" {
				continue
			}
			f := Finding{Attribute: "proxyAddresses", Value: first}
			switch {
			case o.Mail == "":
				f.Message = fmt.Sprintf("proxyAddresses holds only lowercase smtp: aliases (first %s) and mail is empty: the object has no primary SMTP address, so it cannot soft match by SMTP and Exchange Online chooses a primary itself", first)
				f.Fix = Fix{Text: fmt.Sprintf("Make the address that should be primary uppercase SMTP:, e.g. %s.", "SMTP:"+first[5:]), Attribute: "proxyAddresses", From: first, To: "SMTP:" + first[5:]}
			case matchMail != "":
				f.Severity = Warning
				f.Value = matchMail
				f.Message = fmt.Sprintf("proxyAddresses holds only lowercase smtp: aliases: mail (%s) becomes the primary SMTP address", o.Mail)
				f.Fix = Fix{Text: "Mark the mail address as primary in proxyAddresses.", Attribute: "proxyAddresses", From: matchMail, To: "SMTP:" + matchMail[5:]}
			default:
				f.Severity = Warning
				f.Message = fmt.Sprintf("proxyAddresses holds only lowercase smtp: aliases and none equals mail: mail (%s) becomes the primary SMTP address", o.Mail)
				f.Fix = Fix{Text: "Add mail as the primary address to proxyAddresses (or make the intended alias uppercase SMTP: and set mail to it).", Attribute: "proxyAddresses", From: "", To: "SMTP:" + o.Mail}
			}
			p.OnPrem(o, f)
		}
	},
}
