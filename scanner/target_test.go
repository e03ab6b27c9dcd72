package scanner

import "testing"

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Target
		ok   bool
	}{
		{"", TargetConnectSync, true},
		{"connect-sync", TargetConnectSync, true},
		{"Cloud-Sync", TargetCloudSync, true},
		{"cloudsync", 0, false},
	} {
		got, err := ParseTarget(c.in)
		if (err == nil) != c.ok || c.ok && got != c.want {
			t.Errorf("ParseTarget(%q) = %v, %v", c.in, got, err)
		}
	}
	for _, c := range []struct {
		target Target
		anchor SourceAnchor
		ok     bool
	}{
		{TargetCloudSync, AnchorAuto, true},
		{TargetCloudSync, AnchorObjectGUID, false},
		{TargetCloudSync, AnchorConsistencyGUID, false},
		{TargetConnectSync, AnchorObjectGUID, true},
	} {
		if err := c.target.CheckAnchor(c.anchor); (err == nil) != c.ok {
			t.Errorf("%s with anchor %d: %v", c.target, c.anchor, err)
		}
	}
}

func TestDomainNC(t *testing.T) {
	for in, want := range map[string]string{
		"CN=a,OU=b,DC=contoso,DC=com":     "DC=contoso,DC=com",
		"cn=a,dc=Child,dc=contoso,dc=com": "dc=Child,dc=contoso,dc=com",
		"CN=a\\,DC=x,OU=b,DC=y":           "DC=y",
		"CN=a, DC=x , DC=y":               "DC=x , DC=y",
		"DC=contoso,DC=com":               "DC=contoso,DC=com",
		"CN=a,OU=b":                       "",
		"":                                "",
	} {
		if got := DomainNC(in); got != want {
			t.Errorf("DomainNC(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUnderScanned: a DN is under what was read when it lies under a
// scanned root of its own domain; a child domain that was not read is not
// under its parent's naming context.
func TestUnderScanned(t *testing.T) {
	snap := &Snapshot{OnPrem: []OnPrem{{DN: "CN=a,OU=Staff,DC=Contoso,DC=com"}, {DN: "CN=b,CN=Users,DC=contoso,DC=com"}, {DN: "CN=c,DC=res,DC=contoso,DC=net"}}}
	snap.NoteScanned()
	if len(snap.Scanned) != 2 || snap.Scanned[0] != "dc=contoso,dc=com" || snap.Scanned[1] != "dc=res,dc=contoso,dc=net" {
		t.Fatalf("scanned %q", snap.Scanned)
	}
	for dn, want := range map[string]bool{
		"CN=x,OU=Gone,DC=contoso,DC=com":           true,
		"cn=x, ou=gone, dc=CONTOSO, dc=com":        true,
		"CN=x,OU=Staff,DC=child,DC=contoso,DC=com": false,
		"CN=x,DC=fabrikam,DC=com":                  false,
		"CN=x,OU=y,DC=res,DC=contoso,DC=net":       true,
		"CN=x,DC=contoso,DC=com,DC=evil":           false,
		"":                                         false,
	} {
		if got := snap.UnderScanned(dn); got != want {
			t.Errorf("UnderScanned(%q) = %v, want %v", dn, got, want)
		}
	}
	// A reader's search base is the root: an OU of it only.
	ou := &Snapshot{Scanned: []string{"ou=staff,dc=contoso,dc=com"}}
	if !ou.UnderScanned("CN=x,OU=Staff,DC=contoso,DC=com") || ou.UnderScanned("CN=x,OU=Other,DC=contoso,DC=com") {
		t.Error("a search base below the naming context")
	}
}

func TestSIDText(t *testing.T) {
	for _, s := range []string{"S-1-5-21-3623811015-3361044348-30300820-1013", "S-1-5-32-544", "S-1-1-0"} {
		raw, ok := ParseSID(nil, s)
		if !ok {
			t.Fatalf("ParseSID(%q) failed", s)
		}
		if got := FormatSID(string(raw)); got != s {
			t.Errorf("%s: round trip gives %s", s, got)
		}
	}
	for _, s := range []string{"", "S-1", "S-2-5-21", "S-1-5-x", "X-1-5-21", "S-1-5-99999999999"} {
		if _, ok := ParseSID(nil, s); ok {
			t.Errorf("ParseSID(%q) accepted", s)
		}
	}
	if FormatSID("\x01\x05") != "" {
		t.Error("a short SID formatted")
	}
	var buf [80]byte
	if n := testing.AllocsPerRun(100, func() { ParseSID(buf[:0], "S-1-5-21-3623811015-3361044348-30300820-1013") }); n != 0 {
		t.Errorf("ParseSID allocates %v times", n)
	}
}
