package ldif

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Options control how records become objects.
type Options struct {
	// UPNAttr is the attribute read as the user's sign-in name
	// (--upn-source); "" means userPrincipalName.
	UPNAttr string
	// Source is the index of this input in Snapshot.Sources.Forests.
	Source int32
}

// Stats says what one input held.
type Stats struct {
	Records int // content records read
	Objects int // users, groups and contacts emitted
	// Notes are facts about the input worth a line in the report's
	// coverage (values cut short by an unfollowed ranged retrieval, …).
	Notes []string
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
}

// ReadFile reads the LDIF file at path and calls emit for each user, group
// and contact in it (computers and other classes are not objects of sync).
func ReadFile(ctx context.Context, path string, opt Options, emit func(*scanner.OnPrem)) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, fmt.Errorf("open LDIF input: %w", err)
	}
	defer f.Close()
	return Read(ctx, f, path, opt, emit)
}

// Read reads LDIF from r (named file in errors) and calls emit for each
// user, group and contact. The object passed to emit may be kept.
func Read(ctx context.Context, r io.Reader, file string, opt Options, emit func(*scanner.OnPrem)) (Stats, error) {
	var st Stats
	lr := NewReader(r, file)
	upn := strings.ToLower(opt.UPNAttr)
	if upn == "" {
		upn = "userprincipalname"
	}
	var lname []byte
	for {
		if st.Records%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		rec, err := lr.Next()
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, err
		}
		st.Records++
		o := scanner.OnPrem{DN: rec.DN, Source: opt.Source, Line: int32(rec.Line)}
		var ranged map[string]bool // attribute -> complete
		for i := 0; i < rec.Len(); i++ {
			name := rec.Name(i)
			base, options, _ := bytes.Cut(name, []byte(";"))
			lname = append(lname[:0], base...)
			lowerASCII(lname)
			if len(options) > 0 {
				if lo := bytes.ToLower(options); bytes.HasPrefix(lo, []byte("range=")) {
					if ranged == nil {
						ranged = map[string]bool{}
					}
					ranged[string(base)] = ranged[string(base)] || bytes.HasSuffix(lo, []byte("-*"))
				}
			}
			v := rec.Value(i)
			id := attrIDs[string(lname)]
			if string(lname) == upn {
				if o.UPN == "" {
					o.UPN = string(v)
				}
				if id == attrUPN {
					continue
				}
			}
			if err := set(&o, id, v); err != nil {
				return st, &Error{File: file, Line: rec.AttrLine(i), Msg: fmt.Sprintf("%s: attribute %s: %v", rec.DN, name, err)}
			}
		}
		for a, complete := range ranged {
			if !complete {
				st.Notes = append(st.Notes, fmt.Sprintf("%s:%d: %s of %s holds only a first range of values (ranged retrieval was not followed when the file was exported); checks of that attribute may miss values", file, rec.Line, a, rec.DN))
			}
		}
		if o.Kind == 0 || o.Kind == kindExcluded {
			continue
		}
		st.Objects++
		emit(&o)
	}
}

// set stores one attribute value on the object.
func set(o *scanner.OnPrem, id attrID, v []byte) error {
	switch id {
	case attrObjectClass:
		switch {
		case o.Kind == kindExcluded:
		case equalFold(v, "computer"):
			o.Kind = kindExcluded
		case equalFold(v, "user"), equalFold(v, "inetOrgPerson"):
			o.Kind = scanner.KindUser
		case equalFold(v, "contact"):
			o.Kind = scanner.KindContact
		case equalFold(v, "group"):
			o.Kind = scanner.KindGroup
		}
	case attrObjectGUID:
		g, err := guidBytes(v)
		if err != nil {
			return err
		}
		o.ObjectGUID = g
	case attrConsistencyGUID:
		g, err := guidBytes(v)
		if err != nil {
			return err
		}
		o.ConsistencyGUID = g
	case attrObjectSID:
		o.ObjectSID = string(v)
	case attrMasterSID:
		o.MasterSID = string(v)
	case attrUPN:
		// userPrincipalName is read only as the --upn-source attribute.
	case attrMail:
		first(&o.Mail, v)
	case attrMailNickname:
		first(&o.MailNickname, v)
	case attrTargetAddress:
		first(&o.TargetAddress, v)
	case attrSAM:
		first(&o.SAMAccountName, v)
	case attrDisplayName:
		o.Flags |= scanner.FlagHasDisplayName
		first(&o.DisplayName, v)
	case attrGivenName:
		first(&o.GivenName, v)
	case attrSN:
		first(&o.SN, v)
	case attrCN:
		first(&o.CN, v)
	case attrProxyAddresses:
		o.ProxyAddresses = append(o.ProxyAddresses, string(v))
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
	case attrCritical:
		if equalFold(bytes.TrimSpace(v), "TRUE") {
			o.Flags |= scanner.FlagCriticalSystem
		}
	}
	return nil
}

// kindExcluded marks a record whose class is out of scope (a computer is
// also a user); it is reset to 0 before the object would be emitted.
const kindExcluded scanner.Kind = 0xFF

func first(dst *string, v []byte) {
	if *dst == "" {
		*dst = string(v)
	}
}

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
func guidBytes(v []byte) (string, error) {
	if len(v) == 16 {
		return string(v), nil
	}
	s := strings.Trim(strings.TrimSpace(string(v)), "{}")
	if len(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' {
		h, err := hex.DecodeString(s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
		if err == nil {
			// The first three groups are little-endian on the wire.
			return string([]byte{h[3], h[2], h[1], h[0], h[5], h[4], h[7], h[6], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]}), nil
		}
	}
	return "", fmt.Errorf("expected a 16-byte GUID (base64 with \"::\") or its text form, found %d bytes", len(v))
}
