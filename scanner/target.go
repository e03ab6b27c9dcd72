package scanner

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Target is the sync product a prediction is for. Matching itself (hard
// match, soft match, the tenant's block flags, the admin-role block) runs
// in the service for both; the target changes the source anchor rule, the
// joins across forests, and the limits.
type Target uint8

const (
	// TargetConnectSync is Microsoft Entra Connect Sync: the source anchor
	// is configurable, and an account-forest user and its linked mailbox
	// in a resource forest are joined into one cloud user.
	TargetConnectSync Target = iota
	// TargetCloudSync is Microsoft Entra Cloud Sync: the source anchor is
	// mS-DS-ConsistencyGuid when set, else objectGUID, and cannot be
	// changed; objects are never joined across forests.
	TargetCloudSync
)

// String returns the flag spelling: connect-sync or cloud-sync.
func (t Target) String() string {
	if t == TargetCloudSync {
		return "cloud-sync"
	}
	return "connect-sync"
}

// Product names the sync product for people.
func (t Target) Product() string {
	if t == TargetCloudSync {
		return "Microsoft Entra Cloud Sync"
	}
	return "Microsoft Entra Connect Sync"
}

// ParseTarget parses the --target flag value ("" is connect-sync).
func ParseTarget(s string) (Target, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "connect-sync", "":
		return TargetConnectSync, nil
	case "cloud-sync":
		return TargetCloudSync, nil
	}
	return 0, fmt.Errorf("unknown target %q: want connect-sync or cloud-sync", s)
}

// CheckAnchor says why a source anchor cannot be used with the target:
// Cloud Sync anchors on mS-DS-ConsistencyGuid when set, else objectGUID,
// and offers no other choice.
func (t Target) CheckAnchor(a SourceAnchor) error {
	if t == TargetCloudSync && a != AnchorAuto {
		return fmt.Errorf("--target cloud-sync takes only --source-anchor auto: Cloud Sync anchors on mS-DS-ConsistencyGuid when it is set, else objectGUID, and the source anchor cannot be changed")
	}
	return nil
}

// DomainNC returns the domain naming context of a DN: its trailing DC=
// components ("CN=a,OU=b,DC=contoso,DC=com" -> "DC=contoso,DC=com"), a
// substring of dn; "" when it has none.
func DomainNC(dn string) string {
	start, end := len(dn), len(dn)
	for end > 0 {
		j := strings.LastIndexByte(dn[:end], ',')
		for j > 0 && dn[j-1] == '\\' { // an escaped comma is part of a value
			j = strings.LastIndexByte(dn[:j-1], ',')
		}
		rdn := strings.TrimSpace(dn[j+1 : end])
		if len(rdn) < 3 || !strings.EqualFold(rdn[:3], "dc=") {
			break
		}
		start = j + 1
		if j < 0 {
			break
		}
		end = j
	}
	return strings.TrimSpace(dn[start:])
}

// NoteScanned records in s.Scanned, when the reader did not, the domain
// naming contexts of the on-premises objects read: the parts of the
// directory a scan looked at. Call it before the scope is applied, so that
// an OU filtered out still counts as read.
func (s *Snapshot) NoteScanned() {
	if len(s.Scanned) > 0 {
		return
	}
	seen := map[string]bool{}
	last := ""
	for i := range s.OnPrem {
		nc := DomainNC(s.OnPrem[i].DN)
		if nc == "" || nc == last {
			continue
		}
		last = nc
		if n := NormalizeDN(nc); !seen[n] {
			seen[n] = true
			s.Scanned = append(s.Scanned, n)
		}
	}
}

// UnderScanned reports whether a DN lies under a part of the directory the
// scan read (s.Scanned) and in the same domain: a child domain that was not
// read is not under its parent's naming context. A DN as AD writes it is
// compared as it is, without the copy NormalizeDN makes; one with spaces
// around its separators is normalized first.
func (s *Snapshot) UnderScanned(dn string) bool {
	dn = strings.TrimSpace(dn)
	if strings.Contains(dn, ", ") || strings.Contains(dn, " ,") || strings.Contains(dn, "= ") || strings.Contains(dn, " =") {
		dn = NormalizeDN(dn)
	}
	nc := DomainNC(dn)
	for _, root := range s.Scanned {
		if !strings.EqualFold(nc, DomainNC(root)) {
			continue
		}
		n := len(dn) - len(root)
		if n >= 0 && strings.EqualFold(dn[n:], root) && (n == 0 || dn[n-1] == ',' && (n < 2 || dn[n-2] != '\\')) {
			return true
		}
	}
	return false
}

// FormatSID formats a binary security identifier the way Windows and
// Graph's onPremisesSecurityIdentifier write it (S-1-5-21-…); "" when b is
// not one.
func FormatSID(b string) string {
	return string(AppendSID(nil, b))
}

// AppendSID appends FormatSID(b) to dst.
func AppendSID(dst []byte, b string) []byte {
	if len(b) < 8 || b[0] != 1 || len(b) != 8+4*int(b[1]) {
		return dst
	}
	var auth uint64
	for _, c := range []byte(b[2:8]) {
		auth = auth<<8 | uint64(c)
	}
	dst = append(dst, "S-1-"...)
	dst = strconv.AppendUint(dst, auth, 10)
	for i := 8; i < len(b); i += 4 {
		dst = append(dst, '-')
		dst = strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint32([]byte(b[i:i+4]))), 10)
	}
	return dst
}

// ParseSID appends the binary form of a security identifier in text form
// (S-1-5-21-…, any case) to dst; ok is false when s is not one.
func ParseSID(dst []byte, s string) (out []byte, ok bool) {
	if len(s) < 2 || s[0] != 'S' && s[0] != 's' || s[1] != '-' {
		return dst, false
	}
	// S-1-<authority>-<subauthority>...
	var nums [17]uint64
	n := 0
	for rest := s[2:]; ; {
		i := strings.IndexByte(rest, '-')
		part := rest
		if i >= 0 {
			part = rest[:i]
		}
		if n == len(nums) {
			return dst, false
		}
		v, err := strconv.ParseUint(part, 10, 64)
		if err != nil {
			return dst, false
		}
		nums[n] = v
		n++
		if i < 0 {
			break
		}
		rest = rest[i+1:]
	}
	if n < 2 || nums[0] != 1 || nums[1] >= 1<<48 {
		return dst, false
	}
	dst = append(dst, 1, byte(n-2))
	for k := 5; k >= 0; k-- {
		dst = append(dst, byte(nums[1]>>(8*k)))
	}
	for _, v := range nums[2:n] {
		if v >= 1<<32 {
			return dst, false
		}
		dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
	}
	return dst, true
}
