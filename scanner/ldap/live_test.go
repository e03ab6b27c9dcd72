package ldap

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"reflect"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/ldif"
)

// These tests run against the Samba AD domain controller that
// .ci/samba/with-samba.sh starts and seeds on 127.0.0.1 (make test does).
// Without it they skip — unless SYNCREADY_TEST_LDAP_REQUIRED is set, as
// make test sets it, so CI fails instead of skipping when the server could
// not be started.

// disruptEnv, when set, runs the tests that stop and kill the test domain
// controller (live_disrupt_test.go), and skips the others.
const disruptEnv = "SYNCREADY_TEST_LDAP_DISRUPT"

type liveEnv struct {
	ldaps, ldap, gc, ca, bindDN, password, base string
}

func live(t *testing.T) liveEnv {
	t.Helper()
	if os.Getenv(disruptEnv) != "" {
		t.Skip(disruptEnv + " is set: this run stops and kills the domain controller, so only the TestLiveDisrupt tests run")
	}
	return liveDC(t)
}

// liveDC returns the test directory's environment, or skips (fails when
// SYNCREADY_TEST_LDAP_REQUIRED is set) without one.
func liveDC(t *testing.T) liveEnv {
	t.Helper()
	e := liveEnv{
		ldaps: os.Getenv("SYNCREADY_TEST_LDAPS_URL"), ldap: os.Getenv("SYNCREADY_TEST_LDAP_URL"), gc: os.Getenv("SYNCREADY_TEST_GC_URL"),
		ca: os.Getenv("SYNCREADY_TEST_LDAP_CA_FILE"), bindDN: os.Getenv("SYNCREADY_TEST_LDAP_BIND_DN"),
		password: os.Getenv("SYNCREADY_TEST_LDAP_PASSWORD"), base: os.Getenv("SYNCREADY_TEST_LDAP_BASE_DN"),
	}
	if e.ldaps == "" || e.password == "" {
		if os.Getenv("SYNCREADY_TEST_LDAP_REQUIRED") != "" {
			t.Fatal("SYNCREADY_TEST_LDAP_REQUIRED is set but no test directory is running: run the tests through .ci/samba/with-samba.sh (make test does)")
		}
		t.Skip("no test directory: run through .ci/samba/with-samba.sh (make test does)")
	}
	return e
}

// consistencyGUID is guid.user's mS-DS-ConsistencyGuid (SEED.md): 00 11 22 … ff.
var consistencyGUID = string([]byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff})

func readAll(t *testing.T, ctx context.Context, srcs []*Source, opt Options) ([]scanner.OnPrem, []Result, error) {
	t.Helper()
	var objs []scanner.OnPrem
	res, err := Read(ctx, srcs, opt, 0, func(o *scanner.OnPrem) { objs = append(objs, *o) })
	return objs, res, err
}

func byName(objs []scanner.OnPrem, sam string) *scanner.OnPrem {
	for i := range objs {
		if strings.EqualFold(objs[i].SAMAccountName, sam) {
			return &objs[i]
		}
	}
	return nil
}

func TestLiveLDAPS(t *testing.T) {
	e := live(t)
	objs, res, err := readAll(t, context.Background(), []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca}}, Options{Password: e.password})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].BaseDN != e.base {
		t.Errorf("base %q, want the defaultNamingContext %q", res[0].BaseDN, e.base)
	}
	// A subtree search from the domain root is referred to the
	// configuration partition: a note, nothing of sync left out.
	if len(res[0].Partial) != 0 {
		t.Errorf("partial %q", res[0].Partial)
	}
	if len(res[0].Notes) != 1 || !strings.Contains(res[0].Notes[0], "/CN=Configuration,"+e.base+" was not followed; it names the configuration partition") {
		t.Errorf("notes %q", res[0].Notes)
	}
	bulk := 0
	for _, o := range objs {
		if strings.Contains(o.DN, "OU=Bulk,") {
			bulk++
		}
		if o.Kind == scanner.KindUser && len(o.ObjectGUID) != 16 {
			t.Fatalf("%s: objectGUID %d bytes", o.DN, len(o.ObjectGUID))
		}
	}
	if bulk != 3000 {
		t.Errorf("read %d bulk users, want 3000 (paging must cross three pages)", bulk)
	}
	r := byName(objs, "range.user")
	if r == nil || len(r.ProxyAddresses) != 1601 {
		t.Fatalf("range.user: ranged retrieval: %v", r)
	}
	g := byName(objs, "guid.user")
	if g == nil || g.ConsistencyGUID != consistencyGUID {
		t.Fatalf("guid.user: mS-DS-ConsistencyGuid %x", g.ConsistencyGUID)
	}
	if g.Anchor(scanner.AnchorAuto) != base64.StdEncoding.EncodeToString([]byte(consistencyGUID)) || g.Anchor(scanner.AnchorObjectGUID) == g.Anchor(scanner.AnchorAuto) {
		t.Errorf("guid.user anchors: auto %s, objectGUID %s", g.Anchor(scanner.AnchorAuto), g.Anchor(scanner.AnchorObjectGUID))
	}
	for _, o := range objs {
		if strings.HasPrefix(strings.ToLower(o.DN), "cn=") && o.Kind == 0 {
			t.Errorf("%s: no kind", o.DN)
		}
	}
}

func TestLiveStartTLSAndPlaintext(t *testing.T) {
	e := live(t)
	want, _, err := readAll(t, context.Background(), []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca, BaseDN: "OU=SyncReady," + e.base}}, Options{Password: e.password})
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]*Source{
		"starttls":  {URL: e.ldap, BindDN: e.bindDN, CAFile: e.ca, StartTLS: true, BaseDN: "OU=SyncReady," + e.base},
		"plaintext": {URL: e.ldap, BindDN: e.bindDN, AllowPlaintext: true, BaseDN: "OU=SyncReady," + e.base},
	} {
		got, _, err := readAll(t, context.Background(), []*Source{src}, Options{Password: e.password})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read %d objects, LDAPS %d, or they differ", name, len(got), len(want))
		}
	}
	// Without the flag the plaintext bind is refused before anything is sent.
	if _, _, err := readAll(t, context.Background(), []*Source{{URL: e.ldap, BindDN: e.bindDN}}, Options{Password: e.password}); err == nil || !strings.Contains(err.Error(), "--ldap-allow-plaintext") {
		t.Errorf("plaintext bind: %v", err)
	}
}

func TestLiveFailures(t *testing.T) {
	e := live(t)
	wrong := "Wr0ng-" + e.password
	_, _, err := readAll(t, context.Background(), []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca}}, Options{Password: wrong})
	if err == nil || !strings.Contains(err.Error(), "invalid credentials for DN "+e.bindDN) {
		t.Errorf("wrong password: %v", err)
	}
	if err != nil && (strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), e.password)) {
		t.Fatal("the password appears in the error")
	}
	_, _, err = readAll(t, context.Background(), []*Source{{URL: e.ldaps, BindDN: e.bindDN}}, Options{Password: e.password})
	if err == nil || !strings.Contains(err.Error(), "--ldap-ca-file") {
		t.Errorf("untrusted certificate: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opt := Options{Password: e.password, Progress: func(*Source, int) { cancel() }}
	_, _, err = readAll(t, ctx, []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca}}, opt)
	if err == nil {
		t.Error("a cancelled read must fail, not return part of the directory")
	}
}

func TestLiveGlobalCatalog(t *testing.T) {
	e := live(t)
	if e.gc == "" {
		t.Skip("no global catalog URL")
	}
	objs, res, err := readAll(t, context.Background(), []*Source{{URL: e.gc, BindDN: e.bindDN, CAFile: e.ca, StartTLS: true}}, Options{Password: e.password})
	if err != nil {
		t.Fatal(err)
	}
	g := byName(objs, "guid.user")
	if g == nil {
		t.Fatalf("guid.user not read from the global catalog (%d objects)", len(objs))
	}
	if g.ConsistencyGUID != consistencyGUID || g.Flags.Has(scanner.FlagAnchorUnknown) {
		t.Errorf("the anchor must come from a domain controller: %x, partial %q", g.ConsistencyGUID, res[0].Partial)
	}
	t.Logf("global catalog: notes %q, partial %q", res[0].Notes, res[0].Partial)
	for _, n := range res[0].Notes {
		if strings.Contains(n, "partial attribute set") || strings.Contains(n, "source anchors") {
			t.Errorf("what the global catalog left out is a note, not partial: %q", n)
		}
	}
}

func TestLiveExportRoundTrip(t *testing.T) {
	e := live(t)
	srcs := []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca, BaseDN: "OU=SyncReady," + e.base}}
	want, _, err := readAll(t, context.Background(), srcs, Options{Password: e.password})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := ldif.NewWriter(&buf)
	if _, err := Export(context.Background(), srcs, Options{Password: e.password}, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var got []scanner.OnPrem
	if _, err := ldif.Read(context.Background(), &buf, "export.ldif", ldif.Options{}, func(o *scanner.OnPrem) {
		o.Line = 0
		got = append(got, *o)
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("export holds %d objects, the live read %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("object %d differs after the round trip:\n got %+v\nwant %+v", i, got[i], want[i])
			break
		}
	}
}

// TestLivePageEnds: over LDAPS and plain LDAP the end of every page but the
// last is seen on the wire and the next page asked for from it; under
// StartTLS nothing is watched. The objects are the same either way.
func TestLivePageEnds(t *testing.T) {
	e := live(t)
	for name, src := range map[string]*Source{
		"ldaps":     {URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca},
		"plaintext": {URL: e.ldap, BindDN: e.bindDN, AllowPlaintext: true},
		"starttls":  {URL: e.ldap, BindDN: e.bindDN, CAFile: e.ca, StartTLS: true},
	} {
		opt := Options{Password: e.password}
		opt.defaults()
		c, err := dial(context.Background(), src, &opt)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		req := goldap.NewSearchRequest("OU=Bulk,OU=SyncReady,"+e.base, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false, Filter, Attributes(""), nil)
		n := 0
		_, err = pagedSearch(context.Background(), c, req, func(*goldap.Entry) error { n++; return nil })
		c.close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n != 3000 {
			t.Errorf("%s: read %d bulk users, want 3000", name, n)
		}
		switch {
		case name == "starttls" && c.ends != nil:
			t.Errorf("starttls: page ends watched under go-ldap's TLS")
		case name != "starttls" && c.ends.seen.Load() < 2:
			// 3,000 users are three pages or more: at least two ends
			// with a cookie.
			t.Errorf("%s: %d page ends seen on the wire, want 2 or more", name, c.ends.seen.Load())
		}
	}
}

// TestLiveExportKeepsCoverage: what a live read notes or leaves out is in
// its export file, and reading the file back gives the same notes and
// partial list: an offline scan of an export is no more complete than the
// live read was.
func TestLiveExportKeepsCoverage(t *testing.T) {
	e := live(t)
	for name, src := range map[string]*Source{
		"domain":         {URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca},
		"global catalog": {URL: e.gc, BindDN: e.bindDN, CAFile: e.ca, StartTLS: true},
	} {
		var buf bytes.Buffer
		w := ldif.NewWriter(&buf)
		res, err := Export(context.Background(), []*Source{src}, Options{Password: e.password}, w)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		st, err := ldif.Read(context.Background(), &buf, "export.ldif", ldif.Options{}, func(*scanner.OnPrem) {})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(res[0].Notes)+len(res[0].Partial) == 0 {
			t.Errorf("%s: the live read noted nothing; this test needs a note (the referral to the configuration partition)", name)
		}
		strip := func(l []string) []string { // "export.ldif:LINE: " comes first
			var out []string
			for _, s := range l {
				_, rest, _ := strings.Cut(strings.TrimPrefix(s, "export.ldif:"), ": ")
				out = append(out, rest)
			}
			return out
		}
		if !reflect.DeepEqual(strip(st.Notes), res[0].Notes) || !reflect.DeepEqual(strip(st.Partial), res[0].Partial) {
			t.Errorf("%s: read back notes %q partial %q\nwant notes %q partial %q", name, st.Notes, st.Partial, res[0].Notes, res[0].Partial)
		}
	}
}
