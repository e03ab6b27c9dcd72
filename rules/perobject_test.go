package rules

import (
	"fmt"
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
		tenant := &scanner.Tenant{Features: scanner.DefaultFeatures, Domains: []scanner.Domain{{Name: "contoso.com", Verified: true}, {Name: "contoso.onmicrosoft.com", Verified: true, Initial: true}}}
		for _, tn := range []*scanner.Tenant{nil, tenant} {
			snap := &scanner.Snapshot{OnPrem: []scanner.OnPrem{o}, Tenant: tn}
			p := &Pass{Snap: snap, Plan: scanner.Pair(snap, scanner.AnchorAuto)}
			u := p.cloudUPN(0, s)
			if words := u.String(); words == "" || u.exact() && !u.is(u.address()) {
				t.Fatalf("prediction %+v: %q", u, words)
			}
		}
		_ = cleanUPNLocal(s)
		_ = formatProblem(s)
		_ = proxyProblem(s)
		_, _ = tldRoutable(s)
	})
}

// TestOneFindingPerNameValue: a displayName, givenName or sn value gets one
// finding with one fix, whichever of blank, leading-trailing-space and
// too-long could judge it: a value that is only whitespace is blank's, a
// padded value over its limit is too-long's (whose fix also trims it).
func TestOneFindingPerNameValue(t *testing.T) {
	type got struct{ rule, attr, to string }
	cases := []struct {
		name string
		set  func(o *scanner.OnPrem)
		want []got
	}{
		{"sn one space", func(o *scanner.OnPrem) { o.SN = " " }, []got{{"blank", "sn", ""}}},
		{"givenName tab and no-break space", func(o *scanner.OnPrem) { o.GivenName = "\t\u00a0" }, []got{{"blank", "givenName", ""}}},
		{"displayName spaces", func(o *scanner.OnPrem) { o.DisplayName = "   " }, []got{{"blank", "displayName", "names"}}},
		{"displayName 300 spaces", func(o *scanner.OnPrem) { o.DisplayName = strings.Repeat(" ", 300) }, []got{{"blank", "displayName", "names"}}},
		{"givenName 70 spaces", func(o *scanner.OnPrem) { o.GivenName = strings.Repeat(" ", 70) }, []got{{"blank", "givenName", ""}}},
		{"padded sn over the limit", func(o *scanner.OnPrem) { o.SN = " " + strings.Repeat("s", 70) + " " }, []got{{"too-long", "sn", strings.Repeat("s", 64)}}},
		{"sn that fits once trimmed", func(o *scanner.OnPrem) { o.SN = strings.Repeat("s", 63) + "  " }, []got{{"too-long", "sn", strings.Repeat("s", 63)}}},
		{"padded givenName", func(o *scanner.OnPrem) { o.GivenName = " Ann" }, []got{{"leading-trailing-space", "givenName", "Ann"}}},
		{"long displayName cut at a space", func(o *scanner.OnPrem) { o.DisplayName = strings.Repeat("d", 255) + " tail" }, []got{{"too-long", "displayName", strings.Repeat("d", 255)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var have []got
			for _, f := range findingsOf(t, Config{}, user("CN=names", "names@contoso.com", c.set)) {
				switch f.Attribute {
				case "displayName", "givenName", "sn":
					have = append(have, got{f.Rule, f.Attribute, f.Fix.To})
					if f.Fix.Attribute != f.Attribute {
						t.Errorf("%s: fix without a safe change: %+v", f.Rule, f.Fix)
					}
				}
			}
			if fmt.Sprint(have) != fmt.Sprint(c.want) {
				t.Errorf("findings %q, want %q", have, c.want)
			}
		})
	}
}
