package main

import (
	"strings"
	"testing"
)

// TestExplainGolden: explain of the example's objects of four fates — an
// admin-role block, a duplicate address two objects hold, a clean user who
// soft matches, and a cloud-only user an on-premises alias collides with —
// compared with testdata/explain.golden.txt; -update rewrites it.
func TestExplainGolden(t *testing.T) {
	args := append([]string{"explain"}, exampleArgs("graph")[1:]...)
	args = append(args, "admin.soft.match@contoso.com", "frontdesk@contoso.com", "nestor.wilke@contoso.com", "af13dc02-1d6e-4cd5-adfe-2bf2afe46557")
	code, out, e := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	goldenText(t, "explain.golden.txt", out)
}

// TestExplainRefusals: a name no object has is an error naming it (exit 1,
// the other names still explained); no name, or --out, is a usage error.
func TestExplainRefusals(t *testing.T) {
	scan := exampleArgs("graph")[1:]
	cases := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{append(append([]string{"explain"}, scan...), "nwilke", "nobody@contoso.com"), exitFailure,
			"nobody@contoso.com: no object has this name", `no object has the name "nobody@contoso.com"`},
		{append([]string{"explain"}, scan...), exitUsage, "", "explain takes the names of the objects"},
		{append(append([]string{"explain", "nwilke"}, scan...), "--out", "x.json"), exitUsage, "", "explain writes no report"},
		{[]string{"explain", "nwilke"}, exitUsage, "", "scan needs at least one side"},
	}
	for _, c := range cases {
		code, out, e := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(out, c.stdout) || !strings.Contains(e, c.stderr) {
			t.Errorf("%q: exit %d, stdout %q…, stderr %q; want %d, %q, %q", c.args, code, first(out), e, c.code, c.stdout, c.stderr)
		}
	}
	if _, out, _ := runCmd(t, append(append([]string{"explain"}, scan...), "nwilke", "nobody@contoso.com")...); !strings.Contains(out, "CN=Nestor Wilke,") {
		t.Error("the name that was found is not explained beside the one that was not")
	}
}

func first(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
