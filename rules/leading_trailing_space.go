package rules

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/syncready/syncready/scanner"
)

// LeadingTrailingSpace finds values with whitespace at either end.
var LeadingTrailingSpace = &Rule{
	ID:       "leading-trailing-space",
	Title:    "leading or trailing whitespace",
	Severity: Warning,
	Doc: `displayName, givenName, sn, mail and the UPN (or --upn-source attribute) start or
end with whitespace. The cloud keeps or trims it inconsistently, and lookups by the
value miss; in a UPN, white space makes Entra ID compute mailNickname@<initial domain>
instead (what the UPN rules say the cloud UPN becomes). The fix carries the trimmed
value, except for a UPN that invalid-character also reports (when it runs): its
suggested UPN is trimmed too, and only one of the two carries a change. A
displayName, givenName or sn that is
only whitespace is reported by blank instead, and one over its length limit by
too-long, whose fix also trims it: one value never gets two findings with different
fixes.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			// An array, not a growing slice: one allocation per object was
			// a million at a million objects.
			type attr struct{ name, v string }
			buf := [5]attr{{"displayName", o.DisplayName}, {"givenName", o.GivenName}, {"sn", o.SN}}
			attrs := buf[:3]
			if o.Kind == scanner.KindUser {
				attrs = append(attrs, attr{p.UPNAttr, o.UPN})
			}
			if !p.upnIsMail(o) {
				attrs = append(attrs, attr{"mail", o.Mail})
			}
			for _, a := range attrs {
				t := strings.TrimFunc(a.v, unicode.IsSpace)
				if t == a.v || t == "" || nameTooLong(a.name, a.v) {
					continue
				}
				where := "leading"
				switch {
				case strings.TrimLeftFunc(a.v, unicode.IsSpace) == a.v:
					where = "trailing"
				case strings.TrimRightFunc(a.v, unicode.IsSpace) != a.v:
					where = "leading and trailing"
				}
				fix := Fix{Text: fmt.Sprintf("Trim it to %q.", t), Attribute: a.name, From: a.v, To: t}
				if a.name == p.UPNAttr && o.Kind == scanner.KindUser && p.runs(InvalidCharacter.ID) && upnRefused(a.v) {
					// invalid-character's change of this UPN trims it too:
					// two changes of one value would contradict.
					fix = Fix{Text: fmt.Sprintf("Trim it to %q, with the change invalid-character asks for (its suggested UPN is trimmed too).", t)}
				}
				p.OnPrem(o, Finding{
					Attribute: a.name,
					Value:     a.v,
					Message:   fmt.Sprintf("%s %q has %s whitespace", a.name, a.v, where),
					Fix:       fix,
				})
			}
		}
	},
}
