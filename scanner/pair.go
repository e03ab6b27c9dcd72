package scanner

import (
	"hash/maphash"
	"math/bits"
	"runtime"
	"sync"
)

// Outcome is what the sync service will do with an on-premises object.
type Outcome uint8

const (
	OutcomeProvision Outcome = iota
	OutcomeHardMatch
	OutcomeSoftMatchSMTP
	OutcomeSoftMatchUPN
	OutcomeBlocked
)

// Outcomes lists every outcome in report order.
var Outcomes = []Outcome{OutcomeHardMatch, OutcomeSoftMatchSMTP, OutcomeSoftMatchUPN, OutcomeProvision, OutcomeBlocked}

// String returns the report spelling of the outcome.
func (o Outcome) String() string {
	switch o {
	case OutcomeHardMatch:
		return "hard-match"
	case OutcomeSoftMatchSMTP:
		return "soft-match-smtp"
	case OutcomeSoftMatchUPN:
		return "soft-match-upn"
	case OutcomeBlocked:
		return "blocked"
	}
	return "provision"
}

// Reasons is a set of reasons a join is blocked. The bit order is the
// report's precedence order: the lowest set bit is the reported reason.
type Reasons uint8

const (
	ReasonTypeMismatch Reasons = 1 << iota
	ReasonAnchored
	ReasonAdminRole
	ReasonTakeoverBlocked
	ReasonSoftMatchDisabled
)

// AllReasons lists every blocked reason in precedence order.
var AllReasons = []Reasons{ReasonTypeMismatch, ReasonAnchored, ReasonAdminRole, ReasonTakeoverBlocked, ReasonSoftMatchDisabled}

// First returns the reason reported when several apply.
func (r Reasons) First() Reasons {
	if r == 0 {
		return 0
	}
	return 1 << bits.TrailingZeros8(uint8(r))
}

// String returns the report code of the first reason, "" when none.
func (r Reasons) String() string {
	switch r.First() {
	case ReasonTypeMismatch:
		return "type-mismatch"
	case ReasonAnchored:
		return "anchored"
	case ReasonAdminRole:
		return "admin-role"
	case ReasonTakeoverBlocked:
		return "takeover-blocked"
	case ReasonSoftMatchDisabled:
		return "soft-match-disabled"
	}
	return ""
}

// Match is the predicted fate of one on-premises object.
type Match struct {
	// Cloud is the index in Snapshot.Cloud of the hard-match target or
	// soft-match candidate (also when blocked), -1 when there is none.
	Cloud int32
	// Method is how the target was found: hard, soft by SMTP, soft by UPN,
	// or provision when there is no target.
	Method Outcome
	// Blocks holds every condition that prevents the join; 0 means it joins.
	Blocks Reasons
	// Role is the directory role state of the target.
	Role RoleState
}

// Outcome is the reported outcome: blocked when any condition applies.
func (m Match) Outcome() Outcome {
	if m.Blocks != 0 {
		return OutcomeBlocked
	}
	return m.Method
}

// Joined reports whether the object joins its cloud target.
func (m Match) Joined() bool { return m.Cloud >= 0 && m.Blocks == 0 }

// Plan is the match plan: one Match per on-premises object of the snapshot,
// in the same order, and which on-premises object joins each cloud object.
type Plan struct {
	Matches []Match
	// JoinedBy[i] is the index of the on-premises object that joins cloud
	// object i, or -1.
	JoinedBy []int32
	// Anchor is the source anchor the plan was built with.
	Anchor SourceAnchor
}

// Pair predicts the match plan with hash indexes over the cloud side: one
// pass to index, one pass over the on-premises objects. With no tenant side
// every object is provisioned.
func Pair(snap *Snapshot, anchor SourceAnchor) *Plan { return PairIndexed(snap, anchor, nil, nil) }

// PairIndexed is Pair with the cloud index built beforehand by IndexCloud
// from snap.Cloud (nil: built here), so that a scan can index the cloud
// side while the on-premises side is still being read. The on-premises
// objects are paired on GOMAXPROCS goroutines; the plan is the same.
// progress, when set, is told of objects paired, from those goroutines.
func PairIndexed(snap *Snapshot, anchor SourceAnchor, idx *CloudIndex, progress func(objects int)) *Plan {
	p := &Plan{Matches: make([]Match, len(snap.OnPrem)), JoinedBy: make([]int32, len(snap.Cloud)), Anchor: anchor}
	for i := range p.JoinedBy {
		p.JoinedBy[i] = -1
	}
	if snap.Tenant == nil {
		for i := range p.Matches {
			p.Matches[i] = Match{Cloud: -1}
		}
		return p
	}
	if idx == nil {
		idx = IndexCloud(snap.Cloud)
	}
	parallel(len(snap.OnPrem), func(from, to int) {
		for i := from; i < to; i++ {
			p.Matches[i] = idx.match(snap, &snap.OnPrem[i], anchor)
			if progress != nil && (i-from)%4096 == 4095 {
				progress(4096)
			}
		}
		if progress != nil {
			progress((to - from) % 4096)
		}
	})
	// Of several objects joining one cloud object, the first joins.
	for i := range p.Matches {
		p.join(i, &p.Matches[i])
	}
	return p
}

// parallel calls fn over n items cut into one range per GOMAXPROCS, at
// least minChunk items each, and waits.
func parallel(n int, fn func(from, to int)) {
	const minChunk = 10000
	parts := min(runtime.GOMAXPROCS(0), max(n/minChunk, 1))
	if parts <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(n*k/parts, n*(k+1)/parts)
		}()
	}
	wg.Wait()
}

// match predicts one on-premises object's outcome.
func (idx *CloudIndex) match(snap *Snapshot, o *OnPrem, anchor SourceAnchor) Match {
	t := snap.Tenant
	m := Match{Cloud: -1}
	if o.Kind == KindUser {
		var buf [32]byte // a GUID's 24 base64 characters, without an allocation
		if a := o.AppendAnchor(buf[:0], anchor); len(a) > 0 {
			if c := idx.hardTarget(a); c >= 0 {
				tgt := &snap.Cloud[c]
				m.Cloud, m.Method = c, OutcomeHardMatch
				m.Role = t.RoleState(tgt.ID)
				if !tgt.SyncEnabled {
					// Since July 2026 the service blocks a hard match to a
					// cloud-managed user who holds a privileged role or is
					// eligible for one, for Connect Sync and Cloud Sync alike.
					if m.Role != RoleNone {
						m.Blocks |= ReasonAdminRole
					}
					if t.Features.BlockHardMatchTakeover {
						m.Blocks |= ReasonTakeoverBlocked
					}
				}
				return m
			}
		}
	}
	c, method := idx.softCandidate(o, t.Features.SoftMatchOnUPN)
	if c < 0 {
		return m
	}
	tgt := &snap.Cloud[c]
	m.Cloud, m.Method = c, method
	m.Role = t.RoleState(tgt.ID)
	if tgt.Kind != o.Kind {
		m.Blocks |= ReasonTypeMismatch
	}
	if tgt.Anchored() {
		m.Blocks |= ReasonAnchored
	}
	if m.Role == RoleActive {
		m.Blocks |= ReasonAdminRole
	}
	if t.Features.BlockSoftMatch {
		m.Blocks |= ReasonSoftMatchDisabled
	}
	return m
}

func (p *Plan) join(i int, m *Match) {
	if m.Joined() && p.JoinedBy[m.Cloud] < 0 {
		p.JoinedBy[m.Cloud] = int32(i)
	}
}

// CloudIndex holds the cloud side's match keys: immutable ids, SMTP
// addresses and UPNs, each to the objects that hold it.
type CloudIndex struct {
	cloud     []Cloud
	seed      maphash.Seed
	immutable *keyIndex // onPremisesImmutableId -> users
	smtp      *keyIndex // SMTP proxy address, any case -> objects
	upn       *keyIndex // UPN, any case -> users
}

// IndexCloud indexes the cloud objects for PairIndexed.
func IndexCloud(cloud []Cloud) *CloudIndex {
	var users, addrs int
	for i := range cloud {
		if cloud[i].Kind == KindUser {
			users++
		}
		addrs += len(cloud[i].ProxyAddresses)
	}
	seed := maphash.MakeSeed()
	idx := &CloudIndex{cloud: cloud, seed: seed}
	// One buffer of keys, gathered for one table at a time.
	keys := make([]KeyHash, 0, max(users, addrs))
	table := func(n int) *keyIndex {
		t := newKeyIndex(n)
		t.addAll(keys)
		keys = keys[:0]
		return t
	}
	for i := range cloud {
		if c := &cloud[i]; c.Kind == KindUser && c.ImmutableID != "" {
			keys = append(keys, KeyHash{maphash.String(seed, c.ImmutableID), int32(i)})
		}
	}
	idx.immutable = table(users)
	for i := range cloud {
		if c := &cloud[i]; c.Kind == KindUser && c.UPN != "" {
			keys = append(keys, KeyHash{HashFold(seed, c.UPN), int32(i)})
		}
	}
	idx.upn = table(users)
	for i := range cloud {
		for _, pa := range cloud[i].ProxyAddresses {
			if IsSMTPProxy(pa) {
				keys = append(keys, KeyHash{HashFold(seed, pa[5:]), int32(i)})
			}
		}
	}
	idx.smtp = table(addrs)
	return idx
}

// hardTarget finds the first user whose onPremisesImmutableId is a.
func (idx *CloudIndex) hardTarget(a []byte) int32 {
	first := int32(-1)
	it := idx.immutable.find(maphash.Bytes(idx.seed, a)) // equals maphash.String of the same text
	for c := it.next(); c >= 0; c = it.next() {
		if idx.cloud[c].ImmutableID == string(a) {
			first = earliest(first, c)
		}
	}
	return first
}

// softCandidate finds the soft-match candidate: primary SMTP against every
// cloud object's SMTP proxy addresses first, then UPN against UPN (users,
// when the tenant allows it). Of several holders of one address, the first
// of the object's own kind is preferred, else the first.
func (idx *CloudIndex) softCandidate(o *OnPrem, upnOn bool) (int32, Outcome) {
	if smtp, ok := o.PrimarySMTP(); ok && (o.Kind != KindGroup || o.MailEnabled()) {
		first, own := int32(-1), int32(-1)
		it := idx.smtp.find(HashFold(idx.seed, smtp))
		for c := it.next(); c >= 0; c = it.next() {
			if !idx.cloud[c].holdsSMTP(smtp) {
				continue
			}
			first = earliest(first, c)
			if idx.cloud[c].Kind == o.Kind {
				own = earliest(own, c)
			}
		}
		switch {
		case own >= 0:
			return own, OutcomeSoftMatchSMTP
		case first >= 0:
			return first, OutcomeSoftMatchSMTP
		}
	}
	if upnOn && o.Kind == KindUser && o.UPN != "" {
		first := int32(-1)
		it := idx.upn.find(HashFold(idx.seed, o.UPN))
		for c := it.next(); c >= 0; c = it.next() {
			if sameFold(idx.cloud[c].UPN, o.UPN) {
				first = earliest(first, c)
			}
		}
		if first >= 0 {
			return first, OutcomeSoftMatchUPN
		}
	}
	return -1, OutcomeProvision
}

// earliest returns the lower of two object indexes, -1 meaning none.
func earliest(a, b int32) int32 {
	if a < 0 || (b >= 0 && b < a) {
		return b
	}
	return a
}

// holdsSMTP reports whether addr is one of the object's SMTP proxy
// addresses, in any case.
func (c *Cloud) holdsSMTP(addr string) bool {
	for _, pa := range c.ProxyAddresses {
		if IsSMTPProxy(pa) && sameFold(pa[5:], addr) {
			return true
		}
	}
	return false
}
