package graph

import (
	"context"
	"errors"
	"io"
	"net"
	nethttp "net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	abstractions "github.com/microsoft/kiota-abstractions-go"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graph/graphtest"
	"github.com/syncready/syncready/scanner/graphdir"
)

const (
	usersPath   = "/v1.0/users"
	groupsPath  = "/v1.0/groups"
	membersPath = "/v1.0/groups/6dd5bb49-c241-47db-acb1-3ad1d9246589/transitiveMembers"
)

// spoiled is a live read of the stand-in with one spoiled page.
type spoiled struct {
	snap *scanner.Snapshot
	reqs []string
	err  error
	dir  string // the export directory written
	took time.Duration
}

func readSpoiled(t *testing.T, s *graphtest.Server) spoiled {
	t.Helper()
	r, err := NewReader(Options{Endpoint: s.URL, Auth: Token(graphtest.Token)})
	if err != nil {
		t.Fatal(err)
	}
	out := spoiled{snap: &scanner.Snapshot{}, dir: t.TempDir()}
	w, err := graphdir.NewDirWriter(out.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	b := graphdir.NewBuilder(out.snap)
	start := time.Now()
	out.reqs, out.err = r.Read(context.Background(), b, w)
	out.took = time.Since(start)
	if out.err == nil {
		out.err = b.Finish()
	}
	if out.err == nil {
		out.err = w.Commit()
	}
	return out
}

// TestSpoiledPages drives every way a page can be spoiled through the real
// msgraph-sdk-go code path: a part of a collection never passes as the
// whole, a failure names the collection and the page (and the origin a
// link or redirect pointed to), the token never reaches another origin,
// and a failed read returns nothing and leaves no file of the collection.
func TestSpoiledPages(t *testing.T) {
	inAWhile := time.Now().Add(50 * time.Hour).UTC().Format(nethttp.TimeFormat)
	for _, tc := range []struct {
		name     string
		path     string
		page     int
		fault    graphtest.Fault
		pageSize int      // 2 when 0
		want     []string // in the error; none: the read succeeds
		away     bool     // the error must name Elsewhere's origin
		file     string   // the export file that must not be written
		check    func(t *testing.T, r spoiled)
	}{
		{name: "204 on page 2 of users", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.NoContent},
			want: []string{"page 2 of users", "HTTP 204"}, file: graphdir.UsersFile},
		{name: "304 on page 2 of users", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.NotModified},
			want: []string{"page 2 of users", "HTTP 304"}, file: graphdir.UsersFile},
		{name: "302 without Location on page 3 of users", path: usersPath, page: 3, fault: graphtest.Fault{Kind: graphtest.FoundNoLocation},
			want: []string{"page 3 of users", "HTTP 302", "without a Location"}, file: graphdir.UsersFile},
		{name: "302 to another origin on page 2 of users", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.RedirectAway},
			want: []string{"page 2 of users", "redirect"}, away: true, file: graphdir.UsersFile},
		{name: "302 to another origin on page 1 of domains", path: "/v1.0/domains", page: 1, fault: graphtest.Fault{Kind: graphtest.RedirectAway},
			want: []string{"page 1 of domains", "redirect"}, away: true, file: graphdir.DomainsFile},
		{name: "200 empty on page 2 of groups", path: groupsPath, page: 2, fault: graphtest.Fault{Kind: graphtest.EmptyBody},
			want: []string{"read groups", "page 2 of groups", "the body is empty"}, file: graphdir.GroupsFile},
		{name: "null on page 2 of contacts", path: "/v1.0/contacts", page: 2, fault: graphtest.Fault{Kind: graphtest.NullBody},
			want: []string{"page 2 of contacts", "JSON null"}, file: graphdir.ContactsFile},
		{name: "{} on page 2 of users", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.EmptyObject},
			want: []string{"page 2 of users", `no "value" array`}, file: graphdir.UsersFile},
		{name: "{} for organization", path: "/v1.0/organization", page: 1, fault: graphtest.Fault{Kind: graphtest.EmptyObject},
			want: []string{"page 1 of organization", `no "value" array`}, file: graphdir.OrganizationFile},
		{name: "204 for onPremisesSynchronization", path: "/v1.0/directory/onPremisesSynchronization", page: 1, fault: graphtest.Fault{Kind: graphtest.NoContent},
			want: []string{"page 1 of directory/onPremisesSynchronization", "HTTP 204"}, file: graphdir.SyncFile},
		{name: "403 on page 2 of users is fatal", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.Refused},
			want: []string{"page 2 of users", "HTTP 403", "User.Read.All"}, file: graphdir.UsersFile},
		{name: "403 on page 2 of groups drops page 1", path: groupsPath, page: 2, fault: graphtest.Fault{Kind: graphtest.Refused},
			file: graphdir.GroupsFile, check: func(t *testing.T, r spoiled) {
				for _, o := range r.snap.Cloud {
					if o.Kind == scanner.KindGroup {
						t.Errorf("group %s of page 1 kept after page 2 was refused", o.ID)
					}
				}
				if why := r.snap.Tenant.Unknown[scanner.FactGroups]; !strings.Contains(why, "page 2 of groups") || !strings.Contains(why, "403") || !strings.Contains(why, "Group.Read.All") {
					t.Errorf("coverage of the refused groups: %q", why)
				}
				for _, q := range r.reqs {
					if strings.HasSuffix(q, "/groups") {
						t.Errorf("the refused groups are listed as read: %v", r.reqs)
					}
				}
			}},
		{name: "403 on page 2 of a role group's members", path: membersPath, page: 2, pageSize: 1, fault: graphtest.Fault{Kind: graphtest.Refused},
			file: filepath.Join(graphdir.RoleMembersDir, "6dd5bb49-c241-47db-acb1-3ad1d9246589.json"), check: func(t *testing.T, r spoiled) {
				if !strings.Contains(strings.Join(r.snap.Coverage.Partial, "\n"), "page 2 of groups/6dd5bb49-c241-47db-acb1-3ad1d9246589/transitiveMembers") {
					t.Errorf("coverage does not say the members were refused: %q", r.snap.Coverage.Partial)
				}
				for id, roles := range r.snap.Tenant.Roles {
					for _, h := range roles {
						if h.Via == "6dd5bb49-c241-47db-acb1-3ad1d9246589" {
							t.Errorf("%s holds %s through the group whose members were refused part-way", id, h.Role)
						}
					}
				}
			}},
		{name: "429 asking for 27 hours fails at once", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.Throttled, RetryAfter: "100000"},
			want: []string{"page 2 of users", "HTTP 429", "the server asked to wait 27 hours (Retry-After: 100000)"}, file: graphdir.UsersFile},
		{name: "429 asking for a date in 2 days fails at once", path: groupsPath, page: 1, fault: graphtest.Fault{Kind: graphtest.Throttled, RetryAfter: inAWhile},
			want: []string{"page 1 of groups", "the server asked to wait 2 days (Retry-After: " + inAWhile + ")"}, file: graphdir.GroupsFile},
		{name: "nextLink to another origin on page 1 of users", path: usersPath, page: 1, fault: graphtest.Fault{Kind: graphtest.NextLinkAway},
			want: []string{"page 1 of users", "@odata.nextLink points to"}, away: true, file: graphdir.UsersFile},
		{name: "nextLink to another origin on page 1 of groups", path: groupsPath, page: 1, fault: graphtest.Fault{Kind: graphtest.NextLinkAway},
			want: []string{"read groups", "page 1 of groups", "@odata.nextLink points to"}, away: true, file: graphdir.GroupsFile},
		{name: "nextLink to itself on page 2 of users", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.SelfLink},
			want: []string{"page 2 of users", "repeats the link of an earlier page"}, file: graphdir.UsersFile},
		{name: "nextLink to itself on page 1 of users", path: usersPath, page: 1, fault: graphtest.Fault{Kind: graphtest.SelfLink},
			want: []string{"page 1 of users", "repeats the link of an earlier page"}, file: graphdir.UsersFile},
		{name: "empty pages without end on users", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.EmptyPages},
			want: []string{"page 11 of users", "10 pages in a row without items"}, file: graphdir.UsersFile},
		{name: "empty pages without end on a role group's members", path: membersPath, page: 1, fault: graphtest.Fault{Kind: graphtest.EmptyPages},
			want: []string{"members of group 6dd5bb49-c241-47db-acb1-3ad1d9246589", "page 10 of groups/6dd5bb49-c241-47db-acb1-3ad1d9246589/transitiveMembers", "without items"},
			file: filepath.Join(graphdir.RoleMembersDir, "6dd5bb49-c241-47db-acb1-3ad1d9246589.json")},

		// What a real Graph may do, and the reader must accept.
		{name: "a few empty pages are followed", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.EmptyPages, Count: 3}, check: allUsers},
		{name: "a redirect within the endpoint is followed", path: usersPath, page: 2, fault: graphtest.Fault{Kind: graphtest.RedirectAway, To: "self"}, check: allUsers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := graphtest.New(t, "testdata/tenant")
			if tc.pageSize != 0 {
				s.PageSize = tc.pageSize
			}
			other := graphtest.NewElsewhere(t)
			f := tc.fault
			switch {
			case f.To == "self":
				f.To = s.URL
			case f.Kind == graphtest.RedirectAway || f.Kind == graphtest.NextLinkAway:
				f.To = other.URL
			}
			s.Spoil(tc.path, tc.page, f)
			r := readSpoiled(t, s)

			for _, got := range other.Received() {
				if got.Authorization != "" {
					t.Errorf("the token went to another origin: %s %s with Authorization %q", got.Method, got.Path, got.Authorization)
				} else {
					t.Errorf("a request went to another origin: %s %s", got.Method, got.Path)
				}
			}
			for _, v := range s.Violations() {
				t.Error(v)
			}
			if r.took > 20*time.Second {
				t.Errorf("the read took %v", r.took)
			}
			if len(tc.want) == 0 {
				if r.err != nil {
					t.Fatalf("the read failed: %v", r.err)
				}
			} else {
				if r.err == nil {
					t.Fatalf("the read succeeded (%d cloud objects): a spoiled page passed as part of a whole collection", len(r.snap.Cloud))
				}
				msg := r.err.Error()
				t.Log(msg)
				for _, w := range tc.want {
					if !strings.Contains(msg, w) {
						t.Errorf("error %q does not say %q", msg, w)
					}
				}
				if strings.Contains(msg, "\n") {
					t.Errorf("error of several lines: %q", msg)
				}
				if tc.away {
					u, _ := url.Parse(other.URL)
					if origin := "http://" + u.Host; !strings.Contains(msg, origin) {
						t.Errorf("error %q does not name the origin %s", msg, origin)
					}
				}
				if strings.Contains(msg, graphtest.Token) || strings.Contains(msg, "skiptoken") {
					t.Errorf("error %q quotes the token or a full link", msg)
				}
				if r.reqs != nil {
					t.Errorf("a failed read returned its requests: %v", r.reqs)
				}
			}
			if tc.file != "" {
				if _, err := os.Stat(filepath.Join(r.dir, tc.file)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s was written for a collection not read whole (%v)", tc.file, err)
				}
			}
			leftovers, _ := filepath.Glob(filepath.Join(r.dir, "*", ".*.tmp"))
			more, _ := filepath.Glob(filepath.Join(r.dir, ".*.tmp"))
			if len(leftovers)+len(more) > 0 {
				t.Errorf("unfinished export files left: %v %v", leftovers, more)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func allUsers(t *testing.T, r spoiled) {
	t.Helper()
	n := 0
	for _, o := range r.snap.Cloud {
		if o.Kind == scanner.KindUser {
			n++
		}
	}
	if n != 20 {
		t.Errorf("%d users read, want all 20", n)
	}
}

// TestCancelledRead: an interrupted read comes back as context.Canceled,
// also while the retry handler waits out a Retry-After.
func TestCancelledRead(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after time.Duration // cancel after; 0: before the read
	}{
		{"cancelled before", 0},
		{"cancelled during a throttled wait", 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := graphtest.New(t, "testdata/tenant")
			s.Spoil(usersPath, 2, graphtest.Fault{Kind: graphtest.Throttled, RetryAfter: "60"})
			r, err := NewReader(Options{Endpoint: s.URL, Auth: Token(graphtest.Token)})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.after == 0 {
				cancel()
			} else {
				time.AfterFunc(tc.after, cancel)
			}
			start := time.Now()
			reqs, err := r.Read(ctx, graphdir.NewBuilder(&scanner.Snapshot{}), nil)
			if !errors.Is(err, context.Canceled) || reqs != nil {
				t.Errorf("Read: %v (%d requests), want context.Canceled", err, len(reqs))
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("the cancelled read took %v", took)
			}
		})
	}
}

// noNetwork is a transport of a machine without network: every host name
// fails to resolve.
type noNetwork struct{}

func (noNetwork) Do(req *nethttp.Request) (*nethttp.Response, error) {
	return nil, &url.Error{Op: req.Method, URL: req.URL.String(), Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: req.URL.Hostname(), Server: "10.0.0.53:53", IsNotFound: true}}}
}

// noTenant is a sign-in service that knows no such tenant.
type noTenant struct{}

func (noTenant) Do(req *nethttp.Request) (*nethttp.Response, error) {
	body := `{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant '11111111-2222-3333-4444-555555555555' not found.\r\nTrace ID: 0\r\nCorrelation ID: 0","error_codes":[90002]}`
	return &nethttp.Response{StatusCode: 400, Status: "400 Bad Request", Header: nethttp.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

// TestSignInErrors: a client-secret sign-in that fails says why in one
// line — the sign-in host it could not reach and the DNS failure, or what
// the sign-in service answered — never the secret, and nothing is sent to
// Graph.
func TestSignInErrors(t *testing.T) {
	const secret = "s3cr3t~Value.0123456789"
	for _, tc := range []struct {
		name      string
		transport policy.Transporter
		want      []string
		dns       bool // the DNS error is reachable with errors.As
	}{
		{"no network", noNetwork{}, []string{"sign-in", "login.microsoftonline.com", "could not be reached", "lookup login.microsoftonline.com", "no such host"}, true},
		{"no such tenant", noTenant{}, []string{"sign-in", "login.microsoftonline.com answered HTTP 400", "AADSTS90002: Tenant '11111111-2222-3333-4444-555555555555' not found."}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := graphtest.New(t, "testdata/tenant")
			auth, err := SignIn{Endpoint: s.URL, TenantID: "11111111-2222-3333-4444-555555555555", ClientID: "c1", Secret: secret,
				options: func(o *azcore.ClientOptions) {
					o.Transport = tc.transport
					o.Retry = policy.RetryOptions{MaxRetries: -1}
				}}.Credential()
			if err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(Options{Endpoint: s.URL, Auth: auth})
			if err != nil {
				t.Fatal(err)
			}
			reqs, err := r.Read(context.Background(), graphdir.NewBuilder(&scanner.Snapshot{}), nil)
			if err == nil || reqs != nil {
				t.Fatalf("Read: %v, %v", reqs, err)
			}
			msg := err.Error()
			t.Log(msg)
			for _, want := range tc.want {
				if !strings.Contains(msg, want) {
					t.Errorf("%q does not say %q", msg, want)
				}
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, secret) || strings.Contains(msg, "Trace ID") {
				t.Errorf("not one line, or quotes the secret: %q", msg)
			}
			var dns *net.DNSError
			if errors.As(err, &dns) != tc.dns {
				t.Errorf("errors.As(err, *net.DNSError) = %v, want %v", !tc.dns, tc.dns)
			}
			if n := s.HitsOf(usersPath); n != 0 {
				t.Errorf("%d requests reached Graph without a token", n)
			}
		})
	}
}

// TestTokenOnlyForTheEndpointsOrigin: the token providers themselves
// refuse a URL of another scheme, host or port, with an error naming it.
func TestTokenOnlyForTheEndpointsOrigin(t *testing.T) {
	ep, _ := url.Parse("http://127.0.0.1:8080")
	cred := Credential{Cred: fixedCredential("cred-token"), Scope: "http://127.0.0.1:8080/.default"}
	for _, auth := range []Auth{Token(graphtest.Token), cred} {
		p, err := auth.provider(ep)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			url, refused string
		}{
			{"http://127.0.0.1:8080/v1.0/users", ""},
			{"http://127.0.0.1:9999/v1.0/users", "http://127.0.0.1:9999"},
			{"https://127.0.0.1:8080/v1.0/users", "https://127.0.0.1:8080"},
			{"http://localhost:8080/v1.0/users", "http://localhost:8080"},
			{"https://evil.example/v1.0/users?$skiptoken=secret", "https://evil.example:443"},
		} {
			u, _ := url.Parse(tc.url)
			req := abstractions.NewRequestInformation()
			req.SetUri(*u)
			err := p.AuthenticateRequest(context.Background(), req, nil)
			got := strings.Join(req.Headers.Get("Authorization"), ",")
			switch {
			case tc.refused == "" && (err != nil || got == ""):
				t.Errorf("%T, %s: no token (%v)", auth, tc.url, err)
			case tc.refused != "" && (err == nil || got != ""):
				t.Errorf("%T, %s: Authorization %q, error %v: want it refused", auth, tc.url, got, err)
			case tc.refused != "" && (!strings.Contains(err.Error(), tc.refused) || strings.Contains(err.Error(), "secret")):
				t.Errorf("%T, %s: error %q should name %s and no more of the URL", auth, tc.url, err, tc.refused)
			}
		}
	}
}

type fixedCredential string

func (c fixedCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(c), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestHumanWait(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second: "1 second", 90 * time.Second: "90 seconds", 3 * time.Minute: "3 minutes",
		100000 * time.Second: "27 hours", 50 * time.Hour: "2 days",
	} {
		if got := humanWait(d); got != want {
			t.Errorf("humanWait(%v) = %q, want %q", d, got, want)
		}
	}
}
