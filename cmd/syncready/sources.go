package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/syncready/syncready"
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

// mergeConfig fills every flag not given on the command line from the
// config file, if there is one.
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
	str := func(name string, dst *string, v string) {
		if !set[name] && v != "" {
			*dst = v
		}
	}
	list := func(name string, dst *listFlag, v []string) {
		if !set[name] && len(v) > 0 {
			dst.vals = v
		}
	}
	list("ldif", &f.ldifs, c.Sources.LDIF)
	str("graph-dir", f.graphDir, c.Sources.GraphDir)
	str("target", f.target, c.Target)
	str("source-anchor", f.anchor, c.SourceAnchor)
	str("upn-source", f.upnSource, c.UPNSource)
	list("disable", &f.disable, c.Rules.Disable)
	list("enable", &f.enable, c.Rules.Enable)
	if !set["severity"] {
		for id, level := range c.Rules.Severity {
			f.sev.vals = append(f.sev.vals, id+"="+level)
		}
	}
	list("out", &f.outs, c.Outputs)
	str("fail-on", f.failOn, c.FailOn)
	list("include-ou", &f.inc, c.Scope.IncludeOUs)
	list("exclude-ou", &f.exc, c.Scope.ExcludeOUs)
	str("baseline", f.baseline, c.Baseline)
	str("suppressions", f.suppressions, c.Suppressions)
	str("log-file", f.logFile, c.LogFile)
	g, gf := c.Sources.Graph, f.graph
	str("tenant-id", gf.tenantID, g.TenantID)
	str("client-id", gf.clientID, g.ClientID)
	str("client-cert", gf.clientCert, g.ClientCert)
	str("graph-auth", gf.auth, g.Auth)
	str("graph-endpoint", gf.endpoint, g.Endpoint)
	str("save-graph", f.saveGraph, g.SaveDir)
	if !set["ldap-url"] {
		for _, l := range c.Sources.LDAP {
			env := l.PasswordEnv
			if env == "" {
				env = passwordEnv
			}
			src := &ldap.Source{URL: l.URL, BindDN: l.BindDN, BaseDN: l.BaseDN, CAFile: l.CAFile, StartTLS: l.StartTLS,
				InsecureSkipVerify: l.InsecureSkipVerify, AllowPlaintext: l.AllowPlaintext, Password: os.Getenv(env)}
			if err := ldap.Check(src); err != nil {
				return &usageError{msg: fmt.Sprintf("%s: %v", *f.config, err)}
			}
			f.cfgLDAP = append(f.cfgLDAP, src)
		}
	}
	return nil
}

// sources builds the scan's sources from the flags: one line per kind.
func (f *scanFlags) sources(prog *progress, log *slog.Logger, stderr io.Writer, now time.Time) ([]syncready.Source, error) {
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
	bytes := prog.files(len(f.ldifs.vals))
	if len(ldaps) > 0 {
		bytes = nil // one bar at a time on the terminal
	}
	for _, p := range f.ldifs.vals {
		out = append(out, &ldif.File{Path: p, UPNAttr: *f.upnSource, Progress: bytes})
	}
	opt := ldapOptions(*f.upnSource)
	opt.Progress = prog.counter(len(ldaps))
	for _, s := range ldaps {
		out = append(out, &ldap.Directory{Source: s, Options: opt})
	}
	switch {
	case *f.graphDir != "":
		var bar func(string, int64) io.Writer
		if len(out) == 0 {
			bar = prog.files(1)
		}
		out = append(out, &graphdir.Dir{Path: *f.graphDir, Options: graphdir.Options{Progress: bar}})
	case live:
		r, err := f.graph.reader(stderr, prog.collections(), log)
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
