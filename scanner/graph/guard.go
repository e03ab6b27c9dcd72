package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// The bearer token belongs to one origin — the Graph endpoint's scheme,
// host and port — and nothing the server says may send it elsewhere: not a
// @odata.nextLink, not a redirect. Three independent checks hold this: the
// token providers give a token only for a URL of the endpoint's origin,
// pages refuses a nextLink of another origin before building the request,
// and the guard middleware (last before the network) refuses any request to
// another origin and any redirect that points to one.

// originOf is u's scheme://host:port, lower-cased, with the scheme's
// default port made explicit; "" when u has no scheme or host.
func originOf(u *url.URL) string {
	if u == nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return scheme + "://" + host + ":" + port
}

// originError is a request or redirect to another origin, refused. It names
// origins only: a full URL may carry a skip token or a signature.
type originError struct {
	what     string // "@odata.nextLink", "a redirect", "a request"
	to       string // the other origin ("" when the URL has none)
	endpoint string // the Graph endpoint's origin
}

func (e *originError) Error() string {
	to := e.to
	if to == "" {
		to = "a URL without scheme and host"
	}
	return fmt.Sprintf("%s points to %s, not to the Graph endpoint %s: refused, so the token is not sent there", e.what, to, e.endpoint)
}

// exchange records what the middleware saw of one page's request: the last
// response, and a wait the retry policy refused. The context carries it.
type exchange struct {
	status     int
	location   string
	url        string // the URL last sent
	retryAfter string // a Retry-After refused as too long
	wait       time.Duration
}

type exchangeKey struct{}

func exchangeOf(ctx context.Context) *exchange {
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	return ex
}

// attemptTimeout bounds one attempt of a request, headers and body: the
// SDK's own client timeout (100 s), applied per attempt so that the waits
// the retry handler makes between attempts do not count against it.
const attemptTimeout = 100 * time.Second

// maxRetryWait is the longest the reader waits, in all, for the retries of
// one request: the SDK's own ceiling (180 s). The SDK checks that ceiling
// only before a wait, so it would sleep a single Retry-After of any length
// (until the client timeout cut it short and was reported as a timeout);
// the retry policy refuses such a wait at once instead, and says how long
// the server asked for.
const maxRetryWait = 180 * time.Second

// guard is the last middleware before the network: it refuses requests to
// another origin and redirects that point to one, bounds each attempt by
// attemptTimeout, and records the response in the page's exchange.
type guard struct {
	origin  string
	timeout time.Duration
}

func (g *guard) Intercept(p khttp.Pipeline, i int, req *nethttp.Request) (*nethttp.Response, error) {
	if o := originOf(req.URL); o != g.origin {
		return nil, &originError{what: "a request", to: o, endpoint: g.origin}
	}
	ex := exchangeOf(req.Context())
	if ex != nil {
		ex.url = req.URL.String()
	}
	ctx, cancel := context.WithTimeout(req.Context(), g.timeout)
	resp, err := p.Next(req.WithContext(ctx), i)
	if err != nil {
		cancel()
		return nil, err
	}
	loc := resp.Header.Get("Location")
	if ex != nil {
		ex.status, ex.location = resp.StatusCode, loc
	}
	if isRedirect(resp.StatusCode) && loc != "" {
		if o := redirectOrigin(req.URL, loc); o != g.origin {
			resp.Body.Close()
			cancel()
			return nil, &originError{what: fmt.Sprintf("a redirect (HTTP %d)", resp.StatusCode), to: o, endpoint: g.origin}
		}
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// redirectOrigin is the origin a Location sends the request to. The SDK's
// redirect handler joins a Location starting with "/" to the request's
// origin and takes any other as it is, so that is what is checked.
func redirectOrigin(from *url.URL, loc string) string {
	if strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") {
		return originOf(from)
	}
	u, err := url.Parse(loc)
	if err != nil || u.User != nil {
		return ""
	}
	return originOf(u)
}

// cancelBody ends the attempt's context when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// retryPolicy is the retry handler's ShouldRetry: the SDK's retries (429,
// 503, 504, three times, Retry-After honoured), except that a wait beyond
// maxRetryWait (alone or with the waits already made) is refused at once
// and recorded for the error message. onRetry is told of each retry.
func retryPolicy(onRetry func(status, attempt int, url string)) func(time.Duration, int, *nethttp.Request, *nethttp.Response) bool {
	return func(waited time.Duration, n int, req *nethttp.Request, resp *nethttp.Response) bool {
		if resp == nil {
			return false
		}
		if h := resp.Header.Get("Retry-After"); h != "" {
			if wait, ok := retryAfter(h, time.Now()); !ok || wait > maxRetryWait-waited {
				if ex := exchangeOf(req.Context()); ex != nil {
					ex.retryAfter, ex.wait = h, wait
				}
				return false
			}
		}
		if onRetry != nil {
			onRetry(resp.StatusCode, n+1, req.URL.Path)
		}
		return true
	}
}

// retryAfter reads a Retry-After as the SDK does (seconds, or an HTTP
// date); false for a value it would misread (negative, not finite, or too
// large for a duration).
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	if s, err := strconv.ParseFloat(h, 64); err == nil {
		if !(s >= 0) || math.IsInf(s, 0) || s > float64(math.MaxInt64/int64(time.Second)) {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := time.Parse(time.RFC1123, h); err == nil {
		return max(t.Sub(now), 0), true
	}
	// The SDK backs off 3, 6, 12 s on a Retry-After it cannot read.
	return 0, true
}

// waitRefused describes a throttling answer whose wait was refused.
func waitRefused(ex *exchange) string {
	if ex.wait <= 0 {
		return fmt.Sprintf("the server asked to wait an unusable time (Retry-After: %s); not retried", ex.retryAfter)
	}
	return fmt.Sprintf("the server asked to wait %s (Retry-After: %s), longer than the %s the reader waits for one request; try again later",
		humanWait(ex.wait), ex.retryAfter, humanWait(maxRetryWait))
}

// humanWait is a duration in the largest whole unit that reads well.
func humanWait(d time.Duration) string {
	switch s := int64(d / time.Second); {
	case s < 2*60:
		return plural(s, "second")
	case s < 2*3600:
		return plural(s/60, "minute")
	case s < 2*86400:
		return plural(s/3600, "hour")
	default:
		return plural(s/86400, "day")
	}
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// statusError is an HTTP error answer, described without calling the
// SDK's ODataError.Error, which panics on an error body without a message.
type statusError struct {
	status int
	desc   string
	cause  error
}

func (e *statusError) Error() string { return e.desc }
func (e *statusError) Unwrap() error { return e.cause }

// netError is a failure to talk to Graph; its text leaves out the request
// URL that net/http puts in (the query can be long, or carry a token).
type netError struct{ err *url.Error }

func (e *netError) Error() string { return e.err.Err.Error() }
func (e *netError) Unwrap() error { return e.err }

// pageError is a failure on one page of a collection.
type pageError struct {
	collection string // "users", "groups/<id>/transitiveMembers"
	page       int
	err        error
}

func (e *pageError) Error() string {
	_, desc := describe(e.err)
	return fmt.Sprintf("page %d of %s: %s", e.page, e.collection, desc)
}

func (e *pageError) Unwrap() error { return e.err }

// errOf turns what the SDK returned for a page's request into the reader's
// own error: the status and message of an HTTP error, the origin of a
// refused link, a network failure without the URL.
func errOf(err error, ex *exchange) error {
	var oe *originError
	var se *SignInError
	switch {
	case errors.As(err, &oe):
		return oe
	case errors.As(err, &se):
		return se
	}
	if status, desc := describeSDK(err); status != 0 {
		if ex.retryAfter != "" && (status == 429 || status == 503 || status == 504) {
			desc += ": " + waitRefused(ex)
		}
		return &statusError{status: status, desc: desc, cause: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("no answer within %s: %w", humanWait(attemptTimeout), &netError{ue})
		}
		return &netError{ue}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// Reading the body ran past the attempt's deadline.
		return fmt.Errorf("no answer within %s: %w", humanWait(attemptTimeout), err)
	}
	return err
}
