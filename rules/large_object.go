package rules

import (
	"fmt"
	"strconv"
)

// LargeObject finds objects whose attributes exceed the sync limits.
var LargeObject = &Rule{
	ID:       "large-object",
	Title:    "object too large to sync",
	Severity: Warning,
	Doc: `More than 15 userCertificate or userSMIMECertificate values, more than 300
proxyAddresses, or a thumbnailPhoto over 100 KB: the object exceeds the limits of the
sync service (LargeObject / ExceededAllowedLength) and its changes stop exporting
until it is trimmed.`,
	Source: "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/user-prov-sync/largeobject-error-usercertificate",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			type check struct {
				attr  string
				n     int
				limit int
				unit  string
				fix   string
			}
			for _, c := range []check{
				{"userCertificate", int(o.UserCertificates), 15, "values", "Remove expired and unused certificates from userCertificate (15 at most)."},
				{"userSMIMECertificate", int(o.SMIMECertificates), 15, "values", "Remove expired and unused certificates from userSMIMECertificate (15 at most)."},
				{"proxyAddresses", len(o.ProxyAddresses), 300, "values", "Remove proxy addresses that are no longer used (300 at most)."},
				{"thumbnailPhoto", int(o.ThumbnailPhotoBytes), 100 << 10, "bytes", "Replace thumbnailPhoto with a picture of 100 KB or less."},
			} {
				if c.n <= c.limit {
					continue
				}
				p.OnPrem(o, Finding{
					Attribute: c.attr,
					Value:     strconv.Itoa(c.n) + " " + c.unit,
					Message:   fmt.Sprintf("%s holds %d %s, limit %d: the object is too large for the sync service and stops exporting", c.attr, c.n, c.unit, c.limit),
					Fix:       Fix{Text: c.fix},
				})
			}
		}
	},
}
