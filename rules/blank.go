package rules

import (
	"fmt"
	"strings"
)

// Blank finds display names that are empty or whitespace.
var Blank = &Rule{
	ID:       "blank",
	Title:    "displayName missing or blank",
	Severity: Warning,
	Doc: `displayName is present but only whitespace: the cloud object shows a blank
name in address lists and admin centres (warning). displayName is absent: the sync
service uses the CN as the cloud display name (info; the message says which).`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if strings.TrimSpace(o.DisplayName) != "" {
				continue
			}
			cn := rdnValue(o)
			f := Finding{Attribute: "displayName", Value: o.DisplayName}
			if o.DisplayName == "" {
				f.Severity = Info
				f.Message = fmt.Sprintf("no displayName: the cloud display name becomes the CN, %q", cn)
				f.Fix = Fix{Text: fmt.Sprintf("Set displayName if %q is not the name people should see.", cn), Attribute: "displayName", From: "", To: cn}
			} else {
				f.Message = fmt.Sprintf("displayName is only whitespace (%d characters): the cloud object shows a blank name", runes(o.DisplayName))
				f.Fix = Fix{Text: fmt.Sprintf("Set displayName, for example to %q.", cn), Attribute: "displayName", From: o.DisplayName, To: cn}
			}
			p.OnPrem(o, f)
		}
	},
}
