package rules

import (
	"hash/maphash"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

// syncedLinks pairs the synced cloud users (onPremisesSyncEnabled true)
// with the in-scope on-premises users they came from: by
// onPremisesSecurityIdentifier = objectSid when both have one, else by
// onPremisesDistinguishedName = DN (without case). A link says which
// object the synced user is, whatever the anchors say; the service itself
// joins only by anchor.
type syncedLinks struct {
	// cloudOf[i] is the synced cloud user on-premises object i is linked
	// to, -1 for none; bySID says the link is by objectSid. nil when the
	// tenant has no synced user that names where it came from.
	cloudOf []int32
	bySID   []bool
	// linked[c] says synced cloud user c is linked (indexed by cloud
	// object).
	linked []bool
}

// collision marks a hash that two different keys gave: the look-up then
// compares with every candidate (two DNs or SIDs whose 64-bit hashes agree
// are never expected, but must not pair).
const collision = -2

// linkSynced computes the links of the pass's snapshot. It allocates per
// side, never per object: keys are hashed, not copied.
func (p *Pass) linkSynced() *syncedLinks {
	s := p.Snap
	l := &syncedLinks{}
	n := 0
	for i := range s.Cloud {
		if c := &s.Cloud[i]; c.Kind == scanner.KindUser && c.SyncEnabled && (c.OnPremSID != "" || c.OnPremDN != "") {
			n++
		}
	}
	if n == 0 {
		return l
	}
	seed := maphash.MakeSeed()
	bySID := make(map[uint64]int32, n)
	byDN := make(map[uint64]int32, n)
	put := func(m map[uint64]int32, h uint64, c int32) {
		if old, ok := m[h]; ok && old != c {
			m[h] = collision
			return
		}
		m[h] = c
	}
	var buf [80]byte
	for i := range s.Cloud {
		c := &s.Cloud[i]
		if c.Kind != scanner.KindUser || !c.SyncEnabled {
			continue
		}
		if c.OnPremSID != "" {
			if raw, ok := scanner.ParseSID(buf[:0], c.OnPremSID); ok {
				put(bySID, maphash.Bytes(seed, raw), int32(i))
			}
		}
		if c.OnPremDN != "" {
			put(byDN, foldHash(seed, c.OnPremDN), int32(i))
		}
	}
	// The look-ups, made once: a closure per object would be an allocation
	// per object. Each returns the synced cloud user with the key, -1 for
	// none.
	sidOf := func(c *scanner.Cloud, sid string) bool {
		raw, ok := scanner.ParseSID(buf[:0], c.OnPremSID)
		return ok && string(raw) == sid
	}
	sidRead := false // the on-premises object looked up has an objectSid
	dnOf := func(c *scanner.Cloud, dn string) bool {
		// When both name a SID, the SIDs decide: an object recreated under
		// the same DN is another object.
		return (c.OnPremSID == "" || !sidRead) && strings.EqualFold(c.OnPremDN, dn)
	}
	find := func(m map[uint64]int32, h uint64, key string, match func(*scanner.Cloud, string) bool) int32 {
		c, ok := m[h]
		switch {
		case !ok:
			return -1
		case c != collision:
			if match(&s.Cloud[c], key) {
				return c
			}
			return -1
		}
		for j := range s.Cloud {
			if cj := &s.Cloud[j]; cj.Kind == scanner.KindUser && cj.SyncEnabled && match(cj, key) {
				return int32(j)
			}
		}
		return -1
	}
	l.cloudOf = make([]int32, len(s.OnPrem))
	l.bySID = make([]bool, len(s.OnPrem))
	l.linked = make([]bool, len(s.Cloud))
	for i := range s.OnPrem {
		o := &s.OnPrem[i]
		l.cloudOf[i] = -1
		if o.Kind != scanner.KindUser {
			continue
		}
		c := int32(-1)
		sidRead = o.ObjectSID != ""
		if sidRead && len(bySID) > 0 {
			c = find(bySID, maphash.String(seed, o.ObjectSID), o.ObjectSID, sidOf)
			l.bySID[i] = c >= 0
		}
		if c < 0 && len(byDN) > 0 {
			c = find(byDN, foldHash(seed, o.DN), o.DN, dnOf)
		}
		if c >= 0 && !l.linked[c] {
			l.cloudOf[i], l.linked[c] = c, true
		}
	}
	return l
}

// foldHash hashes s as its lower case, without the copy strings.ToLower
// makes (DNs longer than a buffer or with letters outside ASCII included).
func foldHash(seed maphash.Seed, s string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	var buf [128]byte
	b := buf[:0]
	for _, r := range s {
		if len(b) > len(buf)-utf8.UTFMax {
			h.Write(b)
			b = buf[:0]
		}
		switch {
		case 'A' <= r && r <= 'Z':
			b = append(b, byte(r+'a'-'A'))
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		default:
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
	}
	h.Write(b)
	return h.Sum64()
}

// anchorAttr names the attribute the source anchor of o is computed from.
func (p *Pass) anchorAttr(o *scanner.OnPrem) string {
	if a := p.Plan.Anchor; a == scanner.AnchorConsistencyGUID || a == scanner.AnchorAuto && o.ConsistencyGUID != "" {
		return "mS-DS-ConsistencyGuid"
	}
	return "objectGUID"
}
