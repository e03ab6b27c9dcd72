//go:build !windows

package ldap

import (
	"errors"

	goldap "github.com/go-ldap/ldap/v3"
)

// bindCurrentUser is Windows-only: elsewhere a bind DN is required.
func bindCurrentUser(*goldap.Conn, string) error {
	return errors.New("--ldap-bind-dn is required: binding as the signed-in user (SSPI) works on Windows only")
}
