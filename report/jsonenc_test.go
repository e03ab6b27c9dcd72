package report

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// FuzzHandEncodingMatchesEncodingJSON: the hand-written encoder decodes to
// exactly what json.Marshal's output decodes to.
func FuzzHandEncodingMatchesEncodingJSON(f *testing.F) {
	f.Add("CN=Zoë \"Z\" Müller,OU=<x>&y", "=cmd|'/C calc'!A0\u2028\t\x00\xff", "smtp:a@b.c", true)
	f.Fuzz(func(t *testing.T, object, value, fix string, isNew bool) {
		rf := &rules.Finding{Rule: "r", Severity: rules.Warning, Side: scanner.OnPremSide, Kind: scanner.KindUser, Object: object, Name: value, Attribute: "a",
			Value: value, Message: value + object, Fix: rules.Fix{Text: fix, Attribute: "x", From: value, To: ""}, Related: []string{object, value}, RelatedNames: []string{fix}, Fingerprint: fix}
		if isNew {
			rf.Cause = value // present with a value; absent otherwise
		}
		nf := &Finding{Finding: rf, New: &isNew}
		var got, want map[string]any
		if err := json.Unmarshal(appendFinding(nil, nf), &got); err != nil {
			t.Fatalf("hand-encoded finding is not JSON: %v", err)
		}
		jf := toJSON(rf)
		jf.New = &isNew
		b, _ := json.Marshal(jf)
		json.Unmarshal(b, &want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("\n got %v\nwant %v", got, want)
		}
		cloud := value
		m := &Match{OnPrem: object, Cloud: &cloud, CloudName: object + value, Outcome: "blocked", Reason: fix}
		var gm, wm map[string]any
		if err := json.Unmarshal(appendMatch(nil, m), &gm); err != nil {
			t.Fatal(err)
		}
		name := object + value
		jm := jsonMatch{OnPrem: object, Cloud: &cloud, CloudName: &name, Outcome: "blocked"}
		if fix != "" {
			jm.Reason = &fix
		}
		b, _ = json.Marshal(jm)
		json.Unmarshal(b, &wm)
		if !reflect.DeepEqual(gm, wm) {
			t.Fatalf("match\n got %v\nwant %v", gm, wm)
		}
	})
}
