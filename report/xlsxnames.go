package report

import (
	"slices"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// forestDomains returns, for each of snap.Sources.Forests, the DNS domains
// its objects are in (from the DC= part of their DNs), sorted; a source
// without objects gets its own name's domain when it is a base DN. The
// objects of a source mostly share a domain: a DN that ends in the DC=
// part of the one before it is not parsed again.
func forestDomains(snap *scanner.Snapshot) [][]string {
	out := make([][]string, len(snap.Sources.Forests))
	last, lastSuffix := int32(-1), ""
	for i := range snap.OnPrem {
		o := &snap.OnPrem[i]
		if o.Source < 0 || int(o.Source) >= len(out) {
			continue
		}
		if o.Source == last && lastSuffix != "" && inDomain(o.DN, lastSuffix) {
			continue
		}
		last, lastSuffix = o.Source, dcSuffix(o.DN)
		if d := scanner.DNSDomain(lastSuffix); d != "" && !slices.Contains(out[o.Source], d) {
			out[o.Source] = append(out[o.Source], d)
		}
	}
	for i, f := range snap.Sources.Forests {
		if len(out[i]) == 0 {
			if d := scanner.DNSDomain(f); d != "" {
				out[i] = []string{d}
			}
		}
		slices.Sort(out[i])
	}
	return out
}

// dcSuffix is the part of dn from its first DC= component on.
func dcSuffix(dn string) string {
	start := 0
	for i := 0; i <= len(dn); i++ {
		if i < len(dn) && dn[i] == '\\' {
			i++
			continue
		}
		if i == len(dn) || dn[i] == ',' {
			if isDC(dn[start:]) {
				return strings.TrimLeft(dn[start:], " ")
			}
			start = i + 1
		}
	}
	return ""
}

// inDomain reports whether dn's DC= part is suffix, the DC= part of
// another DN: dn ends in it, and the component before it is not DC= (a
// child domain's object ends in its parent's suffix too). A component
// before it that holds an escaped comma reads as not DC=, which is what
// it is.
func inDomain(dn, suffix string) bool {
	k := len(dn) - len(suffix)
	if k <= 0 || dn[k:] != suffix || dn[k-1] != ',' {
		return k == 0 && dn == suffix
	}
	prev := dn[strings.LastIndexByte(dn[:k-1], ',')+1 : k-1]
	return !isDC(prev)
}

// isDC reports whether a DN component (and what follows it) starts DC=.
func isDC(s string) bool {
	s = strings.TrimLeft(s, " ")
	return len(s) >= 3 && strings.EqualFold(s[:2], "DC") && (s[2] == '=' || s[2] == ' ')
}
