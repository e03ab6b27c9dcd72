package rules

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/syncready/syncready/scanner"
)

// The UPN an on-premises user will have in the cloud is predicted here and
// only here: every rule that states it (upn-mismatch, upn-suffix-unverified,
// unroutable-domain, missing-upn, duplicate-upn) says what cloudUPN says, so
// two findings on one user never name two different sign-in names.
//
// What Microsoft Entra ID does (Microsoft Entra UserPrincipalName population,
// https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/plan-connect-userprincipalname):
//   - the cloud UPN is the on-premises userPrincipalName (or the alternate
//     login ID, --upn-source) when its suffix is a verified domain of the
//     tenant;
//   - when the suffix is not verified, or the value holds characters a UPN
//     cannot (white space, line breaks, …), Entra ID computes
//     <MailNickName>@<initial domain> (the MOERA) instead;
//   - MailNickName, when a user is synced for the first time, is the first
//     of: the on-premises mailNickname, the prefix of the primary SMTP
//     address, of mail, of the UPN, of a secondary smtp address; later only a
//     change of the on-premises mailNickname changes it.
// A joined user whose tenant has synchronizeUpnForManagedUsersEnabled off
// keeps its cloud UPN (Plan and troubleshoot UserPrincipalName changes).

// upnOutcome is what the sync service makes of a user's UPN in the cloud.
type upnOutcome uint8

const (
	upnAsIs       upnOutcome = iota + 1 // the cloud UPN is the on-premises value
	upnMOERA                            // the cloud UPN is mailNickname@initial domain
	upnCloudKeeps                       // a joined user keeps its cloud UPN
	upnUnknown                          // it depends on tenant domains that were not read
)

// initialPlaceholder stands for the tenant's initial domain when it is not
// known.
const initialPlaceholder = "<initial domain>"

// cloudUPN is the predicted cloud UPN of one on-premises user. Predicting
// allocates nothing for a usual value (upn-mismatch predicts one for every
// joined pair whose UPNs differ); the words about it are made only for a
// finding.
type cloudUPN struct {
	outcome upnOutcome
	value   string // the on-premises value the service starts from
	domain  string // the value's suffix, lower case
	kept    string // upnCloudKeeps: the cloud user's UPN
	// why the value is not taken (upnMOERA), or what was not read
	// (upnUnknown).
	why string
	// unverified: upnMOERA because the suffix is not a verified domain of
	// the tenant (a domain it could verify).
	unverified bool
	// The MOERA, mailNickname@initial domain: the alias as the service
	// writes it, and the initial domain (the placeholder when it is not
	// known, and why).
	alias, initial, noInitial string
	featuresAssumed           bool // the outcome rests on sync features that were assumed
}

// cloudUPN predicts the cloud UPN of the on-premises user at index i of the
// snapshot, starting from value: its --upn-source value, or the UPN the
// sync service derives when that is empty.
func (p *Pass) cloudUPN(i int, value string) cloudUPN {
	o := &p.Snap.OnPrem[i]
	t := p.Snap.Tenant
	var joined *scanner.Cloud
	if t != nil && p.Plan != nil && i < len(p.Plan.Matches) {
		if m := p.Plan.Matches[i]; m.Joined() && m.Cloud >= 0 {
			joined = &p.Snap.Cloud[m.Cloud]
		}
	}
	u := cloudUPN{value: value, domain: domainOf(value)}
	if joined != nil {
		u.featuresAssumed = !t.Known(scanner.FactFeatures)
		if !t.Features.SynchronizeUPNForManagedUsers {
			u.outcome, u.kept = upnCloudKeeps, joined.UPN
			return u
		}
	}
	switch why := upnInvalid(value); {
	case why != "":
		u.outcome, u.why = upnMOERA, why
	case !routable(u.domain):
		u.outcome, u.why = upnMOERA, "a suffix on ."+tldOf(u.domain)+" cannot be verified in any tenant"
	case t == nil:
		u.outcome, u.why = upnUnknown, "no tenant side was read"
	case !t.Known(scanner.FactDomains):
		u.outcome, u.why = upnUnknown, "the tenant's domains were not read"
	case t.DomainVerified(u.domain):
		u.outcome = upnAsIs
		return u
	case t.DomainUnknown(u.domain):
		u.outcome, u.why = upnUnknown, "whether "+u.domain+" is verified is not known"
	default:
		u.outcome, u.unverified = upnMOERA, true
	}
	u.alias = moeraAlias(o, joined, value)
	u.initial, u.noInitial = p.initialDomain()
	return u
}

// routable reports whether a domain's top-level domain exists on the
// internet; a domain without one (a malformed value) is not judged here.
func routable(domain string) bool {
	if domain == "" {
		return true
	}
	_, ok := tldRoutable(domain)
	return ok
}

func tldOf(domain string) string {
	tld, _ := tldRoutable(domain)
	return tld
}

// upnInvalid says why Entra ID would not take v as a UPN (not an address,
// characters a UPN cannot hold, white space), or "" when it would.
func upnInvalid(v string) string {
	if problem := formatProblem(v); problem != "" {
		return "the value is not a valid UPN (" + problem + ")"
	}
	if strings.TrimFunc(v, unicode.IsSpace) != v {
		return "the value starts or ends with white space, which a UPN cannot hold"
	}
	local, domain, _ := parseAddress(v)
	if len(scan(local, upnLocalCheck)) > 0 || len(scan(domain, upnDomainCheck)) > 0 || strings.HasSuffix(local, ".") {
		return "the value has characters Entra ID does not accept in a UPN"
	}
	return ""
}

// moeraAlias returns the MailNickName Entra ID uses for o's MOERA, as the
// service writes it.
func moeraAlias(o *scanner.OnPrem, joined *scanner.Cloud, value string) string {
	alias := strings.TrimSpace(o.MailNickname)
	if alias == "" && joined != nil && joined.SyncEnabled {
		alias = joined.MailNickname // already synced: only an on-premises mailNickname changes it
	}
	if alias == "" {
		if smtp, ok := o.PrimarySMTP(); ok {
			alias = localPart(strings.TrimSpace(smtp)) // the SMTP: value, else mail
		} else if o.Mail != "" {
			alias = localPart(strings.TrimSpace(o.Mail))
		}
	}
	if alias == "" {
		alias = localPart(strings.TrimSpace(value))
	}
	for _, pa := range o.ProxyAddresses {
		if alias != "" {
			break
		}
		if scanner.IsSMTPProxy(pa) {
			alias = localPart(strings.TrimSpace(pa[5:]))
		}
	}
	return serviceAlias(alias)
}

// initialDomain returns the tenant's initial domain, or the placeholder and
// why it is not known.
func (p *Pass) initialDomain() (domain, whyUnknown string) {
	t := p.Snap.Tenant
	switch {
	case t == nil:
		return initialPlaceholder, "no tenant side was read"
	case t.InitialDomain() != "":
		return t.InitialDomain(), ""
	case !t.Known(scanner.FactDomains):
		return initialPlaceholder, "the tenant's domains were not read"
	}
	return initialPlaceholder, "no domain of the tenant is marked initial"
}

// serviceAlias returns a mail alias as the sync service writes it: each
// character an alias cannot hold replaced with _.
func serviceAlias(v string) string {
	if !strings.ContainsFunc(v, nicknameRefused) {
		return v
	}
	var b strings.Builder
	for _, r := range v {
		if nicknameRefused(r) {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// moera returns mailNickname@initial domain.
func (u *cloudUPN) moera() string { return u.alias + "@" + u.initial }

// address returns the predicted cloud UPN (with the placeholder for an
// unknown initial domain); "" when it cannot be predicted.
func (u *cloudUPN) address() string {
	switch u.outcome {
	case upnAsIs:
		return u.value
	case upnCloudKeeps:
		return u.kept
	case upnMOERA:
		return u.moera()
	}
	return ""
}

// exact reports whether the prediction is one known address.
func (u *cloudUPN) exact() bool {
	switch u.outcome {
	case upnAsIs, upnCloudKeeps:
		return true
	case upnMOERA:
		return u.noInitial == ""
	}
	return false
}

// is reports whether the prediction is exactly addr (without case).
func (u *cloudUPN) is(addr string) bool {
	switch u.outcome {
	case upnAsIs:
		return strings.EqualFold(u.value, addr)
	case upnCloudKeeps:
		return strings.EqualFold(u.kept, addr)
	case upnMOERA:
		local, domain, ok := parseAddress(addr)
		return u.noInitial == "" && ok && strings.EqualFold(local, u.alias) && strings.EqualFold(domain, u.initial)
	}
	return false
}

// moeraWords names the MOERA for a message: the address, what it is made
// of, and why the initial domain is not known when it is not.
func (u *cloudUPN) moeraWords() string {
	if u.noInitial != "" && u.noInitial != u.why {
		return u.moera() + " (mailNickname@initial domain; the tenant's initial domain is not known: " + u.noInitial + ")"
	}
	return u.moera() + " (mailNickname@initial domain)"
}

// result says what the cloud UPN will be, without why.
func (u *cloudUPN) result() string {
	var s string
	switch u.outcome {
	case upnAsIs:
		s = "the cloud UPN will be " + u.value
	case upnCloudKeeps:
		s = "UPN sync for managed users is off, so the cloud keeps " + u.kept
	case upnMOERA:
		s = "the cloud UPN becomes " + u.moeraWords()
	case upnUnknown:
		s = fmt.Sprintf("the cloud UPN cannot be predicted, because %s: it will be %s if %s is a verified domain of the tenant, and %s if not",
			u.why, u.value, u.domain, u.moeraWords())
	}
	return s + u.assumed()
}

// String says what the cloud UPN will be, and why when it is not the
// on-premises value.
func (u *cloudUPN) String() string {
	if u.outcome != upnMOERA {
		return u.result()
	}
	why := u.why
	if u.unverified {
		why = u.domain + " is not a verified domain of the tenant"
	}
	return "the cloud UPN becomes " + u.moeraWords() + ", because " + why + u.assumed()
}

func (u *cloudUPN) assumed() string {
	if u.featuresAssumed {
		return " (assumed: the tenant's sync features were not read)"
	}
	return ""
}
