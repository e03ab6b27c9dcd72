// Package graphtest is a local stand-in for Microsoft Graph v1.0 for tests:
// it answers from an export directory with Graph's JSON shapes, pages a few
// items at a time with @odata.nextLink, throttles (429 + Retry-After) or
// fails (503, 500, a message-less error) where a test asks, refuses
// collections (403), spoils chosen pages of chosen collections (Spoil: no
// body, redirects, links elsewhere or in a loop, endless empty pages), and
// checks every request's bearer token and the $select / $expand of the
// export directory's requests. Elsewhere stands for another origin and
// records what reaches it.
package graphtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Token is the bearer token the stand-in accepts.
const Token = "test-token-4d2c"

// Server is a running stand-in.
type Server struct {
	URL string
	t   testing.TB
	dir string
	srv *httptest.Server

	mu sync.Mutex
	// Hits counts requests per path.
	Hits map[string]int
	// Faults are statuses answered, in order, before a path is served
	// (for /v1.0/users, on its later pages only).
	Faults map[string][]int
	// Refuse answers a path with this status always.
	Refuse map[string]int
	// PageSize is the number of items a page (2 by default).
	PageSize int
	bad      []string
	cache    map[string]*collection
	spoiled  map[string]map[int]Fault
}

// Paths of the collections of the export directory.
var routes = map[string]string{
	"/v1.0/users":    "users.json",
	"/v1.0/groups":   "groups.json",
	"/v1.0/contacts": "contacts.json",
	"/v1.0/roleManagement/directory/roleAssignments":          "roleAssignments.json",
	"/v1.0/roleManagement/directory/roleEligibilitySchedules": "roleEligibilitySchedules.json",
	"/v1.0/domains":                             "domains.json",
	"/v1.0/organization":                        "organization.json",
	"/v1.0/directory/onPremisesSynchronization": "onPremisesSynchronization.json",
	"/v1.0/directory/deletedItems/graph.user":   "deletedUsers.json",
}

// The query each collection must be asked with.
var wantQuery = map[string][2]string{
	"/v1.0/users":    {"$select", "id,displayName,userPrincipalName,mail,mailNickname,proxyAddresses,onPremisesImmutableId,onPremisesSyncEnabled,onPremisesDistinguishedName,onPremisesSecurityIdentifier,userType,creationType,accountEnabled"},
	"/v1.0/groups":   {"$select", "id,displayName,mail,mailEnabled,securityEnabled,mailNickname,groupTypes,proxyAddresses,onPremisesSyncEnabled,isAssignableToRole"},
	"/v1.0/contacts": {"$select", "id,displayName,mail,mailNickname,proxyAddresses,onPremisesSyncEnabled"},
	"/v1.0/roleManagement/directory/roleAssignments":          {"$expand", "roleDefinition"},
	"/v1.0/roleManagement/directory/roleEligibilitySchedules": {"$expand", "roleDefinition"},
	"/v1.0/organization":                      {"$select", "id,displayName,verifiedDomains"},
	"/v1.0/directory/deletedItems/graph.user": {"$select", "id,userPrincipalName,mail,proxyAddresses,onPremisesImmutableId"},
}

// New starts a stand-in serving the export directory dir on 127.0.0.1,
// stopped when the test ends.
func New(t testing.TB, dir string) *Server {
	s := Start(dir)
	s.t = t
	t.Cleanup(s.Close)
	return s
}

// Start starts a stand-in outside a test (benchmarks); Close stops it.
func Start(dir string) *Server {
	s := &Server{dir: dir, Hits: map[string]int{}, Faults: map[string][]int{}, Refuse: map[string]int{}, PageSize: 2}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the stand-in.
func (s *Server) Close() { s.srv.Close() }

// Violations lists the protocol mistakes seen: a missing or wrong token, a
// wrong $select or $expand.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bad...)
}

// HitsOf returns the number of requests for a path.
func (s *Server) HitsOf(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Hits[p]
}

func (s *Server) violation(format string, args ...any) {
	s.mu.Lock()
	s.bad = append(s.bad, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

type collection struct {
	Value []json.RawMessage `json:"value"`
}

// collection reads an export file once and keeps its items.
func (s *Server) collection(file string) (*collection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[file]; ok {
		return c, nil
	}
	b, err := os.ReadFile(filepath.Join(s.dir, file))
	if err != nil {
		return nil, err
	}
	c := &collection{}
	if err := json.Unmarshal(b, c); err != nil && s.t != nil {
		s.t.Errorf("stand-in data %s: %v", file, err)
	}
	if s.cache == nil {
		s.cache = map[string]*collection{}
	}
	s.cache[file] = c
	return c, nil
}

func graphError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]any{"error": map[string]any{"code": code, "message": msg, "innerError": map[string]any{"request-id": "00000000-0000-0000-0000-000000000000", "date": "2026-11-23T08:00:00"}}}
	if msg == "" {
		body = map[string]any{"error": map[string]any{"code": code}} // no message: ODataError.Error() would panic
	}
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get("Authorization"); got != "Bearer "+Token {
		s.violation("%s %s: Authorization %q", r.Method, r.URL, got)
		graphError(w, 401, "InvalidAuthenticationToken", "Access token is empty.")
		return
	}
	p := r.URL.Path
	q := r.URL.Query()
	s.mu.Lock()
	s.Hits[p]++
	var fault int
	if f := s.Faults[p]; len(f) > 0 && (q.Get("$skiptoken") != "" || !strings.HasPrefix(p, "/v1.0/users")) {
		fault, s.Faults[p] = f[0], f[1:]
	}
	refuse := s.Refuse[p]
	s.mu.Unlock()
	if w, ok := wantQuery[p]; ok && q.Get(w[0]) != w[1] {
		s.violation("%s: %s=%q, want %q", p, w[0], q.Get(w[0]), w[1])
	}
	if refuse != 0 {
		graphError(w, refuse, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	switch fault {
	case 0:
	case 429:
		w.Header().Set("Retry-After", "1")
		graphError(w, 429, "TooManyRequests", "Too many requests.")
		return
	case 503:
		w.Header().Set("Retry-After", "1")
		graphError(w, fault, "serviceNotAvailable", "")
		return
	default:
		graphError(w, fault, "generalException", "")
		return
	}
	file, ok := routes[p]
	if strings.HasPrefix(p, "/v1.0/groups/") && strings.HasSuffix(p, "/transitiveMembers") {
		if q.Get("$select") != "id" {
			s.violation("%s: $select=%q, want id", p, q.Get("$select"))
		}
		file, ok = filepath.Join("roleGroupMembers", strings.Split(p, "/")[3]+".json"), true
	}
	if !ok {
		graphError(w, 404, "Request_ResourceNotFound", "Resource not found: "+p)
		return
	}
	doc, err := s.collection(file)
	if err != nil {
		graphError(w, 404, "Request_ResourceNotFound", "no such collection")
		return
	}
	// $skiptoken is "<first item>" or, on a run of spoiled empty pages,
	// "<first item>.<empty pages so far>".
	tok, run, _ := strings.Cut(q.Get("$skiptoken"), ".")
	start, _ := strconv.Atoi(tok)
	empties, _ := strconv.Atoi(run)
	start = min(max(start, 0), len(doc.Value))
	end := min(start+s.PageSize, len(doc.Value))
	out := map[string]any{"@odata.context": s.srv.URL + "/v1.0/$metadata#" + strings.TrimPrefix(p, "/v1.0/"), "value": doc.Value[start:end]}
	if end < len(doc.Value) {
		out["@odata.nextLink"] = s.srv.URL + withToken(r.URL, strconv.Itoa(end))
	}
	if f, ok := s.spoilt(p, start/max(s.PageSize, 1)+1); ok && q.Get("redirected") == "" && s.spoil(w, r, f, out, start, empties) {
		return
	}
	writePage(w, out)
}

func writePage(w http.ResponseWriter, page map[string]any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
	_ = json.NewEncoder(w).Encode(page)
}

// withToken is u's path and query with $skiptoken set to tok.
func withToken(u *url.URL, tok string) string {
	next := *u
	nq := next.Query()
	nq.Set("$skiptoken", tok)
	next.RawQuery = nq.Encode()
	return next.RequestURI()
}
