package syncready

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncready/syncready/report/change"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldif"
)

// TestFixAnchorChange: a user whose mS-DS-ConsistencyGuid was changed after
// Connect Sync anchored it on objectGUID gets an apply row setting
// mS-DS-ConsistencyGuid back to the synced user's anchor (base64), for
// either target; the LDIF carries the bytes; the what-if shows the user
// hard matching the synced user again, with the finding gone and nothing
// new.
func TestFixAnchorChange(t *testing.T) {
	const (
		guid    = "AAECAwQFBgcICQoLDA0ODw==" // objectGUID, the synced user's anchor
		changed = "cXFxcXFxcXFxcXFxcXFxcQ=="
		cloudID = "55555555-5555-5555-5555-555555555555"
	)
	for _, target := range []scanner.Target{scanner.TargetConnectSync, scanner.TargetCloudSync} {
		t.Run(target.String(), func(t *testing.T) {
			dir := t.TempDir()
			graph := tinyTenant(t, dir, []string{`{"id":"` + cloudID + `","userPrincipalName":"ann@contoso.com","onPremisesImmutableId":"` + guid + `","onPremisesSyncEnabled":true,` +
				`"onPremisesDistinguishedName":"CN=Ann,OU=Staff,DC=contoso,DC=com","onPremisesSecurityIdentifier":"S-1-5-21-1-2-3-1104"}`})
			in := writeLDIFFile(t, dir, "dn: CN=Ann,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: "+guid+"\nmS-DS-ConsistencyGuid:: "+changed+
				"\nobjectSid:: AQUAAAAAAAUVAAAAAQAAAAIAAAADAAAAUAQAAA==\nsAMAccountName: ann\ndisplayName: Ann\nuserPrincipalName: ann@contoso.com\n")
			whatIf := filepath.Join(dir, "whatif.json")
			changes := filepath.Join(dir, "changes.ldif")
			res, err := Fix(context.Background(), FixOptions{Options: Options{Target: target, Sources: []Source{&ldif.File{Path: in}, &graphdir.Dir{Path: graph}},
				Outputs: []string{filepath.Join(dir, "plan.csv"), changes, whatIf}}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Before.ByRule["anchor-changes"] != 1 {
				t.Fatalf("before the fix: %v", res.Before.ByRule)
			}
			r := rowFor(res.Plan, "anchor-changes")
			if r == nil || r.Action != change.Apply || r.Side != scanner.OnPremSide || r.Attribute != "mS-DS-ConsistencyGuid" || r.Operation != change.Replace ||
				r.From != changed || r.To != guid || !strings.Contains(r.Note, "hard matches it again") {
				t.Fatalf("row %+v", r)
			}
			// The old value's bytes are printable ('q' × 16), so written plain.
			if ldifText := readText(t, changes); !strings.Contains(ldifText, "delete: mS-DS-ConsistencyGuid\nmS-DS-ConsistencyGuid: qqqqqqqqqqqqqqqq\n") || !strings.Contains(ldifText, "add: mS-DS-ConsistencyGuid\nmS-DS-ConsistencyGuid:: "+guid+"\n") {
				t.Errorf("the LDIF does not replace the bytes:\n%s", ldifText)
			}
			var rep struct {
				Matches []struct{ OnPrem, Cloud, Outcome string }
				Summary struct {
					Findings struct{ ByRule map[string]int }
				}
			}
			if err := json.Unmarshal([]byte(readText(t, whatIf)), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Matches) != 1 || rep.Matches[0].Outcome != "hard-match" || rep.Matches[0].Cloud != cloudID {
				t.Errorf("the what-if does not show the hard match again: %+v", rep.Matches)
			}
			for rule, n := range rep.Summary.Findings.ByRule {
				if n > 0 {
					t.Errorf("the what-if still has %d %s", n, rule)
				}
			}
		})
	}
}

// TestFixEligibleHardMatch: a hard match blocked because the target is
// eligible for a role gets a decide row removing the eligibility; applied,
// the what-if shows the hard match going through.
func TestFixEligibleHardMatch(t *testing.T) {
	const cloudID = "66666666-6666-6666-6666-666666666666"
	dir := t.TempDir()
	graph := tinyTenant(t, dir, []string{`{"id":"` + cloudID + `","userPrincipalName":"bea@contoso.com","onPremisesImmutableId":"AAECAwQFBgcICQoLDA0ODw=="}`})
	writeFile(t, filepath.Join(graph, "roleEligibilitySchedules.json"), `{"value":[{"principalId":"`+cloudID+`","roleDefinition":{"displayName":"Security Administrator"}}]}`)
	in := writeLDIFFile(t, dir, "dn: CN=Bea,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\nsAMAccountName: bea\ndisplayName: Bea\nuserPrincipalName: bea@contoso.com\n")
	planFile := filepath.Join(dir, "plan.csv")
	opts := Options{Sources: []Source{&ldif.File{Path: in}, &graphdir.Dir{Path: graph}}, Outputs: []string{planFile}}
	res, err := Fix(context.Background(), FixOptions{Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	r := rowFor(res.Plan, "admin-hard-match-blocked")
	if r == nil || r.Action != change.Decide || r.Side != scanner.CloudSide || r.Attribute != "roleEligibilitySchedules" || r.From != "Security Administrator" ||
		!strings.Contains(r.Note, "eligibility (PIM) for Security Administrator") {
		t.Fatalf("row %+v", r)
	}
	// The admin decides: the eligibility goes for the first sync.
	r.Action = change.Apply
	var csv strings.Builder
	if err := change.WriteCSV(&csv, res.Plan); err != nil {
		t.Fatal(err)
	}
	writeFile(t, planFile, csv.String())
	whatIf := filepath.Join(dir, "whatif.json")
	opts.Outputs = []string{whatIf}
	if _, err := Fix(context.Background(), FixOptions{Options: opts, PlanFile: planFile}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Matches []struct{ Cloud, Outcome string }
	}
	if err := json.Unmarshal([]byte(readText(t, whatIf)), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Matches) != 1 || rep.Matches[0].Outcome != "hard-match" || rep.Matches[0].Cloud != cloudID {
		t.Errorf("the what-if does not show the hard match: %+v", rep.Matches)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
