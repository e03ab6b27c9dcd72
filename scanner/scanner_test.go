package scanner

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

func TestPrimarySMTP(t *testing.T) {
	cases := []struct {
		name    string
		o       OnPrem
		want    string
		wantOK  bool
		enabled bool
	}{
		{"uppercase primary", OnPrem{Mail: "m@x.com", ProxyAddresses: []string{"smtp:a@x.com", "SMTP:p@x.com"}}, "p@x.com", true, true},
		{"mail when no primary", OnPrem{Mail: "m@x.com", ProxyAddresses: []string{"smtp:a@x.com"}}, "m@x.com", true, true},
		{"two primaries: none usable", OnPrem{Mail: "m@x.com", ProxyAddresses: []string{"SMTP:a@x.com", "SMTP:b@x.com"}}, "", false, true},
		{"nothing", OnPrem{ProxyAddresses: []string{"X500:/o=x"}}, "", false, false},
		{"targetAddress only is mail-enabled", OnPrem{TargetAddress: "SMTP:t@y.com"}, "", false, true},
	}
	for _, c := range cases {
		got, ok := c.o.PrimarySMTP()
		if got != c.want || ok != c.wantOK {
			t.Errorf("%s: PrimarySMTP = %q, %v; want %q, %v", c.name, got, ok, c.want, c.wantOK)
		}
		if c.o.MailEnabled() != c.enabled {
			t.Errorf("%s: MailEnabled = %v", c.name, !c.enabled)
		}
	}
}

func TestAnchor(t *testing.T) {
	o := OnPrem{ObjectGUID: "GGGGGGGGGGGGGGGG", ConsistencyGUID: "CCCCCCCCCCCCCCCC"}
	b := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	if o.Anchor(AnchorAuto) != b(o.ConsistencyGUID) || o.Anchor(AnchorObjectGUID) != b(o.ObjectGUID) || o.Anchor(AnchorConsistencyGUID) != b(o.ConsistencyGUID) {
		t.Error("anchor choice")
	}
	o.ConsistencyGUID = ""
	if o.Anchor(AnchorAuto) != b(o.ObjectGUID) || o.Anchor(AnchorConsistencyGUID) != "" {
		t.Error("auto falls back to objectGUID; ms-ds-consistencyguid alone does not")
	}
}

func TestPairPrecedence(t *testing.T) {
	g := func(n byte) string {
		b := make([]byte, 16)
		for i := range b {
			b[i] = n
		}
		return string(b)
	}
	imm := func(n byte) string { return base64.StdEncoding.EncodeToString([]byte(g(n))) }
	cases := []struct {
		name    string
		o       OnPrem
		cloud   []Cloud
		roles   map[string][]RoleHolding
		feat    Features
		outcome Outcome
		reason  string
		target  int32
	}{
		{"hard before soft", OnPrem{Kind: KindUser, ObjectGUID: g(1), ProxyAddresses: []string{"SMTP:a@x.com"}},
			[]Cloud{{ID: "soft", Kind: KindUser, ProxyAddresses: []string{"SMTP:a@x.com"}}, {ID: "hard", Kind: KindUser, ImmutableID: imm(1)}},
			nil, DefaultFeatures, OutcomeHardMatch, "", 1},
		{"hard match is for users only", OnPrem{Kind: KindContact, ObjectGUID: g(1), Mail: "c@x.com"},
			[]Cloud{{ID: "u", Kind: KindUser, ImmutableID: imm(1)}}, nil, DefaultFeatures, OutcomeProvision, "", -1},
		{"SMTP before UPN", OnPrem{Kind: KindUser, UPN: "u@x.com", Mail: "m@x.com"},
			[]Cloud{{ID: "byupn", Kind: KindUser, UPN: "U@X.com"}, {ID: "bysmtp", Kind: KindUser, ProxyAddresses: []string{"smtp:M@x.com"}}},
			nil, DefaultFeatures, OutcomeSoftMatchSMTP, "", 1},
		{"UPN soft match off", OnPrem{Kind: KindUser, UPN: "u@x.com"},
			[]Cloud{{ID: "byupn", Kind: KindUser, UPN: "u@x.com"}}, nil, Features{}, OutcomeProvision, "", -1},
		{"cloud mail alone is no soft-match key", OnPrem{Kind: KindUser, Mail: "m@x.com"},
			[]Cloud{{ID: "c", Kind: KindUser, Mail: "m@x.com"}}, nil, DefaultFeatures, OutcomeProvision, "", -1},
		{"own kind preferred among holders", OnPrem{Kind: KindContact, Mail: "m@x.com"},
			[]Cloud{{ID: "u", Kind: KindUser, ProxyAddresses: []string{"SMTP:m@x.com"}}, {ID: "c", Kind: KindContact, ProxyAddresses: []string{"SMTP:m@x.com"}}},
			nil, DefaultFeatures, OutcomeSoftMatchSMTP, "", 1},
		{"precedence: type-mismatch first", OnPrem{Kind: KindUser, Mail: "m@x.com"},
			[]Cloud{{ID: "c", Kind: KindGroup, SyncEnabled: true, ProxyAddresses: []string{"SMTP:m@x.com"}}},
			map[string][]RoleHolding{"c": {{Role: "GA", Active: true}}}, Features{BlockSoftMatch: true}, OutcomeBlocked, "type-mismatch", 0},
		{"precedence: anchored before admin-role", OnPrem{Kind: KindUser, Mail: "m@x.com"},
			[]Cloud{{ID: "c", Kind: KindUser, ImmutableID: "xyz", ProxyAddresses: []string{"SMTP:m@x.com"}}},
			map[string][]RoleHolding{"c": {{Role: "GA", Active: true}}}, Features{BlockSoftMatch: true}, OutcomeBlocked, "anchored", 0},
		{"precedence: admin-role before soft-match-disabled", OnPrem{Kind: KindUser, Mail: "m@x.com"},
			[]Cloud{{ID: "c", Kind: KindUser, ProxyAddresses: []string{"SMTP:m@x.com"}}},
			map[string][]RoleHolding{"c": {{Role: "GA", Active: true}}}, Features{BlockSoftMatch: true}, OutcomeBlocked, "admin-role", 0},
		{"eligible role does not block", OnPrem{Kind: KindUser, Mail: "m@x.com"},
			[]Cloud{{ID: "c", Kind: KindUser, ProxyAddresses: []string{"SMTP:m@x.com"}}},
			map[string][]RoleHolding{"c": {{Role: "GA"}}}, DefaultFeatures, OutcomeSoftMatchSMTP, "", 0},
		{"synced admin target of hard match is not blocked", OnPrem{Kind: KindUser, ObjectGUID: g(2)},
			[]Cloud{{ID: "c", Kind: KindUser, ImmutableID: imm(2), SyncEnabled: true}},
			map[string][]RoleHolding{"c": {{Role: "GA", Active: true}}}, Features{BlockHardMatchTakeover: true}, OutcomeHardMatch, "", 0},
		{"precedence: admin-role before takeover-blocked", OnPrem{Kind: KindUser, ObjectGUID: g(2)},
			[]Cloud{{ID: "c", Kind: KindUser, ImmutableID: imm(2)}},
			map[string][]RoleHolding{"c": {{Role: "GA", Active: true}}}, Features{BlockHardMatchTakeover: true}, OutcomeBlocked, "admin-role", 0},
		{"non-mail group never soft matches", OnPrem{Kind: KindGroup, GroupType: -2147483646, UPN: "g@x.com"},
			[]Cloud{{ID: "c", Kind: KindUser, UPN: "g@x.com"}}, nil, DefaultFeatures, OutcomeProvision, "", -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := &Snapshot{OnPrem: []OnPrem{c.o}, Cloud: c.cloud, Tenant: &Tenant{Features: c.feat, Roles: c.roles}}
			p := Pair(snap, AnchorAuto)
			m := p.Matches[0]
			if m.Outcome() != c.outcome || m.Blocks.String() != c.reason || m.Cloud != c.target {
				t.Errorf("got %s %q target %d; want %s %q target %d", m.Outcome(), m.Blocks.String(), m.Cloud, c.outcome, c.reason, c.target)
			}
			for i, j := range p.JoinedBy {
				if joined := m.Joined() && int32(i) == m.Cloud; joined != (j == 0) {
					t.Errorf("JoinedBy[%d] = %d", i, j)
				}
			}
		})
	}
	// No tenant: everything provisions.
	p := Pair(&Snapshot{OnPrem: []OnPrem{{Kind: KindUser, Mail: "a@b.c"}}}, AnchorAuto)
	if p.Matches[0].Outcome() != OutcomeProvision || p.Matches[0].Cloud != -1 {
		t.Errorf("no tenant: %+v", p.Matches[0])
	}
}

func TestNormalizeDN(t *testing.T) {
	if got := NormalizeDN(" OU=Staff , DC=Contoso,dc=COM "); got != "ou=staff,dc=contoso,dc=com" {
		t.Errorf("got %q", got)
	}
	if got := NormalizeDN(`CN=Smith\, John,OU=A,DC=x`); got != `cn=smith\, john,ou=a,dc=x` {
		t.Errorf("escaped comma: %q", got)
	}
	if got := DNSDomain("CN=a,OU=b,DC=Corp,DC=Contoso,DC=com"); got != "corp.contoso.com" {
		t.Errorf("DNSDomain %q", got)
	}
	// OU filter: an OU whose name ends like another's is not under it.
	if r := ouFilter("CN=a,OU=NotStaff,DC=x", normalizeAll([]string{"OU=Staff,DC=x"}), nil); r == "" {
		t.Error("OU=NotStaff is not under OU=Staff")
	}
}

func TestApplyScopeKeepsOrderAndFlags(t *testing.T) {
	snap := &Snapshot{OnPrem: []OnPrem{
		{DN: "CN=a", Kind: KindUser, SAMAccountName: "a"},
		{DN: "CN=krbtgt", Kind: KindUser, SAMAccountName: "krbtgt", Flags: FlagCriticalSystem},
		{DN: "CN=HealthMailbox0a1b", CN: "HealthMailbox0a1b", Kind: KindUser, SAMAccountName: "HealthMailbox0a1b"},
		{DN: "CN=c", Kind: KindContact},
		{DN: "CN=b", Kind: KindUser, SAMAccountName: "b"},
	}}
	ApplyScope(snap, ScopeOptions{})
	if len(snap.OnPrem) != 3 || snap.OnPrem[0].DN != "CN=a" || snap.OnPrem[2].DN != "CN=b" {
		t.Fatalf("kept %+v", snap.OnPrem)
	}
	if !snap.OnPrem[1].Flags.Has(FlagSystemMailbox) {
		t.Error("HealthMailbox not flagged")
	}
	if len(snap.Coverage.Skipped) != 1 || snap.OutOfScope["contacts without mail"] != 1 {
		t.Errorf("skipped %+v out of scope %v", snap.Coverage.Skipped, snap.OutOfScope)
	}
}

// TestPairInParallelIsPairInOrder pairs a snapshot large enough to be cut
// into ranges, on one goroutine and on several: hard and soft matches,
// and several objects after one cloud object (the first joins).
func TestPairInParallelIsPairInOrder(t *testing.T) {
	const n = 45000
	snap := &Snapshot{Tenant: &Tenant{Features: Features{SoftMatchOnUPN: true}}}
	for i := range n {
		guid := fmt.Sprintf("%016d", i)
		o := OnPrem{DN: fmt.Sprintf("CN=U%d,DC=x", i), Kind: KindUser, ObjectGUID: guid, UPN: fmt.Sprintf("u%d@x.com", i%(n/2))}
		if i%3 == 0 {
			o.ProxyAddresses = []string{fmt.Sprintf("SMTP:m%d@x.com", i%(n/4))}
		}
		snap.OnPrem = append(snap.OnPrem, o)
		c := Cloud{ID: fmt.Sprint("id", i), Kind: KindUser, UPN: fmt.Sprintf("u%d@x.com", i)}
		switch i % 5 {
		case 0:
			c.ImmutableID = base64.StdEncoding.EncodeToString([]byte(guid))
		case 1:
			c.ProxyAddresses = []string{fmt.Sprintf("SMTP:m%d@x.com", i)}
		case 2:
			c.Kind = KindContact
			c.Mail = fmt.Sprintf("m%d@x.com", i)
		}
		snap.Cloud = append(snap.Cloud, c)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := Pair(snap, AnchorAuto)
	outcomes := map[Outcome]int{}
	joined := 0
	for _, m := range one.Matches {
		outcomes[m.Outcome()]++
	}
	for _, j := range one.JoinedBy {
		if j >= 0 {
			joined++
		}
	}
	if len(outcomes) < 4 || joined == 0 {
		t.Fatalf("the snapshot must give several outcomes and joins: %v, %d joined", outcomes, joined)
	}
	for _, procs := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		var reported atomic.Int64
		got := PairIndexed(snap, AnchorAuto, IndexCloud(snap.Cloud), func(n int) { reported.Add(int64(n)) })
		if !reflect.DeepEqual(got, one) {
			t.Errorf("GOMAXPROCS %d: the plan differs from one goroutine's", procs)
		}
		if reported.Load() != n {
			t.Errorf("GOMAXPROCS %d: progress counted %d objects, want %d", procs, reported.Load(), n)
		}
	}
}

// TestOutOfScopeIgnoresCase: the default sync rules' exclusions match in
// any case, and only where the rule says (a prefix, a conflict marker).
func TestOutOfScopeIgnoresCase(t *testing.T) {
	cases := []struct {
		o    OnPrem
		want string // a word of the reason; "" when in scope
	}{
		{OnPrem{DN: "CN=Ann\\0ACNF:1234,DC=x", Kind: KindUser, SAMAccountName: "ann"}, "conflict"},
		{OnPrem{DN: "CN=Ann\\0aCNF:1234,DC=x", Kind: KindUser, SAMAccountName: "ann"}, "conflict"},
		{OnPrem{DN: "CN=Ann\\2C\\0acnf:1234,DC=x", Kind: KindUser, SAMAccountName: "ann"}, "conflict"},
		{OnPrem{DN: "CN=Ann\nCNF:1234,DC=x", Kind: KindUser, SAMAccountName: "ann"}, "conflict"},
		{OnPrem{DN: "CN=Ann\\0ACN,DC=x", Kind: KindUser, SAMAccountName: "ann"}, ""},
		{OnPrem{DN: "CN=Ann\\,DC=x", Kind: KindUser, SAMAccountName: "ann"}, ""},
		{OnPrem{DN: "CN=s", Kind: KindUser, SAMAccountName: "msol_1a2b"}, "msol_"},
		{OnPrem{DN: "CN=s", Kind: KindUser, SAMAccountName: "Aad_1a2b"}, "Aad_"},
		{OnPrem{DN: "CN=s", Kind: KindUser, SAMAccountName: "support_388945a0"}, "SUPPORT_388945a0"},
		{OnPrem{DN: "CN=s", Kind: KindUser, SAMAccountName: "msol"}, ""},
		{OnPrem{DN: "CN=s", Kind: KindUser, SAMAccountName: "s", MailNickname: "systemMailbox{1f05a927}"}, "SystemMailbox{"},
		{OnPrem{DN: "CN=s", Kind: KindUser, SAMAccountName: "s", MailNickname: "cas_{abc}"}, "CAS_"},
		{OnPrem{DN: "CN=s", Kind: KindUser, SAMAccountName: "s", MailNickname: "cas_abc"}, ""},
	}
	for _, c := range cases {
		got := outOfScope(&c.o, nil, nil)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%q %q %q: %q, want a reason with %q", c.o.DN, c.o.SAMAccountName, c.o.MailNickname, got, c.want)
		}
	}
	for _, s := range []string{"healthmailbox0a1b", "FederatedEmail.4c1f", "migration.8f3e"} {
		if !isSystemMailbox(&OnPrem{SAMAccountName: s}) {
			t.Errorf("%s is a system mailbox", s)
		}
	}
	if isSystemMailbox(&OnPrem{SAMAccountName: "health", CN: "Migration", MailNickname: "federated"}) {
		t.Error("prefixes of the markers are not system mailboxes")
	}
}
