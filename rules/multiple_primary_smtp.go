package rules

import (
	"fmt"
	"strings"
)

// MultiplePrimarySMTP finds objects with more than one SMTP: value.
var MultiplePrimarySMTP = &Rule{
	ID:       "multiple-primary-smtp",
	Title:    "more than one SMTP: primary in proxyAddresses",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Doc: `Only one proxyAddresses value may carry the uppercase SMTP: prefix. With two
or more the object has no usable primary SMTP address: it cannot soft match by SMTP
and Exchange Online rejects the set. One finding per extra primary: the one equal to
mail is kept (else the first), the others should become lowercase smtp: aliases.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/proxyaddresses-attribute-populate",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			var buf [4]string // on the stack: one slice per object was a million allocations
			prim := buf[:0]
			keep := -1
			for _, pa := range o.ProxyAddresses {
				if strings.HasPrefix(pa, "SMTP:") {
					if keep < 0 && o.Mail != "" && strings.EqualFold(pa[5:], o.Mail) {
						keep = len(prim)
					}
					prim = append(prim, pa)
				}
			}
			if len(prim) < 2 {
				continue
			}
			if keep < 0 {
				keep = 0
			}
			for j, pa := range prim {
				if j == keep {
					continue
				}
				p.OnPrem(o, Finding{
					Attribute: "proxyAddresses",
					Value:     pa,
					Message:   fmt.Sprintf("%d proxyAddresses values are marked primary (SMTP:): %s and %s; the object has no usable primary SMTP address", len(prim), prim[keep], pa),
					Fix:       Fix{Text: fmt.Sprintf("Keep %s as the primary and make %s a lowercase smtp: alias.", prim[keep], pa), Attribute: "proxyAddresses", From: pa, To: "smtp:" + pa[5:]},
				})
			}
		}
	},
}
