package graphdir

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

// TestBuilderKeepsOrderPastChunks: objects added after snap.Cloud is full
// (live reads) go to chunks; after Finish they follow in the order added,
// also when the slice had room reserved for some of them (export files).
func TestBuilderKeepsOrderPastChunks(t *testing.T) {
	for _, reserved := range []int{0, 5000, 3*chunkSize + 17} {
		snap := &scanner.Snapshot{}
		snap.ReserveCloud(reserved)
		b := NewBuilder(snap)
		const n = 3*chunkSize + 17
		for i := range n {
			var err error
			switch id := fmt.Sprint(i); i % 3 {
			case 0:
				err = b.User(&User{ID: id})
			case 1:
				err = b.Group(&Group{ID: id})
			default:
				err = b.Contact(&Contact{ID: id})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		b.Finish()
		if len(snap.Cloud) != n {
			t.Fatalf("reserved %d: %d cloud objects, want %d", reserved, len(snap.Cloud), n)
		}
		for i, c := range snap.Cloud {
			if c.ID != fmt.Sprint(i) || c.Kind != []scanner.Kind{scanner.KindUser, scanner.KindGroup, scanner.KindContact}[i%3] {
				t.Fatalf("reserved %d: object %d is %s (%v)", reserved, i, c.ID, c.Kind)
			}
		}
	}
}

// TestDomainVerification: a domain whose isVerified is missing is not taken
// for unverified: the organization's verified domains decide, and when
// there are none its verification is recorded as not read.
func TestDomainVerification(t *testing.T) {
	cases := []struct {
		name         string
		domains, org string
		verified     bool
		partial      string // "" = none
	}{
		{"isVerified missing, organization lists it", `[{"Id":"contoso.com"}]`, `{"Id":"t","VerifiedDomains":[{"Name":"contoso.com"}]}`, true, ""},
		{"isVerified missing, organization does not list it", `[{"Id":"contoso.com"}]`, `{"Id":"t","VerifiedDomains":[{"Name":"contoso.onmicrosoft.com","IsInitial":true}]}`, false, ""},
		{"isVerified missing, no organization.json", `[{"Id":"contoso.com"},{"Id":"fabrikam.com","IsVerified":false}]`, "", false, "isVerified is missing for contoso.com and no organization"},
		{"isVerified missing, organization without verifiedDomains", `[{"Id":"contoso.com"}]`, `{"Id":"t"}`, false, "whether the domain is verified is not known"},
		{"isVerified null", `{"value":[{"id":"contoso.com","isVerified":null}]}`, "", false, "isVerified is missing for contoso.com"},
		{"isVerified false, organization lists it", `[{"Id":"contoso.com","IsVerified":false}]`, `{"Id":"t","VerifiedDomains":[{"Name":"CONTOSO.com"}]}`, true, ""},
		{"isVerified true", `[{"Id":"contoso.com","IsVerified":true}]`, "", true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"users.json": `[]`, "domains.json": c.domains}
			if c.org != "" {
				files["organization.json"] = c.org
			}
			snap, err := load(t, files)
			if err != nil {
				t.Fatal(err)
			}
			if got := snap.Tenant.DomainVerified("contoso.com"); got != c.verified {
				t.Errorf("verified %v, want %v: %+v", got, c.verified, snap.Tenant.Domains)
			}
			partial := about(snap.Coverage.Partial, "domains:")
			if c.partial == "" && partial != "" || !strings.Contains(partial, c.partial) {
				t.Errorf("coverage.partial %q, want %q", partial, c.partial)
			}
			if a := about(snap.Coverage.Assumed, "domains:"); a != "" {
				t.Errorf("unknown verification is not an assumption: %q", a)
			}
		})
	}
}

// TestInitialDomain: exactly one domain is initial, the one GET /domains
// names when it names one, with a note when the organization disagrees.
func TestInitialDomain(t *testing.T) {
	cases := []struct {
		name, domains, org string
		want, note         string
	}{
		{"they disagree", `{"value":[{"id":"b.onmicrosoft.com","isVerified":true,"isInitial":true},{"id":"contoso.com","isVerified":true}]}`,
			`{"value":[{"id":"t","verifiedDomains":[{"name":"a.onmicrosoft.com","isInitial":true},{"name":"b.onmicrosoft.com"}]}]}`,
			"b.onmicrosoft.com", "GET /domains marks b.onmicrosoft.com as the initial domain, the organization's verifiedDomains mark a.onmicrosoft.com; b.onmicrosoft.com (from GET /domains, the authority) is used"},
		{"they agree", `{"value":[{"id":"b.onmicrosoft.com","isVerified":true,"isInitial":true}]}`,
			`{"value":[{"id":"t","verifiedDomains":[{"name":"b.onmicrosoft.com","isInitial":true}]}]}`, "b.onmicrosoft.com", ""},
		{"only the organization names it", `{"value":[{"id":"b.onmicrosoft.com","isVerified":true}]}`,
			`{"value":[{"id":"t","verifiedDomains":[{"name":"b.onmicrosoft.com","isInitial":true}]}]}`, "b.onmicrosoft.com", ""},
		{"no domains.json", "", `{"value":[{"id":"t","verifiedDomains":[{"name":"a.onmicrosoft.com","isInitial":true}]}]}`, "a.onmicrosoft.com", ""},
		{"two in domains.json", `[{"Id":"b.onmicrosoft.com","IsVerified":true,"IsInitial":true},{"Id":"a.onmicrosoft.com","IsVerified":true,"IsInitial":true}]`, "",
			"b.onmicrosoft.com", "b.onmicrosoft.com, a.onmicrosoft.com are all marked isInitial"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"users.json": `[]`}
			if c.domains != "" {
				files["domains.json"] = c.domains
			}
			if c.org != "" {
				files["organization.json"] = c.org
			}
			snap, err := load(t, files)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, d := range snap.Tenant.Domains {
				if d.Initial {
					n++
				}
			}
			if n != 1 || snap.Tenant.InitialDomain() != c.want {
				t.Errorf("initial %q (%d initial), want %q: %+v", snap.Tenant.InitialDomain(), n, c.want, snap.Tenant.Domains)
			}
			assumed := about(snap.Coverage.Assumed, "domains:")
			if c.note == "" && assumed != "" || !strings.Contains(assumed, c.note) {
				t.Errorf("coverage.assumed %q, want %q", assumed, c.note)
			}
		})
	}
}

// TestSyncWithoutFeatures: an onPremisesSynchronization.json that holds no
// features is not a read of the features: the defaults are assumed, and
// coverage says so.
func TestSyncWithoutFeatures(t *testing.T) {
	for _, sync := range []string{`{"value":[]}`, `[{"Id":"s"}]`, `{"Id":"s","Features":null}`} {
		snap, err := load(t, map[string]string{"users.json": `[]`, "onPremisesSynchronization.json": sync})
		if err != nil {
			t.Fatal(err)
		}
		if a := strings.Join(snap.Coverage.Assumed, "\n"); !strings.Contains(a, `no object with "features" was read; a new tenant's defaults are assumed`) {
			t.Errorf("%s: coverage.assumed %q", sync, a)
		}
	}
}

// TestBuilderLive: the live reader feeds the Builder directly; its errors
// name the collection and the item's position across pages.
func TestBuilderLive(t *testing.T) {
	snap := &scanner.Snapshot{}
	b := NewBuilder(snap)
	// Past the chunk size, with kinds interleaved, so positions are counted
	// per collection across snap.Cloud and the chunks.
	var users, groups int
	for i := range 2*chunkSize + 5 {
		var err error
		switch id := fmt.Sprintf("%08x-0000-4000-8000-00000000000%d", i, i%3); i % 3 {
		case 0:
			err = b.User(&User{ID: id})
			users++
		case 1:
			err = b.Group(&Group{ID: id})
			groups++
		default:
			err = b.Contact(&Contact{ID: id})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := b.User(&User{}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf(`users value[%d].id: missing "id"`, users)) {
		t.Errorf("missing id: %v", err)
	}
	if err := b.Members("g1", []Member{{ID: "u1"}, {}}); err == nil || err.Error() != `roleGroupMembers/g1 value[1].id: missing "id": every member needs its Graph id (include id in $select)` {
		t.Errorf("member without id: %v", err)
	}
	if err := b.Grant(&RoleGrant{}, true); err == nil || !strings.Contains(err.Error(), `roleAssignments value[0].principalId: missing "principalId"`) {
		t.Errorf("grant without principal: %v", err)
	}
	if err := b.checkIDs(); err != nil {
		t.Fatalf("distinct ids refused: %v", err)
	}
	// Object 15000 is user 5000, in a chunk; the duplicate is found by
	// Finish, which finishes the snapshot all the same.
	if err := b.Group(&Group{ID: "00003A98-0000-4000-8000-000000000000"}); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`groups value[%d].id: duplicate id "00003A98-0000-4000-8000-000000000000": users value[5000] has it too`, groups)
	if err := b.Finish(); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("duplicate group: %v, want %q", err, want)
	}
	if len(snap.Cloud) != 2*chunkSize+6 {
		t.Errorf("%d cloud objects after Finish", len(snap.Cloud))
	}
}

// TestBuilderCoverage: what the live reader could not read is partial; the
// sync features are assumed.
func TestBuilderCoverage(t *testing.T) {
	snap := &scanner.Snapshot{}
	b := NewBuilder(snap)
	if err := b.Group(&Group{ID: "g1"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Grant(&RoleGrant{PrincipalID: "g1", RoleDefinition: &RoleDefinition{DisplayName: "Global Administrator"}}, true); err != nil {
		t.Fatal(err)
	}
	b.MembersUnknown("g1", "GET /groups/g1/transitiveMembers was refused")
	b.Unknown(scanner.FactContacts, "GET /contacts was refused")
	b.Unknown(scanner.FactEligibility, "GET /roleManagement/directory/roleEligibilitySchedules was refused")
	b.Unknown(scanner.FactFeatures, "GET /directory/onPremisesSynchronization was refused")
	b.Finish()
	partial, assumed := strings.Join(snap.Coverage.Partial, "\n"), strings.Join(snap.Coverage.Assumed, "\n")
	for _, want := range []string{"GET /contacts was refused", "roleEligibilitySchedules was refused", "the members of group g1, which holds Global Administrator, are not known"} {
		if !strings.Contains(partial, want) || strings.Contains(assumed, want) {
			t.Errorf("%q should be partial, not assumed:\npartial %s\nassumed %s", want, partial, assumed)
		}
	}
	if !strings.Contains(assumed, "onPremisesSynchronization was refused") || strings.Contains(partial, "onPremisesSynchronization") {
		t.Errorf("the features should be assumed:\npartial %s\nassumed %s", partial, assumed)
	}
}
