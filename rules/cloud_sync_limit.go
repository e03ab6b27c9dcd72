package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Cloud Sync's documented limits.
const (
	// CloudSyncMaxMembers is the largest group Cloud Sync syncs (Connect
	// Sync: 250,000).
	CloudSyncMaxMembers = 50000
	// CloudSyncMaxObjects is the most in-scope objects of one domain.
	CloudSyncMaxObjects = 150000
	// CloudSyncMaxOUs is about how many separate OUs or groups fit the
	// 4 MB scoping configuration.
	CloudSyncMaxOUs = 50
)

// CloudSyncLimit finds what exceeds Cloud Sync's limits.
var CloudSyncLimit = &Rule{
	ID:        "cloud-sync-limit",
	Title:     "over a Cloud Sync limit",
	Severity:  Error,
	Impact:    ImpactFailsSync,
	CloudSync: true,
	Doc: `Cloud Sync supports up to 50,000 members a group (Connect Sync: 250,000) and up to
150,000 objects a domain (Connect Sync: no limit) — error on the group, or on the domain
(kind domain, object its base DN) whose in-scope objects exceed it. Its scoping
configuration is limited to 4 MB, about 50 separate OUs or groups for one configuration
(nested OUs under a selected one are free): more than 50 --include-ou of one domain is a
warning on that domain. A group whose member count was not read (a global catalog, an
export without member, a first range of values only) is not judged; coverage says so.
Sources: the Connect Sync to Cloud Sync decision guide (scale limits, large group
support), the Cloud Sync FAQ ("up to 50,000 group members"), and the Cloud Sync
prerequisites (known limitations: scoping filter).`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/cloud-sync/connect-to-cloud-sync-decision-guide#comparison-between-microsoft-entra-connect-and-cloud-sync",
	Run: func(p *Pass) {
		// Objects per domain: a handful of domains, looked up by the
		// naming context of each DN (a substring: no allocation).
		type domain struct {
			nc      string
			objects int
			ous     int
		}
		var domains []domain
		at := func(nc string) *domain {
			for k := range domains {
				if strings.EqualFold(domains[k].nc, nc) {
					return &domains[k]
				}
			}
			domains = append(domains, domain{nc: nc})
			return &domains[len(domains)-1]
		}
		var last *domain
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.Kind == scanner.KindGroup && o.Members > CloudSyncMaxMembers && !o.Flags.Has(scanner.FlagMembersUnknown) {
				p.OnPrem(o, Finding{
					Attribute: "member",
					Value:     strconv.Itoa(int(o.Members)),
					Message: fmt.Sprintf("the group has %d members: Cloud Sync supports groups of up to %d members (Connect Sync takes 250,000), so it does not sync this group",
						o.Members, CloudSyncMaxMembers),
					Fix: Fix{Text: fmt.Sprintf("Split the membership across groups of fewer than %d members each (by region or business unit, say), or keep this group on Connect Sync.", CloudSyncMaxMembers)},
				})
			}
			nc := scanner.DomainNC(o.DN)
			if last == nil || !strings.EqualFold(last.nc, nc) {
				last = at(nc)
			}
			last.objects++
		}
		for _, ou := range p.IncludeOUs {
			at(scanner.DomainNC(ou)).ous++
		}
		for _, d := range domains {
			if d.nc == "" {
				continue
			}
			if d.objects > CloudSyncMaxObjects {
				p.Domain(d.nc, Finding{
					Attribute: "objects",
					Value:     strconv.Itoa(d.objects),
					Message: fmt.Sprintf("the domain has %d objects in scope: Cloud Sync supports up to %d objects a domain",
						d.objects, CloudSyncMaxObjects),
					Fix: Fix{Text: fmt.Sprintf("Narrow the scope of this domain's Cloud Sync configuration (--include-ou) to at most %d objects and keep the rest on Connect Sync, or keep the domain on Connect Sync.", CloudSyncMaxObjects)},
				})
			}
			if d.ous > CloudSyncMaxOUs {
				p.Domain(d.nc, Finding{
					Severity:  Warning,
					Attribute: "includeOUs",
					Value:     strconv.Itoa(d.ous),
					Message: fmt.Sprintf("%d OUs of this domain are selected (--include-ou): Cloud Sync's scoping configuration is limited to 4 MB, about %d separate OUs or groups",
						d.ous, CloudSyncMaxOUs),
					Fix: Fix{Text: fmt.Sprintf("Select fewer, higher OUs (an OU's nested OUs come with it) so that at most about %d are selected, or move the objects into fewer OUs.", CloudSyncMaxOUs)},
				})
			}
		}
	},
}
