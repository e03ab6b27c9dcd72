package rules

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// TooLong finds values longer than the cloud accepts.
var TooLong = &Rule{
	ID:       "too-long",
	Title:    "value longer than the cloud accepts",
	Severity: Error,
	Doc: `Length limits in characters: UPN 113 (64 before the @, 48 after — IdFix did not
check the two parts); each proxyAddresses value 256; mail 256; targetAddress 256;
mailNickname 64; displayName 256; givenName 64; sn 64 (IdFix never read sn);
sAMAccountName 20 on users (warning: AD itself caps it, and it matters only as a UPN
fallback). A value over its limit fails the export. Where cutting is harmless
(displayName, givenName, sn) the fix carries the cut value.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind == scanner.KindUser && o.UPN != "" {
				p.checkUPNLength(o)
			}
			if !p.upnIsMail(o) {
				p.checkLength(o, "mail", o.Mail, 256, false)
			}
			for _, pa := range o.ProxyAddresses {
				p.checkLength(o, "proxyAddresses", pa, 256, false)
			}
			p.checkLength(o, "targetAddress", o.TargetAddress, 256, false)
			p.checkLength(o, "mailNickname", o.MailNickname, 64, false)
			p.checkLength(o, "displayName", o.DisplayName, 256, true)
			p.checkLength(o, "givenName", o.GivenName, 64, true)
			p.checkLength(o, "sn", o.SN, 64, true)
			if o.Kind == scanner.KindUser && runes(o.SAMAccountName) > 20 {
				p.OnPrem(o, Finding{
					Severity:  Warning,
					Attribute: "sAMAccountName",
					Value:     o.SAMAccountName,
					Message:   fmt.Sprintf("sAMAccountName has %d characters, limit 20; a UPN derived from it would carry the long name", runes(o.SAMAccountName)),
					Fix:       Fix{Text: "Shorten sAMAccountName to 20 characters or fewer."},
				})
			}
		}
	},
}

func (p *Pass) checkUPNLength(o *scanner.OnPrem) {
	v := strings.TrimSpace(o.UPN)
	local, domain, _ := parseAddress(v)
	var why []string
	if n := runes(v); n > 113 {
		why = append(why, fmt.Sprintf("%d characters, limit 113", n))
	}
	if n := runes(local); n > 64 {
		why = append(why, fmt.Sprintf("%d characters before @, limit 64", n))
	}
	if n := runes(domain); n > 48 {
		why = append(why, fmt.Sprintf("%d characters after @, limit 48", n))
	}
	if len(why) == 0 {
		return
	}
	p.OnPrem(o, Finding{
		Attribute: p.UPNAttr,
		Value:     o.UPN,
		Message:   fmt.Sprintf("%s is too long: %s; the export fails", p.UPNAttr, strings.Join(why, "; ")),
		Fix:       Fix{Text: "Shorten the UPN: at most 64 characters before the @, 48 after, 113 in all."},
	})
}

func (p *Pass) checkLength(o *scanner.OnPrem, attr, v string, limit int, cuttable bool) {
	n := runes(v)
	if n <= limit {
		return
	}
	f := Finding{
		Attribute: attr,
		Value:     v,
		Message:   fmt.Sprintf("%s has %d characters, limit %d; the export fails", attr, n, limit),
		Fix:       Fix{Text: fmt.Sprintf("Shorten %s to %d characters or fewer.", attr, limit)},
	}
	if cuttable {
		to := strings.TrimRight(cut(v, limit), " ")
		f.Fix = Fix{Text: fmt.Sprintf("Shorten %s to %d characters (cutting it is harmless here).", attr, limit), Attribute: attr, From: v, To: to}
	}
	p.OnPrem(o, f)
}
