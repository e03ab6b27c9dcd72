package ldap

import (
	"context"
	"errors"
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// Directory is one domain or forest read live, as a source of a scan.
type Directory struct {
	Source  *Source
	Options Options
}

// Side is the on-premises side.
func (d *Directory) Side() scanner.Side { return scanner.OnPremSide }

// Read reads the directory into snap: its objects, the base DN searched as
// forest and as the part of the directory read (an OU, when the search
// started there), the URL as input, and what could not be read.
func (d *Directory) Read(ctx context.Context, snap *scanner.Snapshot) error {
	results, err := Read(ctx, []*Source{d.Source}, d.Options, 0, func(o *scanner.OnPrem) {
		snap.OnPrem = append(snap.OnPrem, *o)
	})
	if err != nil {
		return err
	}
	for _, r := range results {
		snap.Sources.Forests = append(snap.Sources.Forests, r.BaseDN)
		if r.BaseDN != "" { // "" is a global catalog's whole forest: its objects' domains say it
			snap.Scanned = append(snap.Scanned, scanner.NormalizeDN(r.BaseDN))
		}
		snap.Sources.Inputs = append(snap.Sources.Inputs, r.Source.URL)
		snap.Coverage.Assumed = append(snap.Coverage.Assumed, r.Notes...)
		snap.Coverage.Partial = append(snap.Coverage.Partial, r.Partial...)
		snap.Coverage.MemberCounts = append(snap.Coverage.MemberCounts, r.MemberCounts...)
	}
	return nil
}

// Sources makes one Source per URL from the settings they share, with the
// base DNs given once for all or once per URL in order, each checked.
func Sources(urls, baseDNs []string, shared Source) ([]*Source, error) {
	if len(urls) == 0 {
		if len(baseDNs) > 0 || shared.BindDN != "" {
			return nil, errors.New("--ldap-bind-dn and --ldap-base-dn need --ldap-url")
		}
		return nil, nil
	}
	if n := len(baseDNs); n > 1 && n != len(urls) {
		return nil, fmt.Errorf("--ldap-base-dn given %d times for %d --ldap-url: give it once for all, or once per URL in the same order", n, len(urls))
	}
	var out []*Source
	for i, u := range urls {
		s := shared
		s.URL = u
		switch len(baseDNs) {
		case 1:
			s.BaseDN = baseDNs[0]
		case len(urls):
			s.BaseDN = baseDNs[i]
		}
		if err := Check(&s); err != nil {
			return nil, err
		}
		out = append(out, &s)
	}
	return out, nil
}
