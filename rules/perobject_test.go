package rules

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

func user(dn, upn string, mods ...func(*scanner.OnPrem)) scanner.OnPrem {
	o := scanner.OnPrem{DN: dn, Kind: scanner.KindUser, SAMAccountName: strings.ToLower(dn[3:min(len(dn), 10)]), UPN: upn, DisplayName: dn[3:], Flags: scanner.FlagHasDisplayName}
	for _, m := range mods {
		m(&o)
	}
	return o
}

func findingsOf(t *testing.T, cfg Config, objs ...scanner.OnPrem) []Finding {
	t.Helper()
	got, _ := run(t, &scanner.Snapshot{OnPrem: objs}, cfg)
	return got
}

func only(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// TestIdFixCases covers, by name, each case where IdFix was wrong.
func TestIdFixCases(t *testing.T) {
	t.Run("IdFix16_79_X500_with_spaces_parentheses_apostrophes_is_legal", func(t *testing.T) {
		got := findingsOf(t, Config{}, user("CN=x500", "x500@contoso.com", func(o *scanner.OnPrem) {
			o.ProxyAddresses = []string{"SMTP:x500@contoso.com", "X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=O'Neil (Pat)", "x400:c=US;a= ;p=Contoso;o=Exchange;s=O'Neil;"}
		}))
		if len(got) != 0 {
			t.Errorf("X500/X400 values flagged: %+v", got)
		}
	})
	t.Run("apostrophes_are_legal_in_UPN_and_SMTP_local_parts", func(t *testing.T) {
		got := findingsOf(t, Config{}, user("CN=obrien", "pat.o'brien@contoso.com", func(o *scanner.OnPrem) {
			o.Mail, o.ProxyAddresses = "pat.o'brien@contoso.com", []string{"SMTP:pat.o'brien@contoso.com"}
		}))
		if len(got) != 0 {
			t.Errorf("apostrophes flagged: %+v", got)
		}
	})
	t.Run("IdFix1_96_TLDs_from_the_ICANN_section", func(t *testing.T) {
		for _, d := range []string{"contoso.app", "contoso.cloud", "contoso.swiss", "uni.edu.au", "contoso.com", "contoso.co.uk", "CONTOSO.COM"} {
			if got := findingsOf(t, Config{}, user("CN=ok", "a@"+d)); len(got) != 0 {
				t.Errorf("%s flagged: %+v", d, got)
			}
		}
		for _, d := range []string{"contoso.local", "corp.lan", "contoso.corp", "host.internal"} {
			got := only(findingsOf(t, Config{}, user("CN=bad", "a@"+d)), "unroutable-domain")
			if len(got) != 1 || got[0].Severity != Warning {
				t.Errorf("%s: %+v", d, got)
			}
		}
	})
	t.Run("UPN_local_part_64_and_domain_part_48_are_checked", func(t *testing.T) {
		ok := strings.Repeat("a", 64) + "@" + strings.Repeat("d", 44) + ".com" // 64 + 48
		if got := findingsOf(t, Config{}, user("CN=ok", ok)); len(got) != 0 {
			t.Errorf("limits are inclusive: %+v", got)
		}
		bad := strings.Repeat("a", 65) + "@" + strings.Repeat("d", 45) + ".com"
		got := only(findingsOf(t, Config{}, user("CN=bad", bad)), "too-long")
		if len(got) != 1 || !strings.Contains(got[0].Message, "65 characters before @, limit 64") || !strings.Contains(got[0].Message, "49 characters after @, limit 48") {
			t.Errorf("%+v", got)
		}
	})
	t.Run("sn_is_checked", func(t *testing.T) {
		got := only(findingsOf(t, Config{}, user("CN=sn", "sn@contoso.com", func(o *scanner.OnPrem) { o.SN = strings.Repeat("é", 65) })), "too-long")
		if len(got) != 1 || got[0].Attribute != "sn" || got[0].Fix.To != strings.Repeat("é", 64) {
			t.Errorf("%+v", got)
		}
	})
	t.Run("mail_is_compared_with_proxyAddresses_of_other_objects", func(t *testing.T) {
		got := only(findingsOf(t, Config{},
			user("CN=a", "a@contoso.com", func(o *scanner.OnPrem) { o.Mail = "help@contoso.com" }),
			user("CN=b", "b@contoso.com", func(o *scanner.OnPrem) { o.ProxyAddresses = []string{"SMTP:b@contoso.com", "smtp:HELP@contoso.com"} }),
		), "duplicate-proxy-address")
		if len(got) != 2 || got[0].Attribute != "mail" || got[1].Attribute != "proxyAddresses" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("IdFix29_40_a_duplicate_shows_both_objects_and_never_suggests_the_same_value", func(t *testing.T) {
		got := only(findingsOf(t, Config{}, user("CN=a", "dup@contoso.com"), user("CN=b", "DUP@contoso.com")), "duplicate-upn")
		if len(got) != 2 || got[0].Related[0] != "CN=b" || got[1].Related[0] != "CN=a" {
			t.Fatalf("%+v", got)
		}
		for _, f := range got {
			if f.Fix.Attribute != "" || strings.Contains(strings.ToLower(f.Fix.Text), "change it to dup@") {
				t.Errorf("a duplicate's fix must not offer the duplicated value: %+v", f.Fix)
			}
		}
		// A cleaned-up UPN that another user already has is not offered either.
		got = only(findingsOf(t, Config{}, user("CN=accent", "rené@contoso.com"), user("CN=plain", "rene@contoso.com")), "invalid-character")
		if len(got) != 1 || got[0].Fix.Attribute != "" {
			t.Errorf("suggested a taken UPN: %+v", got)
		}
	})
	t.Run("diacritics_are_errors_in_UPN_and_fine_in_displayName", func(t *testing.T) {
		got := findingsOf(t, Config{}, user("CN=zoe", "zoë.müller@contoso.com", func(o *scanner.OnPrem) { o.DisplayName, o.GivenName, o.SN = "Zoë Müller", "Zoë", "Müller" }))
		if len(got) != 1 || got[0].Rule != "invalid-character" || got[0].Severity != Error {
			t.Fatalf("%+v", got)
		}
		if got[0].Fix.To != "zoe.muller@contoso.com" {
			t.Errorf("suggested %q", got[0].Fix.To)
		}
	})
	t.Run("upn_source_mail_judges_mail_as_the_UPN", func(t *testing.T) {
		o := user("CN=alt", "alt@contoso.local", func(o *scanner.OnPrem) { o.UPN, o.Mail = "alt user@contoso.com", "alt user@contoso.com" })
		got := findingsOf(t, Config{UPNAttr: "mail"}, o)
		if len(got) != 1 || got[0].Attribute != "mail" || got[0].Rule != "invalid-character" || !strings.Contains(got[0].Message, "UPN") {
			t.Errorf("want one UPN finding on mail, got %+v", got)
		}
	})
	t.Run("system_mailbox_findings_are_info", func(t *testing.T) {
		got := findingsOf(t, Config{}, user("CN=HealthMailbox1", "hm@contoso.local", func(o *scanner.OnPrem) { o.Flags |= scanner.FlagSystemMailbox }))
		if len(got) == 0 {
			t.Fatal("no findings")
		}
		for _, f := range got {
			if f.Severity != Info {
				t.Errorf("%s: %s", f.Rule, f.Severity)
			}
		}
	})
}

func TestFixesAreSafe(t *testing.T) {
	got := findingsOf(t, Config{}, user("CN=fix", " fix@contoso.com", func(o *scanner.OnPrem) {
		o.DisplayName, o.GivenName, o.MailNickname, o.Mail = "Fix ", strings.Repeat("g", 70), "a b", "fix@contoso.com"
	}))
	fixes := map[string]Fix{}
	for _, f := range got {
		fixes[f.Rule+" "+f.Attribute] = f.Fix
	}
	for key, want := range map[string]string{
		"leading-trailing-space userPrincipalName": "fix@contoso.com",
		"leading-trailing-space displayName":       "Fix",
		"too-long givenName":                       strings.Repeat("g", 64),
		"invalid-character mailNickname":           "a_b",
	} {
		if fixes[key].To != want || fixes[key].Attribute == "" {
			t.Errorf("%s: fix %+v, want to %q", key, fixes[key], want)
		}
	}
}

// FuzzCharacterAndFormatChecks feeds arbitrary (also invalid) UTF-8 to the
// character, length and format checks: they must never panic.
func FuzzCharacterAndFormatChecks(f *testing.F) {
	for _, s := range []string{"a@b.com", "zoë müller@contoso.com", "SMTP:", "smtp:smtp:a@b", "\xff\xfe@\x80.com", "@", ".", "a@b@c", "X500:/o=(x)"} {
		f.Add(s)
	}
	sel := []*Rule{InvalidCharacter, TooLong, InvalidFormat, UnroutableDomain, LeadingTrailingSpace, Blank}
	f.Fuzz(func(t *testing.T, s string) {
		o := scanner.OnPrem{DN: "CN=f", Kind: scanner.KindUser, SAMAccountName: s, UPN: s, Mail: s, MailNickname: s, TargetAddress: s,
			DisplayName: s, GivenName: s, SN: s, ProxyAddresses: []string{s, "smtp:" + s, "SMTP:" + s}}
		got, _ := run(t, &scanner.Snapshot{OnPrem: []scanner.OnPrem{o}}, Config{}, sel...)
		for _, f := range got {
			if f.Message == "" || !utf8.ValidString(f.Rule) {
				t.Fatalf("bad finding %+v", f)
			}
		}
		_ = cleanUPNLocal(s)
		_ = formatProblem(s)
		_ = proxyProblem(s)
		_, _ = tldRoutable(s)
	})
}
