// Package graph reads the Entra tenant live from Microsoft Graph v1.0 with
// msgraph-sdk-go: every collection of the export directory, with $select of
// exactly the fields needed and $top=999, following @odata.nextLink to the
// end, the collections concurrently. The SDK builds the requests,
// authenticates, retries (429 with Retry-After, 503, 504) and maps errors;
// the response bodies are decoded by graphdir's field tables, as export
// files are, because the SDK's generic model parsing was seven times slower.
// A collection is read whole or not at all: a failure mid-paging fails the
// read, or (a refused optional collection) drops what was read of it. What
// is read goes through
// graphdir.Builder, as an offline export does, and can be written as an
// export directory.
//
// This is the only package that imports the SDK: it takes minutes and
// gigabytes to compile, and only the request-builder subpackages used are
// imported (not the root package), which halves that.
package graph

import (
	"context"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	textser "github.com/microsoft/kiota-serialization-text-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/contacts"
	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/domains"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/organization"
	"github.com/microsoftgraph/msgraph-sdk-go/rolemanagement"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
)

// DefaultEndpoint is Graph's global endpoint; sovereign clouds and test
// servers pass their own. The API version path is appended.
const DefaultEndpoint = "https://graph.microsoft.com"

// The $select of each collection: the fields of the export directory's files.
var (
	userFields    = []string{"id", "displayName", "userPrincipalName", "mail", "mailNickname", "proxyAddresses", "onPremisesImmutableId", "onPremisesSyncEnabled", "onPremisesDistinguishedName", "onPremisesSecurityIdentifier", "userType", "creationType", "accountEnabled"}
	groupFields   = []string{"id", "displayName", "mail", "mailEnabled", "securityEnabled", "mailNickname", "groupTypes", "proxyAddresses", "onPremisesSyncEnabled", "isAssignableToRole"}
	contactFields = []string{"id", "displayName", "mail", "mailNickname", "proxyAddresses", "onPremisesSyncEnabled"}
	deletedFields = []string{"id", "userPrincipalName", "mail", "proxyAddresses", "onPremisesImmutableId"}
	orgFields     = []string{"id", "displayName", "verifiedDomains"}
)

// pageSize is $top: Graph's largest page for directory objects.
const pageSize int32 = 999

// permissions names the application permission each optional collection
// needs, for the coverage entry when it is refused.
var permissions = map[string]string{
	graphdir.GroupsFile:       "Group.Read.All",
	graphdir.ContactsFile:     "OrgContact.Read.All",
	graphdir.RoleAssignFile:   "RoleManagement.Read.Directory",
	graphdir.EligibilityFile:  "RoleManagement.Read.Directory (and Microsoft Entra ID P2 for PIM)",
	graphdir.RoleMembersDir:   "GroupMember.Read.All or Group.Read.All",
	graphdir.DomainsFile:      "Domain.Read.All",
	graphdir.OrganizationFile: "Organization.Read.All or Directory.Read.All",
	graphdir.SyncFile:         "OnPremDirectorySynchronization.Read.All (documented as delegated-only: a Global Administrator signed in with --graph-auth device)",
	graphdir.DeletedFile:      "User.Read.All",
}

// Options configure a read.
type Options struct {
	// Endpoint is the Graph root, DefaultEndpoint when empty.
	Endpoint string
	// Auth is the authentication provider (see Authenticate).
	Auth Auth
	// Progress, when set, is called with a collection's running item count.
	Progress func(collection string, items int)
	// OnRetry, when set, is told of each request the SDK's retry handler
	// repeats (429, 503, 504), for the log.
	OnRetry func(status, attempt int, url string)
}

// Reader reads a tenant.
type Reader struct {
	adapter  abstractions.RequestAdapter
	endpoint string
	origin   string // the endpoint's scheme://host:port
	opt      Options
}

var registerOnce sync.Once

// NewReader builds the SDK's request adapter for opt.Endpoint (+ "/v1.0"),
// with the SDK's default middleware (retry, redirect, compression).
func NewReader(opt Options) (*Reader, error) {
	if opt.Endpoint == "" {
		opt.Endpoint = DefaultEndpoint
	}
	ep, err := url.Parse(strings.TrimRight(opt.Endpoint, "/"))
	if err != nil || ep.Host == "" || (ep.Scheme != "https" && ep.Scheme != "http") {
		return nil, fmt.Errorf("--graph-endpoint %q: want https://host (the /v1.0 path is added)", opt.Endpoint)
	}
	if ep.Scheme == "http" && !isLoopback(ep.Hostname()) {
		return nil, fmt.Errorf("--graph-endpoint %s: plain http is accepted only for a local test server (127.0.0.1, ::1, localhost)", opt.Endpoint)
	}
	if opt.Auth == nil {
		return nil, errors.New("no Graph authentication: set SYNCREADY_GRAPH_TOKEN, or give --tenant-id and --client-id with a secret, certificate or --graph-auth")
	}
	registerOnce.Do(func() {
		// The root SDK package registers these; we import only subpackages.
		abstractions.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return jsonser.NewJsonParseNodeFactory() })
		abstractions.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return textser.NewTextParseNodeFactory() })
		abstractions.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return jsonser.NewJsonSerializationWriterFactory() })
	})
	provider, err := opt.Auth.provider(ep)
	if err != nil {
		return nil, err
	}
	origin := originOf(ep)
	copts := msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: "1.103.0"}
	mw := msgraphcore.GetDefaultMiddlewaresWithOptions(&copts)
	for i, m := range mw {
		switch m.(type) {
		case *khttp.RetryHandler:
			// The SDK's retry handler with its defaults (3 attempts,
			// Retry-After honoured), refusing waits beyond maxRetryWait
			// and telling us of each retry.
			mw[i] = khttp.NewRetryHandlerWithOptions(khttp.RetryHandlerOptions{ShouldRetry: retryPolicy(opt.OnRetry)})
		case *khttp.RedirectHandler:
			// Redirects within the endpoint's origin only (the guard
			// below refuses the others with an error first).
			mw[i] = khttp.NewRedirectHandlerWithOptions(khttp.RedirectHandlerOptions{
				ShouldRedirect: func(req *nethttp.Request, res *nethttp.Response) bool {
					return redirectOrigin(req.URL, res.Header.Get("Location")) == origin
				},
			})
		}
	}
	mw = append(mw, &guard{origin: origin, timeout: attemptTimeout})
	client := msgraphcore.GetDefaultClient(&copts, mw...)
	client.Timeout = 0 // the guard bounds each attempt; the retry waits are bounded apart
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(provider, copts, nil, nil, client)
	if err != nil {
		return nil, fmt.Errorf("create Graph client: %w", err)
	}
	base := ep.String() + "/v1.0"
	adapter.SetBaseUrl(base)
	return &Reader{adapter: adapter, endpoint: base, origin: origin, opt: opt}, nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

func path() map[string]string { return map[string]string{} }

// Read reads the whole tenant into b (and, when save is not nil, writes the
// export directory as it goes). It returns the requests made, for the
// report's sources. Users are required: any failure there is fatal. An
// optional collection refused with a 4xx becomes a coverage entry naming the
// permission, and nothing of it is kept, even pages read before the refusal
// (nor written: its export file is abandoned); other failures are fatal, so
// a tenant is never silently truncated. On any error no result is returned
// and b, which may hold part of the users, must be discarded. When ctx
// ends, the error satisfies errors.Is(err, ctx.Err()).
func (r *Reader) Read(parent context.Context, b *graphdir.Builder, save *graphdir.DirWriter) ([]string, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	type job struct {
		file  string
		fact  scanner.Fact
		run   func(ctx context.Context, add func(any) error) error
		items []any // buffered for the builder, in order
	}
	jobs := []*job{
		{file: graphdir.UsersFile, run: r.users},
		{file: graphdir.GroupsFile, fact: scanner.FactGroups, run: r.groups},
		{file: graphdir.ContactsFile, fact: scanner.FactContacts, run: r.contacts},
		{file: graphdir.RoleAssignFile, fact: scanner.FactRoles, run: r.roleAssignments},
		{file: graphdir.EligibilityFile, fact: scanner.FactEligibility, run: r.eligibility},
		{file: graphdir.DomainsFile, fact: scanner.FactDomains, run: r.domains},
		{file: graphdir.OrganizationFile, fact: scanner.FactOrganization, run: r.organization},
		{file: graphdir.SyncFile, fact: scanner.FactFeatures, run: r.sync},
		{file: graphdir.DeletedFile, fact: scanner.FactDeleted, run: r.deleted},
	}
	errs := make([]error, len(jobs))
	var mu sync.Mutex // guards b for the users job, which streams into it
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out *graphdir.Collection
			if save != nil {
				var err error
				if out, err = save.Create(j.file); err != nil {
					errs[i] = err
					cancel()
					return
				}
			}
			n := 0
			err := j.run(ctx, func(item any) error {
				n++
				if r.opt.Progress != nil && (n%999 == 0) {
					r.opt.Progress(j.file, n)
				}
				if out != nil {
					if err := out.Add(item); err != nil {
						return err
					}
				}
				if j.file == graphdir.UsersFile {
					mu.Lock()
					defer mu.Unlock()
					return b.User(item.(*graphdir.User))
				}
				j.items = append(j.items, item)
				return nil
			})
			if r.opt.Progress != nil {
				r.opt.Progress(j.file, n)
			}
			if err != nil {
				// Whole or not at all: the pages read before the failure
				// are dropped, in memory and in the export directory.
				j.items = nil
				if out != nil {
					out.Abort()
				}
				errs[i] = err
				if j.file == graphdir.UsersFile || !refused(err) {
					cancel() // fatal: stop the other requests
				}
				return
			}
			if out != nil {
				errs[i] = out.Close()
			}
		}()
	}
	wg.Wait()
	if err := parent.Err(); err != nil {
		return nil, fmt.Errorf("read the tenant from %s: %w", r.endpoint, err)
	}
	// A failed sign-in says so, once, whichever request met it.
	for _, err := range errs {
		var se *SignInError
		if errors.As(err, &se) {
			return nil, se
		}
	}

	// A fatal error first (not the cancellations it caused), then the
	// refusals of optional collections as coverage.
	for i, j := range jobs {
		err := errs[i]
		if err == nil || errors.Is(err, context.Canceled) && fatalElsewhere(errs, i) {
			continue
		}
		status, desc := describe(err)
		switch {
		case j.file == graphdir.UsersFile && (status == 401 || status == 403):
			return nil, &readError{msg: fmt.Sprintf("read users from %s: %s; the application needs User.Read.All (with admin consent)", r.endpoint, desc), cause: err}
		case j.file == graphdir.UsersFile:
			return nil, &readError{msg: fmt.Sprintf("read users from %s: %s", r.endpoint, desc), cause: err}
		case !refused(err):
			return nil, &readError{msg: fmt.Sprintf("read %s from %s: %s; the scan is abandoned rather than reporting on part of the tenant", requestOf(j.file), r.endpoint, desc), cause: err}
		}
	}
	var requests []string
	var domainsRefused string
	orgRefused := false
	for i, j := range jobs {
		err := errs[i]
		if err == nil {
			requests = append(requests, r.endpoint+"/"+requestOf(j.file))
			continue
		}
		_, desc := describe(err)
		cause := fmt.Sprintf("GET /%s was refused (%s): it needs %s", requestOf(j.file), desc, permissions[j.file])
		switch j.file {
		case graphdir.DomainsFile:
			domainsRefused = cause // the organization's verified domains may do
			continue
		case graphdir.OrganizationFile:
			orgRefused = true
		}
		b.Unknown(j.fact, cause)
	}
	if domainsRefused != "" {
		if orgRefused {
			b.Unknown(scanner.FactDomains, domainsRefused)
		} else {
			b.Partial(domainsRefused + ": only the verified domains of /organization are known; unverified domains added to the tenant are not")
		}
	}
	// Feed the buffered collections in the offline reader's order.
	for _, j := range jobs[1:] {
		for _, it := range j.items {
			var err error
			switch v := it.(type) {
			case *graphdir.Group:
				err = b.Group(v)
			case *graphdir.Contact:
				err = b.Contact(v)
			case *graphdir.RoleGrant:
				err = b.Grant(v, j.file == graphdir.RoleAssignFile)
			case *graphdir.Domain:
				err = b.Domain(v)
			case *graphdir.Organization:
				err = b.Organization(v)
			case *graphdir.Sync:
				err = b.Sync(v)
			case *graphdir.User:
				err = b.Deleted(v)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", j.file, err)
			}
		}
		j.items = nil
	}
	// Members of the groups that hold roles, each group's whole or not at
	// all, as the collections above.
	for _, id := range b.RoleHolders() {
		if !b.IsGroup(id) {
			continue
		}
		name := graphdir.RoleMembersDir + "/" + id + ".json"
		var out *graphdir.Collection
		if save != nil {
			var err error
			if out, err = save.Create(name); err != nil {
				return nil, err
			}
		}
		var members []graphdir.Member
		err := r.members(ctx, id, func(m *graphdir.Member) error {
			members = append(members, *m)
			if out != nil {
				return out.Add(m)
			}
			return nil
		})
		if err != nil {
			if out != nil {
				out.Abort()
			}
			if perr := parent.Err(); perr != nil {
				return nil, fmt.Errorf("read the tenant from %s: %w", r.endpoint, perr)
			}
			var se *SignInError
			if errors.As(err, &se) {
				return nil, se
			}
			_, desc := describe(err)
			if refused(err) {
				b.MembersUnknown(id, fmt.Sprintf("GET /groups/%s/transitiveMembers was refused (%s): it needs %s", id, desc, permissions[graphdir.RoleMembersDir]))
				continue
			}
			return nil, &readError{msg: fmt.Sprintf("read the members of group %s from %s: %s", id, r.endpoint, desc), cause: err}
		}
		if out != nil {
			if err := out.Close(); err != nil {
				return nil, err
			}
		}
		if err := b.Members(id, members); err != nil {
			return nil, err
		}
		requests = append(requests, r.endpoint+"/groups/"+id+"/transitiveMembers")
	}
	return requests, nil
}

// readError is a failed read: its message says what and where, its cause
// stays reachable for errors.Is and errors.As.
type readError struct {
	msg   string
	cause error
}

func (e *readError) Error() string { return e.msg }
func (e *readError) Unwrap() error { return e.cause }

// refused reports a 4xx other than 429 (throttling is retried, and fatal
// when it persists): the request was refused, not failed.
func refused(err error) bool {
	status, _ := describe(err)
	return status >= 400 && status < 500 && status != 429
}

// fatalElsewhere reports whether another job failed fatally, so error i is
// only the cancellation that caused.
func fatalElsewhere(errs []error, i int) bool {
	for k, err := range errs {
		if k != i && err != nil && !errors.Is(err, context.Canceled) && (k == 0 || !refused(err)) {
			return true
		}
	}
	return false
}

// requestOf is the Graph request behind an export file.
func requestOf(file string) string {
	switch file {
	case graphdir.UsersFile:
		return "users"
	case graphdir.GroupsFile:
		return "groups"
	case graphdir.ContactsFile:
		return "contacts"
	case graphdir.RoleAssignFile:
		return "roleManagement/directory/roleAssignments"
	case graphdir.EligibilityFile:
		return "roleManagement/directory/roleEligibilitySchedules"
	case graphdir.DomainsFile:
		return "domains"
	case graphdir.OrganizationFile:
		return "organization"
	case graphdir.SyncFile:
		return "directory/onPremisesSynchronization"
	case graphdir.DeletedFile:
		return "directory/deletedItems/microsoft.graph.user"
	}
	return file
}

// describe extracts the HTTP status and a message from an error of the
// reader, naming the page and collection where there is one, without ever
// calling ODataError.Error(), which panics on a body without a message.
func describe(err error) (int, string) {
	var pe *pageError
	if errors.As(err, &pe) {
		status, desc := describe(pe.err)
		return status, fmt.Sprintf("page %d of %s: %s", pe.page, pe.collection, desc)
	}
	var se *statusError
	if errors.As(err, &se) {
		return se.status, redact(se.desc)
	}
	if status, desc := describeSDK(err); status != 0 {
		return status, redact(desc)
	}
	return 0, redact(err.Error())
}

// secretRE matches what a server's error message may quote of a request's
// credentials: a bearer token, or anything shaped like a JWT.
var secretRE = regexp.MustCompile(`(?i)(bearer\s+)[^\s"',;]+|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// redact takes out of a message a token a server quoted back: an error
// message is printed and logged, a token never is.
func redact(s string) string {
	return secretRE.ReplaceAllStringFunc(s, func(m string) string {
		if len(m) > 6 && strings.EqualFold(m[:6], "bearer") {
			return m[:6] + " <token>"
		}
		return "<token>"
	})
}

// describeSDK describes the SDK's HTTP errors; status 0 for any other.
func describeSDK(err error) (int, string) {
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		status := oe.ResponseStatusCode
		code, msg := "", ""
		if main := oe.GetErrorEscaped(); main != nil {
			if c := main.GetCode(); c != nil {
				code = *c
			}
			if m := main.GetMessage(); m != nil {
				msg = *m
			}
		}
		desc := fmt.Sprintf("HTTP %d", status)
		if code != "" {
			desc += " " + code
		}
		if msg != "" {
			desc += ": " + msg
		}
		return status, desc
	}
	var ae *abstractions.ApiError
	if errors.As(err, &ae) {
		return ae.ResponseStatusCode, fmt.Sprintf("HTTP %d", ae.ResponseStatusCode)
	}
	return 0, ""
}

// The bounds of one collection's paging. Each is an error naming the
// collection and the page, never the end of the collection.
const (
	// maxItems: Entra's default directory quota is 300,000 objects for a
	// tenant with a verified domain (50,000 without), raised beyond that
	// only by Microsoft Support ("Microsoft Entra service limits and
	// restrictions", learn.microsoft.com/entra/identity/users/
	// directory-service-limits-restrictions). 50 million is over 160
	// times that quota and well above the largest tenants known; a
	// collection that grows past it is a server that does not stop.
	maxItems = 50_000_000
	// maxPages: 100,000 pages hold 100 million items at $top=999 and
	// still 10 million in pages of 100 (some collections page at 100
	// whatever $top says).
	maxPages = 100_000
	// maxEmptyRun: Graph may answer a page with no items and a next link
	// (Microsoft says to keep following: microsoftgraph/
	// microsoft-graph-docs-contrib#1316, microsoft-graph-docs#21635), so
	// one empty page is no error; but a run of empty pages with ever new
	// links is a server that pages on without moving, and the repeated-
	// link check cannot see it. Ten in a row is far beyond the odd empty
	// page of a plain list and costs seconds, not hours.
	maxEmptyRun = 10
)

// pages sends a request and follows @odata.nextLink to the end, every page
// decoded by decode (graphdir's fast field tables for the big collections):
// the SDK builds the requests, authenticates, retries and maps errors, but
// its generic parse-node model was seven times slower than decoding the
// same fields directly, so bodies are taken as bytes.
//
// Every page must be an HTTP 200 whose body is a JSON object with a
// "value" array; a next link must stay on the endpoint's origin, must not
// repeat a link of this collection, and the collection must stay within
// maxPages, maxItems and maxEmptyRun. Anything else is an error naming the
// collection (name) and the page; items already passed on belong to a
// failed read, which the caller drops.
func (r *Reader) pages(ctx context.Context, name string, info *abstractions.RequestInformation, build error, decode func(body []byte) (graphdir.Page, error)) error {
	if build != nil {
		return fmt.Errorf("build the request for %s: %w", name, build)
	}
	seen := map[string]bool{}
	if u, err := info.GetUri(); err == nil {
		seen[linkKey(u)] = true
	}
	items, empty := 0, 0
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		fail := func(err error) error { return &pageError{collection: name, page: page, err: err} }
		ex := &exchange{}
		res, err := r.adapter.SendPrimitive(context.WithValue(ctx, exchangeKey{}, ex), info, "[]byte", errorMapping)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			return fail(errOf(err, ex))
		}
		if u, err := url.Parse(ex.url); err == nil && ex.url != "" {
			seen[linkKey(u)] = true // the URL as sent, after the SDK's rewriting
		}
		if ex.status != nethttp.StatusOK {
			return fail(notAPage(ex))
		}
		body, _ := res.([]byte)
		p, err := decode(body)
		if err != nil {
			return fail(err)
		}
		if items += p.Items; items > maxItems {
			return fail(fmt.Errorf("more than %d items: more than a tenant holds, so the server is not ending the collection", maxItems))
		}
		if p.Next == "" {
			return nil
		}
		if page >= maxPages {
			return fail(fmt.Errorf("another @odata.nextLink after %d pages: more than a tenant needs, so the server is not ending the collection", maxPages))
		}
		if p.Items == 0 {
			if empty++; empty >= maxEmptyRun {
				return fail(fmt.Errorf("%d pages in a row without items, each with another @odata.nextLink: the server is not advancing", empty))
			}
		} else {
			empty = 0
		}
		next, err := r.follow(ex.url, p.Next)
		if err != nil {
			return fail(err)
		}
		key := linkKey(next)
		if seen[key] {
			return fail(errors.New("@odata.nextLink repeats the link of an earlier page of this collection: the server is going round in a loop"))
		}
		seen[key] = true
		info = abstractions.NewRequestInformation()
		info.Method = abstractions.GET
		info.SetUri(*next)
		info.Headers.TryAdd("Accept", "application/json")
	}
}

// follow checks a next link: an absolute URL (or one relative to the page
// it came from) on the endpoint's origin, without user information.
func (r *Reader) follow(from, link string) (*url.URL, error) {
	u, err := url.Parse(link)
	if err != nil {
		return nil, errors.New("@odata.nextLink is not a URL")
	}
	if base, err := url.Parse(from); err == nil && !u.IsAbs() {
		u = base.ResolveReference(u)
	}
	if o := originOf(u); o != r.origin || u.User != nil {
		return nil, &originError{what: "@odata.nextLink", to: o, endpoint: r.origin}
	}
	return u, nil
}

// linkKey identifies a link for the repeated-link check: scheme and host
// are compared without case.
func linkKey(u *url.URL) string {
	k := *u
	k.Scheme, k.Host = strings.ToLower(k.Scheme), strings.ToLower(k.Host)
	k.Fragment, k.RawFragment = "", ""
	return k.String()
}

// notAPage describes an answer that is not an error and not HTTP 200: the
// SDK hands such bodies over as if they were pages (a 204 as nothing).
func notAPage(ex *exchange) error {
	desc := fmt.Sprintf("HTTP %d %s", ex.status, nethttp.StatusText(ex.status))
	switch {
	case isRedirect(ex.status) && ex.location == "":
		return errors.New(desc + " without a Location header, instead of a page")
	case isRedirect(ex.status):
		return errors.New(desc + ": too many redirects, instead of a page")
	}
	return errors.New(desc + " instead of a page (HTTP 200 with {\"value\": [...]})")
}

var errorMapping = abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

func top() *int32 { t := pageSize; return &t }

func (r *Reader) users(ctx context.Context, add func(any) error) error {
	info, err := users.NewUsersRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: userFields, Top: top()},
	})
	return r.pages(ctx, "users", info, err, func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodeUsers(b, func(u *graphdir.User) error { return add(u) })
	})
}

func (r *Reader) groups(ctx context.Context, add func(any) error) error {
	info, err := groups.NewGroupsRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{Select: groupFields, Top: top()},
	})
	return r.pages(ctx, "groups", info, err, func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodeGroups(b, func(g *graphdir.Group) error { return add(g) })
	})
}

func (r *Reader) contacts(ctx context.Context, add func(any) error) error {
	info, err := contacts.NewContactsRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &contacts.ContactsRequestBuilderGetRequestConfiguration{
		QueryParameters: &contacts.ContactsRequestBuilderGetQueryParameters{Select: contactFields, Top: top()},
	})
	return r.pages(ctx, "contacts", info, err, func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodeContacts(b, func(c *graphdir.Contact) error { return add(c) })
	})
}

func addEach[T any](add func(any) error) func([]byte) (graphdir.Page, error) {
	return func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodePage(b, func(item *T) error { return add(item) })
	}
}

func (r *Reader) roleAssignments(ctx context.Context, add func(any) error) error {
	info, err := rolemanagement.NewRoleManagementRequestBuilderInternal(path(), r.adapter).Directory().RoleAssignments().ToGetRequestInformation(ctx,
		&rolemanagement.DirectoryRoleAssignmentsRequestBuilderGetRequestConfiguration{
			QueryParameters: &rolemanagement.DirectoryRoleAssignmentsRequestBuilderGetQueryParameters{Expand: []string{"roleDefinition"}},
		})
	return r.pages(ctx, requestOf(graphdir.RoleAssignFile), info, err, addEach[graphdir.RoleGrant](add))
}

func (r *Reader) eligibility(ctx context.Context, add func(any) error) error {
	info, err := rolemanagement.NewRoleManagementRequestBuilderInternal(path(), r.adapter).Directory().RoleEligibilitySchedules().ToGetRequestInformation(ctx,
		&rolemanagement.DirectoryRoleEligibilitySchedulesRequestBuilderGetRequestConfiguration{
			QueryParameters: &rolemanagement.DirectoryRoleEligibilitySchedulesRequestBuilderGetQueryParameters{Expand: []string{"roleDefinition"}},
		})
	return r.pages(ctx, requestOf(graphdir.EligibilityFile), info, err, addEach[graphdir.RoleGrant](add))
}

func (r *Reader) domains(ctx context.Context, add func(any) error) error {
	info, err := domains.NewDomainsRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, nil)
	return r.pages(ctx, "domains", info, err, addEach[graphdir.Domain](add))
}

func (r *Reader) organization(ctx context.Context, add func(any) error) error {
	info, err := organization.NewOrganizationRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &organization.OrganizationRequestBuilderGetRequestConfiguration{
		QueryParameters: &organization.OrganizationRequestBuilderGetQueryParameters{Select: orgFields},
	})
	return r.pages(ctx, "organization", info, err, addEach[graphdir.Organization](add))
}

func (r *Reader) sync(ctx context.Context, add func(any) error) error {
	info, err := directory.NewDirectoryRequestBuilderInternal(path(), r.adapter).OnPremisesSynchronization().ToGetRequestInformation(ctx, nil)
	return r.pages(ctx, requestOf(graphdir.SyncFile), info, err, addEach[graphdir.Sync](add))
}

func (r *Reader) deleted(ctx context.Context, add func(any) error) error {
	info, err := directory.NewDirectoryRequestBuilderInternal(path(), r.adapter).DeletedItems().GraphUser().ToGetRequestInformation(ctx, &directory.DeletedItemsGraphUserRequestBuilderGetRequestConfiguration{
		QueryParameters: &directory.DeletedItemsGraphUserRequestBuilderGetQueryParameters{Select: deletedFields, Top: top()},
	})
	return r.pages(ctx, requestOf(graphdir.DeletedFile), info, err, func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodeUsers(b, func(u *graphdir.User) error { return add(u) })
	})
}

func (r *Reader) members(ctx context.Context, groupID string, fn func(*graphdir.Member) error) error {
	info, err := groups.NewGroupsRequestBuilderInternal(path(), r.adapter).ByGroupId(groupID).TransitiveMembers().ToGetRequestInformation(ctx, &groups.ItemTransitiveMembersRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.ItemTransitiveMembersRequestBuilderGetQueryParameters{Select: []string{"id"}, Top: top()},
	})
	return r.pages(ctx, "groups/"+groupID+"/transitiveMembers", info, err, func(b []byte) (graphdir.Page, error) { return graphdir.DecodePage(b, fn) })
}
