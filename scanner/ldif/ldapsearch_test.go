package ldif

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

func sample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readNamed(t *testing.T, name, input string) ([]scanner.OnPrem, Stats, error) {
	t.Helper()
	var objs []scanner.OnPrem
	st, err := Read(context.Background(), strings.NewReader(input), name, Options{}, func(o *scanner.OnPrem) { objs = append(objs, *o) })
	return objs, st, err
}

// The five users every sample of a users' search holds (testdata/README.md).
var sampleUsers = []string{
	"CN=Jürgen Müller,OU=Users,OU=SyncReady,DC=samdom,DC=test",
	"CN=dup.proxy1,OU=Users,OU=SyncReady,DC=samdom,DC=test",
	"CN=dup.proxy2,OU=Users,OU=SyncReady,DC=samdom,DC=test",
	"CN=guid.user,OU=Users,OU=SyncReady,DC=samdom,DC=test",
	"CN=remote.mailbox,OU=Users,OU=SyncReady,DC=samdom,DC=test",
}

const configReferral = "ldap://samdom.test/CN=Configuration,DC=samdom,DC=test"

// TestLdapsearchOutput reads real ldapsearch output of every flavour: the
// search results, page ends and references are skipped, the reference to the
// configuration partition is a note (it holds no objects of sync).
func TestLdapsearchOutput(t *testing.T) {
	for _, file := range []string{"ldapsearch.ldif", "ldapsearch-paged.ldif", "ldapsearch-L-paged.ldif", "ldapsearch-LL-paged.ldif", "ldapsearch-LLL-paged.ldif"} {
		t.Run(file, func(t *testing.T) {
			objs, st, err := readNamed(t, file, sample(t, file))
			if err != nil {
				t.Fatal(err)
			}
			var dns []string
			for _, o := range objs {
				if o.Kind != scanner.KindUser || len(o.ObjectGUID) != 16 {
					t.Errorf("%s: kind %v, objectGUID %d bytes", o.DN, o.Kind, len(o.ObjectGUID))
				}
				dns = append(dns, o.DN)
			}
			sort.Strings(dns)
			if strings.Join(dns, "\n") != strings.Join(sampleUsers, "\n") || st.Records != 5 || st.Objects != 5 {
				t.Errorf("records %d objects %d:\n%s", st.Records, st.Objects, strings.Join(dns, "\n"))
			}
			if len(st.Partial) != 0 {
				t.Errorf("partial %q", st.Partial)
			}
			if len(st.Notes) != 1 || !strings.Contains(st.Notes[0], configReferral) || !strings.Contains(st.Notes[0], "configuration partition, which holds no users, groups or contacts") || !strings.HasPrefix(st.Notes[0], file+":") {
				t.Errorf("notes %q", st.Notes)
			}
			if st.Empty != "" {
				t.Errorf("empty %q", st.Empty)
			}
		})
	}
}

// TestLdapsearchCutShort: an export whose search did not end, or ended with
// a code that says the server stopped early or failed, is refused with the
// line, never read as a smaller directory.
func TestLdapsearchCutShort(t *testing.T) {
	replace := func(old, new string, n int) func(string) string {
		return func(s string) string {
			if !strings.Contains(s, old) {
				panic("sample lacks " + old)
			}
			return strings.Replace(s, old, new, n)
		}
	}
	// upTo keeps the sample up to (without) the n-th occurrence of marker.
	upTo := func(marker string, n int) func(string) string {
		return func(s string) string {
			at := 0
			for range n {
				i := strings.Index(s[at:], marker)
				if i < 0 {
					panic("sample lacks " + marker)
				}
				at += i + len(marker)
			}
			return s[:at-len(marker)]
		}
	}
	cases := []struct {
		name, file string
		edit       func(string) string
		want       string
	}{
		{"size limit", "ldapsearch.ldif", replace("result: 0 Success", "result: 4 Size limit exceeded", 1),
			`ldapsearch.ldif:89: ldapsearch's search result is "4 Size limit exceeded": the server stopped before it returned every entry`},
		{"time limit on a page", "ldapsearch-paged.ldif", replace("result: 0 Success", "result: 3 Time limit exceeded", 1),
			`ldapsearch-paged.ldif:45: ldapsearch's search result is "3 Time limit exceeded": the server stopped`},
		{"admin limit on the last page", "ldapsearch-paged.ldif", func(s string) string {
			i := strings.LastIndex(s, "result: 0 Success")
			return s[:i] + "result: 11 Administrative limit exceeded\ntext: too many" + s[i+len("result: 0 Success"):]
		}, `ldapsearch-paged.ldif:118: ldapsearch's search result is "11 Administrative limit exceeded (too many)"`},
		{"no such object", "ldapsearch-nosuchobject.ldif", nil,
			`ldapsearch-nosuchobject.ldif:11: ldapsearch's search result is "32 No such object (acl_read: Error retrieving instanceType for base. at ../../s…)": the search failed`},
		{"busy", "ldapsearch.ldif", replace("result: 0 Success", "result: 51 Server is busy", 1), `ldapsearch.ldif:89: ldapsearch's search result is "51 Server is busy": the search failed`},
		{"client error", "ldapsearch.ldif", replace("result: 0 Success", "result: -1 Can't contact LDAP server", 1), `"-1 Can't contact LDAP server": the search failed`},
		{"referral result naming no server", "ldapsearch.ldif", replace("result: 0 Success", "result: 10 Referral", 1), `ldapsearch.ldif:89: ldapsearch's search result is "10 Referral" but names no server`},
		{"result line unreadable", "ldapsearch.ldif", replace("result: 0 Success", "result: Success", 1), `ldapsearch.ldif:89: expected ldapsearch's "result: CODE TEXT"`},
		{"result record without a result line", "ldapsearch.ldif", replace("result: 0 Success\n", "", 1), `ldapsearch.ldif:88: ldapsearch's search result has no "result: CODE TEXT" line`},
		{"cut after entries", "ldapsearch.ldif", upTo("# search reference", 1),
			"ldapsearch.ldif:10: the entries from this line on are not followed by the end of their search"},
		{"cut in the last page", "ldapsearch-paged.ldif", upTo("# search result", 3),
			"ldapsearch-paged.ldif:102: the entries from this line on are not followed by the end of their search"},
		{"cut after a page that asks for more", "ldapsearch-paged.ldif", upTo("# extended LDIF", 3),
			"ldapsearch-paged.ldif:91: the last page's pagedresults carries a cookie, so more pages were to come"},
		{"-L cut in the last page", "ldapsearch-L-paged.ldif", upTo("# search result", 3),
			"ldapsearch-L-paged.ldif:82: the entries from this line on are not followed by the end of their search"},
		{"-LL cut after a page that asks for more", "ldapsearch-LL-paged.ldif", upTo("version: 1", 3),
			"ldapsearch-LL-paged.ldif:45: the last page's pagedresults carries a cookie"},
		{"-LLL cut after a page that asks for more", "ldapsearch-LLL-paged.ldif", upTo("dn: CN=remote.mailbox", 1),
			"ldapsearch-LLL-paged.ldif:41: the last page's pagedresults carries a cookie"},
		{"-LLL cut in the last page", "ldapsearch-LLL-paged.ldif", upTo("# pagedresults: cookie=", 1),
			"ldapsearch-LLL-paged.ldif:42: the entries from this line on are not followed by the end of their search"},
		{"only the header", "ldapsearch.ldif", upTo("# dup.proxy1", 1),
			`ldapsearch.ldif:8: the file ends without ldapsearch's "# search result"`},
		{"an entry lost", "ldapsearch.ldif", func(s string) string {
			i := strings.Index(s, "# guid.user")
			j := strings.Index(s, "# J\\C3")
			return s[:i] + s[j:]
		}, "ldapsearch.ldif:77: ldapsearch reports 5 entries, but the file holds 4 in that run"},
		{"an entry added after a run with none", "ldapsearch-referral-only.ldif", func(s string) string {
			return "dn: CN=x,DC=samdom,DC=test\nobjectClass: user\n\n" + s
		}, `ldapsearch-referral-only.ldif:22: ldapsearch reports no entries (no "# numEntries" after this "# numResponses"), but the 1 entries before it`},
		{"paging prompt", "ldapsearch-paged.ldif", replace("cookie=MQA=\n", "cookie=MQA=\nEstimate entries: 5\nPress [size] Enter for the next {2|size} entries.\n", 1),
			`ldapsearch-paged.ldif:48: found "Estimate entries: 5" (ldapsearch's prompt before the next page: export with -E pr=1000/noprompt)`},
		{"paging prompt after a blank line", "ldapsearch-paged.ldif", replace("cookie=MQA=\n", "cookie=MQA=\n\nPress [size] Enter for the next {2|size} entries.\n", 1),
			`ldapsearch-paged.ldif:49: expected "attribute: value", found "Press [size] Enter for the next {2|size} entries." (ldapsearch's prompt before the next page`},
		{"notice of disconnection", "ldapsearch.ldif", replace("# search reference", "# extended result response\nextended: 1.3.6.1.4.1.1466.20036\ntext: connection idle\nresult: 52 Server is unavailable\n\n# search reference", 1),
			"ldapsearch.ldif:85: ldapsearch's extended response 1.3.6.1.4.1.1466.20036: the server sent it instead of the rest of the search"},
		{"sync search", "ldapsearch.ldif", replace("# search reference", "# extended partial response\npartial: 1.3.6.1.4.1.4203.1.9.1.4\n\n# search reference", 1),
			"ldapsearch.ldif:85: ldapsearch's intermediate response 1.3.6.1.4.1.4203.1.9.1.4: the output of a sync or persistent search"},
		{"unexpected line in a reference", "ldapsearch.ldif", replace("ref: "+configReferral, "ref: "+configReferral+"\nmail: x@y", 1),
			`ldapsearch.ldif:86: expected "ref:" lines in ldapsearch's search reference of line 85, found "mail: x@y"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := sample(t, c.file)
			if c.edit != nil {
				in = c.edit(in)
			}
			objs, _, err := readNamed(t, c.file, in)
			if err == nil {
				t.Fatalf("read %d objects without an error, want %q", len(objs), c.want)
			}
			var le *Error
			if !errors.As(err, &le) {
				t.Errorf("error %T is not *ldif.Error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

// TestLdapsearchReferrals: a reference or referral to anything but a
// partition that holds no objects of sync goes to Partial, named with its
// line, once per URL.
func TestLdapsearchReferrals(t *testing.T) {
	const child = "ldap://child.samdom.test/DC=child,DC=samdom,DC=test"
	cases := []struct {
		name, file string
		edit       func(string) string
		partial    []string
		notes      int
	}{
		{"reference", "ldapsearch.ldif", func(s string) string { return strings.Replace(s, configReferral, child, 1) },
			[]string{"ldapsearch.ldif:85: a search reference to " + child + " was not followed: the objects under DC=child,DC=samdom,DC=test are held by another domain controller and were not read"}, 0},
		{"two references in one record, one to the configuration", "ldapsearch.ldif", func(s string) string {
			return strings.Replace(s, "ref: "+configReferral, "ref: "+configReferral+"\nref: "+child, 1)
		}, []string{"ldapsearch.ldif:86: a search reference to " + child}, 1},
		{"-LLL reference comment", "ldapsearch-LLL-paged.ldif", func(s string) string { return strings.Replace(s, configReferral, child, 1) },
			[]string{"ldapsearch-LLL-paged.ldif:20: a search reference to " + child}, 0},
		{"-L reference comment", "ldapsearch-L-paged.ldif", func(s string) string { return strings.Replace(s, configReferral, child, 1) },
			[]string{"ldapsearch-L-paged.ldif:33: a search reference to " + child}, 0},
		{"the same reference on every page", "ldapsearch-paged.ldif", func(s string) string {
			s = strings.Replace(s, configReferral, child, 1)
			return strings.Replace(s, "# search result\nsearch: 3", "# search reference\nref: "+child+"\n\n# search result\nsearch: 3", 1)
		}, []string{"ldapsearch-paged.ldif:41: a search reference to " + child}, 0},
		{"referral result", "ldapsearch.ldif", func(s string) string {
			return s + "\n# search result\nsearch: 3\nresult: 10 Referral\nmatchedDN: DC=test\nref: ldap://dc2.fabrikam.test/DC=fabrikam,DC=test\n"
		}, []string{"ldapsearch.ldif:99: a referral to ldap://dc2.fabrikam.test/DC=fabrikam,DC=test was not followed: the objects under DC=fabrikam,DC=test"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objs, st, err := readNamed(t, c.file, c.edit(sample(t, c.file)))
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != 5 {
				t.Errorf("%d objects", len(objs))
			}
			if len(st.Partial) != len(c.partial) {
				t.Fatalf("partial %q, want %q", st.Partial, c.partial)
			}
			for i := range c.partial {
				if !strings.HasPrefix(st.Partial[i], c.partial[i]) {
					t.Errorf("partial %q\nwant it to start %q", st.Partial[i], c.partial[i])
				}
			}
			if len(st.Notes) != c.notes {
				t.Errorf("notes %q", st.Notes)
			}
		})
	}
}

func TestReferralTarget(t *testing.T) {
	cases := []struct{ url, dn, none string }{
		{configReferral, "CN=Configuration,DC=samdom,DC=test", "configuration partition"},
		{"ldap://contoso.com/CN=Schema,CN=Configuration,DC=contoso,DC=com", "CN=Schema,CN=Configuration,DC=contoso,DC=com", "configuration partition"},
		{"ldap://DomainDnsZones.contoso.com/DC=DomainDnsZones,DC=contoso,DC=com", "DC=DomainDnsZones,DC=contoso,DC=com", "DNS application partition"},
		{"ldap://ForestDnsZones.contoso.com/DC=ForestDnsZones,DC=contoso,DC=com??base", "DC=ForestDnsZones,DC=contoso,DC=com", "DNS application partition"},
		{"ldap://child.contoso.com/DC=child,DC=contoso,DC=com", "DC=child,DC=contoso,DC=com", ""},
		{"ldap://x/CN=Configuration,OU=Users,DC=contoso,DC=com", "CN=Configuration,OU=Users,DC=contoso,DC=com", ""},
		{"ldap://x/OU=Ops%20Team,DC=contoso,DC=com", "OU=Ops Team,DC=contoso,DC=com", ""},
		{"ldap://x/CN=Configuration", "CN=Configuration", ""},
		{"::not a url", "", ""},
	}
	for _, c := range cases {
		dn, none := ReferralTarget(c.url)
		if dn != c.dn || none != c.none {
			t.Errorf("%s: %q %q, want %q %q", c.url, dn, none, c.dn, c.none)
		}
	}
}

// TestEmpty: an input with no objects says what it held instead.
func TestEmpty(t *testing.T) {
	cases := []struct {
		name, in, want string
		records        int
	}{
		{"no bytes", "", "the file is empty", 0},
		{"only a byte-order mark", "\xEF\xBB\xBF", "the file is empty", 0},
		{"UTF-16 byte-order mark only", "\xFF\xFE", "the file is empty", 0},
		{"blank lines", "\n\r\n\n", "it holds only blank lines", 0},
		{"comments", "# export of nothing\n#\n", "it holds only comments", 0},
		{"version line", "version: 1\n\n", "it holds only a version line", 0},
		{"version line and comments", "version: 1\n# nothing\n", "it holds only a version line and comments", 0},
		{"root DSE", sample(t, "ldapsearch-rootdse.ldif"), "it holds only the root DSE", 0},
		{"only a reference", sample(t, "ldapsearch-referral-only.ldif"), "it holds only references to other servers", 0},
		{"a search that found nothing", "# extended LDIF\n#\n# LDAPv3\n#\n\n# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 1\n", "the search it holds found no entries", 0},
		{"no object of sync", "dn: OU=x,DC=y\nobjectClass: organizationalUnit\n\ndn: CN=pc,DC=y\nobjectClass: computer\n", "none of its 2 records is a user, group or contact", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objs, st, err := readNamed(t, "in.ldif", c.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != 0 || st.Objects != 0 || st.Records != c.records {
				t.Errorf("objects %d records %d", st.Objects, st.Records)
			}
			if !strings.HasPrefix(st.Empty, c.want) {
				t.Errorf("empty %q, want %q", st.Empty, c.want)
			}
		})
	}
	// With an object, Empty stays empty.
	if _, st, _ := readNamed(t, "in.ldif", ldifdeSample); st.Empty != "" {
		t.Errorf("empty %q", st.Empty)
	}
}

// TestRootDSE: an entry with an empty DN is skipped with a note, never an
// object with an empty DN.
func TestRootDSE(t *testing.T) {
	cases := []struct {
		name, in string
		objects  int
		line     int
	}{
		{"dn: with no value", "dn:\nobjectClass: top\n\ndn: CN=a,DC=x\nobjectClass: user\n", 1, 1},
		{"dn: with a space", "dn: CN=a,DC=x\nobjectClass: user\n\ndn: \nobjectClass: user\nsAMAccountName: rootdse\n", 1, 4},
		{"dn:: with nothing to decode", "dn::\nobjectClass: user\n\ndn: CN=a,DC=x\nobjectClass: user\n", 1, 1},
		{"ldapsearch -s base", sample(t, "ldapsearch-rootdse.ldif"), 0, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objs, st, err := readNamed(t, "in.ldif", c.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != c.objects || st.Records != c.objects || (c.objects > 0 && objs[0].DN != "CN=a,DC=x") {
				t.Errorf("%d records, objects %+v", st.Records, objs)
			}
			if want := fmt.Sprintf("in.ldif:%d: the entry with an empty DN (the root DSE", c.line); len(st.Notes) != 1 || !strings.HasPrefix(st.Notes[0], want) {
				t.Errorf("notes %q, want %q", st.Notes, want)
			}
		})
	}
}

// TestExactly1000: an export without any end marker that holds exactly AD's
// MaxPageSize of entries may be an unpaged search AD cut short.
func TestExactly1000(t *testing.T) {
	gen := func(n int, extra string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "dn: CN=u%d,DC=x\n%sobjectClass: user\n\n", i, extra)
		}
		return b.String()
	}
	cases := []struct {
		name, in string
		partial  bool
	}{
		{"-LLL, 1000", gen(1000, ""), true},
		{"-LLL, 999", gen(999, ""), false},
		{"-LLL, 1001", gen(1001, ""), false},
		{"ldifde (it pages), 1000", gen(1000, "changetype: add\n"), false},
		{"-LLL paged, 1000", gen(1000, "") + "# pagedresults: cookie=\n", false},
		{"written by Writer, 1000", func() string {
			var b bytes.Buffer
			w := NewWriter(&b)
			for i := range 1000 {
				_ = w.Write(fmt.Sprintf("CN=u%d,DC=x", i), []Attr{{"objectClass", [][]byte{[]byte("user")}}})
			}
			_ = w.Flush()
			return b.String()
		}(), false},
		{"without -L, 1000", "# extended LDIF\n\n" + gen(1000, "") + "# search result\nsearch: 2\nresult: 0 Success\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, st, err := readNamed(t, "in.ldif", c.in)
			if err != nil {
				t.Fatal(err)
			}
			got := len(st.Partial) == 1 && strings.HasPrefix(st.Partial[0], "in.ldif holds exactly 1000 entries, the most AD returns to a search without paging")
			if got != c.partial || (!c.partial && len(st.Partial) != 0) {
				t.Errorf("partial %q", st.Partial)
			}
		})
	}
}

// TestWriterMarks: what a partial live read left out survives the export
// file: Read takes the writer's marks back into Partial and Notes.
func TestWriterMarks(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Comment("syncready export\ndn: CN=injected,DC=x") // a line break must not start a record
	_ = w.Write("CN=a,DC=x", []Attr{{"objectClass", [][]byte{[]byte("user")}}})
	w.Partial("ldaps://gc:3269 is a global catalog: thumbnailPhoto not in its partial attribute set")
	w.Note("ldaps://dc1:636: a referral to the configuration partition was not followed")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	objs, st, err := readNamed(t, "export.ldif", buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || st.Records != 1 {
		t.Errorf("%d records, %d objects", st.Records, len(objs))
	}
	if len(st.Partial) != 1 || st.Partial[0] != "export.ldif:7: ldaps://gc:3269 is a global catalog: thumbnailPhoto not in its partial attribute set" {
		t.Errorf("partial %q", st.Partial)
	}
	if len(st.Notes) != 1 || st.Notes[0] != "export.ldif:8: ldaps://dc1:636: a referral to the configuration partition was not followed" {
		t.Errorf("notes %q", st.Notes)
	}
}

// TestRangedOrder: two attributes cut short in one record are named in a
// stable order; member, which is only counted, leaves the group's size
// unknown instead (MemberCounts).
func TestRangedOrder(t *testing.T) {
	in := "dn: CN=a,DC=x\nobjectClass: group\nmember;range=0-1499: CN=b,DC=x\nproxyAddresses;range=0-1499: smtp:a@x.com\nmsExchPoliciesExcluded;range=0-1499: x\n"
	for range 20 {
		objs, st, err := readNamed(t, "in.ldif", in)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Partial) != 2 || !strings.Contains(st.Partial[0], " msExchPoliciesExcluded of ") || !strings.Contains(st.Partial[1], " proxyAddresses of ") {
			t.Fatalf("partial %q", st.Partial)
		}
		if len(st.MemberCounts) != 1 || !strings.Contains(st.MemberCounts[0], "in.ldif:1: member of CN=a,DC=x holds only a first range") || !strings.Contains(st.MemberCounts[0], "size is unknown") {
			t.Fatalf("member counts %q", st.MemberCounts)
		}
		if len(objs) != 1 || !objs[0].Flags.Has(scanner.FlagMembersUnknown) {
			t.Fatalf("objects %+v: want one group whose member count is unknown", objs)
		}
	}
}

// TestLdapsearchRunsJoined: the output of several ldapsearch runs joined
// in one file reads as their sum; each run's count is checked on its own.
func TestLdapsearchRunsJoined(t *testing.T) {
	in := sample(t, "ldapsearch.ldif") + sample(t, "ldapsearch-paged.ldif") + sample(t, "ldapsearch-referral-only.ldif") + sample(t, "ldapsearch-L-paged.ldif")
	objs, st, err := readNamed(t, "joined.ldif", in)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 15 || st.Records != 15 || len(st.Partial) != 0 || len(st.Notes) != 1 {
		t.Errorf("%d objects, %d records, partial %q, notes %q", len(objs), st.Records, st.Partial, st.Notes)
	}
}
