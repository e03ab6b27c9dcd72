package rules

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/syncready/syncready/scanner"
)

// InvalidCharacter finds characters the cloud refuses or rewrites.
var InvalidCharacter = &Rule{
	ID:       "invalid-character",
	Title:    "character the cloud does not accept in this attribute",
	Severity: Error,
	Impact:   ImpactFailsSync,
	Doc: `UPN (or the --upn-source attribute): the prefix may use only A–Z a–z 0–9
' . - _ ! # ^ ~ — no whitespace, no letters with diacritics — and must not end with a
dot (error). SMTP proxy addresses, mail and targetAddress: no whitespace and none of
< > ( ) ; , [ ] " (error). mailNickname: must not start with a dot (error); whitespace
and \ " , : ; < > @ [ ] ( ) are replaced with _ by the sync service (warning, with
the alias it will get). sAMAccountName: " [ ] : ; | = + * ? < > / \ , (warning: it
matters only as a UPN fallback). X400, X500 and other non-SMTP proxy types: only
control characters are invalid — spaces, parentheses and apostrophes are legal there
(IdFix #16, #79). Leading and trailing whitespace is left to leading-trailing-space.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/microsoft-365/admin/miscellaneous/username-contains-special-character",
	Run: func(p *Pass) {
		// UPN findings first, so their suggested fixes can be checked
		// against every UPN in one pass (a suggestion must not be taken);
		// then every finding in object order.
		upn := map[int]*upnFinding{}
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind == scanner.KindUser && o.UPN != "" {
				if f, ok := p.checkUPNChars(o); ok {
					kept := f // only a finding goes to the heap, not every f
					upn[i] = &kept
				}
			}
		}
		p.resolveUPNFixes(upn)
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if u := upn[i]; u != nil {
				p.OnPrem(o, u.f)
			}
			if o.Mail != "" && !p.upnIsMail(o) {
				p.checkSMTPChars(o, "mail", o.Mail, strings.TrimSpace(o.Mail), true)
			}
			for _, pa := range o.ProxyAddresses {
				typ, addr, _ := strings.Cut(pa, ":")
				if strings.EqualFold(typ, "smtp") {
					p.checkSMTPChars(o, "proxyAddresses", pa, addr, false)
				} else {
					p.checkControl(o, "proxyAddresses", pa)
				}
			}
			if o.TargetAddress != "" {
				if addr, ok := smtpTarget(o.TargetAddress); ok {
					p.checkSMTPChars(o, "targetAddress", o.TargetAddress, addr, false)
				} else {
					p.checkControl(o, "targetAddress", o.TargetAddress)
				}
			}
			if o.MailNickname != "" {
				p.checkNickname(o)
			}
			if o.Kind == scanner.KindUser && o.SAMAccountName != "" {
				if bad := scan(o.SAMAccountName, samCheck); len(bad) > 0 {
					p.OnPrem(o, Finding{
						Severity:  Warning,
						Attribute: "sAMAccountName",
						Value:     o.SAMAccountName,
						Message:   fmt.Sprintf("sAMAccountName has characters Active Directory does not allow in it: %s; it matters to sync only when the UPN is empty and is derived from it", describeAll(bad)),
						Fix:       Fix{Text: "Rename the account without those characters, or make sure the user has a UPN."},
					})
				}
			}
		}
	},
}

type upnFinding struct {
	o  *scanner.OnPrem
	f  Finding
	to string // the suggested UPN, "" when none
}

// upnRefused reports whether invalid-character reports a UPN: its value,
// without the whitespace at either end, has characters a UPN cannot hold or
// a prefix ending in a dot.
func upnRefused(upn string) bool {
	local, domain, hasAt := parseAddress(strings.TrimSpace(upn))
	return len(scan(local, upnLocalCheck)) > 0 || hasAt && (len(scan(domain, upnDomainCheck)) > 0 || strings.HasSuffix(local, "."))
}

func (p *Pass) checkUPNChars(o *scanner.OnPrem) (upnFinding, bool) {
	lead := len(o.UPN) - len(strings.TrimLeftFunc(o.UPN, unicode.IsSpace))
	v := strings.TrimSpace(o.UPN)
	local, domain, hasAt := parseAddress(v)
	bad := scan(local, upnLocalCheck)
	if hasAt {
		off := runes(local) + 1
		for _, b := range scan(domain, upnDomainCheck) {
			bad = append(bad, badRune{b.r, b.pos + off})
		}
	}
	for i := range bad {
		bad[i].pos += runes(o.UPN[:lead])
	}
	dotEnd := hasAt && strings.HasSuffix(local, ".")
	if len(bad) == 0 && !dotEnd {
		return upnFinding{}, false
	}
	var why []string
	if len(bad) > 0 {
		why = append(why, describeAll(bad))
	}
	if dotEnd {
		why = append(why, "the prefix ends with '.' (right before the @)")
	}
	f := Finding{
		Attribute: p.UPNAttr,
		Value:     o.UPN,
		Message: fmt.Sprintf("%s has characters Entra ID does not accept in a UPN: %s; a UPN prefix may use only A–Z a–z 0–9 ' . - _ ! # ^ ~, so the user cannot be exported as is",
			p.UPNAttr, strings.Join(why, "; ")),
		Fix: Fix{Text: "Change the UPN prefix to use only A–Z a–z 0–9 ' . - _ ! # ^ ~ and not end with a dot."},
	}
	uf := upnFinding{o: o, f: f}
	if clean := cleanUPNLocal(local); hasAt && clean != "" {
		if to := clean + "@" + domain; formatProblem(to) == "" {
			uf.to = to
		}
	}
	return uf, true
}

// resolveUPNFixes offers each suggested UPN only when no other user (on
// either side) holds it: one pass over all UPNs, against the few
// suggestions. A cloud user joined to an on-premises user is not another
// holder of its own UPN when it is the suggestion's own user (the two are
// one user), nor when the sync service writes the on-premises UPN over it
// (synchronizeUpnForManagedUsersEnabled).
func (p *Pass) resolveUPNFixes(l map[int]*upnFinding) {
	if len(l) == 0 {
		return
	}
	want := map[string]int{}    // lower-case suggestion -> holders
	owner := map[string]int32{} // lower-case suggestion -> the user it is for
	for i, u := range l {
		if u.to != "" {
			want[strings.ToLower(u.to)] = 0
			owner[strings.ToLower(u.to)] = int32(i)
		}
	}
	overwritten := p.Snap.Tenant != nil && p.Snap.Tenant.Features.SynchronizeUPNForManagedUsers
	if len(want) > 0 {
		count := func(upn string, joinedBy int32) {
			k := upn
			if _, ok := want[k]; !ok {
				if k = strings.ToLower(strings.TrimSpace(upn)); k == upn {
					return
				}
				if _, ok := want[k]; !ok {
					return
				}
			}
			if joinedBy >= 0 && (overwritten || owner[k] == joinedBy) {
				return
			}
			want[k]++
		}
		for i := range p.Snap.OnPrem {
			if o := &p.Snap.OnPrem[i]; o.Kind == scanner.KindUser && o.UPN != "" {
				count(o.UPN, -1)
			}
		}
		for i := range p.Snap.Cloud {
			if c := &p.Snap.Cloud[i]; c.Kind == scanner.KindUser && c.UPN != "" {
				joinedBy := int32(-1)
				if p.Plan != nil {
					joinedBy = p.Plan.JoinedBy[i]
				}
				count(c.UPN, joinedBy)
			}
		}
	}
	for _, u := range l {
		if u.to != "" {
			held := want[strings.ToLower(u.to)]
			if strings.EqualFold(strings.TrimSpace(u.o.UPN), u.to) {
				held--
			}
			if held > 0 {
				u.f.Fix.Text += fmt.Sprintf(" (%s, the plain form, is already taken by another user.)", u.to)
			} else {
				u.f.Fix = Fix{Text: fmt.Sprintf("Change it to %s (letters with diacritics spelled plainly, other characters removed).", u.to), Attribute: p.UPNAttr, From: u.o.UPN, To: u.to}
			}
		}
	}
}

// checkSMTPChars checks an SMTP address (addr, taken from value). With
// trim, leading and trailing whitespace is left to leading-trailing-space.
func (p *Pass) checkSMTPChars(o *scanner.OnPrem, attr, value, addr string, trim bool) {
	check := addr
	if trim {
		check = strings.TrimSpace(addr)
	}
	bad := scan(check, smtpCheck)
	if len(bad) == 0 {
		return
	}
	p.OnPrem(o, Finding{
		Attribute: attr,
		Value:     value,
		Message:   fmt.Sprintf("SMTP address %q has characters an address cannot hold: %s; the cloud rejects the value", addr, describeAll(bad)),
		Fix:       Fix{Text: "Correct the address: no whitespace and none of < > ( ) ; , [ ] \"."},
	})
}

// checkControl checks a non-SMTP address: only control characters are
// invalid.
func (p *Pass) checkControl(o *scanner.OnPrem, attr, value string) {
	bad := scan(value, controlCheck)
	if len(bad) == 0 {
		return
	}
	p.OnPrem(o, Finding{
		Attribute: attr,
		Value:     value,
		Message:   fmt.Sprintf("%s value has control characters: %s", attr, describeAll(bad)),
		Fix:       Fix{Text: "Remove the control characters (usually pasted in by mistake)."},
	})
}

func (p *Pass) checkNickname(o *scanner.OnPrem) {
	v := o.MailNickname
	bad := scan(v, nicknameCheck)
	dot := strings.HasPrefix(v, ".")
	if len(bad) == 0 && !dot {
		return
	}
	alias := serviceAlias(v) // as the UPN prediction writes it in mailNickname@initial domain
	f := Finding{Severity: Warning, Attribute: "mailNickname", Value: v}
	if dot {
		f.Severity = Error
		alias = strings.TrimLeft(alias, ".")
		f.Message = "mailNickname starts with '.', which Exchange Online does not accept in an alias"
		if len(bad) > 0 {
			f.Message += "; it also has " + describeAll(bad)
		}
	} else {
		f.Message = fmt.Sprintf("mailNickname has %s; the sync service replaces each with _ and the alias becomes %q", describeAll(bad), alias)
	}
	if alias != "" && alias != v {
		f.Fix = Fix{Text: fmt.Sprintf("Set mailNickname to %s.", alias), Attribute: "mailNickname", From: v, To: alias}
	} else {
		f.Fix = Fix{Text: "Give the object an alias made of letters, digits and . - _ that does not start with a dot."}
	}
	p.OnPrem(o, f)
}
