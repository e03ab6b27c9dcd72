package scanner

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// The LDAP attributes an on-premises object is built from; every reader
// (LDIF, live LDAP) asks for these and builds objects through an Attrs.
var LDAPAttributes = []string{
	"objectClass", "objectGUID", "mS-DS-ConsistencyGuid", "objectSid", "msExchMasterAccountSid",
	"userPrincipalName", "mail", "mailNickname", "targetAddress", "sAMAccountName", "displayName",
	"givenName", "sn", "cn", "proxyAddresses", "groupType", "msExchRecipientTypeDetails",
	"userCertificate", "userSMIMECertificate", "thumbnailPhoto", "isCriticalSystemObject",
}

type attrID uint8

const (
	attrOther attrID = iota
	attrObjectClass
	attrObjectGUID
	attrConsistencyGUID
	attrObjectSID
	attrMasterSID
	attrUPN
	attrMail
	attrMailNickname
	attrTargetAddress
	attrSAM
	attrDisplayName
	attrGivenName
	attrSN
	attrCN
	attrProxyAddresses
	attrGroupType
	attrRecipientTypeDetails
	attrUserCertificate
	attrSMIMECertificate
	attrThumbnailPhoto
	attrCritical
	attrAnchorUnknown
	attrMember
	attrMemberCount
)

var attrIDs = map[string]attrID{
	"objectclass":                attrObjectClass,
	"objectguid":                 attrObjectGUID,
	"ms-ds-consistencyguid":      attrConsistencyGUID,
	"objectsid":                  attrObjectSID,
	"msexchmasteraccountsid":     attrMasterSID,
	"userprincipalname":          attrUPN,
	"mail":                       attrMail,
	"mailnickname":               attrMailNickname,
	"targetaddress":              attrTargetAddress,
	"samaccountname":             attrSAM,
	"displayname":                attrDisplayName,
	"givenname":                  attrGivenName,
	"sn":                         attrSN,
	"cn":                         attrCN,
	"proxyaddresses":             attrProxyAddresses,
	"grouptype":                  attrGroupType,
	"msexchrecipienttypedetails": attrRecipientTypeDetails,
	"usercertificate":            attrUserCertificate,
	"usersmimecertificate":       attrSMIMECertificate,
	"thumbnailphoto":             attrThumbnailPhoto,
	"iscriticalsystemobject":     attrCritical,
	"x-syncready-anchorunknown":  attrAnchorUnknown,
	"member":                     attrMember,
	"x-syncready-membercount":    attrMemberCount,
}

// AnchorUnknownAttr is written by a reader (and by `syncready export`) on
// an object whose mS-DS-ConsistencyGuid could not be read, so the offline
// reader keeps the anchor unknown instead of falling back to objectGUID.
const AnchorUnknownAttr = "x-syncready-anchorUnknown"

// MemberCountAttr is written by the live reader (and by `syncready
// export`) in place of a group's member values: their number, counted
// through ranged retrieval without keeping them.
const MemberCountAttr = "x-syncready-memberCount"

// Attrs builds on-premises objects from LDAP attribute values, the same way
// for every reader.
type Attrs struct {
	upn     string // lower-case --upn-source attribute
	lname   []byte
	arena   Arena
	proxies []string // the current object's proxyAddresses, until Done
	names   [64]nameEntry
	// members says a member value or count was seen on some object.
	members bool
}

// nameEntry remembers what an attribute name, spelled as a reader gives it,
// stands for. A directory spells each name the same way on every object,
// so a few dozen entries answer almost every lookup without lowering the
// name and hashing it into attrIDs (a sixth of an LDIF read's time).
type nameEntry struct {
	name string
	id   attrID
	upn  bool // the --upn-source attribute
}

// NewAttrs returns a builder; upnAttr is the --upn-source attribute ("" for
// userPrincipalName).
func NewAttrs(upnAttr string) *Attrs {
	upn := strings.ToLower(upnAttr)
	if upn == "" {
		upn = "userprincipalname"
	}
	return &Attrs{upn: upn}
}

// Set stores one value of attribute name (options such as ";binary" or
// ";range=0-1499" are ignored) on o.
func (a *Attrs) Set(o *OnPrem, name []byte, v []byte) error {
	id, upn := a.lookup(name)
	if upn {
		if o.UPN == "" {
			o.UPN = a.arena.String(v)
		}
		if id == attrUPN {
			return nil
		}
	}
	return a.set(o, id, v)
}

// lookup returns the attribute a name stands for (options such as
// ";binary" ignored) and whether it is the --upn-source attribute.
func (a *Attrs) lookup(name []byte) (attrID, bool) {
	if len(name) == 0 {
		return attrOther, false
	}
	e := &a.names[(len(name)*7+int(name[len(name)-1]))&(len(a.names)-1)]
	if e.name == string(name) {
		return e.id, e.upn
	}
	base := name
	if i := bytes.IndexByte(base, ';'); i >= 0 {
		base = base[:i]
	}
	a.lname = append(a.lname[:0], base...)
	lowerASCII(a.lname)
	*e = nameEntry{name: string(name), id: attrIDs[string(a.lname)], upn: string(a.lname) == a.upn}
	return e.id, e.upn
}

// MembersRead reports whether any object so far had a member value or a
// member count: an export without member (its attribute list did not ask
// for it) has none on any group.
func (a *Attrs) MembersRead() bool { return a.members }

// Done finishes an object and reports whether it is a user, group or
// contact (computers and other classes are not objects of sync).
func (a *Attrs) Done(o *OnPrem) bool {
	if o.Kind == kindExcluded {
		o.Kind = 0
	}
	o.ProxyAddresses = a.arena.Strings(a.proxies)
	a.proxies = a.proxies[:0]
	return o.Kind != 0
}

// set stores one attribute value on the object.
func (a *Attrs) set(o *OnPrem, id attrID, v []byte) error {

	switch id {
	case attrObjectClass:
		switch {
		case o.Kind == kindExcluded:
		case equalFold(v, "computer"):
			o.Kind = kindExcluded
		case equalFold(v, "user"), equalFold(v, "inetOrgPerson"):
			o.Kind = KindUser
		case equalFold(v, "contact"):
			o.Kind = KindContact
		case equalFold(v, "group"):
			o.Kind = KindGroup
		}
	case attrObjectGUID:
		g, err := guidBytes(v)
		if err != nil {
			return err
		}
		o.ObjectGUID = a.arena.String(g)
	case attrConsistencyGUID:
		g, err := guidBytes(v)
		if err != nil {
			return err
		}
		o.ConsistencyGUID = a.arena.String(g)
	case attrObjectSID:
		o.ObjectSID = a.arena.String(v)
	case attrMasterSID:
		o.MasterSID = a.arena.String(v)
	case attrUPN:
		// userPrincipalName is read only as the --upn-source attribute.
	case attrMail:
		a.first(&o.Mail, v)
	case attrMailNickname:
		a.first(&o.MailNickname, v)
	case attrTargetAddress:
		a.first(&o.TargetAddress, v)
	case attrSAM:
		a.first(&o.SAMAccountName, v)
	case attrDisplayName:
		o.Flags |= FlagHasDisplayName
		a.first(&o.DisplayName, v)
	case attrGivenName:
		a.first(&o.GivenName, v)
	case attrSN:
		a.first(&o.SN, v)
	case attrCN:
		a.first(&o.CN, v)
	case attrProxyAddresses:
		a.proxies = append(a.proxies, a.arena.String(v))
	case attrGroupType:
		n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
		if err != nil {
			return fmt.Errorf("expected an integer, found %q", v)
		}
		o.GroupType = int32(n)
	case attrRecipientTypeDetails:
		n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
		if err != nil {
			return fmt.Errorf("expected an integer, found %q", v)
		}
		o.RecipientTypeDetails = n
	case attrUserCertificate:
		o.UserCertificates++
	case attrSMIMECertificate:
		o.SMIMECertificates++
	case attrThumbnailPhoto:
		o.ThumbnailPhotoBytes = int32(len(v))
	case attrMember:
		// Counted, not kept: a group of 50,000 members costs nothing.
		o.Members++
		a.members = true
	case attrMemberCount:
		n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 32)
		if err != nil || n < 0 {
			return fmt.Errorf("expected a member count, found %q", v)
		}
		o.Members = int32(n)
		a.members = true
	case attrAnchorUnknown:
		if equalFold(bytes.TrimSpace(v), "TRUE") {
			o.Flags |= FlagAnchorUnknown
		}
	case attrCritical:
		if equalFold(bytes.TrimSpace(v), "TRUE") {
			o.Flags |= FlagCriticalSystem
		}
	}
	return nil
}

// first stores v in dst unless it holds a value already.
func (a *Attrs) first(dst *string, v []byte) {
	if *dst == "" {
		*dst = a.arena.String(v)
	}
}

// kindExcluded marks a record whose class is out of scope (a computer is
// also a user); it is reset to 0 before the object would be emitted.
const kindExcluded Kind = 0xFF

func equalFold(b []byte, s string) bool { return len(b) == len(s) && strings.EqualFold(string(b), s) }

func lowerASCII(b []byte) {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
}

// guidBytes accepts a GUID as its 16 raw bytes (base64 in the LDIF) or in
// its text form ("{…}" or bare, as some exports write it) and returns the
// raw bytes in AD's order.
func guidBytes(v []byte) ([]byte, error) {
	if len(v) == 16 {
		return v, nil
	}
	s := strings.Trim(strings.TrimSpace(string(v)), "{}")
	if len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' {
		h, err := hex.DecodeString(s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
		if err == nil {
			// The first three groups are little-endian on the wire.
			return []byte{h[3], h[2], h[1], h[0], h[5], h[4], h[7], h[6], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]}, nil
		}
	}
	return nil, fmt.Errorf("expected a 16-byte GUID (base64 with \"::\") or its text form, found %d bytes", len(v))
}
