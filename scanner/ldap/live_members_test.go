package ldap

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/ldif"
)

// TestLiveMemberCounts: read live, each group's size is its number of
// members, SG Bulk 1600's counted through ranged retrieval (Samba ranges
// values only when asked, as the reader does, member;range=0-1499); the
// export carries the counts, not the 1,600 DNs; a global catalog reads no
// counts and says so.
func TestLiveMemberCounts(t *testing.T) {
	e := live(t)
	srcs := []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca, BaseDN: "OU=SyncReady," + e.base}}
	objs, res, err := readAll(t, context.Background(), srcs, Options{Password: e.password})
	if err != nil {
		t.Fatal(err)
	}
	for sam, want := range map[string]int32{"sg-bulk-1600": 1600, "dl-all-staff": 3, "sg-app-access": 2} {
		g := byName(objs, sam)
		if g == nil || g.Kind != scanner.KindGroup || g.Members != want || g.Flags.Has(scanner.FlagMembersUnknown) {
			t.Errorf("%s: %+v, want a group of %d members", sam, g, want)
		}
	}
	if len(res[0].MemberCounts) != 0 {
		t.Errorf("member counts %q, want none from a domain controller", res[0].MemberCounts)
	}

	var buf bytes.Buffer
	w := ldif.NewWriter(&buf)
	if _, err := Export(context.Background(), srcs, Options{Password: e.password}, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !strings.Contains(text, scanner.MemberCountAttr+": 1600\n") || strings.Contains(text, "\nmember") {
		t.Errorf("the export should hold SG Bulk 1600's count, and no member value")
	}

	if e.gc == "" {
		t.Skip("no global catalog URL")
	}
	_, gcRes, err := readAll(t, context.Background(), []*Source{{URL: e.gc, BindDN: e.bindDN, CAFile: e.ca, StartTLS: true}}, Options{Password: e.password})
	if err != nil {
		t.Fatal(err)
	}
	if len(gcRes[0].MemberCounts) != 1 || !strings.Contains(gcRes[0].MemberCounts[0], "global catalog") {
		t.Errorf("global catalog member counts %q, want one note", gcRes[0].MemberCounts)
	}
}

// TestLiveScannedIsTheSearchBase: a directory read from an OU down says it
// read that OU, not its whole domain: a synced user from another OU of the
// domain was not looked at.
func TestLiveScannedIsTheSearchBase(t *testing.T) {
	e := live(t)
	base := "OU=Users,OU=SyncReady," + e.base
	snap := &scanner.Snapshot{}
	d := &Directory{Source: &Source{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca, BaseDN: base}, Options: Options{Password: e.password}}
	if err := d.Read(context.Background(), snap); err != nil {
		t.Fatal(err)
	}
	snap.NoteScanned()
	if len(snap.Scanned) != 1 || snap.Scanned[0] != scanner.NormalizeDN(base) {
		t.Fatalf("scanned %q, want the search base %s", snap.Scanned, base)
	}
	if !snap.UnderScanned("CN=gone,"+base) || snap.UnderScanned("CN=elsewhere,OU=Groups,OU=SyncReady,"+e.base) {
		t.Error("what lies under the search base is what was read")
	}
}
