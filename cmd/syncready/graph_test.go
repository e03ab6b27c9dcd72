package main

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner/graph"
	"github.com/syncready/syncready/scanner/graph/graphtest"
)

const graphData = "../../scanner/graph/testdata/tenant"

// TestLiveGraphScanMatchesOfflineScan scans the example forest against a
// Graph stand-in (two items a page, throttled once, a 503 once) through
// --graph-endpoint and SYNCREADY_GRAPH_TOKEN, and requires exactly the
// findings and match plan of the offline scan of the same data — and of
// the export directory --save-graph wrote.
func TestLiveGraphScanMatchesOfflineScan(t *testing.T) {
	s := graphtest.New(t, graphData)
	s.Faults["/v1.0/users"] = []int{429}
	s.Faults["/v1.0/contacts"] = []int{503}
	t.Setenv(graph.TokenEnv, graphtest.Token)
	dir := t.TempDir()
	ldifs := []string{"--ldif", filepath.Join(example, "contoso.ldif"), "--ldif", filepath.Join(example, "resource.ldif")}
	live, offline, resaved := filepath.Join(dir, "live.json"), filepath.Join(dir, "offline.json"), filepath.Join(dir, "resaved.json")
	saved := filepath.Join(dir, "saved")
	code, _, errOut := runCmd(t, append([]string{"scan"}, append(ldifs, "--graph-endpoint", s.URL, "--save-graph", saved, "--out", live)...)...)
	if code != exitOK {
		t.Fatalf("live scan: exit %d: %s", code, errOut)
	}
	for _, v := range s.Violations() {
		t.Error(v)
	}
	code, _, errOut = runCmd(t, append([]string{"scan"}, append(ldifs, "--graph-dir", graphData, "--out", offline)...)...)
	if code != exitOK {
		t.Fatalf("offline scan: exit %d: %s", code, errOut)
	}
	code, _, errOut = runCmd(t, append([]string{"scan"}, append(ldifs, "--graph-dir", saved, "--out", resaved)...)...)
	if code != exitOK {
		t.Fatalf("scan of the saved export: exit %d: %s", code, errOut)
	}
	lf, lm := reportOf(t, live)
	of, om := reportOf(t, offline)
	sf, sm := reportOf(t, resaved)
	if len(lf) == 0 || !reflect.DeepEqual(lf, of) || !reflect.DeepEqual(lm, om) {
		t.Errorf("live and offline scans differ: %d/%d findings, %d/%d matches", len(lf), len(of), len(lm), len(om))
	}
	if !reflect.DeepEqual(sf, of) || !reflect.DeepEqual(sm, om) {
		t.Errorf("the saved export scans differently: %d/%d findings", len(sf), len(of))
	}

	// export --graph-dir writes the same directory.
	exported := filepath.Join(dir, "exported")
	code, _, errOut = runCmd(t, "export", "--graph-dir", exported, "--graph-endpoint", s.URL)
	if code != exitOK {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	again := filepath.Join(dir, "again.json")
	if code, _, errOut = runCmd(t, append([]string{"scan"}, append(ldifs, "--graph-dir", exported, "--out", again)...)...); code != exitOK {
		t.Fatalf("scan of the export: exit %d: %s", code, errOut)
	}
	if ef, em := reportOf(t, again); !reflect.DeepEqual(ef, of) || !reflect.DeepEqual(em, om) {
		t.Error("the exported directory scans differently")
	}
}

func TestLiveGraphUsersRefused(t *testing.T) {
	s := graphtest.New(t, graphData)
	s.Refuse["/v1.0/users"] = 403
	t.Setenv(graph.TokenEnv, graphtest.Token)
	code, _, errOut := runCmd(t, "scan", "--graph-endpoint", s.URL)
	if code != exitFailure || !strings.Contains(errOut, "403") || !strings.Contains(errOut, "User.Read.All") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
