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
	Impact:   ImpactFailsSync,
	Doc: `Length limits in characters: UPN 113 (64 before the @, 48 after — IdFix did not
check the two parts); each proxyAddresses value 256; mail 256; targetAddress 256;
mailNickname 64; displayName 256; givenName 64; sn 64 (IdFix never read sn);
sAMAccountName 20 on users (warning: AD itself caps it, and it matters only as a UPN
fallback). A value over its limit fails the export. Where cutting is harmless
(displayName, givenName, sn) the fix carries the cut value, trimmed of leading and
trailing whitespace (leading-trailing-space leaves such a value to this rule); a
value that is only whitespace is blank's.`,
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
			p.checkLength(o, "displayName", o.DisplayName, displayNameLimit, true)
			p.checkLength(o, "givenName", o.GivenName, givenNameLimit, true)
			p.checkLength(o, "sn", o.SN, snLimit, true)
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

// The length limits of the name attributes, in characters.
const (
	displayNameLimit = 256
	givenNameLimit   = 64
	snLimit          = 64
)

// nameTooLong reports whether a displayName, givenName or sn value is over
// its limit: too-long reports it, with a fix that also trims it.
func nameTooLong(attr, v string) bool {
	limit := 0
	switch attr {
	case "displayName":
		limit = displayNameLimit
	case "givenName":
		limit = givenNameLimit
	case "sn":
		limit = snLimit
	default:
		return false
	}
	return len(v) > limit && runes(v) > limit
}

// checkLength reports v when it is over limit. A cuttable value (a name)
// gets the cut value as its fix, trimmed of whitespace at either end so that
// the one fix also does what leading-trailing-space would ask; a cuttable
// value that is only whitespace is left to blank.
func (p *Pass) checkLength(o *scanner.OnPrem, attr, v string, limit int, cuttable bool) {
	if len(v) <= limit { // never more characters than bytes
		return
	}
	n := runes(v)
	if n <= limit || cuttable && blankValue(v) {
		return
	}
	f := Finding{
		Attribute: attr,
		Value:     v,
		Message:   fmt.Sprintf("%s has %d characters, limit %d; the export fails", attr, n, limit),
		Fix:       Fix{Text: fmt.Sprintf("Shorten %s to %d characters or fewer.", attr, limit)},
	}
	if cuttable {
		trimmed := strings.TrimSpace(v)
		to := strings.TrimSpace(cut(trimmed, limit))
		text := fmt.Sprintf("Shorten %s to %d characters (cutting it is harmless here).", attr, limit)
		if trimmed != v {
			text = fmt.Sprintf("Trim the whitespace at the ends of %s and shorten it to %d characters (cutting it is harmless here).", attr, limit)
		}
		f.Fix = Fix{Text: text, Attribute: attr, From: v, To: to}
	}
	p.OnPrem(o, f)
}
