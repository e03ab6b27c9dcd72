// Package graph reads the Entra tenant live from Microsoft Graph v1.0 with
// msgraph-sdk-go: every collection of the export directory, with $select of
// exactly the fields needed and $top=999, following @odata.nextLink through
// the SDK's page iterator, the collections concurrently. Throttling (429 with
// Retry-After) and 503/504 are retried by the SDK's retry handler; a failure
// mid-paging fails the read. What is read goes through graphdir.Builder, as
// an offline export does, and can be written as an export directory.
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
	"github.com/microsoftgraph/msgraph-sdk-go/models"
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
		// Errors on the page iterator's later pages keep their Graph shape.
		_ = msgraphcore.RegisterError(msgraphcore.PageIteratorErrorRegistryKey, abstractions.ErrorMappings{
			"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue,
		})
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

// iterate pages through a collection response with the SDK's page iterator.
func iterate[T any](ctx context.Context, r *Reader, first any, factory absser.ParsableFactory, fn func(T) error) error {
	it, err := msgraphcore.NewPageIterator[T](first, r.adapter, factory)
	if err != nil {
		return err
	}
	var ferr error
	err = it.Iterate(ctx, func(item T) bool {
		ferr = fn(item)
		return ferr == nil
	})
	if ferr != nil {
		return ferr
	}
	return err
}

func top() *int32 { t := pageSize; return &t }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (r *Reader) users(ctx context.Context, add func(any) error) error {
	res, err := users.NewUsersRequestBuilderInternal(path(), r.adapter).Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: userFields, Top: top()},
	})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateUserCollectionResponseFromDiscriminatorValue, func(u models.Userable) error {
		return add(userOf(u))
	})
}

func userOf(u models.Userable) *graphdir.User {
	return &graphdir.User{
		ID: str(u.GetId()), DisplayName: str(u.GetDisplayName()), UserPrincipalName: str(u.GetUserPrincipalName()),
		Mail: str(u.GetMail()), MailNickname: str(u.GetMailNickname()), ProxyAddresses: u.GetProxyAddresses(),
		OnPremisesImmutableID: str(u.GetOnPremisesImmutableId()), OnPremisesSyncEnabled: u.GetOnPremisesSyncEnabled(),
		OnPremisesDistinguishedName: str(u.GetOnPremisesDistinguishedName()), UserType: str(u.GetUserType()),
		CreationType: str(u.GetCreationType()), AccountEnabled: u.GetAccountEnabled(),
	}
}

func (r *Reader) groups(ctx context.Context, add func(any) error) error {
	res, err := groups.NewGroupsRequestBuilderInternal(path(), r.adapter).Get(ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{Select: groupFields, Top: top()},
	})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateGroupCollectionResponseFromDiscriminatorValue, func(g models.Groupable) error {
		return add(&graphdir.Group{
			ID: str(g.GetId()), DisplayName: str(g.GetDisplayName()), Mail: str(g.GetMail()),
			MailEnabled: g.GetMailEnabled(), SecurityEnabled: g.GetSecurityEnabled(), MailNickname: str(g.GetMailNickname()),
			GroupTypes: g.GetGroupTypes(), ProxyAddresses: g.GetProxyAddresses(),
			OnPremisesSyncEnabled: g.GetOnPremisesSyncEnabled(), IsAssignableToRole: g.GetIsAssignableToRole(),
		})
	})
}

func (r *Reader) contacts(ctx context.Context, add func(any) error) error {
	res, err := contacts.NewContactsRequestBuilderInternal(path(), r.adapter).Get(ctx, &contacts.ContactsRequestBuilderGetRequestConfiguration{
		QueryParameters: &contacts.ContactsRequestBuilderGetQueryParameters{Select: contactFields, Top: top()},
	})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateOrgContactCollectionResponseFromDiscriminatorValue, func(c models.OrgContactable) error {
		return add(&graphdir.Contact{
			ID: str(c.GetId()), DisplayName: str(c.GetDisplayName()), Mail: str(c.GetMail()),
			MailNickname: str(c.GetMailNickname()), ProxyAddresses: c.GetProxyAddresses(),
			OnPremisesSyncEnabled: c.GetOnPremisesSyncEnabled(),
		})
	})
}

func grantOf(id, principal, defID, scope *string, def models.UnifiedRoleDefinitionable) *graphdir.RoleGrant {
	g := &graphdir.RoleGrant{ID: str(id), PrincipalID: str(principal), RoleDefinitionID: str(defID), DirectoryScopeID: str(scope)}
	if def != nil {
		g.RoleDefinition = &graphdir.RoleDefinition{ID: str(def.GetId()), DisplayName: str(def.GetDisplayName())}
	}
	return g
}

func (r *Reader) roleAssignments(ctx context.Context, add func(any) error) error {
	res, err := rolemanagement.NewRoleManagementRequestBuilderInternal(path(), r.adapter).Directory().RoleAssignments().Get(ctx,
		&rolemanagement.DirectoryRoleAssignmentsRequestBuilderGetRequestConfiguration{
			QueryParameters: &rolemanagement.DirectoryRoleAssignmentsRequestBuilderGetQueryParameters{Expand: []string{"roleDefinition"}},
		})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateUnifiedRoleAssignmentCollectionResponseFromDiscriminatorValue, func(a models.UnifiedRoleAssignmentable) error {
		return add(grantOf(a.GetId(), a.GetPrincipalId(), a.GetRoleDefinitionId(), a.GetDirectoryScopeId(), a.GetRoleDefinition()))
	})
}

func (r *Reader) eligibility(ctx context.Context, add func(any) error) error {
	res, err := rolemanagement.NewRoleManagementRequestBuilderInternal(path(), r.adapter).Directory().RoleEligibilitySchedules().Get(ctx,
		&rolemanagement.DirectoryRoleEligibilitySchedulesRequestBuilderGetRequestConfiguration{
			QueryParameters: &rolemanagement.DirectoryRoleEligibilitySchedulesRequestBuilderGetQueryParameters{Expand: []string{"roleDefinition"}},
		})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateUnifiedRoleEligibilityScheduleCollectionResponseFromDiscriminatorValue, func(a models.UnifiedRoleEligibilityScheduleable) error {
		return add(grantOf(a.GetId(), a.GetPrincipalId(), a.GetRoleDefinitionId(), a.GetDirectoryScopeId(), a.GetRoleDefinition()))
	})
}

func (r *Reader) domains(ctx context.Context, add func(any) error) error {
	res, err := domains.NewDomainsRequestBuilderInternal(path(), r.adapter).Get(ctx, nil)
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateDomainCollectionResponseFromDiscriminatorValue, func(d models.Domainable) error {
		v, i, def := d.GetIsVerified(), d.GetIsInitial(), d.GetIsDefault()
		return add(&graphdir.Domain{ID: str(d.GetId()), IsVerified: v != nil && *v, IsInitial: i != nil && *i, IsDefault: def != nil && *def})
	})
}

func (r *Reader) organization(ctx context.Context, add func(any) error) error {
	res, err := organization.NewOrganizationRequestBuilderInternal(path(), r.adapter).Get(ctx, &organization.OrganizationRequestBuilderGetRequestConfiguration{
		QueryParameters: &organization.OrganizationRequestBuilderGetQueryParameters{Select: orgFields},
	})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateOrganizationCollectionResponseFromDiscriminatorValue, func(o models.Organizationable) error {
		org := &graphdir.Organization{ID: str(o.GetId()), DisplayName: str(o.GetDisplayName())}
		for _, v := range o.GetVerifiedDomains() {
			i, d := v.GetIsInitial(), v.GetIsDefault()
			org.VerifiedDomains = append(org.VerifiedDomains, graphdir.VerifiedDomain{Name: str(v.GetName()), IsInitial: i != nil && *i, IsDefault: d != nil && *d})
		}
		return add(org)
	})
}

func (r *Reader) sync(ctx context.Context, add func(any) error) error {
	res, err := directory.NewDirectoryRequestBuilderInternal(path(), r.adapter).OnPremisesSynchronization().Get(ctx, nil)
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateOnPremisesDirectorySynchronizationCollectionResponseFromDiscriminatorValue, func(s models.OnPremisesDirectorySynchronizationable) error {
		out := &graphdir.Sync{ID: str(s.GetId())}
		if f := s.GetFeatures(); f != nil {
			out.Features = &graphdir.SyncFeatures{
				SoftMatchOnUpnEnabled: f.GetSoftMatchOnUpnEnabled(), BlockSoftMatchEnabled: f.GetBlockSoftMatchEnabled(),
				BlockCloudObjectTakeoverThroughHardMatchEnabled: f.GetBlockCloudObjectTakeoverThroughHardMatchEnabled(),
				SynchronizeUpnForManagedUsersEnabled:            f.GetSynchronizeUpnForManagedUsersEnabled(),
			}
		}
		return add(out)
	})
}

func (r *Reader) deleted(ctx context.Context, add func(any) error) error {
	res, err := directory.NewDirectoryRequestBuilderInternal(path(), r.adapter).DeletedItems().GraphUser().Get(ctx, &directory.DeletedItemsGraphUserRequestBuilderGetRequestConfiguration{
		QueryParameters: &directory.DeletedItemsGraphUserRequestBuilderGetQueryParameters{Select: deletedFields, Top: top()},
	})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateUserCollectionResponseFromDiscriminatorValue, func(u models.Userable) error {
		return add(userOf(u))
	})
}

func (r *Reader) members(ctx context.Context, groupID string, fn func(*graphdir.Member) error) error {
	res, err := groups.NewGroupsRequestBuilderInternal(path(), r.adapter).ByGroupId(groupID).TransitiveMembers().Get(ctx, &groups.ItemTransitiveMembersRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.ItemTransitiveMembersRequestBuilderGetQueryParameters{Select: []string{"id"}, Top: top()},
	})
	if err != nil {
		return err
	}
	return iterate(ctx, r, res, models.CreateDirectoryObjectCollectionResponseFromDiscriminatorValue, func(o models.DirectoryObjectable) error {
		return fn(&graphdir.Member{Type: str(o.GetOdataType()), ID: str(o.GetId())})
	})
}
