package scanner

import "testing"

// TestAttrsNames: an attribute name counts in any case and with options,
// and names that share a slot of the name cache (sn and cn) never take
// each other's place.
func TestAttrsNames(t *testing.T) {
	a := NewAttrs("mail")
	var o OnPrem
	for _, set := range []struct{ name, value string }{
		{"sn", "Smith"}, {"CN", "Ann Smith"}, {"Sn", "Smith2"}, {"cn", "Ann Smith2"},
		{"mail", "ann@x.com"}, {"userPrincipalName", "ann@corp.local"},
		{"objectClass;x-opt", "user"}, {"sAMAccountName", "ann"}, {"SAMACCOUNTNAME", "ann2"},
		{"x-unknown", "ignored"}, {"", "ignored"},
	} {
		if err := a.Set(&o, []byte(set.name), []byte(set.value)); err != nil {
			t.Fatalf("%s: %v", set.name, err)
		}
	}
	// The first value of a single-valued attribute counts.
	if o.SN != "Smith" || o.CN != "Ann Smith" || o.Mail != "ann@x.com" || o.SAMAccountName != "ann" || o.Kind != KindUser {
		t.Errorf("got %+v", o)
	}
	if o.UPN != "ann@x.com" {
		t.Errorf("UPN %q: --upn-source mail must give the UPN from mail", o.UPN)
	}
}
