package synth

import (
	"bufio"
	"fmt"
	"io"
)

// Minimal is an environment of the smallest objects a scan takes: users with
// a DN and a sAMAccountName, all in one domain, for tests of size limits
// that need many objects and nothing else of them.
type Minimal struct {
	Users int
	// Base is the domain's naming context, DC=contoso,DC=com when "".
	Base string
}

// WriteLDIF writes the environment as LDIF to w.
func (m Minimal) WriteLDIF(w io.Writer) error {
	base := m.Base
	if base == "" {
		base = "DC=contoso,DC=com"
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	for i := range m.Users {
		fmt.Fprintf(bw, "dn: CN=u%d,OU=Dept%02d,%s\nobjectClass: user\nsAMAccountName: u%d\n\n", i, i%50, base, i)
	}
	return bw.Flush()
}
