package rules

import (
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// DuplicateMailNickname finds aliases shared by on-premises objects.
var DuplicateMailNickname = &Rule{
	ID:       "duplicate-mailnickname",
	Title:    "mailNickname shared by more than one mail-enabled object",
	Severity: Warning,
	Doc: `Two in-scope, mail-enabled on-premises objects share a mailNickname (compared
without case). Exchange Online derives each object's routing address
(alias@<tenant>.mail.onmicrosoft.com) from it, so the second gets random digits
appended. Compared among on-premises objects only; a linked mailbox and its
account-forest user are one person.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized",
	Run: func(p *Pass) {
		nicks := func(o *scanner.OnPrem, yield func(onpremValue)) {
			if o.MailNickname != "" && o.MailEnabled() {
				yield(onpremValue{"mailNickname", o.MailNickname, o.MailNickname})
			}
		}
		ns := newNamespace(p, 1, nicks, nil)
		ns.report(nicks, func(_ int, o *scanner.OnPrem, v onpremValue, others []holder) {
			related, names, desc := ns.related(others)
			p.OnPrem(o, Finding{
				Attribute:    v.attr,
				Value:        v.value,
				Message:      fmt.Sprintf("mailNickname %s is also used by %s: one of them gets a routing address with random digits (%sNNNN@<tenant>.mail.onmicrosoft.com)", v.value, desc, v.value),
				Fix:          Fix{Text: "Give each object its own mailNickname (usually the local part of its primary SMTP address)."},
				Related:      related,
				RelatedNames: names,
			})
		})
	},
}
