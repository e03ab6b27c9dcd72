package rules

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/syncready/syncready/scanner"
)

// AnchorChanges finds on-premises users whose source anchor is no longer
// the immutable id of the synced cloud user they are.
var AnchorChanges = &Rule{
	ID:       "anchor-changes",
	Title:    "source anchor differs from the synced cloud user's immutable id",
	Severity: Error,
	Impact:   ImpactSecurityBlock,
	Needs:    []scanner.Fact{FactTenant},
	Doc: `An in-scope on-premises user is the synced cloud user it came from (the cloud
user's onPremisesSecurityIdentifier is its objectSid when both were read, else its
onPremisesDistinguishedName is the user's DN), but the source anchor the target
computes (Cloud Sync: mS-DS-ConsistencyGuid when set, else objectGUID, not
configurable; Connect Sync: per --source-anchor) differs from the cloud user's
onPremisesImmutableId. The service matches by anchor only, so it does not hard match:
it sees a new object (InvalidSoftMatch against the anchored user, or a second account),
and the user it should have kept is left behind. Typical: Connect Sync anchored on
objectGUID and a tool later filled mS-DS-ConsistencyGuid with another value; Cloud Sync
anchors on the new value. The fix, Microsoft's, is to set mS-DS-ConsistencyGuid to the
cloud user's immutable id (the objectGUID bytes in the typical case), or to clear it
when the immutable id is the objectGUID. Sources: "Configure Microsoft Entra Connect for
an existing tenant" (hard match vs soft match: "update the on-premises user's
mS-DS-ConsistencyGuid attribute to match the same value as the existent cloud user's
ImmutableID"), the Cloud Sync FAQ and topologies (the anchor rule), and the pilot
tutorial (objects need matching anchors for Cloud Sync to hard match them).`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant#hard-match-vs-soft-match",
	Run: func(p *Pass) {
		links := p.linkSynced()
		if links.cloudOf == nil {
			return
		}
		var buf [32]byte
		for i, ci := range links.cloudOf {
			if ci < 0 {
				continue
			}
			o, c := &p.Snap.OnPrem[i], &p.Snap.Cloud[ci]
			a := o.AppendAnchor(buf[:0], p.Plan.Anchor)
			if len(a) == 0 || c.ImmutableID == "" || string(a) == c.ImmutableID {
				continue // unknown, not anchored, or the same: nothing changes
			}
			p.OnPrem(o, p.anchorChange(o, c, string(a), links.bySID[i]))
		}
	},
}

// anchorChange builds the finding of an on-premises user o whose anchor a
// differs from that of the synced cloud user c it is.
func (p *Pass) anchorChange(o *scanner.OnPrem, c *scanner.Cloud, a string, bySID bool) Finding {
	attr := p.anchorAttr(o)
	link := "DN (its onPremisesDistinguishedName)"
	if bySID {
		link = "objectSid " + c.OnPremSID + " (its onPremisesSecurityIdentifier)"
	}
	f := Finding{
		Attribute: attr,
		Value:     a,
		Message: fmt.Sprintf("this user is synced cloud %s, linked by %s; that user holds onPremisesImmutableId %s, but %s computes the source anchor %s from %s: no hard match, so the sync service sees a new object (InvalidSoftMatch against the synced user, or a second account) and leaves the synced user behind",
			describeCloud(c), link, c.ImmutableID, p.Target.Product(), a, attr),
		Related:      []string{c.ID},
		RelatedNames: []string{CloudName(c)},
	}
	want, err := base64.StdEncoding.DecodeString(c.ImmutableID)
	isGUID := err == nil && len(want) == 16
	switch {
	case p.Plan.Anchor == scanner.AnchorObjectGUID:
		// mS-DS-ConsistencyGuid plays no part: only the configuration can.
		f.Fix = Fix{Text: fmt.Sprintf("Connect Sync is configured to anchor on objectGUID, and this user's objectGUID is not the synced user's anchor %s: confirm that they are the same person, then configure Connect Sync's source anchor as mS-DS-ConsistencyGuid and set it to the bytes of %s, or accept a new cloud user and move the mailbox and licenses.", c.ImmutableID, c.ImmutableID)}
	case !isGUID:
		f.Fix = Fix{Text: fmt.Sprintf("The synced user's anchor %s is not the 16 bytes of a GUID, so mS-DS-ConsistencyGuid cannot carry it: another source anchor made it (a custom one). Keep the sync that made it, or accept a new cloud user and move the mailbox and licenses to it.", c.ImmutableID)}
	default:
		from := ""
		if o.ConsistencyGUID != "" {
			from = base64.StdEncoding.EncodeToString([]byte(o.ConsistencyGUID))
		}
		text := fmt.Sprintf("Set mS-DS-ConsistencyGuid to the synced user's anchor (%s, as bytes), so that the user hard matches it again.", c.ImmutableID)
		if bytes.Equal(want, []byte(o.ObjectGUID)) {
			text = fmt.Sprintf("Set mS-DS-ConsistencyGuid to the objectGUID bytes (%s), the synced user's anchor, so that the user hard matches it again.", c.ImmutableID)
			if o.ConsistencyGUID != "" && p.Plan.Anchor == scanner.AnchorAuto {
				text += " Clearing mS-DS-ConsistencyGuid works too: the anchor then falls back to objectGUID."
			}
		}
		f.Fix = Fix{Text: text + " Confirm first that whatever wrote the current value (a migration tool, a script) no longer needs it.",
			Attribute: "mS-DS-ConsistencyGuid", From: from, To: base64.StdEncoding.EncodeToString(want)}
	}
	return f
}
