package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
)

// Auth gives the Graph client its bearer tokens. The token is only ever
// sent to the Graph endpoint's host: the SDK's allowed-hosts list is set to
// it (the SDK's default list silently sends no token to any other host).
type Auth interface {
	provider(host string) (absauth.AuthenticationProvider, error)
}

// Token is a bearer token used as it is (SYNCREADY_GRAPH_TOKEN), with no
// Entra sign-in: for scripts that already hold one, and for test servers.
type Token string

func (t Token) provider(host string) (absauth.AuthenticationProvider, error) {
	if strings.TrimSpace(string(t)) == "" {
		return nil, errors.New("SYNCREADY_GRAPH_TOKEN is empty")
	}
	v, err := absauth.NewAllowedHostsValidatorErrorCheck([]string{host})
	if err != nil {
		return nil, err
	}
	return absauth.NewBaseBearerTokenAuthenticationProvider(&staticToken{token: strings.TrimSpace(string(t)), hosts: v}), nil
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

// Credential signs in with azidentity.
type Credential struct {
	Cred azcore.TokenCredential
	// Scope is the Graph scope, "<endpoint>/.default".
	Scope string
}

func (c Credential) provider(host string) (absauth.AuthenticationProvider, error) {
	p, err := kiotaazure.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(c.Cred, []string{c.Scope}, []string{host})
	if err != nil {
		return nil, fmt.Errorf("Graph authentication: %w", err)
	}
	return p, nil
}

// SignIn says how to sign in: the flags and environment of DESIGN.md.
type SignIn struct {
	Endpoint   string
	TenantID   string
	ClientID   string
	Secret     string // SYNCREADY_GRAPH_CLIENT_SECRET
	ClientCert string // PEM or PFX file (with the key; a PFX password in SYNCREADY_GRAPH_CERT_PASSWORD)
	CertPass   string
	Method     string // "", device, azcli, managed-identity
	Prompt     io.Writer
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
	opts := azcore.ClientOptions{Cloud: authorityFor(u.Hostname())}
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
				return nil, fmt.Errorf("--client-cert %s: %w (PEM with the private key, or PFX; a PFX password goes in SYNCREADY_GRAPH_CERT_PASSWORD)", s.ClientCert, perr)
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
		return nil, fmt.Errorf("Graph sign-in: %w", err)
	}
	return Credential{Cred: cred, Scope: scope}, nil
}
