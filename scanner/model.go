// Package scanner owns syncready's object model — the on-premises and cloud
// objects, the tenant facts and the Snapshot that holds them — together with
// the scope filter that mirrors Entra Connect's default sync rules and the
// pairing engine that predicts what the sync service will do with each
// on-premises object (the match plan).
//
// Readers live in sub-packages (scanner/ldif, scanner/graphdir, …) and only
// fill these structs; rules and report writers only read them.
package scanner

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Kind is the kind of a directory object as the sync service sees it.
type Kind uint8

const (
	KindUser Kind = iota + 1
	KindGroup
	KindContact
	// KindTenant and KindDomain are the kinds of findings about a whole
	// tenant (object: the tenant id) or a whole domain (object: its base
	// DN); no directory object has them.
	KindTenant
	KindDomain
)

// String returns the report spelling: user, group, contact, tenant or
// domain.
func (k Kind) String() string {
	switch k {
	case KindUser:
		return "user"
	case KindGroup:
		return "group"
	case KindContact:
		return "contact"
	case KindTenant:
		return "tenant"
	case KindDomain:
		return "domain"
	}
	return "unknown"
}

// Side says which directory an object lives in.
type Side uint8

const (
	OnPremSide Side = iota + 1
	CloudSide
)

// String returns the report spelling: onprem or cloud.
func (s Side) String() string {
	if s == CloudSide {
		return "cloud"
	}
	return "onprem"
}

// OnPrem is one Active Directory object (user, group or contact) with the
// attributes the rules and the pairing need. Strings are "" when the
// attribute is absent (AD stores no empty strings). Binary attributes are held
// as strings of raw bytes: immutable and 8 bytes smaller than a slice.
type OnPrem struct {
	DN     string
	Source int32 // index into Snapshot.Sources.Forests
	Line   int32 // line of the record in its input, 0 when not from a file
	Kind   Kind
	Flags  Flags

	ObjectGUID      string // 16 raw bytes, "" when not read
	ConsistencyGUID string // mS-DS-ConsistencyGuid, raw bytes
	ObjectSID       string // raw bytes
	MasterSID       string // msExchMasterAccountSid, raw bytes

	UPN            string // the --upn-source attribute (userPrincipalName by default)
	Mail           string
	MailNickname   string
	TargetAddress  string
	SAMAccountName string
	DisplayName    string
	GivenName      string
	SN             string
	CN             string
	ProxyAddresses []string

	GroupType            int32
	RecipientTypeDetails int64
	UserCertificates     int32
	SMIMECertificates    int32
	ThumbnailPhotoBytes  int32
	// Members is the number of member values of a group (counted, the
	// values themselves are not kept); with FlagMembersUnknown it is only
	// how many were read.
	Members int32
}

// Flags are boolean facts about an on-premises object.
type Flags uint8

const (
	// FlagCriticalSystem is isCriticalSystemObject=TRUE.
	FlagCriticalSystem Flags = 1 << iota
	// FlagSystemMailbox marks Exchange system mailboxes that do sync
	// (HealthMailbox*, FederatedEmail.*, Migration.*): info findings only.
	FlagSystemMailbox
	// FlagHasDisplayName is set when displayName was present, even if blank.
	FlagHasDisplayName
	// FlagAnchorUnknown marks an object whose mS-DS-ConsistencyGuid could
	// not be read (a global catalog does not hold it): its source anchor is
	// unknown, never silently objectGUID.
	FlagAnchorUnknown
	// FlagMembersUnknown marks a group whose member values were not all
	// read (a first range of a ranged retrieval that was not followed):
	// its size is unknown, and Members is only a lower bound.
	FlagMembersUnknown
)

// Has reports whether all bits of f2 are set.
func (f Flags) Has(f2 Flags) bool { return f&f2 == f2 }

// SecurityEnabled reports whether a group's groupType has the security bit.
func (o *OnPrem) SecurityEnabled() bool { return uint32(o.GroupType)&0x80000000 != 0 }

// MailEnabled reports whether the object has mail, any SMTP proxy address or
// a targetAddress.
func (o *OnPrem) MailEnabled() bool {
	if o.Mail != "" || o.TargetAddress != "" {
		return true
	}
	for _, p := range o.ProxyAddresses {
		if IsSMTPProxy(p) {
			return true
		}
	}
	return false
}

// PrimarySMTP returns the address the sync service uses as primary SMTP: the
// single "SMTP:" proxyAddresses value, or mail when there is none. With two or
// more "SMTP:" values there is no usable primary and ok is false.
func (o *OnPrem) PrimarySMTP() (addr string, ok bool) {
	n := 0
	for _, p := range o.ProxyAddresses {
		if strings.HasPrefix(p, "SMTP:") {
			n++
			addr = p[len("SMTP:"):]
		}
	}
	switch {
	case n == 1:
		return addr, true
	case n > 1:
		return "", false
	case o.Mail != "":
		return o.Mail, true
	}
	return "", false
}

// Anchor returns the base64 source anchor the sync service would write to
// onPremisesImmutableId, per the chosen source-anchor attribute.
func (o *OnPrem) Anchor(a SourceAnchor) string {
	return string(o.AppendAnchor(nil, a))
}

// AppendAnchor appends the base64 source anchor (see Anchor) to dst.
func (o *OnPrem) AppendAnchor(dst []byte, a SourceAnchor) []byte {
	var raw string
	switch {
	case a == AnchorObjectGUID:
		raw = o.ObjectGUID
	case o.Flags.Has(FlagAnchorUnknown):
		return dst
	case a == AnchorConsistencyGUID:
		raw = o.ConsistencyGUID
	default:
		raw = o.ConsistencyGUID
		if raw == "" {
			raw = o.ObjectGUID
		}
	}
	return base64.StdEncoding.AppendEncode(dst, []byte(raw))
}

// IdentityKey is what a finding's fingerprint is built on: the objectGUID
// (stable across renames and moves), or the DN when no GUID was read.
func (o *OnPrem) IdentityKey() string {
	if len(o.ObjectGUID) == 16 {
		return FormatGUID(o.ObjectGUID)
	}
	return o.DN
}

// Name is a short human name: displayName, else the CN, else the DN.
func (o *OnPrem) Name() string {
	if s := strings.TrimSpace(o.DisplayName); s != "" {
		return s
	}
	if o.CN != "" {
		return o.CN
	}
	return o.DN
}

// FormatGUID formats 16 raw objectGUID bytes the way AD tools show them
// (the first three groups little-endian).
func FormatGUID(b string) string {
	if len(b) != 16 {
		return fmt.Sprintf("%x", b)
	}
	return fmt.Sprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
}

// Cloud is one Entra ID object as read from Microsoft Graph.
type Cloud struct {
	ID              string
	Kind            Kind
	DisplayName     string
	UPN             string
	Mail            string
	MailNickname    string
	ProxyAddresses  []string
	ImmutableID     string // onPremisesImmutableId
	SyncEnabled     bool   // onPremisesSyncEnabled is true
	OnPremDN        string // onPremisesDistinguishedName
	OnPremSID       string // onPremisesSecurityIdentifier, as text (S-1-5-21-…)
	UserType        string
	MailEnabled     bool // groups
	SecurityEnabled bool
	RoleAssignable  bool // groups: isAssignableToRole
}

// Anchored reports whether the object already belongs to a sync: it carries
// an immutable id or onPremisesSyncEnabled is true.
func (c *Cloud) Anchored() bool { return c.ImmutableID != "" || c.SyncEnabled }

// SMTPAddresses calls fn for each SMTP address of a cloud object (SMTP
// proxyAddresses values without their prefix, and mail).
func (c *Cloud) SMTPAddresses(fn func(addr string)) {
	for _, p := range c.ProxyAddresses {
		if IsSMTPProxy(p) {
			fn(p[5:])
		}
	}
	if c.Mail != "" {
		fn(c.Mail)
	}
}

// IsSMTPProxy reports whether a proxyAddresses value has the SMTP type
// (prefix "smtp:" in any case).
func IsSMTPProxy(p string) bool {
	return len(p) >= 5 && strings.EqualFold(p[:5], "smtp:")
}

// SourceAnchor is the attribute Entra Connect uses as source anchor.
type SourceAnchor uint8

const (
	// AnchorAuto is Entra Connect's default: mS-DS-ConsistencyGuid when set,
	// else objectGUID.
	AnchorAuto SourceAnchor = iota
	AnchorConsistencyGUID
	AnchorObjectGUID
)

// ParseSourceAnchor parses the --source-anchor flag value.
func ParseSourceAnchor(s string) (SourceAnchor, error) {
	switch strings.ToLower(s) {
	case "auto", "":
		return AnchorAuto, nil
	case "ms-ds-consistencyguid":
		return AnchorConsistencyGUID, nil
	case "objectguid":
		return AnchorObjectGUID, nil
	}
	return 0, fmt.Errorf("unknown source anchor %q: want auto, ms-ds-consistencyguid or objectguid", s)
}

// Features are the tenant's onPremisesSynchronization features that change
// what the sync service does, and those a move to Cloud Sync would lose
// (false when not set).
type Features struct {
	SoftMatchOnUPN                bool
	BlockSoftMatch                bool
	BlockHardMatchTakeover        bool
	SynchronizeUPNForManagedUsers bool
	DeviceWriteback               bool // deviceWritebackEnabled
	UserWriteback                 bool // userWritebackEnabled
	DirectoryExtensions           bool // directoryExtensionsEnabled
}

// DefaultFeatures are the features of a new tenant, assumed when they could
// not be read.
var DefaultFeatures = Features{SoftMatchOnUPN: true, SynchronizeUPNForManagedUsers: true}

// Domain is one tenant domain.
type Domain struct {
	Name     string
	Verified bool
	Initial  bool
	// Unknown says whether the domain is verified is not known (the export
	// lacks isVerified, and no organization listed the verified domains).
	Unknown bool
}

// RoleState says whether a cloud principal holds a directory role.
type RoleState uint8

const (
	RoleNone RoleState = iota
	RoleEligible
	RoleActive
)

// RoleHolding is a directory role held by a cloud principal, directly or
// through a role-assignable group.
type RoleHolding struct {
	Role   string // display name of the role definition
	Active bool   // false: eligible only (PIM)
	Via    string // id of the group it is held through, "" when direct
}

// Fact is a part of the tenant a reader may fail to read (a missing export
// file, a refused Graph call). Rules declare the facts they need.
type Fact uint8

const (
	FactDomains Fact = iota + 1
	FactRoles
	FactEligibility
	FactFeatures
	FactDeleted
	FactGroups
	FactContacts
	FactOrganization
)

// Tenant holds facts about the Entra tenant.
type Tenant struct {
	ID          string
	DisplayName string
	Domains     []Domain
	Features    Features
	// Roles maps a cloud object id to the directory roles it holds.
	Roles map[string][]RoleHolding
	// Deleted are the soft-deleted users.
	Deleted []Cloud
	// Unknown says which facts could not be read, and why ("domains.json
	// not found", "403: Domain.Read.All not granted"). A fact that is
	// absent here was read.
	Unknown map[Fact]string
}

// Known reports whether fact f was read.
func (t *Tenant) Known(f Fact) bool {
	_, missing := t.Unknown[f]
	return !missing
}

// SetUnknown records that fact f could not be read.
func (t *Tenant) SetUnknown(f Fact, reason string) {
	if t.Unknown == nil {
		t.Unknown = map[Fact]string{}
	}
	t.Unknown[f] = reason
}

// RoleState returns whether the cloud object holds an active or eligible role.
func (t *Tenant) RoleState(id string) RoleState {
	st := RoleNone
	for _, h := range t.Roles[id] {
		if h.Active {
			return RoleActive
		}
		st = RoleEligible
	}
	return st
}

// InitialDomain returns the tenant's initial (onmicrosoft.com) domain.
func (t *Tenant) InitialDomain() string {
	for _, d := range t.Domains {
		if d.Initial {
			return d.Name
		}
	}
	return ""
}

// DomainUnknown reports whether the tenant has the domain name but whether
// it is verified is not known: rules do not judge its suffixes.
func (t *Tenant) DomainUnknown(name string) bool {
	for _, d := range t.Domains {
		if d.Unknown && strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

// DomainVerified reports whether name is a verified domain of the tenant
// (case-insensitive, exact: a subdomain must be added to count).
func (t *Tenant) DomainVerified(name string) bool {
	for _, d := range t.Domains {
		if d.Verified && strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

// Sources says what a scan read, and which sync product its prediction is
// for.
type Sources struct {
	TenantID string
	Forests  []string // base DNs or file names, one per on-prem source
	Inputs   []string // every file or endpoint read
	Target   Target
}

// Snapshot is everything a scan read: both sides, the tenant, and what could
// not be covered.
type Snapshot struct {
	Sources  Sources
	OnPrem   []OnPrem
	Cloud    []Cloud
	Tenant   *Tenant // nil when no cloud side was read
	Coverage Coverage
	// OutOfScope counts objects read that are not objects of sync (contacts
	// and distribution groups without mail), by reason.
	OutOfScope map[string]int
	// Scanned are the parts of the directory the on-premises sources read,
	// as normalized DNs (NormalizeDN): the domain naming contexts of the
	// objects read (NoteScanned), or a reader's search base. A synced
	// cloud user from elsewhere was not looked at.
	Scanned []string
}

// HasCloud reports whether a tenant side was read.
func (s *Snapshot) HasCloud() bool { return s.Tenant != nil }

// Coverage records what a scan could not look at, so a report never claims
// more than it checked.
type Coverage struct {
	NotEvaluated []NotEvaluated
	Skipped      []Skipped
	// Assumed are facts a scan took for granted (a new tenant's sync
	// features) and notes about what was read.
	Assumed []string
	// Partial lists what a read left out of a source it did read: a
	// referral not followed, values cut short by ranged retrieval, anchors
	// or attributes a global catalog does not hold, a tenant collection
	// that was refused. Each makes the verdict Incomplete.
	Partial []string
	// MemberCounts lists what the reads could not count of group members
	// (a global catalog, an export without member, a first range of
	// values only). Only the Cloud Sync group-size limit needs the counts:
	// a scan for Cloud Sync adds these to Partial, other scans leave them.
	MemberCounts []string
}

// NotEvaluated is a rule that did not run, and why.
type NotEvaluated struct {
	Rule   string
	Reason string
}

// Skipped is an object left out of the scan, and why.
type Skipped struct {
	Object string
	Reason string
}

// ReserveOnPrem makes room for n more on-premises objects, exactly: a
// reader that can estimate its count sizes the slice once (slices.Grow
// could leave it up to twice the size).
func (s *Snapshot) ReserveOnPrem(n int) { s.OnPrem = reserve(s.OnPrem, n) }

// ReserveCloud makes room for n more cloud objects, exactly.
func (s *Snapshot) ReserveCloud(n int) { s.Cloud = reserve(s.Cloud, n) }

func reserve[T any](l []T, n int) []T {
	if n <= cap(l)-len(l) {
		return l
	}
	grown := make([]T, len(l), len(l)+n)
	copy(grown, l)
	return grown
}
