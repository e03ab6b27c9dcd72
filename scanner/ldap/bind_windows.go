//go:build windows

package ldap

import (
	"fmt"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/go-ldap/ldap/v3/gssapi"
)

// bindCurrentUser binds as the signed-in Windows user through SSPI
// (Negotiate/Kerberos): no password is typed or held. Kerberos needs the
// server's host name (not an IP address) for its service principal
// ldap/<host>.
func bindCurrentUser(c *goldap.Conn, host string) error {
	client, err := gssapi.NewSSPIClient()
	if err != nil {
		return fmt.Errorf("get the signed-in user's credentials: %w", err)
	}
	defer client.Close()
	return c.GSSAPIBind(client, "ldap/"+host, "")
}
