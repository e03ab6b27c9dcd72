package rules

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// holder is a holder of the post-sync namespace: an on-premises object
// (index >= 0) or a cloud object that no on-premises object joins
// (-(index+1)).
type holder int32

func cloudHolder(i int) holder { return holder(-i - 1) }

// onpremValue is one value an on-premises object holds in a namespace:
// raw is the value without its prefix (smtp:), in any case.
type onpremValue struct {
	attr, value, raw string
}

// key is the value as the namespace compares it: lower-case. The namespace
// lowers only the values that collide; a million mixed-case addresses
// lowered up front were as many allocations.
func (v onpremValue) key() string { return strings.ToLower(v.raw) }

// namespace finds the values of one namespace (SMTP addresses, UPNs) held by
// two different holders after sync, with two passes of hash maps — never by
// comparing pairs. Holders are every in-scope on-premises object and every
// cloud object no on-premises object joins: an object and the cloud object
// it joins are one holder, and a blocked candidate is not joined, so it
// collides. An account-forest user and its linked mailbox in a resource
// forest are one person and never collide with each other — for Connect
// Sync, which joins them; Cloud Sync does not match across forests and
// makes two cloud users of them, which collide like any two holders.
type namespace struct {
	p        *Pass
	person   []int32 // on-prem index -> index of the person it belongs to; nil: each its own
	seed     maphash.Seed
	collided map[uint64]bool     // HashFold of every value held twice (or a hash collision)
	holders  map[string][]holder // lower-case value -> holders, for the collided ones
}

// newNamespace indexes the namespace. onprem yields an on-premises object's
// values; cloud yields a cloud object's values, in any case (nil:
// on-premises only).
// perHolder is about how many values each holder has (the first map is
// sized from it, so it never grows in the middle of a million inserts).
func newNamespace(p *Pass, perHolder int, onprem func(o *scanner.OnPrem, yield func(onpremValue)), cloud func(c *scanner.Cloud, yield func(value string))) *namespace {
	ns := &namespace{p: p, seed: maphash.MakeSeed()}
	if p.Target != scanner.TargetCloudSync {
		ns.person = linkedPersons(p.Snap.OnPrem)
	}
	// Pass 1 keys values by a 64-bit hash: a third of the memory of string
	// keys at a million objects. A false hash collision only costs pass 2 a
	// look at the real strings.
	holders := len(p.Snap.OnPrem)
	if cloud != nil {
		holders += len(p.Snap.Cloud)
	}
	// The pairs are grouped by the top byte of their hash before the map
	// sees them: one map over four million pairs missed the CPU caches on
	// almost every look-up (a million-object scan spent a second there),
	// 256 maps of a 256th stay in them. Within a group the order does not
	// matter: a value collides when its holders are not all one person.
	pairs := make([]scanner.KeyHash, 0, holders*perHolder)
	ns.each(onprem, cloud, func(h holder, raw string) {
		if raw != "" {
			pairs = append(pairs, scanner.KeyHash{Hash: scanner.HashFold(ns.seed, raw), Obj: int32(h)})
		}
	})
	ns.collided = map[uint64]bool{}
	first := make(map[uint64]holder, len(pairs)/200+8) // a group: about a 256th
	for _, group := range scanner.GroupByHash(pairs) {
		clear(first)
		for _, p := range group {
			if f, ok := first[p.Hash]; !ok {
				first[p.Hash] = holder(p.Obj)
			} else if !ns.samePerson(f, holder(p.Obj)) {
				ns.collided[p.Hash] = true
			}
		}
	}
	pairs, first = nil, nil
	ns.holders = make(map[string][]holder, len(ns.collided))
	if len(ns.collided) == 0 {
		return ns
	}
	ns.each(onprem, cloud, func(h holder, raw string) {
		if raw == "" || !ns.collided[scanner.HashFold(ns.seed, raw)] {
			return
		}
		key := strings.ToLower(raw)
		l := ns.holders[key]
		if len(l) > 0 && l[len(l)-1] == h {
			return
		}
		ns.holders[key] = append(l, h)
	})
	return ns
}

func (ns *namespace) each(onprem func(*scanner.OnPrem, func(onpremValue)), cloud func(*scanner.Cloud, func(string)), fn func(holder, string)) {
	s := ns.p.Snap
	// One closure per side, not one per object: millions of them were a
	// tenth of what the rules allocated.
	var h holder
	onpremKey := func(v onpremValue) { fn(h, v.raw) }
	for i := range s.OnPrem {
		h = holder(i)
		onprem(&s.OnPrem[i], onpremKey)
	}
	if cloud == nil {
		return
	}
	cloudKey := func(key string) { fn(h, key) }
	for i := range s.Cloud {
		if ns.p.Plan != nil && ns.p.Plan.JoinedBy[i] >= 0 {
			continue // joined: it and its on-prem object are one holder
		}
		h = cloudHolder(i)
		cloud(&s.Cloud[i], cloudKey)
	}
}

func (ns *namespace) samePerson(a, b holder) bool {
	if a == b {
		return true
	}
	if a < 0 || b < 0 || ns.person == nil {
		return false
	}
	return ns.person[a] == ns.person[b]
}

// report calls found once per on-premises holder (i is its index in the
// snapshot) and colliding value, with the other holders.
func (ns *namespace) report(onprem func(*scanner.OnPrem, func(onpremValue)), found func(i int, o *scanner.OnPrem, v onpremValue, others []holder)) {
	if len(ns.holders) == 0 {
		return
	}
	s := ns.p.Snap
	for i := range s.OnPrem {
		o := &s.OnPrem[i]
		var done []string
		onprem(o, func(v onpremValue) {
			if !ns.collided[scanner.HashFold(ns.seed, v.raw)] {
				return
			}
			key := v.key()
			l := ns.holders[key]
			if len(l) == 0 || slices.Contains(done, key) {
				return
			}
			done = append(done, key)
			var others []holder
			for _, h := range l {
				if !ns.samePerson(h, holder(i)) {
					others = append(others, h)
				}
			}
			if len(others) > 0 {
				found(i, o, v, others)
			}
		})
	}
}

// blockedTarget reports whether the one other holder of a value that the
// on-premises object at index i holds is the cloud object its blocked match
// targets: then the duplicate exists only because of the block (joined, the
// two would be one holder). It returns that cloud object and the block's
// finding (fingerprint and rule), or nil when the duplicate has another
// holder, the match is not blocked, or no rule reporting the block runs.
func (ns *namespace) blockedTarget(i int, others []holder) (c *scanner.Cloud, cause, rule string) {
	p := ns.p
	if len(others) != 1 || others[0] >= 0 || p.Plan == nil {
		return nil, "", ""
	}
	m := p.Plan.Matches[i]
	if m.Blocks == 0 || m.Cloud < 0 || others[0] != cloudHolder(int(m.Cloud)) {
		return nil, "", ""
	}
	if cause, rule = p.blockCause(i); cause == "" {
		return nil, "", ""
	}
	return &p.Snap.Cloud[m.Cloud], cause, rule
}

// blockedWords says, for a duplicate that a blocked match causes, why it
// exists and what resolves it.
func blockedWords(c *scanner.Cloud, rule string) (why string, fix Fix) {
	why = fmt.Sprintf("the duplicate exists only because the match of this object to it is blocked (%s), so there is no join", rule)
	fix = Fix{Text: fmt.Sprintf("Follow the fix of this object's %s finding, about its match to cloud %s: this duplicate exists only because that match is blocked, and goes away with the block.", rule, describeCloud(c))}
	return why, fix
}

// related returns the DNs and ids of holders, and a short description for
// the message.
func (ns *namespace) related(hs []holder) ([]string, []string, string) {
	s := ns.p.Snap
	ids := make([]string, 0, len(hs))
	names := make([]string, 0, len(hs))
	var desc []string
	for _, h := range hs {
		if h >= 0 {
			ids = append(ids, s.OnPrem[h].DN)
			names = append(names, OnPremName(&s.OnPrem[h]))
			desc = append(desc, fmt.Sprintf("on-premises %s %s", s.OnPrem[h].Kind, s.OnPrem[h].DN))
			continue
		}
		c := &s.Cloud[-h-1]
		ids = append(ids, c.ID)
		names = append(names, CloudName(c))
		desc = append(desc, "cloud "+describeCloud(c)+" (which no on-premises object joins)")
	}
	const most = 3
	text := strings.Join(desc[:min(len(desc), most)], "; ")
	if len(desc) > most {
		text += fmt.Sprintf("; and %d more", len(desc)-most)
	}
	return ids, names, text
}

// linkedPersons maps each on-premises object to the object of the person it
// belongs to: a linked mailbox (msExchMasterAccountSid) to the account-forest
// user whose objectSid it names, every other object to itself.
func linkedPersons(objs []scanner.OnPrem) []int32 {
	person := make([]int32, len(objs))
	var bySID map[string]int32
	for i := range objs {
		person[i] = int32(i)
		if objs[i].MasterSID != "" && bySID == nil {
			bySID = make(map[string]int32)
		}
	}
	if bySID == nil {
		return person
	}
	for i := range objs {
		if objs[i].ObjectSID != "" {
			bySID[objs[i].ObjectSID] = int32(i)
		}
	}
	for i := range objs {
		if m := objs[i].MasterSID; m != "" {
			if j, ok := bySID[m]; ok && j != int32(i) {
				person[i] = j
			}
		}
	}
	return person
}

// CloudName is how people know a cloud object: a user by its UPN, a group
// or contact by its display name (then mail, then id).
func CloudName(c *scanner.Cloud) string {
	name := c.DisplayName
	if c.Kind == scanner.KindUser && c.UPN != "" {
		name = c.UPN
	}
	if name == "" {
		name = c.Mail
	}
	if name == "" {
		name = c.ID
	}
	return name
}

// OnPremName is how people know an on-premises object: a user by its UPN,
// anything else by its display name (then CN, then DN).
func OnPremName(o *scanner.OnPrem) string {
	if o.Kind == scanner.KindUser && o.UPN != "" {
		return o.UPN
	}
	return o.Name()
}

// describeCloud names a cloud object for a message: its kind, UPN or mail or
// display name, and id.
func describeCloud(c *scanner.Cloud) string {
	name := c.UPN
	if name == "" {
		name = c.Mail
	}
	if name == "" {
		name = c.DisplayName
	}
	return fmt.Sprintf("%s %s (%s)", c.Kind, name, c.ID)
}

// smtpValues yields an on-premises object's SMTP addresses: SMTP
// proxyAddresses values and mail, keyed case-insensitively without prefix.
func smtpValues(o *scanner.OnPrem, yield func(onpremValue)) {
	for _, pa := range o.ProxyAddresses {
		if scanner.IsSMTPProxy(pa) && len(pa) > 5 {
			yield(onpremValue{"proxyAddresses", pa, pa[5:]})
		}
	}
	if o.Mail != "" {
		yield(onpremValue{"mail", o.Mail, o.Mail})
	}
}

// cloudSMTP yields a cloud object's SMTP addresses.
func cloudSMTP(c *scanner.Cloud, yield func(string)) { c.SMTPAddresses(yield) }

// domainOf returns the lower-case domain of an address, "" without '@'.
func domainOf(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(addr[at+1:])), ".")
}

// localPart returns what comes before the last '@'.
func localPart(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return addr[:at]
	}
	return addr
}
