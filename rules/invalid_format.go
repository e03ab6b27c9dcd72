package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// InvalidFormat finds addresses that are not local@domain.
var InvalidFormat = &Rule{
	ID:       "invalid-format",
	Title:    "address is not of the form local@domain",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Doc: `UPN, mail, SMTP proxyAddresses values and an SMTP targetAddress (after the SMTP:
prefix) must be local@domain with exactly one @ and a dotted domain. A proxyAddresses
or targetAddress value needs a type prefix and a value after it, and an SMTP one no
second ':' (smtp:smtp:…). An empty proxyAddresses value is an error too. The sync
service rejects such values.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/proxyaddresses-attribute-populate",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind == scanner.KindUser && o.UPN != "" {
				if why := formatProblem(strings.TrimSpace(o.UPN)); why != "" {
					p.formatFinding(o, p.UPNAttr, o.UPN, why)
				}
			}
			if o.Mail != "" && !p.upnIsMail(o) {
				if why := formatProblem(strings.TrimSpace(o.Mail)); why != "" {
					p.formatFinding(o, "mail", o.Mail, why)
				}
			}
			for _, pa := range o.ProxyAddresses {
				if why := proxyProblem(pa); why != "" {
					p.formatFinding(o, "proxyAddresses", pa, why)
				}
			}
			if t := o.TargetAddress; t != "" {
				why := proxyProblem(t)
				if !strings.Contains(t, ":") {
					why = formatProblem(strings.TrimSpace(t))
				}
				if why != "" {
					p.formatFinding(o, "targetAddress", t, why)
				}
			}
		}
	},
}

func (p *Pass) formatFinding(o *scanner.OnPrem, attr, v, why string) {
	p.OnPrem(o, Finding{
		Attribute: attr,
		Value:     v,
		Message:   fmt.Sprintf("%s %q is not a valid address: %s; the sync service rejects it", attr, v, why),
		Fix:       Fix{Text: "Correct the value to local@domain.tld (proxy addresses with their type prefix, e.g. SMTP:user@contoso.com), or remove it."},
	})
}
