package graph

import (
	"context"
	"io"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
)

// Tenant is the tenant read live, as the cloud source of a scan.
type Tenant struct {
	Reader *Reader
	// Save, when set, is the export directory to write what was read to.
	Save string
}

// Side is the cloud side.
func (t *Tenant) Side() scanner.Side { return scanner.CloudSide }

// Read reads the tenant into snap, and writes the export directory when
// Save is set.
func (t *Tenant) Read(ctx context.Context, snap *scanner.Snapshot) error {
	var w *graphdir.DirWriter
	if t.Save != "" {
		var err error
		if w, err = graphdir.NewDirWriter(t.Save); err != nil {
			return err
		}
	}
	if w != nil {
		defer w.Abort() // a failed read leaves the earlier export as it was
	}
	b := graphdir.NewBuilder(snap)
	reqs, err := t.Reader.Read(ctx, b, w)
	if err != nil {
		return err
	}
	if err := b.Finish(); err != nil {
		return err
	}
	if w != nil {
		if err := w.Commit(); err != nil {
			return err
		}
	}
	snap.Sources.Inputs = append(snap.Sources.Inputs, reqs...)
	return nil
}

// The secrets of a live read come only from these environment variables.
const (
	TokenEnv    = "SYNCREADY_GRAPH_TOKEN"
	SecretEnv   = "SYNCREADY_GRAPH_CLIENT_SECRET"
	CertPassEnv = "SYNCREADY_GRAPH_CERT_PASSWORD"
)

// Live is how to read the tenant live: where, and how to sign in (a bearer
// token in TokenEnv is used as it is, else azidentity signs in).
type Live struct {
	Endpoint, TenantID, ClientID, ClientCert, Method string
	// Prompt receives a device-code sign-in's instructions.
	Prompt io.Writer
	// Progress and OnRetry are as in Options.
	Progress func(collection string, items int)
	OnRetry  func(status, attempt int, url string)
}

// Asked reports whether a live read was asked for at all.
func (l *Live) Asked() bool {
	return l.Endpoint != "" || l.TenantID != "" || l.ClientID != "" || l.ClientCert != "" || l.Method != ""
}

// Reader signs in and builds the reader; the secrets come from getenv. A
// mistake in the settings is a *ConfigError.
func (l *Live) Reader(getenv func(string) string) (*Reader, error) {
	var auth Auth
	if tok := getenv(TokenEnv); tok != "" {
		auth = Token(tok)
	} else {
		var err error
		auth, err = SignIn{Endpoint: l.Endpoint, TenantID: l.TenantID, ClientID: l.ClientID, ClientCert: l.ClientCert,
			Secret: getenv(SecretEnv), CertPass: getenv(CertPassEnv), Method: l.Method, Prompt: l.Prompt}.Credential()
		if err != nil {
			return nil, err
		}
	}
	return NewReader(Options{Endpoint: l.Endpoint, Auth: auth, Progress: l.Progress, OnRetry: l.OnRetry})
}
