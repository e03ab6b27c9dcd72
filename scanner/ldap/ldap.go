// Package ldap reads Active Directory live over LDAP (go-ldap): paged
// searches of users, groups and contacts with only the attributes the rules
// need, ranged retrieval followed, several domain controllers or forests read
// concurrently, secure by default (LDAPS or StartTLS with certificate
// verification), and a password that never appears in any message.
package ldap

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	"github.com/syncready/syncready/scanner"
)

// PageSize is the simple paged results page size: AD's MaxPageSize.
const PageSize = 1000

// Filter selects users (not computers), contacts and groups.
const Filter = "(|(&(objectClass=user)(!(objectClass=computer)))(objectClass=contact)(objectClass=group))"

// Source is one directory to read.
type Source struct {
	URL                string // ldap://host[:port] or ldaps://host[:port]
	BindDN             string // "" binds as the signed-in user (Windows only)
	BaseDN             string // "" = the server's defaultNamingContext (GC: the whole forest)
	StartTLS           bool
	CAFile             string
	InsecureSkipVerify bool
	AllowPlaintext     bool // allow a simple bind over plain ldap:// without StartTLS
	// Password is this source's bind password when it differs from
	// Options.Password (a config file names a variable per source). Never
	// written to any message.
	Password string
}

// Options apply to every source.
type Options struct {
	// Password is the bind password (from SYNCREADY_LDAP_PASSWORD). It is
	// never written to any message.
	Password string
	UPNAttr  string
	// DialTimeout bounds the TCP connect and the TLS handshake (LDAPS and
	// StartTLS); default 15 s.
	DialTimeout time.Duration
	// RequestTimeout bounds each LDAP request from the moment it is sent
	// until its last response has arrived: the bind, a root DSE or schema
	// read, one page of at most PageSize entries, one ranged retrieval. A
	// domain controller that falls silent (hung, stopped, or behind a
	// network that drops packets without a reset: no error ever comes)
	// thus ends the read with an error after at most this long, instead of
	// holding an unattended scan forever; nothing of the read is kept.
	// The limit is per request, not on idle time: a DC may send nothing
	// for a long while as it works through a large subtree towards the
	// first entries of a page, so an idle limit would need to be as long.
	// Default 5 min: a page takes well under a second from a healthy DC.
	RequestTimeout time.Duration
	// Progress, when set, is called with the running number of objects read
	// from a source.
	Progress func(src *Source, objects int)
}

func (o *Options) defaults() {
	if o.DialTimeout == 0 {
		o.DialTimeout = 15 * time.Second
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 5 * time.Minute
	}
}

// Result is what was read from one source.
type Result struct {
	Source *Source
	BaseDN string // the base DN searched
	// Notes are facts about the read worth a line in the report's coverage
	// (a referral to a partition that holds no objects of sync).
	Notes []string
	// Partial lists what the read left out of the directory it read, each
	// naming the URL and what it costs: referrals not followed, attributes
	// and anchors a global catalog does not hold. Any of them makes a
	// verdict on this source incomplete.
	Partial []string
	// MemberCounts says what of group sizes the read could not count (a
	// global catalog does not hold every group's members).
	MemberCounts []string
}

// MemberRange is how the member values of groups are asked for: a first
// range of AD's MaxValRange (1,500), the rest counted range by range
// (countMembers), never kept.
const MemberRange = "member;range=0-1499"

// Attributes are the attributes requested: the model's, plus the
// --upn-source attribute.
func Attributes(upnAttr string) []string {
	attrs := append([]string(nil), scanner.LDAPAttributes...)
	if upnAttr != "" && !containsFold(attrs, upnAttr) {
		attrs = append(attrs, upnAttr)
	}
	return attrs
}

// searcher is the part of a connection the reading code uses; tests replace
// it.
type searcher interface {
	Search(*goldap.SearchRequest) (*goldap.SearchResult, error)
}

// conn is an open, bound connection to one source.
type conn struct {
	*goldap.Conn
	src       *Source
	host      string
	rootDSE   *goldap.Entry
	globalCat bool
	stop      func() bool
	ends      *pageEndConn // nil: page ends are not watched
}

// pageEnds returns the cookies of pages as their ends arrive, or nil.
func (c *conn) pageEnds() <-chan []byte {
	if c.ends == nil {
		return nil
	}
	return c.ends.ends
}

// pageEndWatcher is a searcher that sees page ends before Search returns.
type pageEndWatcher interface {
	pageEnds() <-chan []byte
}

// isGlobalCatalog reports whether u points at a global catalog port.
func isGlobalCatalog(u *url.URL) bool {
	p := u.Port()
	return p == "3268" || p == "3269"
}

// Check validates a source before anything is dialled: a known scheme, and
// no password in clear over plain LDAP unless allowed.
func Check(src *Source) error {
	u, err := url.Parse(src.URL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--ldap-url %q: want ldap://host[:port] or ldaps://host[:port]", src.URL)
	}
	switch u.Scheme {
	case "ldaps":
		if src.StartTLS {
			return fmt.Errorf("--ldap-url %s: --ldap-starttls is for ldap:// URLs; ldaps:// is already encrypted", src.URL)
		}
	case "ldap":
		if !src.StartTLS && src.BindDN != "" && !src.AllowPlaintext {
			return fmt.Errorf("--ldap-url %s: a simple bind over plain ldap:// sends the password in clear; use ldaps://, or add --ldap-starttls, or (on an isolated test network only) --ldap-allow-plaintext", src.URL)
		}
	default:
		return fmt.Errorf("--ldap-url %q: scheme %q; want ldap:// or ldaps://", src.URL, u.Scheme)
	}
	return nil
}

func tlsConfig(src *Source, host string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: src.InsecureSkipVerify} //nolint:gosec // only on request
	if src.CAFile != "" {
		pem, err := os.ReadFile(src.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--ldap-ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ldap-ca-file %s: no PEM certificate found in it", src.CAFile)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// dial connects, secures and binds; cancelling ctx closes the connection.
func dial(ctx context.Context, src *Source, opt *Options) (*conn, error) {
	if err := Check(src); err != nil {
		return nil, err
	}
	u, _ := url.Parse(src.URL)
	host := u.Hostname()
	tc, err := tlsConfig(src, host)
	if err != nil {
		return nil, err
	}
	port := u.Port()
	switch {
	case port != "":
	case u.Scheme == "ldaps":
		port = goldap.DefaultLdapsPort
	default:
		port = goldap.DefaultLdapPort
	}
	d := &net.Dialer{Timeout: opt.DialTimeout}
	var nc net.Conn
	if u.Scheme == "ldaps" {
		nc, err = (&tls.Dialer{NetDialer: d, Config: tc}).DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	} else {
		nc, err = d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", src.URL, explainTLS(err, src))
	}
	// The page ends are watched where the LDAP messages are plain (see
	// pageend.go): over LDAPS and plain LDAP with a simple bind; not under
	// StartTLS (go-ldap wraps TLS above this connection) nor a Windows
	// bind, which may sign or seal the messages.
	var ends *pageEndConn
	if !src.StartTLS && src.BindDN != "" {
		ends = newPageEndConn(nc)
		nc = ends
	}
	c := goldap.NewConn(nc, u.Scheme == "ldaps")
	c.Start()
	c.SetTimeout(opt.RequestTimeout)
	// Ctrl-C (a cancelled ctx) closes the connection, which ends any
	// request in flight.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	cn := &conn{Conn: c, src: src, host: host, globalCat: isGlobalCatalog(u), stop: stop, ends: ends}
	if src.StartTLS {
		// go-ldap's StartTLS runs its TLS handshake with no deadline: a DC
		// that falls silent after it accepted StartTLS would hold the read
		// forever. The dial timeout bounds the handshake, as it bounds the
		// handshake of LDAPS.
		_ = nc.SetDeadline(time.Now().Add(opt.DialTimeout))
		err := c.StartTLS(tc)
		_ = nc.SetDeadline(time.Time{})
		if err != nil {
			cn.close()
			return nil, fmt.Errorf("StartTLS with %s: %w", src.URL, explainTLS(err, src))
		}
	}
	if err := cn.bind(opt); err != nil {
		cn.close()
		return nil, err
	}
	return cn, nil
}

func (c *conn) close() {
	c.stop()
	c.Conn.Close()
}

func (c *conn) bind(opt *Options) error {
	if c.src.BindDN == "" {
		if err := bindCurrentUser(c.Conn, c.host); err != nil {
			return fmt.Errorf("bind to %s as the signed-in user: %w", c.src.URL, err)
		}
		return nil
	}
	pw := c.src.Password
	if pw == "" {
		pw = opt.Password
	}
	if pw == "" {
		return fmt.Errorf("bind to %s as %s: no password: set SYNCREADY_LDAP_PASSWORD, or the variable the config file names in passwordEnv (the password is read only from the environment)", c.src.URL, c.src.BindDN)
	}
	if err := c.Bind(c.src.BindDN, pw); err != nil {
		return explainBind(err, c.src)
	}
	return nil
}

// adBindReasons translate the "data NNN" code in AD's bind error.
var adBindReasons = map[string]string{
	"525": "no such user",
	"52e": "wrong password",
	"530": "logon not permitted at this time",
	"531": "logon not permitted from this workstation",
	"532": "password expired",
	"533": "account disabled",
	"701": "account expired",
	"773": "the user must reset the password",
	"775": "account locked out",
}

// explainBind turns a bind failure into a message that names the DN and the
// reason, and never the password.
func explainBind(err error, src *Source) error {
	var le *goldap.Error
	if errors.As(err, &le) {
		switch le.ResultCode {
		case goldap.LDAPResultInvalidCredentials:
			reason := "wrong DN or password"
			msg := le.Err.Error()
			if i := strings.Index(msg, "data "); i >= 0 {
				code := strings.TrimSpace(strings.SplitN(msg[i+5:], ",", 2)[0])
				if r, ok := adBindReasons[code]; ok {
					reason = r + " (AD data " + code + ")"
				}
			}
			return fmt.Errorf("bind to %s: invalid credentials for DN %s: %s", src.URL, src.BindDN, reason)
		case goldap.LDAPResultStrongAuthRequired, goldap.LDAPResultConfidentialityRequired:
			return fmt.Errorf("bind to %s as %s: the server requires an encrypted connection (transport encryption required): use ldaps:// or --ldap-starttls", src.URL, src.BindDN)
		}
		if le.Err != nil {
			// The cause ("ldap: connection timed out", the server's text).
			return fmt.Errorf("bind to %s as %s: %s (LDAP result %d): %w", src.URL, src.BindDN, goldap.LDAPResultCodeMap[le.ResultCode], le.ResultCode, le.Err)
		}
		return fmt.Errorf("bind to %s as %s: %s (LDAP result %d)", src.URL, src.BindDN, goldap.LDAPResultCodeMap[le.ResultCode], le.ResultCode)
	}
	return fmt.Errorf("bind to %s as %s: %w", src.URL, src.BindDN, err)
}

// explainTLS adds what to do to certificate errors.
func explainTLS(err error, src *Source) error {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	switch {
	case errors.As(err, &ua):
		return fmt.Errorf("%w: the server's certificate is not signed by a trusted CA; give the CA certificate with --ldap-ca-file", err)
	case errors.As(err, &hn):
		return fmt.Errorf("%w: connect by a name the certificate holds", err)
	}
	return err
}

// readRootDSE reads the attributes of the root DSE that say where to search.
func (c *conn) readRootDSE() error {
	res, err := c.Search(goldap.NewSearchRequest("", goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"defaultNamingContext", "rootDomainNamingContext", "schemaNamingContext", "configurationNamingContext", "dnsHostName"}, nil))
	if err != nil {
		return fmt.Errorf("read the root DSE of %s: %w", c.src.URL, err)
	}
	if len(res.Entries) == 0 {
		return fmt.Errorf("read the root DSE of %s: no entry", c.src.URL)
	}
	c.rootDSE = res.Entries[0]
	return nil
}

// pagedSearch runs req page by page (PageSize) and calls fn for each entry.
// When s sees page ends on the wire (pageEndWatcher), the next page is asked
// for as soon as the last one ended, while fn still works through it; at
// most two pages are held. It returns the referrals the server sent.
func pagedSearch(ctx context.Context, s searcher, req *goldap.SearchRequest, fn func(*goldap.Entry) error) ([]string, error) {
	type page struct {
		res *goldap.SearchResult
		err error
	}
	fetch := func(cookie []byte) <-chan page {
		r := *req
		paging := goldap.NewControlPaging(PageSize)
		paging.SetCookie(cookie)
		r.Controls = append(req.Controls[:len(req.Controls):len(req.Controls)], paging)
		ch := make(chan page, 1)
		go func() {
			res, err := s.Search(&r)
			ch <- page{res, err}
		}()
		return ch
	}
	var watch <-chan []byte
	if w, ok := s.(pageEndWatcher); ok {
		watch = w.pageEnds()
	}
	var referrals []string
	cur := fetch(nil)
	for {
		var p page
		var next <-chan page // the following page, asked for early
		var early []byte
		ends := watch
	wait:
		for {
			select {
			case <-ctx.Done():
				return referrals, ctx.Err()
			case p = <-cur:
				break wait
			case early = <-ends:
				next, ends = fetch(early), nil
			}
		}
		if p.err != nil {
			return referrals, p.err
		}
		referrals = append(referrals, p.res.Referrals...)
		var cookie []byte
		if ctrl, ok := goldap.FindControl(p.res.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging); ok {
			cookie = ctrl.Cookie
		}
		switch {
		case next != nil && !bytes.Equal(early, cookie):
			return referrals, fmt.Errorf("the paging cookie seen on the wire differs from the one decoded (%d and %d bytes): stopped rather than risk skipping a page", len(early), len(cookie))
		case next == nil && len(cookie) > 0:
			if ends != nil {
				// The end was on the wire before go-ldap returned the page
				// (select chose the page): take it, lest the next page be
				// asked for with it twice.
				select {
				case <-ends:
				default:
				}
			}
			next = fetch(cookie)
		}
		for _, e := range p.res.Entries {
			if err := fn(e); err != nil {
				return referrals, err
			}
		}
		if next == nil {
			return referrals, nil
		}
		cur = next
	}
}

// completeRanges follows AD's ranged retrieval: an attribute returned as
// "name;range=0-1499" is fetched again from 1500 on until a range ends in
// "*", and the values are merged under the plain name.
func completeRanges(ctx context.Context, s searcher, e *goldap.Entry) error {
	for _, a := range e.Attributes {
		base, lo, hi, ok := parseRange(a.Name)
		if !ok {
			continue
		}
		a.Name = base
		for hi != "*" {
			if err := ctx.Err(); err != nil {
				return err
			}
			n, err := strconv.Atoi(hi)
			if err != nil {
				return fmt.Errorf("%s: attribute %s: unexpected range %s-%s", e.DN, base, lo, hi)
			}
			want := fmt.Sprintf("%s;range=%d-*", base, n+1)
			res, err := s.Search(goldap.NewSearchRequest(e.DN, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{want}, nil))
			if err != nil {
				return fmt.Errorf("%s: ranged retrieval of %s: %w", e.DN, base, err)
			}
			next := false
			if len(res.Entries) == 1 {
				for _, b := range res.Entries[0].Attributes {
					if nb, nlo, nhi, ok := parseRange(b.Name); ok && strings.EqualFold(nb, base) {
						a.Values = append(a.Values, b.Values...)
						a.ByteValues = append(a.ByteValues, b.ByteValues...)
						lo, hi, next = nlo, nhi, true
					}
				}
			}
			if !next {
				return fmt.Errorf("%s: ranged retrieval of %s stopped after %s values without an end", e.DN, base, hi)
			}
		}
	}
	return nil
}

// countMembers replaces the member values of an entry with their number
// (scanner.MemberCountAttr; 0 for a group without members), following
// ranged retrieval as completeRanges does but counting each range's values
// and dropping them: a group of a million members costs one range of
// values at a time, not a million DNs.
func countMembers(ctx context.Context, s searcher, e *goldap.Entry) error {
	n, found := 0, false
	kept := e.Attributes[:0]
	for _, a := range e.Attributes {
		base, lo, hi, ranged := parseRange(a.Name)
		if !strings.EqualFold(base, "member") {
			kept = append(kept, a)
			continue
		}
		found = true
		n += len(a.ByteValues)
		for ranged && hi != "*" {
			if err := ctx.Err(); err != nil {
				return err
			}
			last, err := strconv.Atoi(hi)
			if err != nil {
				return fmt.Errorf("%s: attribute member: unexpected range %s-%s", e.DN, lo, hi)
			}
			res, err := s.Search(goldap.NewSearchRequest(e.DN, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)",
				[]string{fmt.Sprintf("member;range=%d-*", last+1)}, nil))
			if err != nil {
				return fmt.Errorf("%s: ranged retrieval of member: %w", e.DN, err)
			}
			next := false
			if len(res.Entries) == 1 {
				for _, b := range res.Entries[0].Attributes {
					if nb, nlo, nhi, ok := parseRange(b.Name); ok && strings.EqualFold(nb, "member") {
						n += len(b.ByteValues)
						lo, hi, next = nlo, nhi, true
					}
				}
			}
			if !next {
				return fmt.Errorf("%s: ranged retrieval of member stopped after %s values without an end", e.DN, hi)
			}
		}
	}
	clear(e.Attributes[len(kept):])
	e.Attributes = kept
	if found || slices.ContainsFunc(e.GetAttributeValues("objectClass"), func(c string) bool { return strings.EqualFold(c, "group") }) {
		v := strconv.Itoa(n)
		e.Attributes = append(e.Attributes, &goldap.EntryAttribute{Name: scanner.MemberCountAttr, Values: []string{v}, ByteValues: [][]byte{[]byte(v)}})
	}
	return nil
}

// parseRange splits "name;range=lo-hi".
func parseRange(name string) (base, lo, hi string, ok bool) {
	i := strings.Index(strings.ToLower(name), ";range=")
	if i < 0 {
		return name, "", "", false
	}
	lo, hi, ok = strings.Cut(name[i+len(";range="):], "-")
	return name[:i], lo, hi, ok
}

func containsFold(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
