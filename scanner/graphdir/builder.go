package graphdir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Builder turns the items of a tenant (read from export files or live from
// Graph) into the snapshot's cloud objects and tenant facts. Call Finish
// once everything was added, and heed its error: an object added twice is
// found there. Items of a collection are added in order: the Builder
// counts them, so its errors name the item's position (value[i]).
type Builder struct {
	snap *scanner.Snapshot
	t    *scanner.Tenant
	// start is len(snap.Cloud) when the Builder began: its objects follow.
	start int
	// chunks hold the cloud objects added once snap.Cloud was full and
	// large (a live read, which cannot know the count ahead): growing one
	// slice of a hundred thousand objects copied and cleared it again and
	// again, a fifth of the read. Finish appends them to snap.Cloud once.
	chunks [][]scanner.Cloud
	// ids and deleted hold the hashes of the ids of the cloud objects and
	// of the deleted users added, in order, so that checkIDs can refuse an
	// object added twice.
	ids, deleted idHashes
	count        [nColls]int // items added per collection
	groups       map[string]bool
	grants       []grant
	grantIDs     [2]map[string]int // role assignment ids -> position: eligible, active
	// members of the role-holding groups, nil slice = not read
	members  map[string][]string
	missing  map[string]string // group id -> why its members are unknown
	domains  []Domain          // from domains.json (GET /domains)
	verified []VerifiedDomain  // from organization.json
	orgLists bool              // an organization listed its verified domains
	unsetSyn []string
	syncSeen bool
}

type grant struct {
	principal, role string
	active          bool
}

// The collections the Builder counts items of, named as their export
// files are (without ".json").
type coll uint8

const (
	collUsers coll = iota
	collGroups
	collContacts
	collDeleted
	collAssignments
	collEligibility
	collDomains
	collOrganization
	collSync
	nColls
)

var collNames = [nColls]string{"users", "groups", "contacts", "deletedUsers", "roleAssignments", "roleEligibilitySchedules", "domains", "organization", "onPremisesSynchronization"}

// NewBuilder starts building the tenant into snap.
func NewBuilder(snap *scanner.Snapshot) *Builder {
	t := &scanner.Tenant{Roles: map[string][]scanner.RoleHolding{}, Features: scanner.DefaultFeatures}
	snap.Tenant = t
	return &Builder{snap: snap, t: t, start: len(snap.Cloud), ids: newIDHashes(), deleted: newIDHashes(),
		groups: map[string]bool{}, members: map[string][]string{}, missing: map[string]string{}}
}

func isTrue(b *bool) bool { return b != nil && *b }

// next returns the position of the next item of collection c.
func (b *Builder) next(c coll) int {
	i := b.count[c]
	b.count[c]++
	return i
}

func (b *Builder) itemErr(c coll, i int, field, msg string) error {
	return &itemError{coll: collNames[c], index: i, field: field, msg: msg}
}

func needID(id string) error {
	if strings.TrimSpace(id) == "" {
		return &itemError{index: -1, field: ".id", msg: "missing \"id\": every object needs its Graph id (include id in $select / -Property)"}
	}
	return nil
}

// needIDAt is needID for item i of collection c.
func (b *Builder) needIDAt(c coll, i int, id string) error {
	if err := needID(id); err != nil {
		ie := err.(*itemError)
		ie.coll, ie.index = collNames[c], i
		return ie
	}
	return nil
}

// reserve makes room for n more cloud objects' ids (Load knows the count
// early; a live read grows the list as it goes).
func (b *Builder) reserve(n int) { b.ids.reserve(n) }

// checkIDs refuses a cloud object whose id an earlier one has (in the same
// collection or another: a Graph id names one object), and a deleted user
// listed twice. An export of overlapping pages holds some objects twice:
// each copy then collides with the other, and the user's own hard-match
// target gets duplicate-address findings. Graph ids are GUIDs, compared
// without case. The error names the later item and the earlier one.
func (b *Builder) checkIDs() error {
	if i, j, ok := b.ids.dup(func(i, j int) bool { return equalFoldASCII(b.object(i).ID, b.object(j).ID) }); ok {
		ci, pi := b.position(i)
		cj, pj := b.position(j)
		return b.itemErr(cj, pj, ".id", dupMessage(b.object(j).ID, cj, ci, pi))
	}
	d := b.t.Deleted
	if i, j, ok := b.deleted.dup(func(i, j int) bool { return equalFoldASCII(d[i].ID, d[j].ID) }); ok {
		return b.itemErr(collDeleted, j, ".id", dupMessage(d[j].ID, collDeleted, collDeleted, i))
	}
	return nil
}

// object returns the Builder's k-th cloud object.
func (b *Builder) object(k int) *scanner.Cloud {
	n := len(b.snap.Cloud) - b.start
	if k < n {
		return &b.snap.Cloud[b.start+k]
	}
	k -= n // chunks are full but the last
	return &b.chunks[k/chunkSize][k%chunkSize]
}

func dupMessage(id string, c, oc coll, oi int) string {
	if oc == c {
		return fmt.Sprintf("duplicate id %q: value[%d] has it too, so the export holds the same object twice (pages exported twice, or overlapping pages merged?); export every object once", id, oi)
	}
	return fmt.Sprintf("duplicate id %q: %s value[%d] has it too, but a Graph id names one object; export both collections again", id, collNames[oc], oi)
}

// eachCloud calls fn with the Builder's k-th cloud object, in the order
// added, until fn returns false.
func (b *Builder) eachCloud(fn func(k int, o *scanner.Cloud) bool) {
	k := 0
	for i := b.start; i < len(b.snap.Cloud); i++ {
		if !fn(k, &b.snap.Cloud[i]) {
			return
		}
		k++
	}
	for _, ch := range b.chunks {
		for i := range ch {
			if !fn(k, &ch[i]) {
				return
			}
			k++
		}
	}
}

// position returns the collection of the Builder's k-th cloud object and
// its position there (objects of other collections may come between).
func (b *Builder) position(k int) (coll, int) {
	c, n := kindColl(b.object(k).Kind), 0
	b.eachCloud(func(j int, o *scanner.Cloud) bool {
		if j < k && kindColl(o.Kind) == c {
			n++
		}
		return j < k
	})
	return c, n
}

func kindColl(k scanner.Kind) coll {
	switch k {
	case scanner.KindGroup:
		return collGroups
	case scanner.KindContact:
		return collContacts
	}
	return collUsers
}

// User adds a user.
func (b *Builder) User(u *User) error {
	i := b.next(collUsers)
	if err := b.needIDAt(collUsers, i, u.ID); err != nil {
		return err
	}
	b.ids.add(u.ID)
	b.cloud(scanner.Cloud{
		ID: u.ID, Kind: scanner.KindUser, DisplayName: u.DisplayName, UPN: u.UserPrincipalName,
		Mail: u.Mail, MailNickname: u.MailNickname, ProxyAddresses: u.ProxyAddresses,
		ImmutableID: u.OnPremisesImmutableID, SyncEnabled: isTrue(u.OnPremisesSyncEnabled),
		OnPremDN: u.OnPremisesDistinguishedName, OnPremSID: u.OnPremisesSecurityIdentifier, UserType: u.UserType,
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
	i := b.next(collGroups)
	if err := b.needIDAt(collGroups, i, g.ID); err != nil {
		return err
	}
	b.ids.add(g.ID)
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
	i := b.next(collContacts)
	if err := b.needIDAt(collContacts, i, c.ID); err != nil {
		return err
	}
	b.ids.add(c.ID)
	b.cloud(scanner.Cloud{
		ID: c.ID, Kind: scanner.KindContact, DisplayName: c.DisplayName, Mail: c.Mail,
		MailNickname: c.MailNickname, ProxyAddresses: c.ProxyAddresses,
		SyncEnabled: isTrue(c.OnPremisesSyncEnabled),
	})
	return nil
}

// Deleted adds a soft-deleted user.
func (b *Builder) Deleted(u *User) error {
	i := b.next(collDeleted)
	if err := b.needIDAt(collDeleted, i, u.ID); err != nil {
		return err
	}
	b.deleted.add(u.ID)
	b.t.Deleted = append(b.t.Deleted, scanner.Cloud{
		ID: u.ID, Kind: scanner.KindUser, UPN: u.UserPrincipalName, Mail: u.Mail,
		ProxyAddresses: u.ProxyAddresses, ImmutableID: u.OnPremisesImmutableID,
	})
	return nil
}

// Grant adds an active role assignment or an eligibility.
func (b *Builder) Grant(r *RoleGrant, active bool) error {
	c, a := collEligibility, 0
	if active {
		c, a = collAssignments, 1
	}
	i := b.next(c)
	p := strings.TrimSpace(r.PrincipalID)
	switch {
	case p == "":
		return b.itemErr(c, i, ".principalId", "missing \"principalId\"")
	case p == "." || p == ".." || strings.ContainsAny(p, `/\:`):
		// It names the file of the group's members: keep it one name.
		return b.itemErr(c, i, ".principalId", fmt.Sprintf("expected a Graph object id, found %q", r.PrincipalID))
	}
	if r.ID != "" { // role assignment ids are not GUIDs: compared exactly
		if b.grantIDs[a] == nil {
			b.grantIDs[a] = map[string]int{}
		}
		if j, dup := b.grantIDs[a][r.ID]; dup {
			return b.itemErr(c, i, ".id", dupMessage(r.ID, c, c, j))
		}
		b.grantIDs[a][r.ID] = i
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

// memberList collects the members of one role-holding group, refusing a
// member without an id or one listed twice.
type memberList struct {
	coll string
	ids  []string
	seen map[string]int
}

func newMemberList(groupID string) *memberList {
	return &memberList{coll: RoleMembersDir + "/" + groupID}
}

func (l *memberList) add(i int, m *Member) error {
	if strings.TrimSpace(m.ID) == "" {
		return &itemError{coll: l.coll, index: i, field: ".id", msg: "missing \"id\": every member needs its Graph id (include id in $select)"}
	}
	if l.seen == nil {
		l.seen = map[string]int{}
	}
	k := strings.ToLower(m.ID)
	if j, dup := l.seen[k]; dup {
		return &itemError{coll: l.coll, index: i, field: ".id", msg: fmt.Sprintf("duplicate id %q: value[%d] has it too, so the export holds the same member twice (pages exported twice, or overlapping pages merged?); export every member once", m.ID, j)}
	}
	l.seen[k] = i
	l.ids = append(l.ids, m.ID)
	return nil
}

// Members records the (transitive) members of a role-holding group.
func (b *Builder) Members(groupID string, members []Member) error {
	l := newMemberList(groupID)
	for i := range members {
		if err := l.add(i, &members[i]); err != nil {
			return err
		}
	}
	b.members[groupID] = l.ids
	return nil
}

// MembersUnknown records why the members of a role-holding group were not
// read.
func (b *Builder) MembersUnknown(groupID, reason string) { b.missing[groupID] = reason }

// Domain adds a domain of the tenant.
func (b *Builder) Domain(d *Domain) error {
	i := b.next(collDomains)
	if strings.TrimSpace(d.ID) == "" {
		return b.itemErr(collDomains, i, ".id", "missing \"id\" (the domain name)")
	}
	b.domains = append(b.domains, *d)
	return nil
}

// Organization sets the tenant id and adds its verified domains.
func (b *Builder) Organization(o *Organization) error {
	i := b.next(collOrganization)
	if strings.TrimSpace(o.ID) == "" {
		return b.itemErr(collOrganization, i, ".id", "missing \"id\": the organization's id is the tenant id (include id in $select / -Property)")
	}
	switch {
	case b.t.ID == "":
		b.t.ID, b.t.DisplayName = o.ID, o.DisplayName
		b.snap.Sources.TenantID = o.ID
	case !strings.EqualFold(b.t.ID, o.ID):
		return b.itemErr(collOrganization, i, ".id", fmt.Sprintf("a second organization, %s, beside %s: a tenant has one organization, so this is the export of two tenants; export GET /organization of the one tenant", o.ID, b.t.ID))
	}
	if o.VerifiedDomains != nil {
		b.orgLists = true
	}
	for k, v := range o.VerifiedDomains {
		if strings.TrimSpace(v.Name) == "" {
			return b.itemErr(collOrganization, i, fmt.Sprintf(".verifiedDomains[%d].name", k), "missing \"name\" (the domain name)")
		}
		b.verified = append(b.verified, v)
	}
	return nil
}

// Sync sets the tenant's sync features from the first onPremisesSynchronization object.
func (b *Builder) Sync(s *Sync) error {
	b.next(collSync)
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
	// Not set means off: nothing is assumed of these.
	t.DeviceWriteback = isTrue(f.DeviceWritebackEnabled)
	t.UserWriteback = isTrue(f.UserWritebackEnabled)
	t.DirectoryExtensions = isTrue(f.DirectoryExtensionsEnabled)
	return nil
}

// Note adds a coverage note: something assumed about the tenant, or a
// note about what was read.
func (b *Builder) Note(s string) { b.snap.Coverage.Assumed = append(b.snap.Coverage.Assumed, s) }

// Partial records a part of the tenant that was not read (a collection
// refused, a property missing): the verdict is then Incomplete.
func (b *Builder) Partial(s string) { b.snap.Coverage.Partial = append(b.snap.Coverage.Partial, s) }

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

const defaultFeatures = "softMatchOnUpnEnabled true, blockSoftMatchEnabled false, blockCloudObjectTakeoverThroughHardMatchEnabled false, synchronizeUpnForManagedUsersEnabled true"

// Unknown records that a part of the tenant could not be read: cause says
// why ("groups.json not found in DIR", "403 Forbidden: Group.Read.All is
// not granted"); the reason recorded adds what that costs.
func (b *Builder) Unknown(f scanner.Fact, cause string) {
	b.t.SetUnknown(f, cause+": "+consequences[f])
}

// Finish expands roles held through groups, merges the domain lists and
// records in coverage what was not read and what was assumed. It returns
// an error when an object was added twice (see checkIDs), after finishing
// the snapshot all the same.
func (b *Builder) Finish() error {
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
	// Parts of the tenant that were not read.
	for _, f := range []scanner.Fact{scanner.FactGroups, scanner.FactContacts, scanner.FactRoles, scanner.FactEligibility} {
		if r, unknown := t.Unknown[f]; unknown {
			b.Partial(r)
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
			b.Partial(fmt.Sprintf("%s: the members of group %s, which holds %s, are not known, so roles held through it are not seen", reason, id, strings.Join(roles, ", ")))
		}
	}
	t.Domains = b.mergeDomains()
	// The sync features: assumed when not read.
	if r, unknown := t.Unknown[scanner.FactFeatures]; unknown {
		b.Note(r)
	} else if !b.syncSeen {
		b.Note("onPremisesSynchronization: no object with \"features\" was read; a new tenant's defaults are assumed (" + defaultFeatures + ")")
	}
	if len(b.unsetSyn) > 0 {
		b.Note(fmt.Sprintf("onPremisesSynchronization: %s not set; a new tenant's defaults are assumed (%s)", strings.Join(b.unsetSyn, ", "), defaultFeatures))
	}
	return b.checkIDs()
}

// mergeDomains folds the domains of GET /domains (domains.json) and the
// verified domains of the organization into one list sorted by name, with
// exactly one initial domain, and records in coverage what it could not
// know or had to choose.
//
// A domain is verified when either list says so. A domain whose isVerified
// is missing is verified when the organization lists it; when no
// organization listed its verified domains, its verification is not known
// and coverage says so; the domain is marked Unknown and rules do not
// judge its suffixes.
//
// The initial domain is the one GET /domains marks isInitial (it is the
// authority for the domains), else the organization's.
func (b *Builder) mergeDomains() []scanner.Domain {
	type entry struct {
		d     scanner.Domain
		known bool // whether it is verified is known
	}
	at := map[string]int{}
	var out []entry
	get := func(name string) *entry {
		k := strings.ToLower(name)
		j, ok := at[k]
		if !ok {
			j = len(out)
			at[k] = j
			out = append(out, entry{d: scanner.Domain{Name: name}})
		}
		return &out[j]
	}
	var initD, initO []string // the initial domains each source names, in order
	for _, d := range b.domains {
		e := get(d.ID)
		if d.IsVerified != nil {
			e.known = true
			e.d.Verified = e.d.Verified || *d.IsVerified
		}
		if d.IsInitial && !containsFold(initD, d.ID) {
			initD = append(initD, d.ID)
		}
	}
	for _, v := range b.verified {
		e := get(v.Name)
		e.known, e.d.Verified = true, true
		if v.IsInitial && !containsFold(initO, v.Name) {
			initO = append(initO, v.Name)
		}
	}
	var unknown []string
	for i := range out {
		switch {
		case out[i].known:
		case b.orgLists:
			// The organization lists every verified domain; this one is not.
			out[i].known = true
		default:
			unknown = append(unknown, out[i].d.Name)
			out[i].d.Unknown = true
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		b.Partial(fmt.Sprintf("domains: isVerified is missing for %s and no organization (organization.json, GET /organization) listed the verified domains, so whether %s verified is not known; UPN and address suffixes on %s are not judged",
			strings.Join(unknown, ", "), plural(len(unknown), "the domain is", "they are"), plural(len(unknown), "it", "them")))
	}
	initial := ""
	switch {
	case len(initD) > 0:
		initial = initD[0]
		if len(initD) > 1 {
			b.Note(fmt.Sprintf("domains: %s are all marked isInitial, but a tenant has one initial domain; %s (listed first) is used for the UPNs the sync service falls back to", strings.Join(initD, ", "), initial))
		}
		if len(initO) > 0 && !strings.EqualFold(initO[0], initial) {
			b.Note(fmt.Sprintf("domains: GET /domains marks %s as the initial domain, the organization's verifiedDomains mark %s; %s (from GET /domains, the authority) is used for the UPNs the sync service falls back to", initial, initO[0], initial))
		}
	case len(initO) > 0:
		initial = initO[0]
		if len(initO) > 1 {
			b.Note(fmt.Sprintf("domains: the organization marks %s all isInitial, but a tenant has one initial domain; %s (listed first) is used for the UPNs the sync service falls back to", strings.Join(initO, ", "), initial))
		}
	}
	res := make([]scanner.Domain, 0, len(out))
	for _, e := range out {
		e.d.Initial = initial != "" && strings.EqualFold(e.d.Name, initial)
		res = append(res, e.d)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Name < res[j].Name })
	return res
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
