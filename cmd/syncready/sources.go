package main

import (
	"flag"
	"os"
	"strings"

	"github.com/syncready/syncready/scanner/ldap"
)

// passwordEnv is the only place the LDAP bind password comes from.
const passwordEnv = "SYNCREADY_LDAP_PASSWORD"

// ldapFlags are the live Active Directory flags shared by scan and export.
type ldapFlags struct {
	urls, baseDNs                      listFlag
	bindDN, caFile                     *string
	startTLS, insecure, allowPlaintext *bool
}

func addLDAPFlags(fs *flag.FlagSet) *ldapFlags {
	f := &ldapFlags{}
	fs.Var(&f.urls, "ldap-url", "read Active Directory live from `URL` (ldaps://dc1.contoso.com, ldap://…:3268 for a global catalog); repeatable, read concurrently")
	f.bindDN = fs.String("ldap-bind-dn", "", "bind as `DN` (password from "+passwordEnv+"); on Windows, omit it to bind as the signed-in user")
	fs.Var(&f.baseDNs, "ldap-base-dn", "search under `DN` (default: each server's defaultNamingContext; once for all URLs, or once per URL in order)")
	f.startTLS = fs.Bool("ldap-starttls", false, "upgrade ldap:// connections with StartTLS")
	f.caFile = fs.String("ldap-ca-file", "", "trust the CA certificates in `FILE` (PEM) for LDAPS and StartTLS")
	f.insecure = fs.Bool("ldap-insecure-skip-verify", false, "do not verify the server certificate (tests only)")
	f.allowPlaintext = fs.Bool("ldap-allow-plaintext", false, "allow a simple bind over plain ldap:// without StartTLS, which sends the password in clear (isolated test networks only)")
	return f
}

// sources returns one Source per --ldap-url, validated.
func (f *ldapFlags) sources() ([]*ldap.Source, error) {
	if len(f.urls.vals) == 0 {
		if len(f.baseDNs.vals) > 0 || *f.bindDN != "" {
			return nil, usagef("--ldap-bind-dn and --ldap-base-dn need --ldap-url")
		}
		return nil, nil
	}
	if n := len(f.baseDNs.vals); n > 1 && n != len(f.urls.vals) {
		return nil, usagef("--ldap-base-dn given %d times for %d --ldap-url: give it once for all, or once per URL in the same order", n, len(f.urls.vals))
	}
	var out []*ldap.Source
	for i, u := range f.urls.vals {
		s := &ldap.Source{URL: u, BindDN: *f.bindDN, StartTLS: *f.startTLS, CAFile: *f.caFile, InsecureSkipVerify: *f.insecure, AllowPlaintext: *f.allowPlaintext}
		switch len(f.baseDNs.vals) {
		case 1:
			s.BaseDN = f.baseDNs.vals[0]
		case len(f.urls.vals):
			s.BaseDN = f.baseDNs.vals[i]
		}
		if err := ldap.Check(s); err != nil {
			return nil, &usageError{msg: err.Error()}
		}
		out = append(out, s)
	}
	return out, nil
}

// ldapOptions returns the read options; the password comes from the
// environment only.
func ldapOptions(upnAttr string) ldap.Options {
	return ldap.Options{Password: os.Getenv(passwordEnv), UPNAttr: upnAttr}
}

// graphFlags are the live tenant flags: accepted, but the live Graph reader
// is not in this version yet.
func addGraphFlags(fs *flag.FlagSet) func() error {
	names := []string{"tenant-id", "client-id", "client-cert", "graph-auth", "graph-endpoint"}
	vals := make([]*string, len(names))
	for i, n := range names {
		vals[i] = fs.String(n, "", "live tenant setting (see README)")
	}
	return func() error {
		for i, v := range vals {
			if strings.TrimSpace(*v) != "" {
				return usagef("--%s: reading the tenant live is not in this version yet; export it with examples/export-graph.ps1 and use --graph-dir (see README)", names[i])
			}
		}
		return nil
	}
}
