// Package graph reads the Entra tenant live from Microsoft Graph v1.0 with
// msgraph-sdk-go: every collection of the export directory, with $select of
// exactly the fields needed and $top=999, following @odata.nextLink to the
// end, the collections concurrently. The SDK builds the requests,
// authenticates, retries (429 with Retry-After, 503, 504) and maps errors;
// the response bodies are decoded by graphdir's field tables, as export
// files are, because the SDK's generic model parsing was seven times slower.
// A failure mid-paging fails the read. What is read goes through
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
	"strings"
	"sync"
	"time"

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

// The $select of each collection (DESIGN.md, Graph export directory).
var (
	userFields    = []string{"id", "displayName", "userPrincipalName", "mail", "mailNickname", "proxyAddresses", "onPremisesImmutableId", "onPremisesSyncEnabled", "onPremisesDistinguishedName", "userType", "creationType", "accountEnabled"}
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
	provider, err := opt.Auth.provider(ep.Hostname())
	if err != nil {
		return nil, err
	}
	copts := msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: "1.103.0"}
	mw := msgraphcore.GetDefaultMiddlewaresWithOptions(&copts)
	for i, m := range mw {
		if _, ok := m.(*khttp.RetryHandler); ok {
			// The SDK's retry handler with its defaults (3 attempts,
			// Retry-After honoured), telling us of each retry.
			mw[i] = khttp.NewRetryHandlerWithOptions(khttp.RetryHandlerOptions{ShouldRetry: func(_ time.Duration, n int, req *nethttp.Request, resp *nethttp.Response) bool {
				if opt.OnRetry != nil && resp != nil {
					opt.OnRetry(resp.StatusCode, n+1, req.URL.Path)
				}
				return true
			}})
		}
	}
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(provider, copts, nil, nil, msgraphcore.GetDefaultClient(&copts, mw...))
	if err != nil {
		return nil, fmt.Errorf("create Graph client: %w", err)
	}
	base := ep.String() + "/v1.0"
	adapter.SetBaseUrl(base)
	return &Reader{adapter: adapter, endpoint: base, opt: opt}, nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

func path() map[string]string { return map[string]string{} }

// Read reads the whole tenant into b (and, when save is not nil, writes the
// export directory as it goes). It returns the requests made, for the
// report's sources. Users are required: any failure there is fatal. An
// optional collection refused with a 4xx becomes a coverage entry naming the
// permission; other failures are fatal, so a tenant is never silently
// truncated.
func (r *Reader) Read(ctx context.Context, b *graphdir.Builder, save *graphdir.DirWriter) ([]string, error) {
	ctx, cancel := context.WithCancel(ctx)
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

	// A fatal error first (not the cancellations it caused), then the
	// refusals of optional collections as coverage.
	for i, j := range jobs {
		err := errs[i]
		if err == nil || errors.Is(err, context.Canceled) && ctx.Err() != nil && fatalElsewhere(errs, i) {
			continue
		}
		status, desc := describe(err)
		switch {
		case j.file == graphdir.UsersFile && (status == 401 || status == 403):
			return nil, fmt.Errorf("read users from %s: %s; the application needs User.Read.All (with admin consent)", r.endpoint, desc)
		case j.file == graphdir.UsersFile:
			return nil, fmt.Errorf("read users from %s: %s", r.endpoint, desc)
		case !refused(err):
			return nil, fmt.Errorf("read %s from %s: %s; the scan is abandoned rather than reporting on part of the tenant", requestOf(j.file), r.endpoint, desc)
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
			b.Note(domainsRefused + ": only the verified domains of /organization are known; unverified domains added to the tenant are not")
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
	// Members of the groups that hold roles.
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
			_, desc := describe(err)
			if refused(err) {
				b.MembersUnknown(id, fmt.Sprintf("GET /groups/%s/transitiveMembers was refused (%s): it needs %s", id, desc, permissions[graphdir.RoleMembersDir]))
				continue
			}
			return nil, fmt.Errorf("read the members of group %s from %s: %s", id, r.endpoint, desc)
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

// describe extracts the HTTP status and a message from an SDK error without
// calling ODataError.Error(), which panics on a body without a message.
func describe(err error) (int, string) {
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
	return 0, err.Error()
}

// pages sends a request and follows @odata.nextLink to the end. Each body
// is decoded by decode (graphdir's fast field tables for the big
// collections): the SDK builds the requests, authenticates, retries and
// maps errors, but its generic parse-node model was seven times slower than
// decoding the same fields directly, so bodies are taken as bytes.
func (r *Reader) pages(ctx context.Context, info *abstractions.RequestInformation, build error, decode func(body []byte) (graphdir.Page, error)) error {
	if build != nil {
		return build
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := r.adapter.SendPrimitive(ctx, info, "[]byte", errorMapping)
		if err != nil {
			return err
		}
		body, _ := res.([]byte)
		p, err := decode(body)
		next := p.Next
		if err != nil {
			return fmt.Errorf("a page of %s: %w", info.UrlTemplate, err)
		}
		if next == "" {
			return nil
		}
		u, err := url.Parse(next)
		if err != nil {
			return fmt.Errorf("@odata.nextLink %q: %w", next, err)
		}
		info = abstractions.NewRequestInformation()
		info.Method = abstractions.GET
		info.SetUri(*u)
		info.Headers.TryAdd("Accept", "application/json")
	}
}

var errorMapping = abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

func top() *int32 { t := pageSize; return &t }

func (r *Reader) users(ctx context.Context, add func(any) error) error {
	info, err := users.NewUsersRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: userFields, Top: top()},
	})
	return r.pages(ctx, info, err, func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodeUsers(b, func(u *graphdir.User) error { return add(u) })
	})
}

func (r *Reader) groups(ctx context.Context, add func(any) error) error {
	info, err := groups.NewGroupsRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{Select: groupFields, Top: top()},
	})
	return r.pages(ctx, info, err, func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodeGroups(b, func(g *graphdir.Group) error { return add(g) })
	})
}

func (r *Reader) contacts(ctx context.Context, add func(any) error) error {
	info, err := contacts.NewContactsRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &contacts.ContactsRequestBuilderGetRequestConfiguration{
		QueryParameters: &contacts.ContactsRequestBuilderGetQueryParameters{Select: contactFields, Top: top()},
	})
	return r.pages(ctx, info, err, func(b []byte) (graphdir.Page, error) {
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
	return r.pages(ctx, info, err, addEach[graphdir.RoleGrant](add))
}

func (r *Reader) eligibility(ctx context.Context, add func(any) error) error {
	info, err := rolemanagement.NewRoleManagementRequestBuilderInternal(path(), r.adapter).Directory().RoleEligibilitySchedules().ToGetRequestInformation(ctx,
		&rolemanagement.DirectoryRoleEligibilitySchedulesRequestBuilderGetRequestConfiguration{
			QueryParameters: &rolemanagement.DirectoryRoleEligibilitySchedulesRequestBuilderGetQueryParameters{Expand: []string{"roleDefinition"}},
		})
	return r.pages(ctx, info, err, addEach[graphdir.RoleGrant](add))
}

func (r *Reader) domains(ctx context.Context, add func(any) error) error {
	info, err := domains.NewDomainsRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, nil)
	return r.pages(ctx, info, err, addEach[graphdir.Domain](add))
}

func (r *Reader) organization(ctx context.Context, add func(any) error) error {
	info, err := organization.NewOrganizationRequestBuilderInternal(path(), r.adapter).ToGetRequestInformation(ctx, &organization.OrganizationRequestBuilderGetRequestConfiguration{
		QueryParameters: &organization.OrganizationRequestBuilderGetQueryParameters{Select: orgFields},
	})
	return r.pages(ctx, info, err, addEach[graphdir.Organization](add))
}

func (r *Reader) sync(ctx context.Context, add func(any) error) error {
	info, err := directory.NewDirectoryRequestBuilderInternal(path(), r.adapter).OnPremisesSynchronization().ToGetRequestInformation(ctx, nil)
	return r.pages(ctx, info, err, addEach[graphdir.Sync](add))
}

func (r *Reader) deleted(ctx context.Context, add func(any) error) error {
	info, err := directory.NewDirectoryRequestBuilderInternal(path(), r.adapter).DeletedItems().GraphUser().ToGetRequestInformation(ctx, &directory.DeletedItemsGraphUserRequestBuilderGetRequestConfiguration{
		QueryParameters: &directory.DeletedItemsGraphUserRequestBuilderGetQueryParameters{Select: deletedFields, Top: top()},
	})
	return r.pages(ctx, info, err, func(b []byte) (graphdir.Page, error) {
		return graphdir.DecodeUsers(b, func(u *graphdir.User) error { return add(u) })
	})
}

func (r *Reader) members(ctx context.Context, groupID string, fn func(*graphdir.Member) error) error {
	info, err := groups.NewGroupsRequestBuilderInternal(path(), r.adapter).ByGroupId(groupID).TransitiveMembers().ToGetRequestInformation(ctx, &groups.ItemTransitiveMembersRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.ItemTransitiveMembersRequestBuilderGetQueryParameters{Select: []string{"id"}, Top: top()},
	})
	return r.pages(ctx, info, err, func(b []byte) (graphdir.Page, error) { return graphdir.DecodePage(b, fn) })
}
