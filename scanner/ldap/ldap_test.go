package ldap

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
)

// fakeDir answers paged searches from a list of entries, pageSize at a
// time, and ranged retrieval for one attribute; it records what was asked.
type fakeDir struct {
	entries   []*goldap.Entry
	pages     int
	sizes     []uint32
	ranged    map[string][]string // DN -> all values of the ranged attribute
	rangeMax  int
	baseReads int // ranged retrievals answered
	failAt    int // fail the search of this page (1-based), 0 = never
}

func (f *fakeDir) Search(req *goldap.SearchRequest) (*goldap.SearchResult, error) {
	if req.Scope == goldap.ScopeBaseObject {
		f.baseReads++
		vals := f.ranged[req.BaseDN]
		var lo int
		attr, rng, _ := strings.Cut(req.Attributes[0], ";range=")
		fmt.Sscanf(rng, "%d-", &lo)
		hi := min(lo+f.rangeMax, len(vals))
		name := fmt.Sprintf("%s;range=%d-%d", attr, lo, hi-1)
		if hi == len(vals) {
			name = fmt.Sprintf("%s;range=%d-*", attr, lo)
		}
		return &goldap.SearchResult{Entries: []*goldap.Entry{goldap.NewEntry(req.BaseDN, map[string][]string{name: vals[lo:hi]})}}, nil
	}
	ctrl, ok := goldap.FindControl(req.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging)
	if !ok {
		return nil, errors.New("search without the paged results control")
	}
	f.sizes = append(f.sizes, ctrl.PagingSize)
	f.pages++
	if f.pages == f.failAt {
		return nil, goldap.NewError(goldap.ErrorNetwork, errors.New("connection reset by peer"))
	}
	start := 0
	if len(ctrl.Cookie) > 0 {
		fmt.Sscan(string(ctrl.Cookie), &start)
	}
	end := min(start+int(ctrl.PagingSize), len(f.entries))
	res := &goldap.SearchResult{Entries: f.entries[start:end]}
	next := goldap.NewControlPaging(ctrl.PagingSize)
	if end < len(f.entries) {
		next.SetCookie([]byte(fmt.Sprint(end)))
	}
	res.Controls = []goldap.Control{next}
	return res, nil
}

func entries(n int) []*goldap.Entry {
	out := make([]*goldap.Entry, n)
	for i := range out {
		out[i] = goldap.NewEntry(fmt.Sprintf("CN=u%d,DC=x", i), map[string][]string{"sAMAccountName": {fmt.Sprint("u", i)}})
	}
	return out
}

func TestPagedSearchAsksForPagesOf1000(t *testing.T) {
	dir := &fakeDir{entries: entries(2500)}
	var got int
	_, err := pagedSearch(context.Background(), dir, goldap.NewSearchRequest("DC=x", goldap.ScopeWholeSubtree, 0, 0, 0, false, Filter, nil, nil), func(*goldap.Entry) error {
		got++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != 2500 || dir.pages != 3 {
		t.Errorf("read %d entries in %d pages, want 2500 in 3", got, dir.pages)
	}
	for _, s := range dir.sizes {
		if s != 1000 {
			t.Errorf("page size %d, want AD's MaxPageSize 1000", s)
		}
	}
}

func TestPagedSearchFailsOnADroppedConnection(t *testing.T) {
	dir := &fakeDir{entries: entries(2500), failAt: 2}
	var got int
	_, err := pagedSearch(context.Background(), dir, goldap.NewSearchRequest("DC=x", goldap.ScopeWholeSubtree, 0, 0, 0, false, Filter, nil, nil), func(*goldap.Entry) error {
		got++
		return nil
	})
	if err == nil || got != 1000 {
		t.Errorf("a dropped connection must fail the read: err %v after %d entries", err, got)
	}
}

func TestCompleteRanges(t *testing.T) {
	var vals []string
	for i := 0; i < 3205; i++ {
		vals = append(vals, fmt.Sprintf("smtp:a%d@x.com", i))
	}
	dir := &fakeDir{ranged: map[string][]string{"CN=big,DC=x": vals}, rangeMax: 1500}
	e := goldap.NewEntry("CN=big,DC=x", map[string][]string{"proxyAddresses;range=0-1499": vals[:1500], "mail": {"a@x.com"}})
	if err := completeRanges(context.Background(), dir, e); err != nil {
		t.Fatal(err)
	}
	got := e.GetAttributeValues("proxyAddresses")
	if len(got) != 3205 || got[3204] != vals[3204] {
		t.Errorf("got %d values", len(got))
	}
}

// TestCountMembers: a group's member values are counted range by range
// and replaced by their number; a group without members gets 0, an object
// that is no group nothing.
func TestCountMembers(t *testing.T) {
	var vals []string
	for i := range 3205 {
		vals = append(vals, fmt.Sprintf("CN=u%d,DC=x", i))
	}
	dir := &fakeDir{ranged: map[string][]string{"CN=big,DC=x": vals}, rangeMax: 1500}
	for _, c := range []struct {
		name  string
		entry *goldap.Entry
		want  []string // the member count attribute's values
		reads int      // ranged retrievals
	}{
		{"a first range, then two more", goldap.NewEntry("CN=big,DC=x", map[string][]string{"objectClass": {"top", "group"}, "member;range=0-1499": vals[:1500], "mail": {"a@x.com"}}), []string{"3205"}, 2},
		{"every value at once", goldap.NewEntry("CN=small,DC=x", map[string][]string{"objectClass": {"group"}, "member": vals[:7]}), []string{"7"}, 0},
		{"the whole range at once", goldap.NewEntry("CN=small,DC=x", map[string][]string{"objectClass": {"group"}, "member;range=0-*": vals[:9]}), []string{"9"}, 0},
		{"a group without members", goldap.NewEntry("CN=empty,DC=x", map[string][]string{"objectClass": {"Group"}}), []string{"0"}, 0},
		{"a user", goldap.NewEntry("CN=u,DC=x", map[string][]string{"objectClass": {"user"}}), nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir.baseReads = 0
			if err := countMembers(context.Background(), dir, c.entry); err != nil {
				t.Fatal(err)
			}
			for _, a := range c.entry.Attributes {
				if strings.HasPrefix(strings.ToLower(a.Name), "member") {
					t.Errorf("%s is still there with %d values: member values are counted, not kept", a.Name, len(a.Values))
				}
			}
			got := c.entry.GetAttributeValues("x-syncready-memberCount")
			if strings.Join(got, ",") != strings.Join(c.want, ",") || dir.baseReads != c.reads {
				t.Errorf("count %q after %d ranged reads, want %q after %d", got, dir.baseReads, c.want, c.reads)
			}
			if c.entry.DN == "CN=big,DC=x" && c.entry.GetAttributeValue("mail") != "a@x.com" {
				t.Error("the other attributes are lost")
			}
		})
	}
}

func TestCheckRefusesPlaintextPasswords(t *testing.T) {
	cases := []struct {
		src  Source
		want string
	}{
		{Source{URL: "ldap://dc1", BindDN: "CN=r"}, "sends the password in clear"},
		{Source{URL: "ldap://dc1", BindDN: "CN=r", StartTLS: true}, ""},
		{Source{URL: "ldap://dc1", BindDN: "CN=r", AllowPlaintext: true}, ""},
		{Source{URL: "ldaps://dc1", BindDN: "CN=r"}, ""},
		{Source{URL: "ldaps://dc1", BindDN: "CN=r", StartTLS: true}, "already encrypted"},
		{Source{URL: "http://dc1"}, "want ldap:// or ldaps://"},
		{Source{URL: "dc1"}, "want ldap://host"},
	}
	for _, c := range cases {
		err := Check(&c.src)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.src, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v, want %q", c.src, err, c.want)
		}
	}
}

func TestExplainBindNeverShowsThePassword(t *testing.T) {
	ad := goldap.NewError(goldap.LDAPResultInvalidCredentials, errors.New("80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563"))
	err := explainBind(ad, &Source{URL: "ldaps://dc1", BindDN: "CN=reader,DC=x"})
	if !strings.Contains(err.Error(), "invalid credentials for DN CN=reader,DC=x: wrong password (AD data 52e)") {
		t.Errorf("%v", err)
	}
	locked := goldap.NewError(goldap.LDAPResultInvalidCredentials, errors.New("80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 775, v4563"))
	if err := explainBind(locked, &Source{URL: "ldaps://dc1", BindDN: "CN=r"}); !strings.Contains(err.Error(), "locked out") {
		t.Errorf("%v", err)
	}
	strong := goldap.NewError(goldap.LDAPResultStrongAuthRequired, errors.New("BindSimple: Transport encryption required."))
	if err := explainBind(strong, &Source{URL: "ldap://dc1", BindDN: "CN=r"}); !strings.Contains(err.Error(), "--ldap-starttls") {
		t.Errorf("%v", err)
	}
}

// TestReferralsArePartial: a referral the read did not follow is what it
// left out (Partial), named once per URL, unless it names a partition that
// holds no users, groups or contacts (a note).
func TestReferralsArePartial(t *testing.T) {
	res := &Result{Source: &Source{URL: "ldaps://dc1.contoso.com"}}
	res.referrals([]string{
		"ldap://contoso.com/CN=Configuration,DC=contoso,DC=com",
		"ldap://DomainDnsZones.contoso.com/DC=DomainDnsZones,DC=contoso,DC=com",
		"ldap://child.contoso.com/DC=child,DC=contoso,DC=com",
		"ldap://child.contoso.com/DC=child,DC=contoso,DC=com", // the same, from the next page
	})
	want := "ldaps://dc1.contoso.com: a referral to ldap://child.contoso.com/DC=child,DC=contoso,DC=com was not followed: the objects under DC=child,DC=contoso,DC=com are held by another domain controller and were not read (read that domain too: add its --ldap-url)"
	if len(res.Partial) != 1 || res.Partial[0] != want {
		t.Errorf("partial %q\nwant %q", res.Partial, want)
	}
	if len(res.Notes) != 2 || !strings.Contains(res.Notes[0], "configuration partition, which holds no users") || !strings.Contains(res.Notes[1], "DNS application partition") {
		t.Errorf("notes %q", res.Notes)
	}
}
