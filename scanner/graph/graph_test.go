package graph

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	absauth "github.com/microsoft/kiota-abstractions-go/authentication"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graph/graphtest"
	"github.com/syncready/syncready/scanner/graphdir"
)

// retries counts the retries the reader reported, by status.
var retries = map[int]int{}

func readLive(t *testing.T, s *graphtest.Server, save string) (*scanner.Snapshot, error) {
	t.Helper()
	clear(retries)
	r, err := NewReader(Options{Endpoint: s.URL, Auth: Token(graphtest.Token), OnRetry: func(status, _ int, _ string) { retries[status]++ }})
	if err != nil {
		t.Fatal(err)
	}
	snap := &scanner.Snapshot{}
	b := graphdir.NewBuilder(snap)
	var w *graphdir.DirWriter
	if save != "" {
		if w, err = graphdir.NewDirWriter(save); err != nil {
			t.Fatal(err)
		}
	}
	if w != nil {
		defer w.Abort() // a failed read leaves the earlier export as it was
	}
	reqs, err := r.Read(context.Background(), b, w)
	if err != nil {
		return nil, err
	}
	if err := b.Finish(); err != nil {
		return nil, err
	}
	if w != nil {
		if err := w.Commit(); err != nil {
			return nil, err
		}
	}
	snap.Sources.Inputs = reqs
	return snap, nil
}

func readOffline(t *testing.T, dir string) *scanner.Snapshot {
	t.Helper()
	snap := &scanner.Snapshot{}
	if err := graphdir.Load(context.Background(), dir, snap, graphdir.Options{}); err != nil {
		t.Fatal(err)
	}
	return snap
}

// sameTenant compares what two reads found, leaving out how a missing part
// was explained (a 403 live, a missing file offline).
func sameTenant(t *testing.T, what string, got, want *scanner.Snapshot) {
	t.Helper()
	if !reflect.DeepEqual(got.Cloud, want.Cloud) {
		t.Errorf("%s: cloud objects differ: %d vs %d", what, len(got.Cloud), len(want.Cloud))
		for i := range min(len(got.Cloud), len(want.Cloud)) {
			if !reflect.DeepEqual(got.Cloud[i], want.Cloud[i]) {
				t.Errorf("first difference:\n got %+v\nwant %+v", got.Cloud[i], want.Cloud[i])
				break
			}
		}
	}
	g, w := *got.Tenant, *want.Tenant
	if !slices.Equal(slices.Sorted(mapsKeys(g.Unknown)), slices.Sorted(mapsKeys(w.Unknown))) {
		t.Errorf("%s: unknown facts %v vs %v", what, g.Unknown, w.Unknown)
	}
	g.Unknown, w.Unknown = nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: tenant facts differ:\n got %+v\nwant %+v", what, g, w)
	}
}

func mapsKeys(m map[scanner.Fact]string) func(func(scanner.Fact) bool) {
	return func(yield func(scanner.Fact) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestReadThroughTheSDK reads the whole tenant from the stand-in through
// msgraph-sdk-go — two items a page, a 429 with Retry-After on a later page
// of users, a 503 on groups, eligibility refused — and requires what the
// offline reader makes of the same data, minus the refused collection.
func TestReadThroughTheSDK(t *testing.T) {
	s := graphtest.New(t, "testdata/tenant")
	s.Faults["/v1.0/users"] = []int{429}
	s.Faults["/v1.0/groups"] = []int{503}
	s.Refuse["/v1.0/roleManagement/directory/roleEligibilitySchedules"] = 403
	saved := t.TempDir()
	live, err := readLive(t, s, saved)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Violations() {
		t.Error(v)
	}
	if n := s.HitsOf("/v1.0/users"); n != 11 { // 20 users, 2 a page: 10 pages + 1 throttled retry
		t.Errorf("users: %d requests, want 11 (10 pages and the retry after 429)", n)
	}
	if n := s.HitsOf("/v1.0/groups"); n != 3 { // 4 groups: 2 pages + 1 retry after 503
		t.Errorf("groups: %d requests, want 3", n)
	}
	if retries[429] != 1 || retries[503] != 1 {
		t.Errorf("retries reported for the log: %v, want one 429 and one 503", retries)
	}
	if live.Tenant.Known(scanner.FactEligibility) || !strings.Contains(live.Tenant.Unknown[scanner.FactEligibility], "403") || !strings.Contains(live.Tenant.Unknown[scanner.FactEligibility], "RoleManagement.Read.Directory") {
		t.Errorf("refused eligibility: %q", live.Tenant.Unknown[scanner.FactEligibility])
	}
	// The fields a move to Cloud Sync needs come through the SDK too.
	if i := slices.IndexFunc(live.Cloud, func(c scanner.Cloud) bool { return c.OnPremSID != "" }); i < 0 || live.Cloud[i].OnPremSID != "S-1-5-21-2147390311-3621408761-1734577395-1201" {
		t.Error("onPremisesSecurityIdentifier not read")
	}
	if f := live.Tenant.Features; !f.DeviceWriteback || f.UserWriteback || f.DirectoryExtensions {
		t.Errorf("features %+v: want device writeback alone", f)
	}
	// The offline reader of the same data without the refused file.
	offlineDir := t.TempDir()
	copyDir(t, "testdata/tenant", offlineDir)
	os.Remove(filepath.Join(offlineDir, graphdir.EligibilityFile))
	sameTenant(t, "live vs offline", live, readOffline(t, offlineDir))
	// The export the live read wrote reads back to the same tenant.
	sameTenant(t, "export round trip", readOffline(t, saved), live)
	if fi, err := os.Stat(filepath.Join(saved, graphdir.UsersFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("exported users.json: %v %v", fi, err)
	}
}

func TestUsersRefusedIsFatal(t *testing.T) {
	s := graphtest.New(t, "testdata/tenant")
	s.Refuse["/v1.0/users"] = 403
	_, err := readLive(t, s, "")
	if err == nil || !strings.Contains(err.Error(), "User.Read.All") || !strings.Contains(err.Error(), "403") {
		t.Errorf("err %v", err)
	}
}

func TestFailureMidPagingIsFatal(t *testing.T) {
	s := graphtest.New(t, "testdata/tenant")
	s.Faults["/v1.0/users"] = []int{500} // page 1 fine, page 2 fails (500 is not retried)
	_, err := readLive(t, s, "")
	if err == nil || !strings.Contains(err.Error(), "read users") {
		t.Errorf("a failure on a later page must fail the read, not truncate it: %v", err)
	}
}

func TestPersistentThrottlingIsFatal(t *testing.T) {
	s := graphtest.New(t, "testdata/tenant")
	s.Faults["/v1.0/domains"] = []int{503, 503, 503, 503}
	_, err := readLive(t, s, "")
	if err == nil || !strings.Contains(err.Error(), "domains") || !strings.Contains(err.Error(), "503") {
		t.Errorf("a 503 that outlasts the retries must fail the read: %v", err)
	}
}

func TestMessageLessErrorDoesNotPanic(t *testing.T) {
	s := graphtest.New(t, "testdata/tenant")
	s.Faults["/v1.0/directory/onPremisesSynchronization"] = []int{400}
	snap, err := readLive(t, s, "")
	if err != nil {
		t.Fatal(err)
	}
	if snap.Tenant.Known(scanner.FactFeatures) || !strings.Contains(snap.Tenant.Unknown[scanner.FactFeatures], "OnPremDirectorySynchronization.Read.All") {
		t.Errorf("features: %q", snap.Tenant.Unknown[scanner.FactFeatures])
	}
}

func TestTokenStaysWithTheEndpoint(t *testing.T) {
	// The token is handed only to the Graph endpoint's host.
	v, err := absauth.NewAllowedHostsValidatorErrorCheck([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	st := &staticToken{token: graphtest.Token, hosts: v}
	for u, want := range map[string]string{"http://127.0.0.1:8080/v1.0/users": graphtest.Token, "https://evil.example/v1.0/users": ""} {
		pu, _ := url.Parse(u)
		if got, _ := st.GetAuthorizationToken(context.Background(), pu, nil); got != want {
			t.Errorf("%s: token %q, want %q", u, got, want)
		}
	}
	if _, err := NewReader(Options{Endpoint: "http://graph.example.com", Auth: Token(graphtest.Token)}); err == nil {
		t.Error("plain http to a non-local host must be refused")
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
