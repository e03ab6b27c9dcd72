package main

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/syncready/syncready"
	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldif"

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
	out, err := ldap.Sources(f.urls.vals, f.baseDNs.vals, ldap.Source{BindDN: *f.bindDN, StartTLS: *f.startTLS, CAFile: *f.caFile,
		InsecureSkipVerify: *f.insecure, AllowPlaintext: *f.allowPlaintext})
	if err != nil {
		return nil, usagef("%s", err)
	}
	return out, nil
}

// ldapOptions returns the read options; the password comes from the
// environment only.
func ldapOptions(upnAttr string) ldap.Options {
	return ldap.Options{Password: os.Getenv(passwordEnv), UPNAttr: upnAttr}
}

// graphFlags are the live tenant flags shared by scan and export.
type graphFlags struct {
	tenantID, clientID, clientCert, auth, endpoint *string
}

func addGraphFlags(fs *flag.FlagSet) *graphFlags {
	return &graphFlags{
		tenantID:   fs.String("tenant-id", "", "the tenant to read live from Microsoft Graph, by its directory `ID`"),
		clientID:   fs.String("client-id", "", "sign in as the app registration with this client `ID` (its secret from "+graph.SecretEnv+", or --client-cert)"),
		clientCert: fs.String("client-cert", "", "sign in with the client certificate `FILE` (PEM with its key, or PFX; the PFX password from "+graph.CertPassEnv+")"),
		auth:       fs.String("graph-auth", "", "sign in with `METHOD`: device (prints a code to stderr), azcli or managed-identity"),
		endpoint:   fs.String("graph-endpoint", "", "the Graph `URL` (default https://graph.microsoft.com; for sovereign clouds and test servers; /v1.0 is added)"),
	}
}

func (g *graphFlags) settings() *graph.Live {
	return &graph.Live{Endpoint: *g.endpoint, TenantID: *g.tenantID, ClientID: *g.clientID, ClientCert: *g.clientCert, Method: *g.auth}
}

// live reports whether a live tenant read was asked for.
func (g *graphFlags) live() bool { return g.settings().Asked() }

// reader builds the live Graph reader (the secrets from the environment).
func (g *graphFlags) reader(stderr io.Writer, progress func(string, int), log func() *slog.Logger) (*graph.Reader, error) {
	l := g.settings()
	l.Prompt, l.Progress = stderr, progress
	l.OnRetry = func(status int, attempt int, url string) {
		log().Warn("Graph request retried", "status", status, "attempt", attempt, "url", url)
	}
	r, err := l.Reader(os.Getenv)
	var ce *graph.ConfigError
	if errors.As(err, &ce) {
		return nil, usagef("%s", ce.Msg)
	}
	return r, err
}

// mergeConfig fills every flag not given on the command line from the
// config file, if there is one: as if the file's values had been given as
// those flags.
func (f *scanFlags) mergeConfig() error {
	if *f.config == "" {
		return nil
	}
	c, err := syncready.LoadConfig(*f.config)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for name, vals := range c.FlagValues() {
		for _, v := range vals {
			if set[name] || v == "" {
				continue
			}
			if err := f.fs.Set(name, v); err != nil {
				return usagef("%s: %s: %v", *f.config, name, err)
			}
		}
	}
	if !set["ldap-url"] {
		f.cfgLDAP, err = c.LDAPSources(os.Getenv)
	}
	return err
}

// sources builds the scan's sources from the flags: one line per kind.
func (f *scanFlags) sources(prog *report.Progress, log func() *slog.Logger, stderr io.Writer, now time.Time) ([]syncready.Source, error) {
	var out []syncready.Source
	live := f.graph.live()
	if live && *f.graphDir != "" {
		return nil, usagef("--graph-dir and a live tenant (--tenant-id, --graph-endpoint, …) are two cloud sides: give one")
	}
	if !live && *f.saveGraph != "" {
		return nil, usagef("--save-graph needs a live tenant (--tenant-id, --graph-endpoint, …)")
	}
	ldaps, err := f.ldap.sources()
	if err != nil {
		return nil, err
	}
	if ldaps == nil {
		ldaps = f.cfgLDAP
	}
	if len(f.ldifs.vals) == 0 && len(ldaps) == 0 && *f.graphDir == "" && !live {
		return nil, usagef("scan needs at least one side: --ldif FILE or --ldap-url URL (on premises) and/or --graph-dir DIR or a live tenant (--tenant-id …)")
	}
	bytes := prog.Files(len(f.ldifs.vals))
	if len(ldaps) > 0 {
		bytes = nil // one bar at a time on the terminal
	}
	for _, p := range f.ldifs.vals {
		out = append(out, &ldif.File{Path: p, UPNAttr: *f.upnSource, Progress: bytes})
	}
	opt := ldapOptions(*f.upnSource)
	opt.Progress = prog.Counter(len(ldaps))
	for _, s := range ldaps {
		out = append(out, &ldap.Directory{Source: s, Options: opt})
	}
	switch {
	case *f.graphDir != "":
		var bar func(string, int64) io.Writer
		if len(out) == 0 {
			bar = prog.Files(1)
		}
		out = append(out, &graphdir.Dir{Path: *f.graphDir, Options: graphdir.Options{Progress: bar}})
	case live:
		r, err := f.graph.reader(stderr, prog.Collections(), log)
		if err != nil {
			return nil, err
		}
		save, err := syncready.ExpandPath(*f.saveGraph, now, "")
		if err != nil {
			return nil, err
		}
		out = append(out, &graph.Tenant{Reader: r, Save: save})
	}
	return out, nil
}
