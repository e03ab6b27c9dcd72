package syncready

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/syncready/syncready/rules"
)

// TestExplainResolvesNames: each kind of name finds its object; a cloud
// object that a named on-premises object matches is explained with it, not
// on its own; a value several objects hold finds each; a name no object has
// finds nothing.
func TestExplainResolvesNames(t *testing.T) {
	const (
		nestor   = "CN=Nestor Wilke,OU=Staff,OU=Contoso,DC=contoso,DC=com"
		dupA     = "CN=Dup Proxy A,OU=Staff,OU=Contoso,DC=contoso,DC=com"
		dupB     = "CN=Dup Proxy B,OU=Staff,OU=Contoso,DC=contoso,DC=com"
		dupCloud = "CN=Dup Cloud Proxy,OU=Staff,OU=Contoso,DC=contoso,DC=com"
		info     = "cloud user info@contoso.com (af13dc02-1d6e-4cd5-adfe-2bf2afe46557)"
		asm      = "cloud user asm.admin@contoso.onmicrosoft.com (b3c01fc1-b14e-47d1-ba5c-c3afbda57814)"
		admin    = "CN=Administrator,CN=Users,DC=contoso,DC=com"
	)
	cases := []struct {
		desc, name string
		want       []string // titles
	}{
		{"by DN, in another case", "cn=nestor wilke,ou=staff,ou=contoso,dc=contoso,dc=com", []string{nestor}},
		{"by UPN, folding the cloud user it joins", "Nestor.Wilke@contoso.com", []string{nestor}},
		{"by sAMAccountName", "nwilke", []string{nestor}},
		{"by an alias", "nwilke@contoso.com", []string{nestor}},
		{"by a proxy address with its prefix", "smtp:nwilke@contoso.com", []string{nestor}},
		{"an alias two objects hold", "frontdesk@contoso.com", []string{dupA, dupB}},
		{"an alias an unjoined cloud user holds", "info@contoso.com", []string{dupCloud, info}},
		{"a cloud id", "af13dc02-1d6e-4cd5-adfe-2bf2afe46557", []string{info}},
		{"a blocked candidate by its own UPN", "asm.admin@contoso.onmicrosoft.com", []string{asm}},
		{"an object the scope leaves out", admin, []string{admin}},
		{"no such object", "nobody@contoso.com", nil},
	}
	var names []string
	for _, c := range cases {
		names = append(names, c.name)
	}
	ex, err := Explain(context.Background(), Options{Sources: exampleSources("graph")}, names)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		var got []string
		for _, x := range ex.Names[i].Objects {
			got = append(got, x.Title)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s (%q): got %q, want %q", c.desc, c.name, got, c.want)
		}
	}
	if u := ex.Unknown(); !slices.Equal(u, []string{`"nobody@contoso.com"`}) {
		t.Errorf("unknown %q", u)
	}
}

// TestExplainChain: the outcome, the steps that lead to it and the findings
// of objects of each kind of fate, with and without the strict tenant.
func TestExplainChain(t *testing.T) {
	cases := []struct {
		graph, name string
		outcome     string
		chain       []string // in this order
		findings    []string // rules, in order
		involving   []string
	}{
		{"graph", "admin.soft.match@contoso.com", "blocked (admin-role): no join",
			[]string{"Hard match by source anchor (objectGUID): no cloud user has onPremisesImmutableId",
				"Soft match by primary SMTP admin.soft.match@contoso.com: cloud user asm.admin@contoso.onmicrosoft.com",
				"Blocked (admin-role): the cloud user holds the directory role Privileged Role Administrator through the group Tier 0 Admins (6dd5bb49-c241-47db-acb1-3ad1d9246589)"},
			[]string{"admin-soft-match-blocked", "duplicate-proxy-address"}, nil},
		{"graph", "CN=Admin Hard Match,OU=Staff,OU=Contoso,DC=contoso,DC=com", "blocked (admin-role)",
			[]string{"Hard match by source anchor (objectGUID): cloud user ahm.admin@contoso.onmicrosoft.com", "Blocked (admin-role): the cloud user holds the directory role Exchange Administrator"},
			[]string{"admin-hard-match-blocked"}, nil},
		{"graph", "CN=Type Mismatch Contact,OU=Contacts,OU=Contoso,DC=contoso,DC=com", "blocked (type-mismatch)",
			[]string{"Hard match: not tried, only users hard match.", "cloud user type.mismatch@contoso.com", "Blocked (type-mismatch): the cloud object is a user and this is a contact"},
			[]string{"type-mismatch", "duplicate-proxy-address"}, nil},
		{"graph", "soft.match.anchored@contoso.com", "blocked (anchored)",
			[]string{"Blocked (anchored): the cloud object is already synced from another directory"}, []string{"soft-match-anchored", "duplicate-proxy-address"}, nil},
		{"graph", "johanna.lorenz@contoso.com", "soft-match-upn: joins cloud user johanna.lorenz@contoso.com",
			[]string{"Soft match by primary SMTP johanna.lorenz@contoso.com: no cloud object holds it.", "Soft match by userPrincipalName johanna.lorenz@contoso.com: cloud user johanna.lorenz@contoso.com"}, nil, nil},
		{"graph", "eligible.admin@contoso.com", "soft-match-smtp: joins",
			[]string{"eligible (PIM) for User Administrator: the join goes ahead"}, []string{"admin-soft-match-blocked"}, nil},
		{"graph", "frontdesk@contoso.com", "provision: a new cloud user is created",
			[]string{"no cloud object holds it", "Soft match by userPrincipalName dup.proxy.a@contoso.com: no cloud user has it."},
			[]string{"duplicate-proxy-address"}, []string{"duplicate-proxy-address"}},
		{"graph", "af13dc02-1d6e-4cd5-adfe-2bf2afe46557", "stays cloud-only", nil, nil, []string{"duplicate-proxy-address"}},
		{"graph", "asm.admin@contoso.onmicrosoft.com", "stays as it is: the match of CN=Admin Soft Match",
			[]string{"On-premises user CN=Admin Soft Match,OU=Staff,OU=Contoso,DC=contoso,DC=com matches it, by primary SMTP admin.soft.match@contoso.com; blocked (admin-role)"},
			nil, []string{"admin-soft-match-blocked", "duplicate-proxy-address"}},
		{"graph", "nestor.wilke@contoso.com", "soft-match-smtp: joins cloud user nestor.wilke@contoso.com", nil, nil, nil},
		{"graph-strict", "nestor.wilke@contoso.com", "blocked (soft-match-disabled)",
			[]string{"Blocked (soft-match-disabled): the tenant blocks soft match (blockSoftMatchEnabled)."}, []string{"soft-match-disabled", "duplicate-proxy-address", "duplicate-upn"}, nil},
		{"graph-strict", "CN=Hard Match Takeover,OU=Staff,OU=Contoso,DC=contoso,DC=com", "blocked (takeover-blocked)",
			[]string{"cloud user hmtakeover@contoso.onmicrosoft.com", "Blocked (takeover-blocked): the tenant blocks the takeover"}, []string{"hard-match-takeover-blocked"}, nil},
		{"", "nestor.wilke@contoso.com", "not predicted: no cloud side was read", nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.graph+" "+c.name, func(t *testing.T) {
			ex, err := Explain(context.Background(), Options{Sources: exampleSources(c.graph)}, []string{c.name})
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.Names[0].Objects) == 0 {
				t.Fatal("not found")
			}
			x := ex.Names[0].Objects[0]
			if !strings.HasPrefix(x.Outcome, c.outcome) {
				t.Errorf("outcome %q, want %q…", x.Outcome, c.outcome)
			}
			chain := strings.Join(x.Chain, "\n")
			at := 0
			for _, s := range c.chain {
				i := strings.Index(chain[at:], s)
				if i < 0 {
					t.Errorf("the chain lacks %q after byte %d:\n%s", s, at, chain)
					break
				}
				at += i + len(s)
			}
			rulesOf := func(l []rules.Finding) []string {
				var ids []string
				for _, f := range l {
					ids = append(ids, f.Rule)
				}
				return ids
			}
			if got := rulesOf(x.Findings); !slices.Equal(got, c.findings) {
				t.Errorf("findings %q, want %q", got, c.findings)
			}
			if got := rulesOf(x.Involving); !slices.Equal(got, c.involving) {
				t.Errorf("findings on other objects %q, want %q", got, c.involving)
			}
			for _, f := range x.Findings {
				if f.Fix.Text == "" {
					t.Errorf("%s has no fix", f.Rule)
				}
			}
		})
	}
}

// TestExplainAttributes: an object's sync-relevant attributes are listed,
// and a value whose white space would not show is quoted.
func TestExplainAttributes(t *testing.T) {
	ex, err := Explain(context.Background(), Options{Sources: exampleSources("graph")}, []string{"CN=Trailing Space,OU=Staff,OU=Contoso,DC=contoso,DC=com"})
	if err != nil {
		t.Fatal(err)
	}
	x := ex.Names[0].Objects[0]
	got := map[string]string{}
	for _, a := range x.Attrs {
		got[a.Name] = a.Value
	}
	if got["sn"] != `"Space "` || got["userPrincipalName"] == "" || got["objectGUID"] == "" {
		t.Errorf("attributes %q", got)
	}
	if !strings.HasPrefix(x.What, "on-premises user, read from contoso.ldif (line ") {
		t.Errorf("what %q", x.What)
	}
}

// TestCausesAfterRoots: a finding comes right after the finding that
// causes it; one whose cause is not listed, and findings whose causes form
// a loop, keep their place; none is lost.
func TestCausesAfterRoots(t *testing.T) {
	f := func(fp, cause string) rules.Finding { return rules.Finding{Fingerprint: fp, Cause: cause} }
	for _, c := range []struct {
		in   []rules.Finding
		want string
	}{
		{[]rules.Finding{f("dup", "blk"), f("x", ""), f("blk", "")}, "x blk dup"},
		{[]rules.Finding{f("a", ""), f("c", "b"), f("b", "a")}, "a b c"},
		{[]rules.Finding{f("dup", "gone"), f("x", "")}, "dup x"},
		{[]rules.Finding{f("p", "q"), f("q", "p"), f("x", "")}, "x p q"},
	} {
		var got []string
		for _, g := range causesAfterRoots(c.in) {
			got = append(got, g.Fingerprint)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
