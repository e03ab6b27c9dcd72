package scanner

import (
	"fmt"
	"sort"
	"strings"
)

// ScopeOptions are the admin's OU filter, as Entra Connect's domain and OU
// filtering applies it: the most specific selected or deselected container
// decides.
type ScopeOptions struct {
	IncludeOUs []string
	ExcludeOUs []string
}

// recipientTypeExcludedMask is msExchRecipientTypeDetails values the default
// sync rules leave out (system and arbitration mailboxes, discovery search
// mailbox, …): BitAnd(msExchRecipientTypeDetails, &H21C07000) > 0.
const recipientTypeExcludedMask = 0x21C07000

// ApplyScope removes from snap.OnPrem every object the default sync rules (or
// the OU filter) leave out, and marks the Exchange system mailboxes that do
// sync. Objects excluded by the default rules' exclusions are recorded in
// snap.Coverage.Skipped with the reason; contacts without mail and
// distribution groups without mail, which are simply not sync objects (like
// computers), are counted in snap.OutOfScope.
func ApplyScope(snap *Snapshot, opt ScopeOptions) {
	inc := normalizeAll(opt.IncludeOUs)
	exc := normalizeAll(opt.ExcludeOUs)
	kept := snap.OnPrem[:0]
	for i := range snap.OnPrem {
		o := &snap.OnPrem[i]
		if reason := outOfScope(o, inc, exc); reason != "" {
			snap.Coverage.Skipped = append(snap.Coverage.Skipped, Skipped{Object: o.DN, Reason: reason})
			continue
		}
		if reason := notSyncObject(o); reason != "" {
			if snap.OutOfScope == nil {
				snap.OutOfScope = map[string]int{}
			}
			snap.OutOfScope[reason]++
			continue
		}
		if isSystemMailbox(o) {
			o.Flags |= FlagSystemMailbox
		}
		if len(kept) == i {
			kept = kept[:i+1] // nothing left out yet: no need to copy
		} else {
			kept = append(kept, *o)
		}
	}
	clear(snap.OnPrem[len(kept):])
	snap.OnPrem = kept
}

func outOfScope(o *OnPrem, inc, exc []string) string {
	if strings.Contains(o.DN, "\nCNF:") || hasEscapedCNF(o.DN) {
		return "conflict object (CNF in the DN): the default sync rules skip it; delete or rename the duplicate in AD"
	}
	if o.Flags.Has(FlagCriticalSystem) {
		return "isCriticalSystemObject is TRUE: built-in and system objects do not sync"
	}
	if r := ouFilter(o.DN, inc, exc); r != "" {
		return r
	}
	sam := o.SAMAccountName
	switch {
	case o.Kind == KindUser && sam == "":
		return "user without sAMAccountName: the default sync rules require it"
	case hasPrefixFold(sam, "AAD_"), hasPrefixFold(sam, "MSOL_"):
		return "sAMAccountName starts with " + sam[:strings.IndexByte(sam, '_')+1] + ": a sync service account, excluded by the default sync rules"
	case hasPrefixFold(sam, "SUPPORT_388945A0"):
		return "sAMAccountName SUPPORT_388945a0: a built-in account, excluded by the default sync rules"
	}
	nick := o.MailNickname
	switch {
	case hasPrefixFold(nick, "SYSTEMMAILBOX{"):
		return "mailNickname starts with SystemMailbox{: an Exchange system mailbox, excluded by the default sync rules"
	case hasPrefixFold(nick, "CAS_") && strings.Contains(nick, "}"):
		return "mailNickname CAS_{…}: an Exchange system mailbox, excluded by the default sync rules"
	}
	if o.RecipientTypeDetails&recipientTypeExcludedMask != 0 {
		return "msExchRecipientTypeDetails is in the excluded mask 0x21C07000 (system, arbitration or discovery mailbox)"
	}
	return ""
}

// notSyncObject says why a contact or group is not an object of sync at all.
func notSyncObject(o *OnPrem) string {
	switch o.Kind {
	case KindContact:
		if o.Mail == "" {
			return "contacts without mail"
		}
	case KindGroup:
		if !o.SecurityEnabled() && !o.MailEnabled() {
			return "distribution groups without mail"
		}
	}
	return ""
}

// isSystemMailbox reports Exchange system mailboxes that sync but that nobody
// signs in with.
func isSystemMailbox(o *OnPrem) bool {
	for _, s := range [...]string{o.CN, o.MailNickname, o.SAMAccountName} {
		if hasPrefixFold(s, "HEALTHMAILBOX") || hasPrefixFold(s, "FEDERATEDEMAIL.") || hasPrefixFold(s, "MIGRATION.") {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with the ASCII prefix in any case
// (without the copy strings.ToUpper makes: a million objects made three
// million of them here).
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hasEscapedCNF reports a conflict DN whose newline is escaped as \0A (in
// any case) before "CNF:".
func hasEscapedCNF(dn string) bool {
	for {
		i := strings.IndexByte(dn, '\\')
		if i < 0 {
			return false
		}
		if hasPrefixFold(dn[i:], `\0ACNF:`) {
			return true
		}
		dn = dn[i+1:]
	}
}

// ouFilter applies --include-ou and --exclude-ou: the deepest matching
// container wins, as in Entra Connect's OU tree where a sub-OU can be
// deselected under a selected one, or selected under a deselected one.
func ouFilter(dn string, inc, exc []string) string {
	if len(inc) == 0 && len(exc) == 0 {
		return ""
	}
	n := NormalizeDN(dn)
	bestInc, bestExc := -1, -1
	var excOU string
	for _, ou := range inc {
		if under(n, ou) && len(ou) > bestInc {
			bestInc = len(ou)
		}
	}
	for _, ou := range exc {
		if under(n, ou) && len(ou) > bestExc {
			bestExc, excOU = len(ou), ou
		}
	}
	switch {
	case bestExc > bestInc:
		return "under --exclude-ou " + excOU
	case len(inc) > 0 && bestInc < 0:
		return "not under any --include-ou"
	}
	return ""
}

func under(dn, ou string) bool {
	return dn == ou || strings.HasSuffix(dn, ","+ou)
}

func normalizeAll(dns []string) []string {
	out := make([]string, 0, len(dns))
	for _, d := range dns {
		if d = NormalizeDN(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// NormalizeDN returns a DN for comparison: lower case, no spaces around the
// RDN separators and '='. Escaped commas stay escaped.
func NormalizeDN(dn string) string {
	var b strings.Builder
	b.Grow(len(dn))
	rdns := SplitDN(dn)
	for i, r := range rdns {
		if i > 0 {
			b.WriteByte(',')
		}
		typ, val, ok := strings.Cut(r, "=")
		if !ok {
			b.WriteString(strings.ToLower(strings.TrimSpace(r)))
			continue
		}
		b.WriteString(strings.ToLower(strings.TrimSpace(typ)))
		b.WriteByte('=')
		b.WriteString(strings.ToLower(strings.TrimSpace(val)))
	}
	return b.String()
}

// SplitDN splits a DN on the commas that are not escaped with a backslash.
func SplitDN(dn string) []string {
	var out []string
	start := 0
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',':
			out = append(out, dn[start:i])
			start = i + 1
		}
	}
	return append(out, dn[start:])
}

// DNSDomain returns the DNS name of the domain an object lives in, from the
// DC= components of its DN ("CN=a,OU=b,DC=contoso,DC=com" -> "contoso.com").
func DNSDomain(dn string) string {
	var labels []string
	for _, r := range SplitDN(dn) {
		typ, val, ok := strings.Cut(r, "=")
		if ok && strings.EqualFold(strings.TrimSpace(typ), "DC") {
			labels = append(labels, strings.TrimSpace(val))
		}
	}
	return strings.ToLower(strings.Join(labels, "."))
}

// SameObjects refuses a snapshot in which one objectGUID was read twice —
// the same domain given twice (a global catalog and a domain controller of
// one domain, or one export under two names): every object would collide
// with itself, and two copies could hard-match one cloud user.
func SameObjects(snap *Snapshot) error {
	seen := make(map[[16]byte]int32, len(snap.OnPrem))
	for i := range snap.OnPrem {
		o := &snap.OnPrem[i]
		if len(o.ObjectGUID) != 16 {
			continue
		}
		k := [16]byte([]byte(o.ObjectGUID))
		j, dup := seen[k]
		if !dup {
			seen[k] = int32(i)
			continue
		}
		p := &snap.OnPrem[j]
		return fmt.Errorf("objectGUID %s is read twice: %s (%s) and %s (%s); each domain must be read once (a global catalog and a domain controller of one domain overlap, as do two exports of one domain)",
			FormatGUID(o.ObjectGUID), p.DN, snap.inputOf(p), o.DN, snap.inputOf(o))
	}
	return nil
}

// inputOf names where an on-premises object was read, with its line.
func (s *Snapshot) inputOf(o *OnPrem) string {
	in := "an unnamed input"
	if i := int(o.Source); i >= 0 && i < len(s.Sources.Inputs) {
		in = s.Sources.Inputs[i]
	}
	if o.Line > 0 {
		return fmt.Sprintf("%s, line %d", in, o.Line)
	}
	return in
}

// ExplainEmptyScope says why no object of the read ones is in scope: the
// include OUs that hold none, and what left the others out.
func ExplainEmptyScope(read int, snap *Snapshot, opt ScopeOptions) string {
	var parts []string
	for _, ou := range opt.IncludeOUs {
		n, nou := 0, NormalizeDN(ou)
		for _, k := range snap.Coverage.Skipped {
			if under(NormalizeDN(k.Object), nou) {
				n++
			}
		}
		if n == 0 {
			parts = append(parts, fmt.Sprintf("--include-ou %s matched no object", ou))
		}
	}
	counts := map[string]int{}
	var order []string
	add := func(reason string, n int) {
		if counts[reason] == 0 {
			order = append(order, reason)
		}
		counts[reason] += n
	}
	for _, k := range snap.Coverage.Skipped {
		add(k.Reason, 1)
	}
	for _, k := range sortedReasons(snap.OutOfScope) {
		add(k, snap.OutOfScope[k])
	}
	for _, r := range order {
		parts = append(parts, fmt.Sprintf("%d %s", counts[r], r))
	}
	return fmt.Sprintf("0 of %d on-premises objects are in scope: %s; nothing would sync, so there is nothing to predict (check --include-ou and --exclude-ou)", read, strings.Join(parts, "; "))
}

func sortedReasons(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
