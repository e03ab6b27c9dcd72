// Package rules owns the Rule type, the explicit list of built-in rules (one
// file each) and the Finding they report. A rule reads the snapshot and the
// match plan and reports through its Pass; it never does I/O.
package rules

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Severity of a finding.
type Severity uint8

const (
	Info Severity = iota + 1
	Warning
	Error
)

// Severities lists every severity, most severe first.
var Severities = []Severity{Error, Warning, Info}

// String returns the report spelling: error, warning or info.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "none"
}

// ParseSeverity parses error, warning or info.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q: want error, warning or info", s)
}

// Rule is one check, in the manner of go/analysis.Analyzer: a value with an
// ID, documentation and a Run function that reports through the Pass.
type Rule struct {
	ID       string   // stable kebab-case identifier
	Title    string   // one line
	Severity Severity // default severity; a finding may report a lower one
	Doc      string   // what the rule checks and what the sync service does
	Source   string   // the Microsoft Learn page the condition comes from
	// Needs lists the tenant facts without which the rule is not
	// evaluated. Every fact implies a tenant side: a rule that needs one
	// and nothing more of it lists FactTenant. A rule without Needs runs
	// on Active Directory alone.
	Needs []scanner.Fact
	// Off rules run only when enabled with --enable.
	Off bool
	// Impact ranks the rule's findings within a severity in every report:
	// security blocks first, then what fails export or sign-in, then the
	// rest.
	Impact Impact
	// CloudSync rules run only in a prediction for Cloud Sync (--target
	// cloud-sync): they judge what Cloud Sync does differently.
	CloudSync bool
	Run       func(p *Pass)
}

// FactTenant, in Needs, is the tenant side itself: a rule that lists it is
// not evaluated when no tenant side was read, and needs no particular fact
// of the tenant. The scanner's facts count from 1; no reader records 0 as
// unknown.
const FactTenant scanner.Fact = 0

// Impact is what a rule's findings do to the sync, for the order of the
// reports: lower comes first.
type Impact uint8

const (
	// ImpactSecurityBlock: the service refuses a join to protect an
	// account (an admin role, a takeover, an anchor that belongs to
	// another object): a second account, and the wrong one may be used.
	ImpactSecurityBlock Impact = iota + 1
	// ImpactFailsSync: the object fails to export or its sign-in name or
	// address is rewritten or quarantined.
	ImpactFailsSync
	// ImpactOther is everything else (the zero value ranks here too).
	ImpactOther
)

// Fix says how to resolve a finding: always in words, and where a safe
// change exists, as an attribute change from one value to another (To ""
// removes the value).
type Fix struct {
	Text      string
	Attribute string // "" when there is no safe change
	From      string
	To        string
}

// Finding is one problem on one object.
type Finding struct {
	Rule      string
	Severity  Severity
	Side      scanner.Side
	Kind      scanner.Kind
	Object    string // the DN as read (on-prem) or the Graph id (cloud)
	Name      string // display name, for people reading the report
	Attribute string
	Value     string
	Message   string
	Fix       Fix
	Related   []string // DNs and Graph ids of the other objects involved
	// RelatedNames are the same objects by UPN (users) or display name, in
	// the same order.
	RelatedNames []string
	// Fingerprint is a stable hash of rule, the object's anchor (objectGUID
	// or Graph id), attribute and value: it survives renames and moves.
	Fingerprint string
	// Cause is the fingerprint of the finding that causes this one (a
	// duplicate value that exists only because a match is blocked names
	// the block's finding), "" when none does. The causing finding is in
	// the same run.
	Cause string
}

// Fingerprint computes a finding's fingerprint from the rule, the object's
// identity key, the attribute and the value.
func Fingerprint(rule, identity, attribute, value string) string {
	h := sha256.New()
	for _, s := range [...]string{rule, identity, strings.ToLower(attribute), value} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// onPremFingerprint is the fingerprint OnPrem gives rule's finding on o
// about attribute and value: what a finding computes to name another as its
// cause.
func onPremFingerprint(rule string, o *scanner.OnPrem, attribute, value string) string {
	return Fingerprint(rule, o.IdentityKey(), attribute, value)
}

// runs reports whether the rule with this ID is selected and evaluated in
// this run.
func (p *Pass) runs(id string) bool { return slices.Contains(p.running, id) }

// Pass is what a rule sees while it runs.
type Pass struct {
	Rule *Rule
	Snap *scanner.Snapshot
	Plan *scanner.Plan
	// UPNAttr is the attribute the UPN rules judge (--upn-source).
	UPNAttr string
	// Target is the sync product the prediction is for.
	Target scanner.Target
	// IncludeOUs are the OUs the scope selects (--include-ou), as given.
	IncludeOUs []string

	override Severity
	// running are the IDs of the rules this run evaluates: a finding
	// names another rule's finding as its cause only when that rule runs.
	running []string
	emit    func(*Finding) error
	err     error
	// The object the last finding was on and the fingerprints reported on
	// it: a rule reports an object's findings one after another, so a
	// repeated one (a value an LDIF lists twice) is dropped here.
	lastIdentity string
	reported     []string
	// groups are the cloud groups' display names by id (groupName).
	groups map[string]string
}

// OnPrem reports a finding on an on-premises object. f.Severity 0 means the
// rule's default.
func (p *Pass) OnPrem(o *scanner.OnPrem, f Finding) {
	f.Side, f.Kind, f.Object, f.Name = scanner.OnPremSide, o.Kind, o.DN, o.Name()
	p.report(&f, o.IdentityKey(), o.Flags.Has(scanner.FlagSystemMailbox))
}

// Cloud reports a finding on a cloud object (rules about cloud objects alone).
func (p *Pass) Cloud(c *scanner.Cloud, f Finding) {
	f.Side, f.Kind, f.Object, f.Name = scanner.CloudSide, c.Kind, c.ID, c.DisplayName
	p.report(&f, c.ID, false)
}

// Tenant reports a finding about the whole tenant: side cloud, kind
// tenant, object the tenant id.
func (p *Pass) Tenant(f Finding) {
	id, name := p.Snap.Sources.TenantID, ""
	if t := p.Snap.Tenant; t != nil {
		id, name = cmp.Or(t.ID, id), t.DisplayName
	}
	id = cmp.Or(id, "tenant (id not read)")
	f.Side, f.Kind, f.Object, f.Name = scanner.CloudSide, scanner.KindTenant, id, cmp.Or(name, id)
	p.report(&f, id, false)
}

// Domain reports a finding about a whole on-premises domain: side onprem,
// kind domain, object the domain's base DN.
func (p *Pass) Domain(baseDN string, f Finding) {
	f.Side, f.Kind, f.Object, f.Name = scanner.OnPremSide, scanner.KindDomain, baseDN, scanner.DNSDomain(baseDN)
	p.report(&f, scanner.NormalizeDN(baseDN), false)
}

// report completes and emits a finding. Findings on Exchange system
// mailboxes that sync are info whatever the rule or override says.
func (p *Pass) report(f *Finding, identity string, systemMailbox bool) {
	if p.err != nil {
		return
	}
	f.Rule = p.Rule.ID
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	if p.override != 0 {
		f.Severity = p.override
	}
	if systemMailbox {
		f.Severity = Info
		f.Message += " (Exchange system mailbox: nobody signs in with it, so this is for information only)"
	}
	if f.Related == nil {
		f.Related = []string{}
	}
	for len(f.RelatedNames) < len(f.Related) {
		f.RelatedNames = append(f.RelatedNames, "")
	}
	f.Fingerprint = Fingerprint(f.Rule, identity, f.Attribute, f.Value) // as onPremFingerprint
	if identity != p.lastIdentity {
		p.lastIdentity, p.reported = identity, p.reported[:0]
	}
	if slices.Contains(p.reported, f.Fingerprint) {
		return // a fingerprint names one finding: diff and --baseline refuse a report with one twice
	}
	p.reported = append(p.reported, f.Fingerprint)
	p.err = p.emit(f)
}

// Config selects rules and overrides severities.
type Config struct {
	Disable  []string
	Enable   []string
	Severity map[string]Severity
	// UPNAttr is the --upn-source attribute; "" means userPrincipalName.
	UPNAttr string
	// Target is the sync product the prediction is for: the rules for
	// Cloud Sync are selected only for it.
	Target scanner.Target
	// IncludeOUs are the OUs of the scope (--include-ou).
	IncludeOUs []string
	// Workers is how many rules run side by side; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called in Run's goroutine each time a rule's
	// findings are all emitted: done of total rules.
	Progress func(done, total int)
}

// UnknownRuleError is returned for a rule ID that is not in the catalog.
type UnknownRuleError struct {
	ID    string
	Known []string
}

func (e *UnknownRuleError) Error() string {
	return fmt.Sprintf("unknown rule %q; known rules: %s", e.ID, strings.Join(e.Known, ", "))
}

// Select returns the rules of all that run under cfg, in catalog order:
// those on by default or enabled, not disabled, and for cfg's target (a
// Cloud Sync rule is no rule of a Connect Sync prediction, even enabled).
func Select(all []*Rule, cfg Config) ([]*Rule, error) {
	byID := map[string]*Rule{}
	var known []string
	for _, r := range all {
		byID[r.ID] = r
		known = append(known, r.ID)
	}
	sort.Strings(known)
	check := func(id string) error {
		if byID[id] == nil {
			return &UnknownRuleError{ID: id, Known: known}
		}
		return nil
	}
	on := map[string]bool{}
	for _, r := range all {
		on[r.ID] = !r.Off
	}
	for _, id := range cfg.Enable {
		if err := check(id); err != nil {
			return nil, err
		}
		on[id] = true
	}
	for _, id := range cfg.Disable {
		if err := check(id); err != nil {
			return nil, err
		}
		on[id] = false
	}
	for id := range cfg.Severity {
		if err := check(id); err != nil {
			return nil, err
		}
	}
	var out []*Rule
	for _, r := range all {
		if on[r.ID] && (!r.CloudSync || cfg.Target == scanner.TargetCloudSync) {
			out = append(out, r)
		}
	}
	return out, nil
}
