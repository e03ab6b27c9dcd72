package graphdir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, files map[string]string) (*scanner.Snapshot, error) {
	t.Helper()
	snap := &scanner.Snapshot{}
	err := Load(context.Background(), writeDir(t, files), snap, Options{})
	return snap, err
}

func TestGraphShapes(t *testing.T) {
	cases := map[string]string{
		"graph": `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)","value":[
			{"id":"u1","userPrincipalName":"a@contoso.com","proxyAddresses":["SMTP:a@contoso.com"],"onPremisesImmutableId":"AAEC","onPremisesSyncEnabled":true,"mail":null,"onPremisesSecurityIdentifier":"S-1-5-21-1-2-3-1104","onPremisesDistinguishedName":"CN=A,DC=contoso,DC=com"},
			{"id":"u2","userPrincipalName":"b@contoso.com","proxyAddresses":[],"onPremisesSyncEnabled":null}]}`,
		"powershell array": "\ufeff" + `[
			{"Id":"u1","UserPrincipalName":"a@contoso.com","ProxyAddresses":["SMTP:a@contoso.com"],"OnPremisesImmutableId":"AAEC","OnPremisesSyncEnabled":true,"OnPremisesSecurityIdentifier":"S-1-5-21-1-2-3-1104","OnPremisesDistinguishedName":"CN=A,DC=contoso,DC=com","AdditionalProperties":{}},
			{"Id":"u2","UserPrincipalName":"b@contoso.com","ProxyAddresses":null,"OnPremisesSyncEnabled":null}]`,
	}
	for name, users := range cases {
		t.Run(name, func(t *testing.T) {
			snap, err := load(t, map[string]string{"users.json": users})
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Cloud) != 2 {
				t.Fatalf("%d users", len(snap.Cloud))
			}
			u := snap.Cloud[0]
			if u.ID != "u1" || u.UPN != "a@contoso.com" || u.ImmutableID != "AAEC" || !u.SyncEnabled || u.Kind != scanner.KindUser || len(u.ProxyAddresses) != 1 ||
				u.OnPremSID != "S-1-5-21-1-2-3-1104" || u.OnPremDN != "CN=A,DC=contoso,DC=com" {
				t.Errorf("%+v", u)
			}
			if snap.Cloud[1].SyncEnabled || snap.Cloud[1].Anchored() {
				t.Errorf("null onPremisesSyncEnabled read as true: %+v", snap.Cloud[1])
			}
		})
	}
	// ConvertTo-Json of a single item writes an object, not an array.
	snap, err := load(t, map[string]string{"users.json": `{"Id":"u1","UserPrincipalName":"a@contoso.com"}`})
	if err != nil || len(snap.Cloud) != 1 || snap.Cloud[0].UPN != "a@contoso.com" {
		t.Errorf("single object: %v %+v", err, snap.Cloud)
	}
	// An empty collection.
	snap, err = load(t, map[string]string{"users.json": `{"value":[]}`})
	if err != nil || len(snap.Cloud) != 0 {
		t.Errorf("empty: %v", err)
	}
}

func TestTenantFacts(t *testing.T) {
	snap, err := load(t, map[string]string{
		"users.json":    `{"value":[{"id":"u1"},{"id":"u2"},{"id":"u3"}]}`,
		"groups.json":   `{"value":[{"id":"g1","displayName":"Tier0","securityEnabled":true,"isAssignableToRole":true}]}`,
		"contacts.json": `[{"Id":"c1","Mail":"x@partner.example","ProxyAddresses":["SMTP:x@partner.example"]}]`,
		"roleAssignments.json": `{"value":[{"id":"a1","principalId":"u1","roleDefinitionId":"r1","roleDefinition":{"id":"r1","displayName":"Global Administrator"}},
			{"id":"a2","principalId":"g1","roleDefinitionId":"r2","roleDefinition":{"displayName":"User Administrator"}}]}`,
		"roleGroupMembers/g1.json":      `{"value":[{"@odata.type":"#microsoft.graph.user","id":"u2"}]}`,
		"roleEligibilitySchedules.json": `{"value":[{"principalId":"u3","roleDefinition":{"displayName":"Helpdesk Administrator"}}]}`,
		"domains.json":                  `{"value":[{"id":"contoso.com","isVerified":true},{"id":"fabrikam.com","isVerified":false}]}`,
		"organization.json":             `{"value":[{"id":"tid","displayName":"Contoso","verifiedDomains":[{"name":"contoso.onmicrosoft.com","isInitial":true}]}]}`,
		"onPremisesSynchronization.json": `{"value":[{"id":"s","features":{"softMatchOnUpnEnabled":false,"blockSoftMatchEnabled":true,
			"blockCloudObjectTakeoverThroughHardMatchEnabled":true,"synchronizeUpnForManagedUsersEnabled":null,
			"deviceWritebackEnabled":true,"userWritebackEnabled":false,"directoryExtensionsEnabled":true}}]}`,
		"deletedUsers.json": `{"value":[{"id":"d1","userPrincipalName":"d1x@contoso.com"}]}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	tn := snap.Tenant
	if tn.ID != "tid" || snap.Sources.TenantID != "tid" {
		t.Errorf("tenant id %q", tn.ID)
	}
	if len(tn.Unknown) != 0 {
		t.Errorf("unknown facts with every file present: %v", tn.Unknown)
	}
	if !tn.DomainVerified("CONTOSO.com") || tn.DomainVerified("fabrikam.com") || tn.InitialDomain() != "contoso.onmicrosoft.com" {
		t.Errorf("domains %+v", tn.Domains)
	}
	if tn.RoleState("u1") != scanner.RoleActive || tn.RoleState("u2") != scanner.RoleActive || tn.RoleState("u3") != scanner.RoleEligible || tn.RoleState("g1") != scanner.RoleActive {
		t.Errorf("roles %+v", tn.Roles)
	}
	if tn.Roles["u2"][0].Via != "g1" {
		t.Errorf("role through a group should name it: %+v", tn.Roles["u2"])
	}
	f := tn.Features
	if f.SoftMatchOnUPN || !f.BlockSoftMatch || !f.BlockHardMatchTakeover || !f.SynchronizeUPNForManagedUsers ||
		!f.DeviceWriteback || f.UserWriteback || !f.DirectoryExtensions {
		t.Errorf("features %+v", f)
	}
	if len(snap.Coverage.Assumed) != 1 || !strings.Contains(snap.Coverage.Assumed[0], "synchronizeUpnForManagedUsersEnabled") {
		t.Errorf("a null feature should be an assumption: %q", snap.Coverage.Assumed)
	}
	if len(tn.Deleted) != 1 || len(snap.Cloud) != 5 {
		t.Errorf("deleted %d cloud %d", len(tn.Deleted), len(snap.Cloud))
	}
	if len(snap.Sources.Inputs) != 10 {
		t.Errorf("inputs %q", snap.Sources.Inputs)
	}
}

func TestMissingOptionalFiles(t *testing.T) {
	snap, err := load(t, map[string]string{
		"users.json":           `{"value":[]}`,
		"groups.json":          `{"value":[{"id":"g1","isAssignableToRole":true}]}`,
		"roleAssignments.json": `{"value":[{"principalId":"g1","roleDefinition":{"displayName":"Global Administrator"}}]}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	tn := snap.Tenant
	for _, f := range []scanner.Fact{scanner.FactContacts, scanner.FactDomains, scanner.FactFeatures, scanner.FactDeleted, scanner.FactEligibility, scanner.FactOrganization} {
		if tn.Known(f) {
			t.Errorf("fact %d known without its file", f)
		}
	}
	if !tn.Known(scanner.FactRoles) || !tn.Known(scanner.FactGroups) {
		t.Error("roles and groups were read")
	}
	if tn.Features != scanner.DefaultFeatures {
		t.Errorf("features %+v, want a new tenant's", tn.Features)
	}
	// What was not read is partial; the features are assumed.
	partial, assumed := strings.Join(snap.Coverage.Partial, "\n"), strings.Join(snap.Coverage.Assumed, "\n")
	for _, want := range []string{"contacts.json not found", "roleGroupMembers/g1.json not found", "roleEligibilitySchedules.json not found"} {
		if !strings.Contains(partial, want) {
			t.Errorf("coverage.partial lacks %q:\n%s", want, partial)
		}
		if strings.Contains(assumed, want) {
			t.Errorf("coverage.assumed has %q, which was not read rather than assumed:\n%s", want, assumed)
		}
	}
	if !strings.Contains(assumed, "onPremisesSynchronization.json not found") || strings.Contains(partial, "onPremisesSynchronization") {
		t.Errorf("the features should be assumed:\nassumed %s\npartial %s", assumed, partial)
	}
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		name, file, content, want string
	}{
		{"not JSON", "users.json", "users:\n  - a\n", "users.json:1: not valid JSON"},
		{"truncated", "users.json", "{\"value\":[\n{\"id\":\"a\"},\n", "value[1]: unexpected end of file: the JSON is cut short"},
		{"wrong type", "users.json", "{\"value\":[\n{\"id\":\"a\"},\n{\"id\":\"b\",\"onPremisesSyncEnabled\":\"yes\"}]}", "users.json:3: value[1].onPremisesSyncEnabled: expected true, false or null, found a string"},
		{"missing id", "users.json", `{"value":[{"userPrincipalName":"a@b.com"}]}`, "users.json:1: value[0].id: missing \"id\""},
		{"value not array", "users.json", `{"value":{"id":"a"}}`, "value: expected an array"},
		{"scalar", "users.json", `42`, "expected {\"value\": [...]} or a JSON array"},
		{"one page only", "users.json", `{"value":[{"id":"a"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x"}`, "only one page"},
		{"optional file broken", "domains.json", `{"value":[{"isVerified":true}]}`, "domains.json:1: value[0].id: missing \"id\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"users.json": `{"value":[]}`}
			files[c.file] = c.content
			_, err := load(t, files)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Errorf("%T is not *graphdir.Error: %v", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want %q", err, c.want)
			}
		})
	}
	if _, err := load(t, map[string]string{"groups.json": `{"value":[]}`}); err == nil || !strings.Contains(err.Error(), "users.json is required") {
		t.Errorf("no users.json: %v", err)
	}
}

func FuzzReadCollection(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"a","proxyAddresses":["SMTP:a@b.c"]}]}`))
	f.Add([]byte(`[{"Id":"a"}]`))
	f.Add([]byte(`{"Id":"a"}`))
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "users.json")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		bl := NewBuilder(&scanner.Snapshot{})
		err := readCollection(p, Options{}, func(i int, u *User) error { return bl.User(u) })
		var ge *Error
		if err != nil && !errors.As(err, &ge) {
			t.Fatalf("%T is not *graphdir.Error: %v", err, err)
		}
		if err == nil {
			_ = bl.Finish()
		}
	})
}

// TestUsersSizedOnce: the object slice is sized from the first items'
// bytes, not grown by append (which would leave it a quarter too large
// here, and copy it several times on the way).
func TestUsersSizedOnce(t *testing.T) {
	const n = 8100
	var b strings.Builder
	b.WriteString(`{"value":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id":"%08d-0000-0000-0000-000000000000","userPrincipalName":"user%05d@contoso.com","mail":"user%05d@contoso.com","proxyAddresses":["SMTP:user%05d@contoso.com"]}`, i, i, i, i)
	}
	b.WriteString(`]}`)
	snap, err := load(t, map[string]string{"users.json": b.String()})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Cloud) != n || cap(snap.Cloud) > n*105/100 {
		t.Errorf("%d objects in a slice of capacity %d, want at most 5%% spare", len(snap.Cloud), cap(snap.Cloud))
	}
}
