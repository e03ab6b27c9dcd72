package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	azruntime "github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
)

// Auth gives the Graph client its bearer tokens. The token is only ever
// attached to a request for the Graph endpoint's origin (scheme, host and
// port): the SDK's allowed-hosts list is set to the endpoint's host (its
// default list silently sends no token to any other host), and, since that
// list knows no scheme or port, every token request is also checked against
// the endpoint's origin and refused, with an error, for any other.
type Auth interface {
	provider(endpoint *url.URL) (absauth.AuthenticationProvider, error)
}

// Token is a bearer token used as it is (SYNCREADY_GRAPH_TOKEN), with no
// Entra sign-in: for scripts that already hold one, and for test servers.
type Token string

func (t Token) provider(ep *url.URL) (absauth.AuthenticationProvider, error) {
	if strings.TrimSpace(string(t)) == "" {
		return nil, errors.New("SYNCREADY_GRAPH_TOKEN is empty")
	}
	v, err := absauth.NewAllowedHostsValidatorErrorCheck([]string{ep.Hostname()})
	if err != nil {
		return nil, err
	}
	return absauth.NewBaseBearerTokenAuthenticationProvider(&originTokens{origin: originOf(ep), inner: &staticToken{token: strings.TrimSpace(string(t)), hosts: v}}), nil
}

type staticToken struct {
	token string
	hosts *absauth.AllowedHostsValidator
}

func (s *staticToken) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !s.hosts.IsUrlHostValid(u) {
		return "", nil // never hand the token to another host
	}
	return s.token, nil
}

func (s *staticToken) GetAllowedHostsValidator() *absauth.AllowedHostsValidator { return s.hosts }

// originTokens hands out inner's tokens only for URLs of one origin; a
// request for any other fails before it is sent.
type originTokens struct {
	origin string
	inner  absauth.AccessTokenProvider
}

func (o *originTokens) GetAuthorizationToken(ctx context.Context, u *url.URL, extra map[string]any) (string, error) {
	if got := originOf(u); got != o.origin {
		return "", &originError{what: "a request", to: got, endpoint: o.origin}
	}
	return o.inner.GetAuthorizationToken(ctx, u, extra)
}

func (o *originTokens) GetAllowedHostsValidator() *absauth.AllowedHostsValidator {
	return o.inner.GetAllowedHostsValidator()
}

// Credential signs in with azidentity.
type Credential struct {
	Cred azcore.TokenCredential
	// Scope is the Graph scope, "<endpoint>/.default".
	Scope string
	// net, when set, is the sign-in pipeline's record of network failures,
	// to say why a sign-in failed.
	net *netProbe
	// secret is left out of any sign-in error message, should a library
	// ever quote it.
	secret string
}

func (c Credential) provider(ep *url.URL) (absauth.AuthenticationProvider, error) {
	p, err := kiotaazure.NewAzureIdentityAccessTokenProviderWithScopesAndValidHosts(c.Cred, []string{c.Scope}, []string{ep.Hostname()})
	if err != nil {
		return nil, fmt.Errorf("graph authentication: %w", err)
	}
	return absauth.NewBaseBearerTokenAuthenticationProvider(&originTokens{origin: originOf(ep), inner: &signInTokens{inner: p, c: c}}), nil
}

// signInTokens turns azidentity's sign-in failures into SignInErrors.
type signInTokens struct {
	inner absauth.AccessTokenProvider
	c     Credential
}

func (s *signInTokens) GetAuthorizationToken(ctx context.Context, u *url.URL, extra map[string]any) (string, error) {
	tok, err := s.inner.GetAuthorizationToken(ctx, u, extra)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", s.c.signInError(err)
	}
	return tok, nil
}

func (s *signInTokens) GetAllowedHostsValidator() *absauth.AllowedHostsValidator {
	return s.inner.GetAllowedHostsValidator()
}

// SignInError is a sign-in to Entra that failed, in one line: which host
// could not be reached and why, or what the sign-in service answered. It
// never holds the secret.
type SignInError struct {
	// Host is the sign-in host, when known.
	Host  string
	msg   string
	cause error
}

func (e *SignInError) Error() string { return e.msg }
func (e *SignInError) Unwrap() error { return e.cause }

// signInError explains err, a failed azidentity sign-in. azidentity's own
// message spans lines and, without network, hides the DNS failure behind
// "unable to resolve an endpoint"; its errors do not wrap the cause, so the
// cause comes from the network probe in the sign-in pipeline.
func (c Credential) signInError(err error) error {
	if host, nerr := c.net.last(); nerr != nil {
		var ue *url.Error
		cause := nerr
		if errors.As(nerr, &ue) {
			cause = ue.Err // the URL holds the tenant and the request; the host says enough
		}
		return &SignInError{Host: host, cause: nerr, msg: c.redact(fmt.Sprintf("sign-in to Entra failed: the sign-in host %s could not be reached: %s (check the network, DNS and proxy settings)", host, oneLine(cause.Error())))}
	}
	var af *azidentity.AuthenticationFailedError
	if errors.As(err, &af) && af.RawResponse != nil {
		host := ""
		if af.RawResponse.Request != nil {
			host = af.RawResponse.Request.URL.Host
		}
		msg := fmt.Sprintf("sign-in to Entra failed: %s answered HTTP %d", host, af.RawResponse.StatusCode)
		if d := entraError(af.RawResponse); d != "" {
			msg += ": " + d
		}
		return &SignInError{Host: host, cause: err, msg: c.redact(msg)}
	}
	return &SignInError{cause: err, msg: c.redact("sign-in to Entra failed: " + oneLine(err.Error()))}
}

// entraError is the first line of the sign-in service's error_description
// (the AADSTS code and text), or its error code.
func entraError(resp *nethttp.Response) string {
	body, err := azruntime.Payload(resp)
	if err != nil {
		return ""
	}
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	if d, _, _ := strings.Cut(strings.TrimSpace(e.Description), "\n"); d != "" {
		return strings.TrimSpace(d)
	}
	return e.Error
}

// oneLine joins a message's lines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (c Credential) redact(s string) string {
	if c.secret != "" {
		s = strings.ReplaceAll(s, c.secret, "[secret]")
	}
	return s
}

// netProbe is a policy of the sign-in pipeline that keeps the last
// network failure (a request that got no answer); an answer clears it.
type netProbe struct {
	mu   sync.Mutex
	host string
	err  error
}

func (p *netProbe) Do(req *azpolicy.Request) (*nethttp.Response, error) {
	resp, err := req.Next()
	if req.Raw().Context().Err() != nil {
		return resp, err
	}
	p.mu.Lock()
	if err != nil {
		p.host, p.err = req.Raw().URL.Host, err
	} else {
		p.host, p.err = "", nil
	}
	p.mu.Unlock()
	return resp, err
}

func (p *netProbe) last() (string, error) {
	if p == nil {
		return "", nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.host, p.err
}

// SignIn says how to sign in, from the command line's flags and environment.
type SignIn struct {
	Endpoint   string
	TenantID   string
	ClientID   string
	Secret     string // SYNCREADY_GRAPH_CLIENT_SECRET
	ClientCert string // PEM or PFX file (with the key; a PFX password in SYNCREADY_GRAPH_CERT_PASSWORD)
	CertPass   string
	Method     string // "", device, azcli, managed-identity
	Prompt     io.Writer
	// options, when set, adjusts the sign-in's client options (tests:
	// a transport without network, no retries).
	options func(*azcore.ClientOptions)
}

// authorityFor returns the Entra authority of a national cloud's Graph
// endpoint.
func authorityFor(host string) cloud.Configuration {
	switch {
	case strings.HasSuffix(host, "graph.microsoft.us"):
		return cloud.AzureGovernment
	case strings.HasSuffix(host, "chinacloudapi.cn"):
		return cloud.AzureChina
	}
	return cloud.AzurePublic
}

// ConfigError is a sign-in setting that is missing or wrong (as opposed to
// a sign-in that failed): the command line has to change.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// Credential builds the azidentity credential for s.
func (s SignIn) Credential() (Auth, error) {
	ep := s.Endpoint
	if ep == "" {
		ep = DefaultEndpoint
	}
	u, err := url.Parse(ep)
	if err != nil {
		return nil, fmt.Errorf("--graph-endpoint %q: %w", ep, err)
	}
	probe := &netProbe{}
	opts := azcore.ClientOptions{Cloud: authorityFor(u.Hostname()), PerRetryPolicies: []azpolicy.Policy{probe}}
	if s.options != nil {
		s.options(&opts)
	}
	scope := strings.TrimRight(ep, "/") + "/.default"
	var cred azcore.TokenCredential
	switch s.Method {
	case "device":
		cred, err = azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions: opts, TenantID: s.TenantID, ClientID: s.ClientID,
			UserPrompt: func(_ context.Context, m azidentity.DeviceCodeMessage) error {
				_, err := fmt.Fprintln(s.Prompt, m.Message)
				return err
			},
		})
	case "azcli":
		cred, err = azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: s.TenantID})
	case "managed-identity":
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if s.ClientID != "" {
			o.ID = azidentity.ClientID(s.ClientID)
		}
		cred, err = azidentity.NewManagedIdentityCredential(o)
	case "":
		if s.TenantID == "" || s.ClientID == "" {
			return nil, &ConfigError{"Graph sign-in needs --tenant-id and --client-id (with SYNCREADY_GRAPH_CLIENT_SECRET or --client-cert), or --graph-auth device|azcli|managed-identity, or SYNCREADY_GRAPH_TOKEN"}
		}
		switch {
		case s.ClientCert != "":
			data, rerr := os.ReadFile(s.ClientCert)
			if rerr != nil {
				return nil, fmt.Errorf("--client-cert: %w", rerr)
			}
			var pass []byte
			if s.CertPass != "" {
				pass = []byte(s.CertPass)
			}
			certs, key, perr := azidentity.ParseCertificates(data, pass)
			if perr != nil {
				// The parser's own words are a dump of Go values; say what
				// the file should be instead.
				why := "not a certificate with its private key"
				if strings.Contains(strings.ToLower(perr.Error()), "password") {
					why = "the PFX password is wrong or missing"
				}
				return nil, fmt.Errorf("--client-cert %s: %s: want PEM (certificate and private key) or PFX (a PFX password goes in SYNCREADY_GRAPH_CERT_PASSWORD)", s.ClientCert, why)
			}
			cred, err = azidentity.NewClientCertificateCredential(s.TenantID, s.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{ClientOptions: opts})
		case s.Secret != "":
			cred, err = azidentity.NewClientSecretCredential(s.TenantID, s.ClientID, s.Secret, &azidentity.ClientSecretCredentialOptions{ClientOptions: opts})
		default:
			return nil, &ConfigError{"no client secret or certificate: set SYNCREADY_GRAPH_CLIENT_SECRET (the secret is read only from the environment) or give --client-cert"}
		}
	default:
		return nil, &ConfigError{fmt.Sprintf("--graph-auth %q: want device, azcli or managed-identity", s.Method)}
	}
	if err != nil {
		return nil, fmt.Errorf("graph sign-in: %w", err)
	}
	return Credential{Cred: cred, Scope: scope, net: probe, secret: s.Secret}, nil
}
