package rules

import (
	"regexp"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

// megabank is a tenant with one custom domain verified and its initial
// domain; domains false leaves the domains unread.
func megabank(domains bool, features scanner.Features) *scanner.Tenant {
	t := &scanner.Tenant{Features: features}
	if domains {
		t.Domains = []scanner.Domain{{Name: "megabank.com", Verified: true}, {Name: "megabank.onmicrosoft.com", Verified: true, Initial: true}}
	} else {
		t.SetUnknown(scanner.FactDomains, "neither domains.json nor organization.json found")
	}
	return t
}

// ulf is an on-premises user on a .local suffix whose primary SMTP address
// soft matches a cloud user with another UPN.
func ulf(mods ...func(*scanner.OnPrem)) scanner.OnPrem {
	return user("CN=Ulf Nilsson,OU=Staff,DC=megabank,DC=local", "ulf@megabank.local", append([]func(*scanner.OnPrem){func(o *scanner.OnPrem) {
		o.MailNickname, o.Mail, o.ProxyAddresses = "ulf.n", "ulf.nilsson@megabank.com", []string{"SMTP:ulf.nilsson@megabank.com"}
	}}, mods...)...)
}

var cloudUlf = scanner.Cloud{ID: "c-ulf", Kind: scanner.KindUser, UPN: "ulf.nilsson@megabank.com", ProxyAddresses: []string{"SMTP:ulf.nilsson@megabank.com"}}

// upnStating are the rules whose messages say what the cloud UPN will be.
var upnStating = map[string]bool{"upn-mismatch": true, "upn-suffix-unverified": true, "unroutable-domain": true, "missing-upn": true, "duplicate-upn": true}

var address = regexp.MustCompile(`[^\s(),;:"]+@[^\s(),;:"]+[^\s(),;:".]`)

// TestFindingsAgreeOnTheCloudUPN scans one user and checks that every
// finding about its UPN names the same future cloud UPN (want), and no other
// address but the user's own UPN and that of the cloud user it joins: with
// the tenant's domains read, without them, without a tenant, and with UPN
// sync for managed users off.
func TestFindingsAgreeOnTheCloudUPN(t *testing.T) {
	cases := []struct {
		name   string
		tenant *scanner.Tenant // nil: on-premises only
		onprem scanner.OnPrem
		rules  []string // the UPN-stating rules that must report
		want   []string // what every one of their messages says
	}{
		{"domains known", megabank(true, scanner.DefaultFeatures), ulf(),
			[]string{"upn-mismatch", "upn-suffix-unverified", "unroutable-domain"},
			[]string{"the cloud UPN becomes ulf.n@megabank.onmicrosoft.com"}},
		{"domains not read", megabank(false, scanner.DefaultFeatures), ulf(),
			[]string{"upn-mismatch", "unroutable-domain"},
			[]string{"the cloud UPN becomes ulf.n@<initial domain>", "the tenant's domains were not read"}},
		{"no tenant", nil, ulf(),
			[]string{"unroutable-domain"},
			[]string{"the cloud UPN becomes ulf.n@<initial domain>", "no tenant side was read"}},
		{"UPN sync for managed users off", megabank(true, scanner.Features{SoftMatchOnUPN: true}), ulf(),
			[]string{"upn-mismatch", "upn-suffix-unverified", "unroutable-domain"},
			[]string{"the cloud keeps ulf.nilsson@megabank.com"}},
		{"no mailNickname: the primary SMTP prefix", megabank(true, scanner.DefaultFeatures), ulf(func(o *scanner.OnPrem) { o.MailNickname = "" }),
			[]string{"upn-suffix-unverified", "unroutable-domain"},
			[]string{"the cloud UPN becomes ulf.nilsson@megabank.onmicrosoft.com"}},
		{"verified suffix, domains not read", megabank(false, scanner.DefaultFeatures), ulf(func(o *scanner.OnPrem) { o.UPN = "ulf@megabank.com" }),
			[]string{"upn-mismatch"},
			[]string{"the cloud UPN cannot be predicted, because the tenant's domains were not read: it will be ulf@megabank.com if megabank.com is a verified domain of the tenant, and ulf.n@<initial domain>"}},
		{"missing UPN", megabank(true, scanner.DefaultFeatures), ulf(func(o *scanner.OnPrem) { o.UPN, o.SAMAccountName = "", "ulf" }),
			[]string{"missing-upn"},
			[]string{"derives ulf@megabank.local", "the cloud UPN becomes ulf.n@megabank.onmicrosoft.com"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := &scanner.Snapshot{OnPrem: []scanner.OnPrem{c.onprem}, Tenant: c.tenant}
			if c.tenant != nil {
				snap.Cloud = []scanner.Cloud{cloudUlf}
			}
			got, _ := run(t, snap, Config{})
			fired := map[string]bool{}
			for _, f := range got {
				if !upnStating[f.Rule] || f.Attribute != "userPrincipalName" {
					continue
				}
				fired[f.Rule] = true
				for _, w := range c.want {
					if !strings.Contains(f.Message, w) {
						t.Errorf("%s does not say %q: %s", f.Rule, w, f.Message)
					}
				}
				for _, a := range address.FindAllString(f.Message+" "+f.Fix.Text, -1) {
					if a != "mailNickname@initial" && a != c.onprem.UPN && a != cloudUlf.UPN && !strings.Contains(strings.Join(c.want, " "), a) {
						t.Errorf("%s names %s, another cloud UPN: %s", f.Rule, a, f.Message)
					}
				}
			}
			for _, r := range c.rules {
				if !fired[r] {
					t.Errorf("%s did not report", r)
				}
			}
		})
	}
}

// TestCloudUPNFollowsTheDocs: the MOERA prefix is the first of mailNickname,
// the primary SMTP prefix, mail's, the UPN's and a secondary smtp address's
// (Microsoft Entra UserPrincipalName population, scenario 1 and the
// MailNickName calculation); a UPN a verified suffix cannot carry as is
// gets it too.
func TestCloudUPNFollowsTheDocs(t *testing.T) {
	cases := []struct {
		name, upn string
		set       func(o *scanner.OnPrem)
		want      string
	}{
		{"scenario 1: no mailNickname, primary SMTP first", "user3@contoso.com", func(o *scanner.OnPrem) {
			o.ProxyAddresses, o.Mail = []string{"SMTP:user1@contoso.com"}, "user2@contoso.com"
		}, "user1@contoso.onmicrosoft.com"},
		{"mailNickname first", "user3@contoso.com", func(o *scanner.OnPrem) {
			o.MailNickname, o.ProxyAddresses, o.Mail = "user4", []string{"SMTP:user1@contoso.com"}, "user2@contoso.com"
		}, "user4@contoso.onmicrosoft.com"},
		{"mail without a primary", "user3@contoso.com", func(o *scanner.OnPrem) { o.Mail = "user2@contoso.com" }, "user2@contoso.onmicrosoft.com"},
		{"the UPN prefix", "user3@contoso.com", nil, "user3@contoso.onmicrosoft.com"},
		{"two primaries: mail", "user3@contoso.com", func(o *scanner.OnPrem) {
			o.ProxyAddresses, o.Mail = []string{"SMTP:a@contoso.com", "SMTP:b@contoso.com"}, "user2@contoso.com"
		}, "user2@contoso.onmicrosoft.com"},
		{"an alias the service rewrites", "user3@contoso.com", func(o *scanner.OnPrem) { o.MailNickname = "ann lee" }, "ann_lee@contoso.onmicrosoft.com"},
		{"verified suffix kept", "user3@fabrikam.com", func(o *scanner.OnPrem) { o.MailNickname = "user4" }, "user3@fabrikam.com"},
		{"verified suffix, invalid character", "zoë@fabrikam.com", func(o *scanner.OnPrem) { o.MailNickname = "zoe" }, "zoe@contoso.onmicrosoft.com"},
		{"verified suffix, trailing space", "user3@fabrikam.com ", func(o *scanner.OnPrem) { o.MailNickname = "user4" }, "user4@contoso.onmicrosoft.com"},
		{"no @ at all", "user3", func(o *scanner.OnPrem) { o.MailNickname = "user4" }, "user4@contoso.onmicrosoft.com"},
	}
	tenant := &scanner.Tenant{Features: scanner.DefaultFeatures, Domains: []scanner.Domain{
		{Name: "fabrikam.com", Verified: true}, {Name: "contoso.com"}, {Name: "contoso.onmicrosoft.com", Verified: true, Initial: true}}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := user("CN=u", c.upn)
			if c.set != nil {
				c.set(&o)
			}
			snap := &scanner.Snapshot{OnPrem: []scanner.OnPrem{o}, Tenant: tenant}
			p := &Pass{Snap: snap, Plan: scanner.Pair(snap, scanner.AnchorAuto)}
			u := p.cloudUPN(0, c.upn)
			if got := u.address(); got != c.want || !u.exact() || !u.is(strings.ToUpper(c.want)) {
				t.Errorf("cloud UPN %q (exact %v), want %q: %s", got, u.exact(), c.want, u.String())
			}
		})
	}
}
