package graph

import (
	"context"
	"errors"
	"io"
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// pipe is the rest of the middleware pipeline, as the guard sees it.
type pipe func(*nethttp.Request) (*nethttp.Response, error)

func (p pipe) Next(req *nethttp.Request, _ int) (*nethttp.Response, error) { return p(req) }

// TestGuard: the last middleware refuses a request to another origin
// before it is sent, and a redirect that points to one, whatever sent the
// request there.
func TestGuard(t *testing.T) {
	g := &guard{origin: "https://graph.microsoft.com:443", timeout: time.Minute}
	for _, tc := range []struct {
		name, url, location string
		refused             string // the origin named; "" when let through
	}{
		{name: "the endpoint", url: "https://graph.microsoft.com/v1.0/users"},
		{name: "the endpoint with its port and in capitals", url: "HTTPS://Graph.Microsoft.com:443/v1.0/users"},
		{name: "another port", url: "https://graph.microsoft.com:8443/v1.0/users", refused: "https://graph.microsoft.com:8443"},
		{name: "plain http", url: "http://graph.microsoft.com/v1.0/users", refused: "http://graph.microsoft.com:80"},
		{name: "another host", url: "https://graph.example/v1.0/users", refused: "https://graph.example:443"},
		{name: "a redirect on the endpoint", url: "https://graph.microsoft.com/v1.0/users", location: "/v1.0/users?x=1"},
		{name: "a redirect to the endpoint by URL", url: "https://graph.microsoft.com/v1.0/users", location: "https://graph.microsoft.com/v1.0/users?x=1"},
		{name: "a redirect to another host", url: "https://graph.microsoft.com/v1.0/users", location: "https://evil.example/v1.0/users?$skiptoken=s", refused: "https://evil.example:443"},
		{name: "a protocol-relative redirect", url: "https://graph.microsoft.com/v1.0/users", location: "//evil.example/x", refused: "a URL without scheme and host"},
		{name: "a redirect with user information", url: "https://graph.microsoft.com/v1.0/users", location: "https://u:p@graph.microsoft.com/x", refused: "a URL without scheme and host"},
		{name: "a redirect to plain http", url: "https://graph.microsoft.com/v1.0/users", location: "http://graph.microsoft.com/v1.0/users", refused: "http://graph.microsoft.com:80"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := nethttp.NewRequest("GET", tc.url, nil)
			sent := 0
			resp, err := g.Intercept(pipe(func(r *nethttp.Request) (*nethttp.Response, error) {
				sent++
				h := nethttp.Header{}
				status := 200
				if tc.location != "" {
					h.Set("Location", tc.location)
					status = 302
				}
				return &nethttp.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
			}), 0, req)
			var oe *originError
			if tc.refused == "" {
				if err != nil || resp == nil {
					t.Fatalf("refused: %v", err)
				}
				resp.Body.Close()
				return
			}
			if !errors.As(err, &oe) || !strings.Contains(err.Error(), tc.refused) || strings.Contains(err.Error(), "skiptoken") {
				t.Fatalf("err %v, want it refused naming %s only", err, tc.refused)
			}
			if tc.location == "" && sent != 0 {
				t.Error("the request to another origin was sent")
			}
		})
	}
}

// TestFollow: a next link is followed only on the endpoint's origin.
func TestFollow(t *testing.T) {
	r := &Reader{origin: "https://graph.microsoft.com:443"}
	const from = "https://graph.microsoft.com/v1.0/users?$top=999"
	for link, refused := range map[string]bool{
		"https://graph.microsoft.com/v1.0/users?$skiptoken=1":     false,
		"https://GRAPH.microsoft.com:443/v1.0/users?$skiptoken=1": false,
		"/v1.0/users?$skiptoken=1":                                false,
		"users?$skiptoken=1":                                      false,
		"http://graph.microsoft.com/v1.0/users?$skiptoken=1":      true,
		"https://graph.microsoft.com:444/v1.0/users":              true,
		"https://graph.microsoft.com.evil.example/v1.0/users":     true,
		"//evil.example/v1.0/users":                               true,
		"https://token@graph.microsoft.com/v1.0/users":            true,
		"http://[::1]:80/v1.0/users":                              true,
	} {
		u, err := r.follow(from, link)
		var oe *originError
		switch {
		case refused && !errors.As(err, &oe):
			t.Errorf("%s: followed to %v", link, u)
		case !refused && (err != nil || originOf(u) != r.origin):
			t.Errorf("%s: %v %v", link, u, err)
		}
	}
	if got := originOf(&url.URL{Scheme: "http", Host: "[::1]:8080"}); got != "http://[::1]:8080" {
		t.Errorf("originOf IPv6: %q", got)
	}
}

// TestRetryPolicy: the SDK's retries, but a wait beyond maxRetryWait,
// alone or with the waits made, is refused at once and recorded.
func TestRetryPolicy(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		retryAfter string
		waited     time.Duration
		retry      bool
	}{
		{"", 0, true}, // the SDK backs off
		{"1", 0, true},
		{"180", 0, true},
		{"181", 0, false},
		{"100000", 0, false},
		{"1e300", 0, false},
		{"-5", 0, false},
		{"NaN", 0, false},
		{"60", 150 * time.Second, false},
		{"soon", 0, true}, // unreadable: the SDK backs off
		{now.Add(10 * time.Second).UTC().Format(nethttp.TimeFormat), 0, true},
		{now.Add(time.Hour).UTC().Format(nethttp.TimeFormat), 0, false},
	} {
		ex := &exchange{}
		req, _ := nethttp.NewRequestWithContext(withExchange(ex), "GET", "https://graph.microsoft.com/v1.0/users", nil)
		resp := &nethttp.Response{StatusCode: 429, Header: nethttp.Header{}}
		if tc.retryAfter != "" {
			resp.Header.Set("Retry-After", tc.retryAfter)
		}
		told := 0
		got := retryPolicy(func(int, int, string) { told++ })(tc.waited, 0, req, resp)
		if got != tc.retry || (told == 1) != tc.retry || (ex.retryAfter != "") == tc.retry {
			t.Errorf("Retry-After %q after %v: retry %v (told %d, recorded %q), want %v", tc.retryAfter, tc.waited, got, told, ex.retryAfter, tc.retry)
		}
	}
}

func withExchange(ex *exchange) context.Context {
	return context.WithValue(context.Background(), exchangeKey{}, ex)
}

// TestRedact: a token a server quotes back in its error is not printed.
func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"Invalid request with Authorization: Bearer hostile-TOKEN-9f3c1e7a": "Invalid request with Authorization: Bearer <token>",
		`token "eyJ0eXAiOiJKV1QiLCJhbGciOi.eyJhdWQiOiJodHRwczovL2c.sig-part" expired`: `token "<token>" expired`,
		"bearer abc, then more":           "bearer <token>, then more",
		"Insufficient privileges to read": "Insufficient privileges to read",
	} {
		if got := redact(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
