package syncready

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncready/syncready/report/change"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldif"
)

// singleValued are the attributes a fix may change that hold one value.
var singleValued = []string{"userprincipalname", "mail", "mailnickname", "targetaddress", "samaccountname", "displayname", "givenname", "sn", "ms-ds-consistencyguid"}

// entry is one record of an LDIF content file, in order.
type entry struct {
	dn    string
	attrs []ldif.Attr
}

// readEntries reads an LDIF content file record by record, as written.
func readEntries(t *testing.T, path string) []entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := ldif.NewReader(f, path)
	var out []entry
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		e := entry{dn: rec.DN}
		for i := 0; i < rec.Len(); i++ {
			name, v := string(rec.Name(i)), append([]byte(nil), rec.Value(i)...)
			if k := len(e.attrs) - 1; k >= 0 && strings.EqualFold(e.attrs[k].Name, name) {
				e.attrs[k].Values = append(e.attrs[k].Values, v)
				continue
			}
			e.attrs = append(e.attrs, ldif.Attr{Name: name, Values: [][]byte{v}})
		}
		out = append(out, e)
	}
	return out
}

// applyLDIF applies the change records of changes to the entries as a
// server would: deleting a value the entry does not hold, or adding a
// value it holds (or a second value of a single-valued attribute) fails.
func applyLDIF(entries []entry, changes string) error {
	at := map[string]int{}
	for i, e := range entries {
		at[strings.ToLower(e.dn)] = i
	}
	return ldif.ReadChanges(context.Background(), strings.NewReader(changes), "changes.ldif", func(dn string, line int, mods []ldif.Mod) error {
		i, ok := at[strings.ToLower(dn)]
		if !ok {
			return fmt.Errorf("line %d: no such object %s", line, dn)
		}
		e := &entries[i]
		for _, m := range mods {
			k := slices.IndexFunc(e.attrs, func(a ldif.Attr) bool { return strings.EqualFold(a.Name, m.Attr) })
			switch m.Op {
			case "delete":
				for _, v := range m.Values {
					if k < 0 {
						return fmt.Errorf("line %d: %s: no attribute %s", line, dn, m.Attr)
					}
					j := slices.IndexFunc(e.attrs[k].Values, func(x []byte) bool { return bytes.Equal(x, v) })
					if j < 0 {
						return fmt.Errorf("line %d: %s: no value %q of %s", line, dn, v, m.Attr)
					}
					e.attrs[k].Values = slices.Delete(e.attrs[k].Values, j, j+1)
				}
				if k >= 0 && len(e.attrs[k].Values) == 0 {
					e.attrs = slices.Delete(e.attrs, k, k+1)
				}
			case "add":
				if k < 0 {
					e.attrs = append(e.attrs, ldif.Attr{Name: m.Attr})
					k = len(e.attrs) - 1
				}
				for _, v := range m.Values {
					if slices.ContainsFunc(e.attrs[k].Values, func(x []byte) bool { return bytes.Equal(x, v) }) {
						return fmt.Errorf("line %d: %s: %s already holds %q", line, dn, m.Attr, v)
					}
					if slices.Contains(singleValued, strings.ToLower(m.Attr)) && len(e.attrs[k].Values) > 0 {
						return fmt.Errorf("line %d: %s: %s is single-valued and holds %q", line, dn, m.Attr, e.attrs[k].Values[0])
					}
					e.attrs[k].Values = append(e.attrs[k].Values, v)
				}
			default:
				return fmt.Errorf("line %d: %s: %s: the fix writes only add and delete", line, dn, m.Op)
			}
		}
		return nil
	})
}

func writeEntries(t *testing.T, path string, entries []entry) {
	t.Helper()
	var b bytes.Buffer
	w := ldif.NewWriter(&b)
	for _, e := range entries {
		w.Write(e.dn, e.attrs)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func fingerprints(fs []rules.Finding) map[string]rules.Finding {
	m := map[string]rules.Finding{}
	for _, f := range fs {
		m[f.Fingerprint] = f
	}
	return m
}

// scanFindings scans and returns every finding.
func scanFindings(t *testing.T, sources []Source) map[string]rules.Finding {
	t.Helper()
	_, m := scanMem(t, Options{Sources: sources})
	var fs []rules.Finding
	for _, f := range m.findings {
		fs = append(fs, *f.Finding)
	}
	return fingerprints(fs)
}

// TestFixLoopCloses: on the example environment, the fix's LDIF applied to
// the exports (strictly, as a server would) leaves none of the findings
// its apply rows resolve and adds none; the what-if report is the rescan
// of the changed exports; the undo gives back the exports as they were.
func TestFixLoopCloses(t *testing.T) {
	dir := t.TempDir()
	inputs := []string{filepath.Join(example, "contoso.ldif"), filepath.Join(example, "resource.ldif")}
	graph := filepath.Join(example, "graph")
	sources := func(ldifs []string) []Source {
		var s []Source
		for _, p := range ldifs {
			s = append(s, &ldif.File{Path: p})
		}
		return append(s, &graphdir.Dir{Path: graph})
	}
	before := scanFindings(t, sources(inputs))
	whatIf := filepath.Join(dir, "whatif.json")
	planFile, changes := filepath.Join(dir, "plan.csv"), filepath.Join(dir, "changes.ldif")
	res, err := Fix(context.Background(), FixOptions{Options: Options{Sources: sources(inputs), Outputs: []string{planFile, changes, whatIf}}})
	if err != nil {
		t.Fatal(err)
	}
	apply, decide, _, _, _, _ := res.Plan.Counts()
	if apply == 0 || decide == 0 {
		t.Fatalf("%d rows to apply, %d to decide", apply, decide)
	}
	fixed := map[string]bool{}
	for _, r := range res.Plan.Rows {
		if r.Action == change.Apply {
			for _, fp := range r.Findings {
				fixed[fp] = true
			}
		}
	}

	// Apply the LDIF to copies of the exports.
	text := readText(t, changes)
	var entries [][]entry
	var changed []string
	for _, in := range inputs {
		entries = append(entries, readEntries(t, in))
	}
	all := append(append([]entry{}, entries[0]...), entries[1]...)
	if err := applyLDIF(all, text); err != nil {
		t.Fatalf("the LDIF does not apply: %v", err)
	}
	for i, in := range inputs {
		p := filepath.Join(dir, filepath.Base(in))
		part := all[:len(entries[0])]
		if i == 1 {
			part = all[len(entries[0]):]
		}
		writeEntries(t, p, part)
		changed = append(changed, p)
	}
	after := scanFindings(t, sources(changed))
	for fp := range fixed {
		if f, still := after[fp]; still {
			t.Errorf("an apply row should have resolved %s on %s", f.Rule, f.Object)
		}
	}
	for fp, f := range after {
		if _, was := before[fp]; !was {
			t.Errorf("the fix brought a new %s on %s: %s", f.Rule, f.Object, f.Message)
		}
	}
	// The what-if report says what the rescan says.
	w, err := os.Open(whatIf)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var inWhatIf []string
	if err := eachFingerprint(w, func(fp string) { inWhatIf = append(inWhatIf, fp) }); err != nil {
		t.Fatal(err)
	}
	var rescanned []string
	for fp := range after {
		rescanned = append(rescanned, fp)
	}
	slices.Sort(inWhatIf)
	slices.Sort(rescanned)
	if !slices.Equal(inWhatIf, rescanned) {
		t.Errorf("the what-if report has %d findings, the rescan %d", len(inWhatIf), len(rescanned))
	}

	// The undo gives back every value.
	undo := readText(t, filepath.Join(dir, "changes.undo.ldif"))
	if err := applyLDIF(all, undo); err != nil {
		t.Fatalf("the undo does not apply: %v", err)
	}
	orig := append(append([]entry{}, readEntries(t, inputs[0])...), readEntries(t, inputs[1])...)
	for i := range orig {
		if fmt.Sprint(normalized(orig[i])) != fmt.Sprint(normalized(all[i])) {
			t.Errorf("after the undo %s differs:\n%v\nwant\n%v", orig[i].dn, normalized(all[i]), normalized(orig[i]))
		}
	}
}

// normalized is an entry's attributes as a sorted set of name=value lines
// (a server keeps no order of values).
func normalized(e entry) []string {
	var l []string
	for _, a := range e.attrs {
		for _, v := range a.Values {
			l = append(l, strings.ToLower(a.Name)+"="+string(v))
		}
	}
	slices.Sort(l)
	return l
}

func readText(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// eachFingerprint calls fn for each finding's fingerprint of a JSON report.
func eachFingerprint(r *os.File, fn func(string)) error {
	var rep struct {
		Findings []struct{ Fingerprint string }
	}
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return err
	}
	for _, f := range rep.Findings {
		fn(f.Fingerprint)
	}
	return nil
}

// tinyTenant writes a Graph export directory with the users given (JSON
// objects), an admin role for the principals in admins, and contoso.com
// verified.
func tinyTenant(t *testing.T, dir string, users []string, admins ...string) string {
	t.Helper()
	g := filepath.Join(dir, "graph")
	if err := os.MkdirAll(g, 0o700); err != nil {
		t.Fatal(err)
	}
	var grants []string
	for i, a := range admins {
		grants = append(grants, fmt.Sprintf(`{"id":"ra%d","principalId":%q,"roleDefinitionId":"62e90394","roleDefinition":{"displayName":"Global Administrator"}}`, i, a))
	}
	files := map[string]string{
		"users.json":                     `{"value":[` + strings.Join(users, ",") + `]}`,
		"roleAssignments.json":           `{"value":[` + strings.Join(grants, ",") + `]}`,
		"roleEligibilitySchedules.json":  `{"value":[]}`,
		"groups.json":                    `{"value":[]}`,
		"contacts.json":                  `{"value":[]}`,
		"deletedUsers.json":              `{"value":[]}`,
		"domains.json":                   `{"value":[{"id":"contoso.com","isVerified":true},{"id":"contoso.onmicrosoft.com","isVerified":true,"isInitial":true}]}`,
		"organization.json":              `{"value":[{"id":"8d2a4c71-3f5e-4b9a-a6d0-2c7e91f4b358","displayName":"Contoso","verifiedDomains":[{"name":"contoso.com"},{"name":"contoso.onmicrosoft.com","isInitial":true}]}]}`,
		"onPremisesSynchronization.json": `{"value":[{"id":"s","features":{"softMatchOnUpnEnabled":true,"blockSoftMatchEnabled":false,"blockCloudObjectTakeoverThroughHardMatchEnabled":false,"synchronizeUpnForManagedUsersEnabled":true}}]}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(g, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func writeLDIFFile(t *testing.T, dir, content string) string {
	t.Helper()
	p := filepath.Join(dir, "onprem.ldif")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func rowFor(p *change.Plan, rule string) *change.Row {
	for i := range p.Rows {
		if p.Rows[i].Rule == rule {
			return &p.Rows[i]
		}
	}
	return nil
}

// TestFixNeverMakesThingsWorse: a change that looks safe — making a
// lowercase primary address SMTP: — would make the object soft match a
// cloud admin, a block that was not there before: the what-if finds it,
// and the row becomes a decision that says why.
func TestFixNeverMakesThingsWorse(t *testing.T) {
	dir := t.TempDir()
	graph := tinyTenant(t, dir, []string{`{"id":"11111111-1111-1111-1111-111111111111","userPrincipalName":"boss@contoso.onmicrosoft.com","mail":"ann@contoso.com","proxyAddresses":["SMTP:ann@contoso.com"]}`},
		"11111111-1111-1111-1111-111111111111")
	in := writeLDIFFile(t, dir, "dn: CN=Ann,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\nsAMAccountName: ann\n"+
		"displayName: Ann\nuserPrincipalName: ann@contoso.com\nproxyAddresses: smtp:ann@contoso.com\n")
	res, err := Fix(context.Background(), FixOptions{Options: Options{Sources: []Source{&ldif.File{Path: in}, &graphdir.Dir{Path: graph}},
		Outputs: []string{filepath.Join(dir, "plan.csv")}}})
	if err != nil {
		t.Fatal(err)
	}
	r := rowFor(res.Plan, "lowercase-primary-smtp")
	if r == nil || r.Action != change.Decide || !strings.HasPrefix(r.Note, "not safe: the what-if shows that it would") || !strings.Contains(r.Note, "error admin-soft-match-blocked on CN=Ann") {
		t.Fatalf("row %+v", r)
	}
}

// TestTransliterationTakenIsADecision: björn → bjorn is apply, unless
// bjorn is already someone's UPN.
func TestTransliterationTakenIsADecision(t *testing.T) {
	for _, taken := range []bool{false, true} {
		dir := t.TempDir()
		graph := tinyTenant(t, dir, []string{`{"id":"22222222-2222-2222-2222-222222222222","userPrincipalName":"someone@contoso.onmicrosoft.com"}`})
		other := ""
		if taken {
			other = "\ndn: CN=Bjorn Other,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AQECAwQFBgcICQoLDA0ODw==\nsAMAccountName: bjorn2\ndisplayName: Bjorn Other\nuserPrincipalName: bjorn@contoso.com\n"
		}
		in := writeLDIFFile(t, dir, "dn: CN=Björn,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\nsAMAccountName: bjorn\n"+
			"displayName:: QmrDtnJu\nuserPrincipalName:: YmrDtnJuQGNvbnRvc28uY29t\n"+other)
		res, err := Fix(context.Background(), FixOptions{Options: Options{Sources: []Source{&ldif.File{Path: in}, &graphdir.Dir{Path: graph}},
			Outputs: []string{filepath.Join(dir, "plan.csv")}}})
		if err != nil {
			t.Fatal(err)
		}
		r := rowFor(res.Plan, "invalid-character")
		switch {
		case r == nil:
			t.Fatalf("taken %v: no row", taken)
		case !taken && (r.Action != change.Apply || r.To != "bjorn@contoso.com"):
			t.Errorf("free: %+v", r)
		case taken && (r.Action != change.Decide || r.To != "" || !strings.Contains(r.Note, "bjorn@contoso.com") || !strings.Contains(r.Note, "taken")):
			t.Errorf("taken: %+v", r)
		}
	}
}

// TestEditedPlanRoundTrip: the plan written, edited as an admin would in
// Excel (a decision made, a row skipped), and read back: the LDIF follows
// the edited plan; a row whose from value no longer holds is an error
// naming the row, and nothing is written.
func TestEditedPlanRoundTrip(t *testing.T) {
	dir := t.TempDir()
	inputs := []Source{&ldif.File{Path: filepath.Join(example, "contoso.ldif")}, &ldif.File{Path: filepath.Join(example, "resource.ldif")}, &graphdir.Dir{Path: filepath.Join(example, "graph")}}
	planFile := filepath.Join(dir, "plan.csv")
	res, err := Fix(context.Background(), FixOptions{Options: Options{Sources: inputs, Outputs: []string{planFile}}})
	if err != nil {
		t.Fatal(err)
	}
	edited := &change.Plan{Rows: slices.Clone(res.Plan.Rows)}
	var decided, skipped *change.Row
	for i := range edited.Rows {
		r := &edited.Rows[i]
		switch {
		case decided == nil && r.Action == change.Decide && r.Rule == "duplicate-proxy-address" && r.Side == scanner.OnPremSide && strings.Contains(r.Object, "Dup Proxy B"):
			r.Action, decided = change.Apply, r
		case skipped == nil && r.Action == change.Apply && r.Rule == "leading-trailing-space":
			r.Action, skipped = change.Skip, r
		}
	}
	if decided == nil || skipped == nil {
		t.Fatal("the example's plan lacks the rows this test edits")
	}
	var b bytes.Buffer
	if err := change.WriteCSV(&b, edited); err != nil {
		t.Fatal(err)
	}
	editedFile := filepath.Join(dir, "edited.csv")
	os.WriteFile(editedFile, b.Bytes(), 0o600)
	changes := filepath.Join(dir, "changes.ldif")
	res2, err := Fix(context.Background(), FixOptions{Options: Options{Sources: inputs, Outputs: []string{changes}}, PlanFile: editedFile})
	if err != nil {
		t.Fatal(err)
	}
	text := readText(t, changes)
	if !strings.Contains(text, "dn: CN=Dup Proxy B") || strings.Contains(text, "dn: CN=Trailing Space") {
		t.Errorf("the LDIF does not follow the edited plan:\n%s", text)
	}
	if res2.After.BySeverity["error"] >= res.After.BySeverity["error"] {
		t.Errorf("deciding a duplicate should leave fewer errors: %d, then %d", res.After.BySeverity["error"], res2.After.BySeverity["error"])
	}

	// A stale row: the from value is no longer what the directory holds.
	decided.From = "smtp:someone-else@contoso.com"
	b.Reset()
	change.WriteCSV(&b, edited)
	os.WriteFile(editedFile, b.Bytes(), 0o600)
	out := filepath.Join(dir, "stale.ldif")
	_, err = Fix(context.Background(), FixOptions{Options: Options{Sources: inputs, Outputs: []string{out}}, PlanFile: editedFile})
	if err == nil || !strings.Contains(err.Error(), editedFile+": row ") || !strings.Contains(err.Error(), "does not hold proxyAddresses smtp:someone-else@contoso.com") {
		t.Errorf("a stale row: %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written from an invalid plan")
	}
}

// TestPairs: a pair the service allows becomes an apply row that the
// what-if shows as a hard match; a pair onto a cloud admin is a decision
// naming the role; a name that resolves to nothing is a decision too.
func TestPairs(t *testing.T) {
	dir := t.TempDir()
	graph := tinyTenant(t, dir, []string{
		`{"id":"33333333-3333-3333-3333-333333333333","userPrincipalName":"ann.cloud@contoso.onmicrosoft.com"}`,
		`{"id":"44444444-4444-4444-4444-444444444444","userPrincipalName":"boss@contoso.onmicrosoft.com"}`,
	}, "44444444-4444-4444-4444-444444444444")
	in := writeLDIFFile(t, dir, "dn: CN=Ann,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\nsAMAccountName: ann\n"+
		"displayName: Ann\nuserPrincipalName: ann@contoso.com\n\n"+
		"dn: CN=Bob,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AQECAwQFBgcICQoLDA0ODw==\nsAMAccountName: bob\ndisplayName: Bob\nuserPrincipalName: bob@contoso.com\n")
	pairs := filepath.Join(dir, "pairs.csv")
	os.WriteFile(pairs, []byte("onprem,cloud\nann,ann.cloud@contoso.onmicrosoft.com\nbob@contoso.com,44444444-4444-4444-4444-444444444444\nnobody,ann.cloud@contoso.onmicrosoft.com\n"), 0o600)
	whatIf := filepath.Join(dir, "whatif.json")
	res, err := Fix(context.Background(), FixOptions{Options: Options{Sources: []Source{&ldif.File{Path: in}, &graphdir.Dir{Path: graph}},
		Outputs: []string{filepath.Join(dir, "plan.csv"), whatIf}}, PairsFile: pairs})
	if err != nil {
		t.Fatal(err)
	}
	var rows []change.Row
	for _, r := range res.Plan.Rows {
		if r.Rule == pairRule {
			rows = append(rows, r)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("%d pair rows: %+v", len(rows), rows)
	}
	ann, bob, nobody := rows[0], rows[1], rows[2]
	if ann.Action != change.Apply || ann.Object != "33333333-3333-3333-3333-333333333333" || ann.To != "AAECAwQFBgcICQoLDA0ODw==" {
		t.Errorf("ann: %+v", ann)
	}
	if !strings.Contains(ann.Note, "It brings warning upn-mismatch") {
		t.Errorf("the pair's note does not name the sign-in name change: %s", ann.Note)
	}
	if bob.Action != change.Decide || !strings.Contains(bob.Note, "holds the directory role Global Administrator") {
		t.Errorf("bob: %+v", bob)
	}
	if nobody.Action != change.Decide || !strings.Contains(nobody.Note, "no in-scope on-premises object has the DN, sAMAccountName or UPN nobody") {
		t.Errorf("nobody: %+v", nobody)
	}
	var rep struct {
		Matches []struct{ OnPrem, Cloud, Outcome string }
	}
	if err := json.Unmarshal([]byte(readText(t, whatIf)), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Matches) == 0 || rep.Matches[0].Outcome != "hard-match" || rep.Matches[0].Cloud != "33333333-3333-3333-3333-333333333333" {
		t.Errorf("the what-if does not show Ann's hard match: %+v", rep.Matches)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

// TestFixGolden: the plan, the LDIF and the scripts with their undo for the
// example environment, as golden files (go test -run TestFixGolden
// -update); report/change's tests parse the scripts with a PowerShell
// grammar.
func TestFixGolden(t *testing.T) {
	dir := t.TempDir()
	outs := []string{filepath.Join(dir, "plan.csv"), filepath.Join(dir, "changes.ldif"), filepath.Join(dir, "changes.ps1")}
	_, err := Fix(context.Background(), FixOptions{Options: Options{Sources: exampleSources("graph"), Outputs: outs,
		Now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"plan.csv", "changes.ldif", "changes.undo.ldif", "changes.ps1", "changes.undo.ps1", "changes.cloud.ps1", "changes.cloud.undo.ps1"} {
		got := readText(t, filepath.Join(dir, name))
		golden := filepath.Join("testdata", "fix", name)
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want := readText(t, golden); got != want {
			t.Errorf("%s differs from %s (run go test -run TestFixGolden -update if the change is intended):\n%s", name, golden, firstDiff(got, want))
		}
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, a, b)
		}
	}
	return ""
}
