package ldap

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"

	goldap "github.com/go-ldap/ldap/v3"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/ldif"
)

// Read reads every source concurrently and calls emit for each user, group
// and contact, source by source in the order given (so reports are stable
// from run to run). Objects get Source = first + the source's index. A
// source that fails fails the whole read: a report must never silently
// cover half a directory.
func Read(ctx context.Context, sources []*Source, opt Options, first int32, emit func(*scanner.OnPrem)) ([]Result, error) {
	opt.defaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]Result, len(sources))
	objects := make([][]scanner.OnPrem, len(sources))
	errs := make([]error, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			attrs := scanner.NewAttrs(opt.UPNAttr)
			var objs []scanner.OnPrem
			res, err := readSource(ctx, src, &opt, func(e *goldap.Entry) error {
				o := scanner.OnPrem{DN: e.DN, Source: first + int32(i)}
				for _, a := range e.Attributes {
					name := []byte(a.Name)
					for _, v := range a.ByteValues {
						if err := attrs.Set(&o, name, v); err != nil {
							return fmt.Errorf("%s: %s: attribute %s: %w", src.URL, e.DN, a.Name, err)
						}
					}
				}
				if attrs.Done(&o) {
					objs = append(objs, o)
					if opt.Progress != nil && len(objs)%500 == 0 {
						opt.Progress(src, len(objs))
					}
				}
				return nil
			})
			if opt.Progress != nil {
				opt.Progress(src, len(objs))
			}
			results[i], objects[i], errs[i] = res, objs, err
			if err != nil {
				cancel() // stop the other sources
			}
		}()
	}
	wg.Wait()
	if err := firstErr(errs); err != nil {
		return nil, err
	}
	for i := range objects {
		for j := range objects[i] {
			emit(&objects[i][j])
		}
		objects[i] = nil
	}
	return results, nil
}

func firstErr(errs []error) error {
	if i := firstError(errs); i >= 0 {
		return errs[i]
	}
	return nil
}

// firstError returns the index of the error that is not the echo of another
// source's cancellation, or -1.
func firstError(errs []error) int {
	idx := -1
	for i, err := range errs {
		if err == nil {
			continue
		}
		if idx < 0 {
			idx = i
		}
		if !strings.Contains(err.Error(), "context canceled") {
			return i
		}
	}
	return idx
}

// Export reads the sources one after the other and writes every entry, as
// read, to w: the offline reader takes the file back to the same objects,
// notes and partial list. On an error w holds part of the directory: the
// caller must discard what was written.
func Export(ctx context.Context, sources []*Source, opt Options, w *ldif.Writer) ([]Result, error) {
	opt.defaults()
	var results []Result
	for _, src := range sources {
		res, err := readSource(ctx, src, &opt, func(e *goldap.Entry) error {
			attrs := make([]ldif.Attr, 0, len(e.Attributes))
			for _, a := range e.Attributes {
				attrs = append(attrs, ldif.Attr{Name: a.Name, Values: a.ByteValues})
			}
			return w.Write(e.DN, attrs)
		})
		if err != nil {
			return nil, err
		}
		// In the file, so that reading it back is as partial as this read.
		for _, n := range res.Notes {
			w.Note(n)
		}
		for _, p := range res.Partial {
			w.Partial(p)
		}
		results = append(results, res)
	}
	return results, nil
}

// readSource reads one source: root DSE, paged search, ranged retrieval,
// and for a global catalog the anchors it lacks.
func readSource(ctx context.Context, src *Source, opt *Options, fn func(*goldap.Entry) error) (Result, error) {
	res := Result{Source: src}
	c, err := dial(ctx, src, opt)
	if err != nil {
		return res, err
	}
	defer c.close()
	if err := c.readRootDSE(); err != nil {
		return res, err
	}
	base := src.BaseDN
	if base == "" && !c.globalCat {
		base = c.rootDSE.GetAttributeValue("defaultNamingContext")
	}
	res.BaseDN = base
	attrs := Attributes(opt.UPNAttr)
	if c.globalCat {
		missing, err := c.notInGlobalCatalog(attrs)
		if err != nil {
			return res, err
		}
		if len(missing) > 0 {
			res.Partial = append(res.Partial, fmt.Sprintf("%s is a global catalog: %s not in its partial attribute set, so the checks of %s are skipped for objects read there (read a domain controller of each domain instead for full coverage)", src.URL, strings.Join(missing, ", "), plural(len(missing), "that attribute", "those attributes")))
		}
	}
	var anchors map[string]string
	var unknown map[string]bool
	if c.globalCat {
		domains, err := c.domains()
		if err != nil {
			return res, err
		}
		anchors, unknown = gcAnchors(ctx, src, opt, domains)
		if len(unknown) > 0 {
			var l []string
			for d := range unknown {
				l = append(l, d)
			}
			sort.Strings(l)
			res.Partial = append(res.Partial, fmt.Sprintf("%s is a global catalog, which does not hold mS-DS-ConsistencyGuid, and no domain controller of %s could be reached: the source anchors of those users are unknown, so their hard matches are not predicted", src.URL, strings.Join(l, ", ")))
		}
	}
	if c.globalCat {
		// A global catalog holds the members of universal groups only.
		res.MemberCounts = append(res.MemberCounts, fmt.Sprintf("%s is a global catalog, which holds the members of universal groups only: group sizes were not read, so the Cloud Sync limit of 50,000 members a group is not checked (read a domain controller of each domain instead)", src.URL))
	} else {
		attrs = append(attrs, MemberRange)
	}
	req := goldap.NewSearchRequest(base, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false, Filter, attrs, nil)
	n := 0
	referrals, err := pagedSearch(ctx, c, req, func(e *goldap.Entry) error {
		if !c.globalCat {
			if err := countMembers(ctx, c, e); err != nil {
				return err
			}
		}
		if err := completeRanges(ctx, c, e); err != nil {
			return err
		}
		n++
		if c.globalCat && len(e.GetRawAttributeValue("mS-DS-ConsistencyGuid")) == 0 {
			// The global catalog lacks the anchor: add what the domain
			// controllers said, or mark it unknown.
			if cg, ok := anchors[string(e.GetRawAttributeValue("objectGUID"))]; ok {
				e.Attributes = append(e.Attributes, &goldap.EntryAttribute{Name: "mS-DS-ConsistencyGuid", ByteValues: [][]byte{[]byte(cg)}})
			} else if unknown[strings.ToLower(domainNC(e.DN))] {
				e.Attributes = append(e.Attributes, &goldap.EntryAttribute{Name: scanner.AnchorUnknownAttr, ByteValues: [][]byte{[]byte("TRUE")}})
			}
		}
		return fn(e)
	})
	if err != nil {
		if ctx.Err() != nil {
			return res, fmt.Errorf("read %s: %w", src.URL, ctx.Err())
		}
		return res, fmt.Errorf("read %s (base %q): stopped after %d objects: %w; the scan is abandoned rather than reporting on part of the directory", src.URL, base, n, err)
	}
	res.referrals(referrals)
	return res, nil
}

// referrals names, once per URL, the referrals the search did not follow:
// in Partial (the objects there were not read), unless one names a
// partition that holds no users, groups or contacts (AD refers every
// subtree search from a domain's root to its configuration and DNS
// partitions): a note.
func (res *Result) referrals(urls []string) {
	seen := map[string]bool{}
	for _, u := range urls {
		if seen[u] {
			continue
		}
		seen[u] = true
		dn, none := ldif.ReferralTarget(u)
		if none != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: a referral to %s was not followed; it names the %s, which holds no users, groups or contacts", res.Source.URL, u, none))
			continue
		}
		if dn == "" {
			dn = "it"
		}
		res.Partial = append(res.Partial, fmt.Sprintf("%s: a referral to %s was not followed: the objects under %s are held by another domain controller and were not read (read that domain too: add its --ldap-url)", res.Source.URL, u, dn))
	}
}

// domains returns the naming contexts of the forest's domains, from the
// crossRef objects of the partitions container.
func (c *conn) domains() ([]string, error) {
	cfg := c.rootDSE.GetAttributeValue("configurationNamingContext")
	if cfg == "" {
		return nil, fmt.Errorf("read the root DSE of %s: no configurationNamingContext", c.src.URL)
	}
	res, err := c.Search(goldap.NewSearchRequest("CN=Partitions,"+cfg, goldap.ScopeSingleLevel, goldap.NeverDerefAliases, 0, 0, false,
		"(&(objectClass=crossRef)(systemFlags:1.2.840.113556.1.4.803:=2))", []string{"nCName"}, nil))
	if err != nil {
		return nil, fmt.Errorf("list the domains of the forest at %s: %w", c.src.URL, err)
	}
	var out []string
	for _, e := range res.Entries {
		if nc := e.GetAttributeValue("nCName"); nc != "" {
			out = append(out, nc)
		}
	}
	return out, nil
}

// notInGlobalCatalog returns the requested attributes that are not in the
// partial attribute set, from the schema.
func (c *conn) notInGlobalCatalog(attrs []string) ([]string, error) {
	schema := c.rootDSE.GetAttributeValue("schemaNamingContext")
	if schema == "" {
		return nil, nil
	}
	var f strings.Builder
	f.WriteString("(|")
	for _, a := range attrs {
		f.WriteString("(lDAPDisplayName=" + goldap.EscapeFilter(a) + ")")
	}
	f.WriteString(")")
	res, err := c.Search(goldap.NewSearchRequest(schema, goldap.ScopeSingleLevel, goldap.NeverDerefAliases, 0, 0, false, f.String(), []string{"lDAPDisplayName", "isMemberOfPartialAttributeSet"}, nil))
	if err != nil {
		return nil, fmt.Errorf("read the schema of %s: %w", c.src.URL, err)
	}
	in := map[string]bool{}
	for _, e := range res.Entries {
		if strings.EqualFold(e.GetAttributeValue("isMemberOfPartialAttributeSet"), "TRUE") {
			in[strings.ToLower(e.GetAttributeValue("lDAPDisplayName"))] = true
		}
	}
	var missing []string
	for _, a := range attrs {
		if !in[strings.ToLower(a)] && !strings.EqualFold(a, "objectClass") && !strings.EqualFold(a, "objectGUID") {
			missing = append(missing, a)
		}
	}
	return missing, nil
}

// gcAnchors reads mS-DS-ConsistencyGuid from a domain controller of each
// domain a global catalog returned objects of: first the same host on its
// domain controller port (it is a DC of its own domain), then the domain's
// DNS name (which resolves to its DCs in AD). Domains it cannot reach are
// returned as unknown: never a silent fallback to objectGUID.
func gcAnchors(ctx context.Context, src *Source, opt *Options, domains []string) (map[string]string, map[string]bool) {
	anchors := map[string]string{}
	unknown := map[string]bool{}
	u, _ := url.Parse(src.URL)
	port := "389"
	if u.Scheme == "ldaps" {
		port = "636"
	}
	tried := map[string]bool{}
	read := func(dcURL, nc string) bool {
		dc := *src
		dc.URL, dc.BaseDN = dcURL, nc
		c, err := dial(ctx, &dc, opt)
		if err != nil {
			return false
		}
		defer c.close()
		req := goldap.NewSearchRequest(nc, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
			"(&(mS-DS-ConsistencyGuid=*)"+Filter+")", []string{"objectGUID", "mS-DS-ConsistencyGuid"}, nil)
		_, err = pagedSearch(ctx, c, req, func(e *goldap.Entry) error {
			g, cg := e.GetRawAttributeValue("objectGUID"), e.GetRawAttributeValue("mS-DS-ConsistencyGuid")
			if len(g) == 16 && len(cg) > 0 {
				anchors[string(g)] = string(cg)
			}
			return nil
		})
		return err == nil
	}
	for _, nc := range domains {
		ok := false
		for _, host := range []string{u.Hostname(), scanner.DNSDomain(nc)} {
			dcURL := fmt.Sprintf("%s://%s", u.Scheme, net.JoinHostPort(host, port))
			if host == "" || tried[dcURL+nc] {
				continue
			}
			tried[dcURL+nc] = true
			if read(dcURL, nc) {
				ok = true
				break
			}
		}
		if !ok {
			unknown[strings.ToLower(nc)] = true
		}
	}
	return anchors, unknown
}

// domainNC returns the DC= part of a DN: the domain naming context.
func domainNC(dn string) string {
	lower := strings.ToLower(dn)
	if i := strings.Index(lower, "dc="); i >= 0 {
		return dn[i:]
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
