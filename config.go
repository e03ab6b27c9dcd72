package syncready

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/syncready/syncready/scanner/ldap"
	"go.yaml.in/yaml/v3"
)

// Config is the --config file: everything a weekly unattended scan needs
// except secrets, which live only in the environment, in certificate files
// or in a managed identity. Flags given on the command line override it.
type Config struct {
	Sources struct {
		LDIF []string     `yaml:"ldif"`
		LDAP []LDAPConfig `yaml:"ldap"`
		// GraphDir reads an export directory; Graph reads the tenant live.
		GraphDir string      `yaml:"graphDir"`
		Graph    GraphConfig `yaml:"graph"`
	} `yaml:"sources"`
	Target       string `yaml:"target"`
	SourceAnchor string `yaml:"sourceAnchor"`
	UPNSource    string `yaml:"upnSource"`
	Scope        struct {
		IncludeOUs []string `yaml:"includeOUs"`
		ExcludeOUs []string `yaml:"excludeOUs"`
	} `yaml:"scope"`
	Rules struct {
		Disable  []string          `yaml:"disable"`
		Enable   []string          `yaml:"enable"`
		Severity map[string]string `yaml:"severity"`
	} `yaml:"rules"`
	Outputs      []string `yaml:"outputs"`
	Baseline     string   `yaml:"baseline"`
	Suppressions string   `yaml:"suppressions"`
	FailOn       string   `yaml:"failOn"`
	LogFile      string   `yaml:"logFile"`

	// file names the config in errors; lines are the line of each
	// setting's value by its path ("sources.ldif[0]").
	file  string
	lines map[string]int
}

// LDAPConfig is one live directory of the config file.
type LDAPConfig struct {
	URL    string `yaml:"url"`
	BindDN string `yaml:"bindDN"`
	// PasswordEnv names the environment variable that holds this source's
	// password (default SYNCREADY_LDAP_PASSWORD): the name, never the value.
	PasswordEnv        string `yaml:"passwordEnv"`
	BaseDN             string `yaml:"baseDN"`
	CAFile             string `yaml:"caFile"`
	StartTLS           bool   `yaml:"startTLS"`
	InsecureSkipVerify bool   `yaml:"insecureSkipVerify"`
	AllowPlaintext     bool   `yaml:"allowPlaintext"`
}

// GraphConfig is the live tenant of the config file.
type GraphConfig struct {
	TenantID   string `yaml:"tenantId"`
	ClientID   string `yaml:"clientId"`
	ClientCert string `yaml:"clientCert"`
	Auth       string `yaml:"auth"`
	Endpoint   string `yaml:"endpoint"`
	SaveDir    string `yaml:"saveDir"`
}

// configError is a mistake in the config file, naming the file and line.
func configError(file string, line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		return &OptionsError{Msg: fmt.Sprintf("%s:%d: %s", file, line, msg)}
	}
	return &OptionsError{Msg: fmt.Sprintf("%s: %s", file, msg)}
}

// ldapKeys name, in a check of a config's LDAP source, the settings the
// check's flags stand for.
var ldapKeys = strings.NewReplacer("--ldap-url", "url", "--ldap-starttls", "startTLS", "--ldap-allow-plaintext", "allowPlaintext",
	"--ldap-bind-dn", "bindDN", "--ldap-base-dn", "baseDN", "--ldap-ca-file", "caFile", "--ldap-insecure-skip-verify", "insecureSkipVerify")

// LDAPMistake is err, the refusal of sources.ldap[i], as a mistake in the
// config file: with the line, and the config's keys for the flags it names.
func (c *Config) LDAPMistake(i int, err error) error {
	path := fmt.Sprintf("sources.ldap[%d]", i)
	return configError(c.file, c.lines[path], "%s: %s", path, ldapKeys.Replace(err.Error()))
}

// secretKeys are keys that look like they hold a secret.
var secretKeys = []string{"password", "secret", "token", "apikey", "privatekey", "credential", "clientsecret", "pfxpassword"}

const whereSecretsGo = "secrets never live in the config file: the LDAP password comes from the environment variable named by passwordEnv (default SYNCREADY_LDAP_PASSWORD), the Graph client secret from SYNCREADY_GRAPH_CLIENT_SECRET (or use clientCert, or auth: managed-identity), a bearer token from SYNCREADY_GRAPH_TOKEN"

// LoadConfig reads and checks the config file: unknown keys and
// secret-looking keys are errors with their line.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	return ParseConfig(b, path)
}

// ParseConfig parses and checks a config file's bytes; path names it in
// errors.
func ParseConfig(b []byte, path string) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, configError(path, 0, "not YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := findSecrets(&doc, path); err != nil {
		return nil, err
	}
	if err := checkNode(path, &doc, reflect.TypeFor[Config](), ""); err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
			fmt.Sscanf(msg, "line %d:", &line)
			if i := strings.Index(msg, ": "); i >= 0 && line > 0 {
				msg = msg[i+2:]
			}
			msg = strings.Replace(msg, "not found in type syncready.", "is not a setting of ", 1)
		}
		return nil, configError(path, line, "%s (run \"syncready config example\" for every setting)", msg)
	}
	c.file, c.lines = path, map[string]int{}
	nodeLines(&doc, "", c.lines)
	if err := c.checkValues(); err != nil {
		return nil, err
	}
	for i, l := range c.Sources.LDAP {
		if l.URL == "" {
			return nil, configError(path, c.lines[fmt.Sprintf("sources.ldap[%d]", i)], "sources.ldap[%d] has no url", i)
		}
		if strings.ContainsAny(l.PasswordEnv, "= ") {
			return nil, configError(path, 0, "sources.ldap[%d].passwordEnv holds more than a variable name: it is the name of an environment variable, not its value; %s", i, whereSecretsGo)
		}
	}
	return &c, nil
}

// findSecrets refuses keys that look like secrets, wherever they are.
func findSecrets(n *yaml.Node, path string) error {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := strings.ToLower(n.Content[i].Value)
			if strings.HasSuffix(k, "env") || k == "clientcert" {
				continue // passwordEnv names a variable; clientCert a file
			}
			for _, s := range secretKeys {
				if strings.Contains(k, s) {
					return configError(path, n.Content[i].Line, "%q looks like a secret: %s", n.Content[i].Value, whereSecretsGo)
				}
			}
		}
	}
	for _, c := range n.Content {
		if err := findSecrets(c, path); err != nil {
			return err
		}
	}
	return nil
}

// ConfigExample is a commented config file with every setting.
const ConfigExample = `# syncready configuration: everything a weekly unattended scan needs.
# Flags given on the command line override these settings.
# Secrets never live here: the LDAP password comes from the environment
# variable named by passwordEnv, the Graph client secret from
# SYNCREADY_GRAPH_CLIENT_SECRET (or use a certificate or a managed identity).

sources:
  # Live Active Directory: one entry per domain or forest, read concurrently.
  ldap:
    - url: ldaps://dc1.contoso.com          # or ldap://…:3268 (global catalog) with startTLS: true
      bindDN: CN=svc-syncready,OU=Service Accounts,DC=contoso,DC=com
      passwordEnv: SYNCREADY_LDAP_PASSWORD   # the variable's name, not the password
      baseDN: DC=contoso,DC=com              # default: the server's defaultNamingContext
      caFile: /etc/syncready/contoso-ca.pem  # the CA that signed the DCs' certificates
      startTLS: false
    - url: ldaps://dc1.resource.contoso.net  # a resource forest with linked mailboxes
      bindDN: CN=svc-syncready,CN=Users,DC=resource,DC=contoso,DC=net
      passwordEnv: SYNCREADY_LDAP_PASSWORD_RESOURCE
  # Or LDIF exports instead of live reads:
  # ldif: [/srv/exports/contoso.ldif]

  # The tenant, live from Microsoft Graph (least-privilege permissions: see README).
  graph:
    tenantId: 00000000-0000-0000-0000-000000000000
    clientId: 00000000-0000-0000-0000-000000000000
    clientCert: /etc/syncready/graph-app.pem  # PEM with key; or set SYNCREADY_GRAPH_CLIENT_SECRET
    # auth: managed-identity                  # or device, azcli
    # endpoint: https://graph.microsoft.us    # national clouds
    # saveDir: /srv/syncready/graph-{date}    # also keep what was read
  # Or a Graph export directory instead:
  # graphDir: /srv/exports/graph

target: connect-sync          # connect-sync | cloud-sync (Cloud Sync: sourceAnchor auto only)
sourceAnchor: auto            # auto | ms-ds-consistencyguid | objectguid
upnSource: userPrincipalName  # the attribute that becomes the cloud UPN

scope:                        # Entra Connect's OU filtering
  includeOUs: []
  excludeOUs:
    - OU=Disabled Users,DC=contoso,DC=com

rules:
  disable: []
  enable: []
  severity:                   # rule ID: error | warning | info
    upn-mismatch: info

# Reports: {date} (YYYY-MM-DD), {time} (HHMMSS) and {tenant} are filled in;
# directories are created. Writing the JSON report over the baseline is safe:
# the new report replaces it only when complete.
outputs:
  - /srv/syncready/reports/syncready-{date}.xlsx
  - /srv/syncready/reports/syncready-{date}.json
  - /srv/syncready/reports/latest.json
baseline: /srv/syncready/reports/latest.json   # last week's report: new/resolved
suppressions: /etc/syncready/suppressions.yaml # accepted findings, with owner and expiry
failOn: error                                  # exit 3 when an error remains: alert on it
logFile: /var/log/syncready/scan.log           # JSON lines: phases, counts, timings, warnings
`

// FlagValues are the config's settings keyed by the flag of the scan each
// stands for, so that a command line takes from the file every setting it
// was not given ("" values left out).
func (c *Config) FlagValues() map[string][]string {
	severity := []string{}
	for id, level := range c.Rules.Severity {
		severity = append(severity, id+"="+level)
	}
	sort.Strings(severity)
	g := c.Sources.Graph
	return map[string][]string{
		"ldif": c.Sources.LDIF, "graph-dir": {c.Sources.GraphDir}, "target": {c.Target}, "source-anchor": {c.SourceAnchor}, "upn-source": {c.UPNSource},
		"disable": c.Rules.Disable, "enable": c.Rules.Enable, "severity": severity, "out": c.Outputs, "fail-on": {c.FailOn},
		"include-ou": c.Scope.IncludeOUs, "exclude-ou": c.Scope.ExcludeOUs, "baseline": {c.Baseline}, "suppressions": {c.Suppressions},
		"log-file": {c.LogFile}, "tenant-id": {g.TenantID}, "client-id": {g.ClientID}, "client-cert": {g.ClientCert},
		"graph-auth": {g.Auth}, "graph-endpoint": {g.Endpoint}, "save-graph": {g.SaveDir},
	}
}

// LDAPSources are the config's live directories, each with the password
// of the environment variable it names (SYNCREADY_LDAP_PASSWORD when it
// names none).
func (c *Config) LDAPSources(getenv func(string) string) ([]*ldap.Source, error) {
	var out []*ldap.Source
	for i, l := range c.Sources.LDAP {
		env := l.PasswordEnv
		if env == "" {
			env = "SYNCREADY_LDAP_PASSWORD"
		}
		src := &ldap.Source{URL: l.URL, BindDN: l.BindDN, BaseDN: l.BaseDN, CAFile: l.CAFile, StartTLS: l.StartTLS,
			InsecureSkipVerify: l.InsecureSkipVerify, AllowPlaintext: l.AllowPlaintext, Password: getenv(env)}
		if err := ldap.Check(src); err != nil {
			return nil, c.LDAPMistake(i, err)
		}
		out = append(out, src)
	}
	return out, nil
}
