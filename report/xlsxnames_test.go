package report

import (
	"reflect"
	"testing"

	"github.com/syncready/syncready/scanner"
)

func TestForestDomains(t *testing.T) {
	for _, c := range []struct {
		name    string
		forests []string
		dns     []string // object DNs
		src     []int32  // their sources
		want    [][]string
	}{
		{"one domain a source", []string{"contoso.ldif", "resource.ldif"},
			[]string{"CN=a,OU=Staff,DC=contoso,DC=com", "CN=b,DC=contoso,DC=com", "CN=c,OU=R,DC=res,DC=contoso,DC=net"}, []int32{0, 0, 1},
			[][]string{{"contoso.com"}, {"res.contoso.net"}}},
		{"a child domain after its parent", []string{"forest.ldif"},
			[]string{"CN=a,DC=contoso,DC=com", "CN=b,DC=emea,DC=contoso,DC=com", "CN=c,DC=contoso,DC=com"}, []int32{0, 0, 0},
			[][]string{{"contoso.com", "emea.contoso.com"}}},
		{"lower case and spaces", []string{"x.ldif"},
			[]string{"cn=a, dc=Contoso, dc=COM"}, []int32{0},
			[][]string{{"contoso.com"}}},
		{"an escaped comma that looks like a DC", []string{"x.ldif"},
			[]string{"CN=a\\,DC=fake,DC=contoso,DC=com", "CN=b,DC=contoso,DC=com"}, []int32{0, 0},
			[][]string{{"contoso.com"}}},
		{"a source without objects is named by its base DN", []string{"DC=fabrikam,DC=com", "empty.ldif"},
			nil, nil,
			[][]string{{"fabrikam.com"}, nil}},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap := &scanner.Snapshot{Sources: scanner.Sources{Forests: c.forests}}
			for i, dn := range c.dns {
				snap.OnPrem = append(snap.OnPrem, scanner.OnPrem{DN: dn, Source: c.src[i]})
			}
			if got := forestDomains(snap); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
