package graphtest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

// FaultKind is how the stand-in spoils a page: each is something a server,
// a proxy or an attacker in between could answer instead of the page.
type FaultKind int

const (
	// NoContent answers 204 without a body.
	NoContent FaultKind = iota + 1
	// NotModified answers 304 without a body.
	NotModified
	// FoundNoLocation answers 302 without a Location header.
	FoundNoLocation
	// RedirectAway answers 302 to Fault.To, with the request's path and
	// query (and redirected=1, which the stand-in serves unspoiled).
	RedirectAway
	// EmptyBody answers 200 without a body.
	EmptyBody
	// NullBody answers 200 with the JSON null.
	NullBody
	// EmptyObject answers 200 with {}.
	EmptyObject
	// Refused answers 403 Authorization_RequestDenied.
	Refused
	// Throttled answers 429 with Retry-After: Fault.RetryAfter.
	Throttled
	// NextLinkAway serves the page with its @odata.nextLink on Fault.To.
	NextLinkAway
	// SelfLink serves the page with its own URL as @odata.nextLink.
	SelfLink
	// EmptyPages answers Fault.Count pages without items (0: without end),
	// each with a new @odata.nextLink, before the page itself.
	EmptyPages
)

var kindNames = map[FaultKind]string{
	NoContent: "204", NotModified: "304", FoundNoLocation: "302 without Location", RedirectAway: "302 to another origin",
	EmptyBody: "200 empty", NullBody: "200 null", EmptyObject: "200 {}", Refused: "403", Throttled: "429",
	NextLinkAway: "nextLink to another origin", SelfLink: "nextLink to itself", EmptyPages: "empty pages with a nextLink",
}

func (k FaultKind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return "fault " + strconv.Itoa(int(k))
}

// Fault is a spoiled page.
type Fault struct {
	Kind FaultKind
	// To is the other origin's URL (RedirectAway, NextLinkAway).
	To string
	// RetryAfter is the Retry-After header of Throttled.
	RetryAfter string
	// Count is the number of empty pages of EmptyPages (0: without end).
	Count int
}

// Spoil makes page (from 1) of the collection at path (e.g. "/v1.0/users",
// "/v1.0/groups/<id>/transitiveMembers") answer f, each time it is asked.
func (s *Server) Spoil(path string, page int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spoiled == nil {
		s.spoiled = map[string]map[int]Fault{}
	}
	if s.spoiled[path] == nil {
		s.spoiled[path] = map[int]Fault{}
	}
	s.spoiled[path][page] = f
}

func (s *Server) spoilt(path string, page int) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.spoiled[path][page]
	return f, ok
}

// spoil answers r with f instead of page; false when f leaves the page as
// it is (the end of a run of empty pages).
func (s *Server) spoil(w http.ResponseWriter, r *http.Request, f Fault, page map[string]any, start, empties int) bool {
	switch f.Kind {
	case NoContent:
		w.WriteHeader(http.StatusNoContent)
	case NotModified:
		w.WriteHeader(http.StatusNotModified)
	case FoundNoLocation:
		w.WriteHeader(http.StatusFound)
	case RedirectAway:
		to := *r.URL
		q := to.Query()
		q.Set("redirected", "1")
		to.RawQuery = q.Encode()
		w.Header().Set("Location", f.To+to.RequestURI())
		w.WriteHeader(http.StatusFound)
	case EmptyBody:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
	case NullBody:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("null"))
	case EmptyObject:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	case Refused:
		graphError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	case Throttled:
		w.Header().Set("Retry-After", f.RetryAfter)
		graphError(w, http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
	case NextLinkAway:
		page["@odata.nextLink"] = f.To + withToken(r.URL, strconv.Itoa(start+s.PageSize))
		writePage(w, page)
	case SelfLink:
		page["@odata.nextLink"] = s.srv.URL + r.URL.RequestURI()
		writePage(w, page)
	case EmptyPages:
		if f.Count > 0 && empties >= f.Count {
			return false
		}
		page["value"] = []any{}
		page["@odata.nextLink"] = s.srv.URL + withToken(r.URL, strconv.Itoa(start)+"."+strconv.Itoa(empties+1))
		writePage(w, page)
	default:
		return false
	}
	return true
}

// Received is a request that reached Elsewhere.
type Received struct {
	Method, Path, Authorization string
}

// Elsewhere is a server at another origin (another port of 127.0.0.1): it
// records every request that reaches it and answers each with an empty
// Graph page, so a reader that follows a link there would see a collection
// end early rather than fail.
type Elsewhere struct {
	URL string
	srv *httptest.Server
	mu  sync.Mutex
	got []Received
}

// NewElsewhere starts an Elsewhere, stopped when the test ends.
func NewElsewhere(t testing.TB) *Elsewhere {
	e := &Elsewhere{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.got = append(e.got, Received{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization")})
		e.mu.Unlock()
		writePage(w, map[string]any{"value": []any{}})
	}))
	e.URL = e.srv.URL
	t.Cleanup(e.srv.Close)
	return e
}

// Received lists the requests that reached e.
func (e *Elsewhere) Received() []Received {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Received(nil), e.got...)
}
