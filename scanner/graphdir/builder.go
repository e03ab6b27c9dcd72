package graphdir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Builder turns the items of a tenant (read from export files or live from
// Graph) into the snapshot's cloud objects and tenant facts. Call Finish
// once everything was added.
type Builder struct {
	snap *scanner.Snapshot
	t    *scanner.Tenant
	// chunks hold the cloud objects added once snap.Cloud was full and
	// large (a live read, which cannot know the count ahead): growing one
	// slice of a hundred thousand objects copied and cleared it again and
	// again, a fifth of the read. Finish appends them to snap.Cloud once.
	chunks [][]scanner.Cloud
	groups map[string]bool
	grants []grant
	// members of the role-holding groups, nil slice = not read
	members  map[string][]string
	missing  map[string]string // group id -> why its members are unknown
	domains  []scanner.Domain
	unsetSyn []string
	syncSeen bool
}

type grant struct {
	principal, role string
	active          bool
}

// NewBuilder starts building the tenant into snap.
func NewBuilder(snap *scanner.Snapshot) *Builder {
	t := &scanner.Tenant{Roles: map[string][]scanner.RoleHolding{}, Features: scanner.DefaultFeatures}
	snap.Tenant = t
	return &Builder{snap: snap, t: t, groups: map[string]bool{}, members: map[string][]string{}, missing: map[string]string{}}
}

func isTrue(b *bool) bool { return b != nil && *b }

func needID(id string) error {
	if strings.TrimSpace(id) == "" {
		return &itemError{field: ".id", msg: "missing \"id\": every object needs its Graph id (include id in $select / -Property)"}
	}
	return nil
}

// User adds a user.
func (b *Builder) User(u *User) error {
	if err := needID(u.ID); err != nil {
		return err
	}
	b.cloud(scanner.Cloud{
		ID: u.ID, Kind: scanner.KindUser, DisplayName: u.DisplayName, UPN: u.UserPrincipalName,
		Mail: u.Mail, MailNickname: u.MailNickname, ProxyAddresses: u.ProxyAddresses,
		ImmutableID: u.OnPremisesImmutableID, SyncEnabled: isTrue(u.OnPremisesSyncEnabled),
		OnPremDN: u.OnPremisesDistinguishedName, UserType: u.UserType,
	})
	return nil
}

// chunkSize is the size of a chunk of cloud objects; below it, snap.Cloud
// simply grows.
const chunkSize = 8192

// cloud adds a cloud object, to snap.Cloud while it has room (or is small),
// else to chunks.
func (b *Builder) cloud(c scanner.Cloud) {
	if b.chunks == nil && (len(b.snap.Cloud) < cap(b.snap.Cloud) || len(b.snap.Cloud) < chunkSize) {
		b.snap.Cloud = append(b.snap.Cloud, c)
		return
	}
	if k := len(b.chunks) - 1; k >= 0 && len(b.chunks[k]) < cap(b.chunks[k]) {
		b.chunks[k] = append(b.chunks[k], c)
		return
	}
	b.chunks = append(b.chunks, append(make([]scanner.Cloud, 0, chunkSize), c))
}

// Group adds a group.
func (b *Builder) Group(g *Group) error {
	if err := needID(g.ID); err != nil {
		return err
	}
	b.groups[g.ID] = true
	b.cloud(scanner.Cloud{
		ID: g.ID, Kind: scanner.KindGroup, DisplayName: g.DisplayName, Mail: g.Mail,
		MailNickname: g.MailNickname, ProxyAddresses: g.ProxyAddresses,
		SyncEnabled: isTrue(g.OnPremisesSyncEnabled), MailEnabled: isTrue(g.MailEnabled),
		SecurityEnabled: isTrue(g.SecurityEnabled), RoleAssignable: isTrue(g.IsAssignableToRole),
	})
	return nil
}

// Contact adds an organizational contact.
func (b *Builder) Contact(c *Contact) error {
	if err := needID(c.ID); err != nil {
		return err
	}
	b.cloud(scanner.Cloud{
		ID: c.ID, Kind: scanner.KindContact, DisplayName: c.DisplayName, Mail: c.Mail,
		MailNickname: c.MailNickname, ProxyAddresses: c.ProxyAddresses,
		SyncEnabled: isTrue(c.OnPremisesSyncEnabled),
	})
	return nil
}

// Deleted adds a soft-deleted user.
func (b *Builder) Deleted(u *User) error {
	if err := needID(u.ID); err != nil {
		return err
	}
	b.t.Deleted = append(b.t.Deleted, scanner.Cloud{
		ID: u.ID, Kind: scanner.KindUser, UPN: u.UserPrincipalName, Mail: u.Mail,
		ProxyAddresses: u.ProxyAddresses, ImmutableID: u.OnPremisesImmutableID,
	})
	return nil
}

// Grant adds an active role assignment or an eligibility.
func (b *Builder) Grant(r *RoleGrant, active bool) error {
	if strings.TrimSpace(r.PrincipalID) == "" {
		return &itemError{field: ".principalId", msg: "missing \"principalId\""}
	}
	name := r.RoleDefinitionID
	if r.RoleDefinition != nil && r.RoleDefinition.DisplayName != "" {
		name = r.RoleDefinition.DisplayName
	}
	b.grants = append(b.grants, grant{r.PrincipalID, name, active})
	return nil
}

// RoleHolders returns the principals that hold a role, in order, each once:
// the readers fetch the members of those that are groups.
func (b *Builder) RoleHolders() []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range b.grants {
		if !seen[g.principal] {
			seen[g.principal] = true
			out = append(out, g.principal)
		}
	}
	return out
}

// IsGroup reports whether id is a group that was read.
func (b *Builder) IsGroup(id string) bool { return b.groups[id] }

// Members records the (transitive) members of a role-holding group.
func (b *Builder) Members(groupID string, members []Member) error {
	ids := make([]string, 0, len(members))
	for i := range members {
		if strings.TrimSpace(members[i].ID) == "" {
			return &itemError{field: fmt.Sprintf("[%d].id", i), msg: "missing \"id\""}
		}
		ids = append(ids, members[i].ID)
	}
	b.members[groupID] = ids
	return nil
}

// MembersUnknown records why the members of a role-holding group were not
// read.
func (b *Builder) MembersUnknown(groupID, reason string) { b.missing[groupID] = reason }

// Domain adds a domain of the tenant.
func (b *Builder) Domain(d *Domain) error {
	if strings.TrimSpace(d.ID) == "" {
		return &itemError{field: ".id", msg: "missing \"id\" (the domain name)"}
	}
	b.domains = append(b.domains, scanner.Domain{Name: d.ID, Verified: d.IsVerified, Initial: d.IsInitial})
	return nil
}

// Organization sets the tenant id and adds its verified domains.
func (b *Builder) Organization(o *Organization) error {
	if b.t.ID == "" {
		b.t.ID, b.t.DisplayName = o.ID, o.DisplayName
		b.snap.Sources.TenantID = o.ID
	}
	for _, v := range o.VerifiedDomains {
		b.domains = append(b.domains, scanner.Domain{Name: v.Name, Verified: true, Initial: v.IsInitial})
	}
	return nil
}

// Sync sets the tenant's sync features from the first onPremisesSynchronization object.
func (b *Builder) Sync(s *Sync) error {
	if b.syncSeen || s.Features == nil {
		return nil
	}
	b.syncSeen = true
	f, t := s.Features, &b.t.Features
	pick := func(dst *bool, v *bool, name string) {
		if v == nil {
			b.unsetSyn = append(b.unsetSyn, name)
			return
		}
		*dst = *v
	}
	pick(&t.SoftMatchOnUPN, f.SoftMatchOnUpnEnabled, "softMatchOnUpnEnabled")
	pick(&t.BlockSoftMatch, f.BlockSoftMatchEnabled, "blockSoftMatchEnabled")
	pick(&t.BlockHardMatchTakeover, f.BlockCloudObjectTakeoverThroughHardMatchEnabled, "blockCloudObjectTakeoverThroughHardMatchEnabled")
	pick(&t.SynchronizeUPNForManagedUsers, f.SynchronizeUpnForManagedUsersEnabled, "synchronizeUpnForManagedUsersEnabled")
	return nil
}

// Note adds a coverage note (something assumed about the tenant).
func (b *Builder) Note(s string) { b.snap.Coverage.Assumed = append(b.snap.Coverage.Assumed, s) }

// consequences say what a scan loses without each part of the tenant.
var consequences = map[scanner.Fact]string{
	scanner.FactGroups:       "cloud groups were not read, so type mismatches and duplicate addresses involving cloud groups are not seen",
	scanner.FactContacts:     "cloud contacts were not read, so type mismatches and duplicate addresses involving cloud contacts are not seen",
	scanner.FactRoles:        "directory role holders are not known, so admin-role blocks cannot be predicted",
	scanner.FactEligibility:  "eligible (PIM) role holders are not known",
	scanner.FactDomains:      "the tenant's verified domains are not known",
	scanner.FactOrganization: "the tenant id is not known",
	scanner.FactFeatures:     "a new tenant's sync features are assumed: soft match on UPN on, block soft match off, block hard-match takeover off, UPN sync for managed users on",
	scanner.FactDeleted:      "soft-deleted users were not read",
}

// Unknown records that a part of the tenant could not be read: cause says
// why ("groups.json not found in DIR", "403 Forbidden: Group.Read.All is
// not granted"); the reason recorded adds what that costs.
func (b *Builder) Unknown(f scanner.Fact, cause string) {
	b.t.SetUnknown(f, cause+": "+consequences[f])
}

// Finish expands roles held through groups, merges the domain lists and
// records in coverage what was assumed.
func (b *Builder) Finish() {
	if b.chunks != nil {
		n := 0
		for _, c := range b.chunks {
			n += len(c)
		}
		b.snap.ReserveCloud(n)
		for _, c := range b.chunks {
			b.snap.Cloud = append(b.snap.Cloud, c...)
		}
		b.chunks = nil
	}
	t := b.t
	for _, g := range b.grants {
		t.Roles[g.principal] = append(t.Roles[g.principal], scanner.RoleHolding{Role: g.role, Active: g.active})
		for _, m := range b.members[g.principal] {
			t.Roles[m] = append(t.Roles[m], scanner.RoleHolding{Role: g.role, Active: g.active, Via: g.principal})
		}
	}
	for _, id := range b.RoleHolders() {
		if reason, ok := b.missing[id]; ok && b.groups[id] {
			var roles []string
			for _, g := range b.grants {
				if g.principal == id && !contains(roles, g.role) {
					roles = append(roles, g.role)
				}
			}
			b.snap.Coverage.Assumed = append(b.snap.Coverage.Assumed, fmt.Sprintf("%s: the members of group %s, which holds %s, are not known, so roles held through it are not seen", reason, id, strings.Join(roles, ", ")))
		}
	}
	t.Domains = mergeDomains(b.domains)
	if len(b.unsetSyn) > 0 {
		b.snap.Coverage.Assumed = append(b.snap.Coverage.Assumed, fmt.Sprintf("onPremisesSynchronization: %s not set; a new tenant's defaults are assumed (softMatchOnUpnEnabled true, blockSoftMatchEnabled false, blockCloudObjectTakeoverThroughHardMatchEnabled false, synchronizeUpnForManagedUsersEnabled true)", strings.Join(b.unsetSyn, ", ")))
	}
	for _, f := range []scanner.Fact{scanner.FactFeatures, scanner.FactGroups, scanner.FactContacts, scanner.FactRoles, scanner.FactEligibility} {
		if r, unknown := t.Unknown[f]; unknown {
			b.snap.Coverage.Assumed = append(b.snap.Coverage.Assumed, r)
		}
	}
}

// mergeDomains folds the domain lists of domains.json and organization.json
// into one, verified when either says so, sorted by name.
func mergeDomains(in []scanner.Domain) []scanner.Domain {
	at := map[string]int{}
	var out []scanner.Domain
	for _, d := range in {
		k := strings.ToLower(d.Name)
		if j, ok := at[k]; ok {
			out[j].Verified = out[j].Verified || d.Verified
			out[j].Initial = out[j].Initial || d.Initial
			continue
		}
		at[k] = len(out)
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
