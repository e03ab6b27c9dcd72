package syncready

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/syncready/syncready/report/change"
	"github.com/syncready/syncready/scanner"
)

// Pair is one line of a --pairs file: an on-premises object (DN,
// sAMAccountName or UPN) and the cloud user (UPN or Graph id) it should hard
// match.
type Pair struct {
	OnPrem, Cloud string
	Line          int
}

// pairRule is the rule column of the rows --pairs asks for.
const pairRule = "pairs"

// ReadPairs reads a CSV with the header onprem,cloud.
func ReadPairs(path string) ([]Pair, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--pairs: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%s: the file is not UTF-8: in Excel, save it as \"CSV UTF-8 (Comma delimited)\"", path)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: the file is empty; want the header onprem,cloud", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(head) != 2 || !strings.EqualFold(strings.TrimSpace(head[0]), "onprem") || !strings.EqualFold(strings.TrimSpace(head[1]), "cloud") {
		return nil, fmt.Errorf("%s: line 1: the header is %q, want onprem,cloud (onprem: a DN, sAMAccountName or UPN; cloud: a UPN or Graph id)", path, strings.Join(head, ","))
	}
	var out []Pair
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 2 || strings.TrimSpace(rec[0]) == "" || strings.TrimSpace(rec[1]) == "" {
			return nil, fmt.Errorf("%s: line %d: want two cells, the on-premises object and the cloud user", path, line)
		}
		out = append(out, Pair{OnPrem: strings.TrimSpace(rec[0]), Cloud: strings.TrimSpace(rec[1]), Line: line})
	}
}

// pairRows makes one cloud row per pair, setting the cloud user's
// onPremisesImmutableId to the on-premises object's source anchor: apply
// when the service would allow the hard match, decide with the reason when
// it would block it or when a name does not resolve to exactly one object.
func pairRows(snap *scanner.Snapshot, mp *scanner.Plan, p *planner, pairs []Pair, anchor scanner.SourceAnchor) []change.Row {
	if len(pairs) == 0 {
		return nil
	}
	want := map[string]bool{}
	for _, pr := range pairs {
		want[strings.ToLower(pr.OnPrem)] = true
		want[strings.ToLower(pr.Cloud)] = true
	}
	onprem := map[string][]int{}
	for i := range snap.OnPrem {
		o := &snap.OnPrem[i]
		for _, k := range []string{o.DN, o.SAMAccountName, o.UPN} {
			if k != "" && want[strings.ToLower(k)] {
				onprem[strings.ToLower(k)] = append(onprem[strings.ToLower(k)], i)
			}
		}
	}
	cloud := map[string][]int{}
	for ci := range snap.Cloud {
		c := &snap.Cloud[ci]
		for _, k := range []string{c.ID, c.UPN} {
			if k != "" && want[strings.ToLower(k)] {
				cloud[strings.ToLower(k)] = append(cloud[strings.ToLower(k)], ci)
			}
		}
	}
	var rows []change.Row
	for _, pr := range pairs {
		ons, cs := unique(onprem[strings.ToLower(pr.OnPrem)]), unique(cloud[strings.ToLower(pr.Cloud)])
		where := fmt.Sprintf("pairs line %d (%s, %s)", pr.Line, pr.OnPrem, pr.Cloud)
		decide := func(object, name, why string) {
			rows = append(rows, change.Row{ID: change.RowID(scanner.CloudSide, object, "onPremisesImmutableId", change.Replace, "", pr.OnPrem),
				Action: change.Decide, Side: scanner.CloudSide, Object: object, Name: name, Attribute: "onPremisesImmutableId",
				Operation: change.Replace, Rule: pairRule, Note: where + ": " + why, Kind: scanner.KindUser})
		}
		if len(cs) != 1 {
			why := fmt.Sprintf("no cloud object has the UPN or id %s", pr.Cloud)
			if len(cs) > 1 {
				why = fmt.Sprintf("%s names %d cloud objects", pr.Cloud, len(cs))
			}
			decide(pr.Cloud, pr.Cloud, why+": give the cloud user's Graph id")
			continue
		}
		ci := cs[0]
		c := &snap.Cloud[ci]
		p.loc.cloud[strings.ToLower(c.ID)] = ci
		name := firstNonEmpty(c.UPN, c.DisplayName)
		if len(ons) != 1 {
			why := fmt.Sprintf("no in-scope on-premises object has the DN, sAMAccountName or UPN %s", pr.OnPrem)
			if len(ons) > 1 {
				var dns []string
				for _, i := range ons {
					dns = append(dns, snap.OnPrem[i].DN)
				}
				why = fmt.Sprintf("%s names %d on-premises objects (%s)", pr.OnPrem, len(ons), strings.Join(dns, "; "))
			}
			decide(c.ID, name, why+": give the object's DN")
			continue
		}
		i := ons[0]
		o := &snap.OnPrem[i]
		a := o.Anchor(anchor)
		if why := hardMatchBlocked(snap, o, c, a); why != "" {
			decide(c.ID, name, fmt.Sprintf("the hard match of %s to %s would be blocked: %s", o.DN, name, why))
			continue
		}
		if c.ImmutableID == a {
			continue // already pinned
		}
		note := fmt.Sprintf("%s: hard match %s to %s. Graph refuses to change onPremisesImmutableId of a user whose UPN is in a federated domain: the script then moves the UPN to the initial onmicrosoft.com domain for the change and back after.", where, o.DN, name)
		if joined := mp.JoinedBy[ci]; joined >= 0 && int(joined) != i {
			note += fmt.Sprintf(" %s soft matches this user today; it will be provisioned as a new object instead.", snap.OnPrem[joined].DN)
		}
		rows = append(rows, change.Row{ID: change.RowID(scanner.CloudSide, c.ID, "onPremisesImmutableId", change.Add, "", a), Action: change.Apply,
			Side: scanner.CloudSide, Object: c.ID, Name: name, Attribute: "onPremisesImmutableId", Operation: change.Add, To: a, Rule: pairRule, Note: note, Kind: c.Kind})
	}
	return rows
}

func unique(l []int) []int {
	var out []int
	for _, x := range l {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// hardMatchBlocked says why the service would not hard match o to c ("" when
// it would), as the pairing engine predicts it, with the 2026 hardening:
// a cloud user that holds a directory role, active or eligible, is not
// taken over by a hard match.
func hardMatchBlocked(snap *scanner.Snapshot, o *scanner.OnPrem, c *scanner.Cloud, anchor string) string {
	t := snap.Tenant
	switch {
	case c.Kind != scanner.KindUser || o.Kind != scanner.KindUser:
		return fmt.Sprintf("only users hard match (this is an on-premises %s and a cloud %s)", o.Kind, c.Kind)
	case anchor == "":
		return "the on-premises object's source anchor is not known (not read, or a global catalog that does not hold mS-DS-ConsistencyGuid)"
	case c.SyncEnabled:
		return "the cloud user is already synced from an on-premises directory (onPremisesSyncEnabled is true)"
	case c.ImmutableID != "" && c.ImmutableID != anchor:
		return fmt.Sprintf("the cloud user is anchored to another object (onPremisesImmutableId %s)", c.ImmutableID)
	case t != nil && t.Features.BlockHardMatchTakeover:
		return "the tenant blocks the takeover of cloud-managed users by hard match (blockCloudObjectTakeoverThroughHardMatchEnabled)"
	}
	if t != nil {
		for _, h := range t.Roles[c.ID] {
			state := "eligible for"
			if h.Active {
				state = "holds"
			}
			via := ""
			if h.Via != "" {
				via = " through group " + h.Via
			}
			return fmt.Sprintf("the cloud user %s the directory role %s%s, and hard matches to role holders are blocked (active or eligible)", state, h.Role, via)
		}
	}
	return ""
}
