package main

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"

	"github.com/syncready/syncready/scanner/graph"
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

// The Graph secrets come only from the environment.
const (
	graphTokenEnv    = "SYNCREADY_GRAPH_TOKEN"
	graphSecretEnv   = "SYNCREADY_GRAPH_CLIENT_SECRET"
	graphCertPassEnv = "SYNCREADY_GRAPH_CERT_PASSWORD"
)

// graphFlags are the live tenant flags shared by scan and export.
type graphFlags struct {
	tenantID, clientID, clientCert, auth, endpoint *string
}

func addGraphFlags(fs *flag.FlagSet) *graphFlags {
	return &graphFlags{
		tenantID:   fs.String("tenant-id", "", "read the tenant `ID` live from Microsoft Graph"),
		clientID:   fs.String("client-id", "", "the app registration's client `ID` (secret from "+graphSecretEnv+", or --client-cert)"),
		clientCert: fs.String("client-cert", "", "client certificate `FILE` (PEM with key, or PFX; its password from "+graphCertPassEnv+")"),
		auth:       fs.String("graph-auth", "", "sign in with `METHOD`: device (prints a code to stderr), azcli or managed-identity"),
		endpoint:   fs.String("graph-endpoint", "", "Graph `URL` (default https://graph.microsoft.com; sovereign clouds and test servers; /v1.0 is added)"),
	}
}

// live reports whether a live tenant read was asked for.
func (g *graphFlags) live() bool {
	return *g.tenantID != "" || *g.clientID != "" || *g.clientCert != "" || *g.auth != "" || *g.endpoint != ""
}

// reader builds the live Graph reader: SYNCREADY_GRAPH_TOKEN is used as is
// when set, else azidentity signs in as the flags say.
func (g *graphFlags) reader(stderr io.Writer, progress func(string, int), log *slog.Logger) (*graph.Reader, error) {
	var auth graph.Auth
	if tok := os.Getenv(graphTokenEnv); tok != "" {
		auth = graph.Token(tok)
	} else {
		var err error
		auth, err = graph.SignIn{
			Endpoint: *g.endpoint, TenantID: *g.tenantID, ClientID: *g.clientID, ClientCert: *g.clientCert,
			Secret: os.Getenv(graphSecretEnv), CertPass: os.Getenv(graphCertPassEnv), Method: *g.auth, Prompt: stderr,
		}.Credential()
		var ce *graph.ConfigError
		if errors.As(err, &ce) {
			return nil, &usageError{msg: ce.Msg}
		}
		if err != nil {
			return nil, err
		}
	}
	return graph.NewReader(graph.Options{Endpoint: *g.endpoint, Auth: auth, Progress: progress, OnRetry: func(status int, attempt int, url string) {
		log.Warn("Graph request retried", "status", status, "attempt", attempt, "url", url)
	}})
}
