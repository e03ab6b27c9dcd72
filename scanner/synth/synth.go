// Package synth generates a synthetic environment — an Active Directory
// forest as LDIF and a tenant as a Graph export directory — of any size,
// deterministically from a seed, with realistic attribute shapes and a known
// rate of each defect. Benchmarks use it, and so can admins who want to see
// the tool at scale before pointing it at production. The manifest it
// returns says how many findings of each rule a correct scan reports.
package synth

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options size and seed an environment.
type Options struct {
	Objects int    // on-premises users, groups and contacts
	Seed    uint64 // same seed, same files
	// CloudOnly is the number of cloud users no on-premises object matches;
	// -1 means a tenth of Objects.
	CloudOnly int
}

// Manifest says what was generated and what a correct scan finds.
type Manifest struct {
	Seed     uint64         `json:"seed"`
	OnPrem   map[string]int `json:"onprem"`   // kind -> objects
	Cloud    map[string]int `json:"cloud"`    // kind -> objects
	Findings map[string]int `json:"findings"` // rule -> findings a correct scan reports
	Outcomes map[string]int `json:"outcomes"` // match outcome -> objects
}

// String says what was generated: "8500 users, 1000 groups, 500 contacts
// on premises; 6352 cloud objects; 125 findings expected (manifest.json)".
func (m *Manifest) String() string {
	total := 0
	for _, v := range m.Findings {
		total += v
	}
	return fmt.Sprintf("%d users, %d groups, %d contacts on premises; %d cloud objects; %d findings expected (manifest.json)",
		m.OnPrem["user"], m.OnPrem["group"], m.OnPrem["contact"], m.Cloud["user"]+m.Cloud["group"]+m.Cloud["contact"], total)
}

const (
	domain  = "contoso.com"
	routing = "contoso.mail.onmicrosoft.com"
	initial = "contoso.onmicrosoft.com"
	base    = "DC=contoso,DC=com"
)

var (
	firstNames = []string{"Ada", "Ben", "Chloé", "Dev", "Eva", "Finn", "Grace", "Hugo", "Ines", "Jon", "Kai", "Lena", "Mateo", "Nora", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Vik", "Wen", "Yara", "Zoë"}
	lastNames  = []string{"Andersen", "Brown", "Chen", "Dubois", "Evans", "Fischer", "García", "Hansen", "Ito", "Jensen", "Kowalski", "Larsen", "Müller", "Nguyen", "O'Brien", "Patel", "Rossi", "Schmidt", "Tanaka", "Virtanen"}
)

// Generate writes dir/onprem.ldif and dir/graph/*.json.
func Generate(dir string, opt Options) (*Manifest, error) {
	if opt.Objects < 1 {
		return nil, fmt.Errorf("generate: --objects must be at least 1")
	}
	g := &gen{
		rnd: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		m: &Manifest{Seed: opt.Seed, OnPrem: map[string]int{"user": 0, "group": 0, "contact": 0}, Cloud: map[string]int{"user": 0, "group": 0, "contact": 0},
			Findings: map[string]int{}, Outcomes: map[string]int{}},
	}
	if err := os.MkdirAll(filepath.Join(dir, "graph"), 0o755); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	var err error
	if g.ldif, err = newFile(filepath.Join(dir, "onprem.ldif")); err != nil {
		return nil, err
	}
	files := []*file{g.ldif}
	open := func(name string) *file {
		f, e := newFile(filepath.Join(dir, "graph", name))
		if e != nil && err == nil {
			err = e
		}
		files = append(files, f)
		return f
	}
	g.users, g.groups, g.contacts = open("users.json"), open("groups.json"), open("contacts.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files[1:] {
		f.WriteString(`{"value":[`)
	}
	g.ldif.WriteString("version: 1\n")

	for i := range opt.Objects {
		switch r := i % 20; {
		case r < 17:
			g.user(i)
		case r < 19:
			g.group(i)
		default:
			g.contact(i)
		}
	}
	// Cloud-only users (a tenth as many by default): nobody joins them.
	cloudOnly := opt.CloudOnly
	if cloudOnly < 0 {
		cloudOnly = opt.Objects / 10
	}
	for j := range cloudOnly {
		g.cloudUser(fmt.Sprintf("cloud-only-%08d", j), fmt.Sprintf("cloud%d@%s", j, domain), []string{fmt.Sprintf("SMTP:cloud%d@%s", j, domain)}, "", nil)
	}
	for _, f := range files[1:] {
		f.WriteString("\n]}\n")
	}
	for _, f := range files {
		if e := f.close(); e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return nil, err
	}
	if err := g.tenantFiles(filepath.Join(dir, "graph")); err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(g.m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	return g.m, nil
}

type file struct {
	*bufio.Writer
	f *os.File
}

func newFile(path string) (*file, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	return &file{bufio.NewWriterSize(f, 1<<20), f}, nil
}

func (f *file) close() error {
	err := f.Flush()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	return err
}

type gen struct {
	rnd                           *rand.Rand
	m                             *Manifest
	ldif, users, groups, contacts *file
	nUsers, nGroups, nContacts    int
	admins                        []string
}

func (g *gen) guid() []byte {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(g.rnd.Uint32())
	}
	return b
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// attr writes an LDIF line, in base64 when the value needs it.
func (g *gen) attr(name, v string) {
	safe := v != "" && v[0] != ' ' && v[0] != ':' && v[0] != '<' && v[len(v)-1] != ' '
	for i := 0; safe && i < len(v); i++ {
		if v[i] >= 0x80 || v[i] < 0x20 {
			safe = false
		}
	}
	if safe {
		fmt.Fprintf(g.ldif, "%s: %s\n", name, v)
	} else {
		fmt.Fprintf(g.ldif, "%s:: %s\n", name, b64([]byte(v)))
	}
}

func (g *gen) record(dn string, classes ...string) {
	g.ldif.WriteString("\n")
	g.attr("dn", dn)
	for _, c := range classes {
		g.attr("objectClass", c)
	}
}

func (g *gen) add(rule string, n int) { g.m.Findings[rule] += n }

func (g *gen) jsonItem(f *file, n *int, v any) {
	b, _ := json.Marshal(v)
	if *n > 0 {
		f.WriteByte(',')
	}
	f.WriteByte('\n')
	f.Write(b)
	*n++
}

func (g *gen) cloudUser(id, upn string, proxies []string, immutable string, synced *bool) {
	u := map[string]any{"id": id, "displayName": strings.TrimSuffix(upn, "@"+domain), "userPrincipalName": upn, "mail": nil,
		"proxyAddresses": proxies, "onPremisesImmutableId": nil, "onPremisesSyncEnabled": synced, "userType": "Member"}
	if len(proxies) > 0 {
		u["mail"] = proxies[0][5:]
	}
	if immutable != "" {
		u["onPremisesImmutableId"] = immutable
	}
	g.jsonItem(g.users, &g.nUsers, u)
	g.m.Cloud["user"]++
}

// user writes one on-premises user; users whose index ends in 5–9 have no
// cloud counterpart and carry the defects, one each, at a fixed rate.
func (g *gen) user(i int) {
	first, last := firstNames[g.rnd.IntN(len(firstNames))], lastNames[g.rnd.IntN(len(lastNames))]
	nick := fmt.Sprintf("user%d", i)
	upn := nick + "@" + domain
	mail := upn
	display := first + " " + last
	sn := last
	proxies := []string{"SMTP:" + upn, "smtp:" + nick + "@" + routing}
	if i%7 == 0 {
		proxies = append(proxies, fmt.Sprintf("X500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=%s", nick))
	}
	guid := g.guid()
	outcome := "provision"
	defect := -1
	switch i % 10 {
	case 0, 1, 2, 3: // a cloud mailbox made ahead of time: soft match by SMTP
		g.cloudUser(fmt.Sprintf("soft-%08d", i), upn, []string{"SMTP:" + upn}, "", nil)
		outcome = "soft-match-smtp"
	case 4: // stamped with this user's anchor: hard match
		g.cloudUser(fmt.Sprintf("hard-%08d", i), upn, []string{"SMTP:" + upn}, b64(guid), nil)
		outcome = "hard-match"
	default:
		defect = int(g.rnd.Uint32() % 1000)
	}
	switch {
	case defect < 0:
	case defect < 5: // only lowercase aliases and no mail
		proxies[0], mail = "smtp:"+upn, ""
		g.add("lowercase-primary-smtp", 1)
	case defect < 7:
		proxies = append(proxies, "SMTP:"+nick+".alt@"+domain)
		g.add("multiple-primary-smtp", 1)
	case defect < 10:
		upn = ""
		g.add("missing-upn", 1)
	case defect < 15: // a non-routable UPN suffix
		upn = nick + "@contoso.local"
		g.add("unroutable-domain", 1)
		g.add("upn-suffix-unverified", 1)
	case defect < 17:
		upn = "user " + fmt.Sprint(i) + "@" + domain
		g.add("invalid-character", 1)
	case defect < 18:
		display = longName(display)
		g.add("too-long", 1)
	case defect < 20:
		display = ""
		g.add("blank", 1)
	case defect < 22:
		sn = last + " "
		g.add("leading-trailing-space", 1)
	case defect < 27: // an alias a cloud-only user holds
		proxies = append(proxies, fmt.Sprintf("smtp:dup%d@%s", i, domain))
		g.cloudUser(fmt.Sprintf("dup-%08d", i), fmt.Sprintf("dup%d.cloud@%s", i, domain), []string{fmt.Sprintf("SMTP:dup%d@%s", i, domain)}, "", nil)
		g.add("duplicate-proxy-address", 1)
	case defect < 28: // a cloud contact holds the primary address
		g.jsonItem(g.contacts, &g.nContacts, map[string]any{"id": fmt.Sprintf("tm-%08d", i), "displayName": display, "mail": upn, "proxyAddresses": []string{"SMTP:" + upn}, "onPremisesSyncEnabled": nil})
		g.m.Cloud["contact"]++
		g.add("type-mismatch", 1)
		g.add("duplicate-proxy-address", 1)
		outcome = "blocked"
	case defect < 29: // the candidate carries another anchor
		g.cloudUser(fmt.Sprintf("anch-%08d", i), fmt.Sprintf("other%d@%s", i, domain), []string{"SMTP:" + upn}, "b3RoZXI=", nil)
		g.add("soft-match-anchored", 1)
		g.add("duplicate-proxy-address", 1)
		outcome = "blocked"
	case defect < 30: // the candidate is a Global Administrator
		id := fmt.Sprintf("adm-%08d", i)
		g.cloudUser(id, fmt.Sprintf("adm%d@%s", i, initial), []string{"SMTP:" + upn}, "", nil)
		g.admins = append(g.admins, id)
		g.add("admin-soft-match-blocked", 1)
		g.add("duplicate-proxy-address", 1)
		outcome = "blocked"
	}
	g.m.Outcomes[outcome]++
	g.m.OnPrem["user"]++
	g.record(fmt.Sprintf("CN=User %d,OU=Dept%02d,OU=Staff,%s", i, i%64, base), "top", "person", "organizationalPerson", "user")
	g.attr("cn", fmt.Sprintf("User %d", i))
	g.attr("objectGUID", string(guid))
	g.attr("sAMAccountName", fmt.Sprintf("u%d", i))
	if upn != "" {
		g.attr("userPrincipalName", upn)
	}
	if display != "" {
		g.attr("displayName", display)
	}
	g.attr("givenName", first)
	g.attr("sn", sn)
	if mail != "" {
		g.attr("mail", mail)
	}
	g.attr("mailNickname", nick)
	for _, p := range proxies {
		g.attr("proxyAddresses", p)
	}
}

// longName is name repeated to 300 characters, over displayName's limit of
// 256: counted in characters, as the limit is (a cut at 300 bytes left
// names such as "Zoë Müller" under it), and ending in a letter, so that the
// value has the one defect too-long reports.
func longName(name string) string {
	r := []rune(strings.Repeat(name+" ", 300/len([]rune(name))+2))[:300]
	if r[len(r)-1] == ' ' {
		r[len(r)-1] = 'x'
	}
	return string(r)
}

func (g *gen) group(i int) {
	nick := fmt.Sprintf("group%d", i)
	g.record(fmt.Sprintf("CN=Group %d,OU=Groups,%s", i, base), "top", "group")
	g.attr("cn", fmt.Sprintf("Group %d", i))
	g.attr("objectGUID", string(g.guid()))
	g.attr("sAMAccountName", fmt.Sprintf("g%d", i))
	g.attr("displayName", fmt.Sprintf("Group %d", i))
	g.m.OnPrem["group"]++
	if i%2 == 0 { // a security group: never soft matches
		g.attr("groupType", "-2147483646")
		g.m.Outcomes["provision"]++
		return
	}
	addr := nick + "@" + domain
	g.attr("groupType", "8")
	g.attr("mail", addr)
	g.attr("mailNickname", nick)
	g.attr("proxyAddresses", "SMTP:"+addr)
	if i%3 == 0 { // its cloud counterpart
		g.jsonItem(g.groups, &g.nGroups, map[string]any{"id": fmt.Sprintf("grp-%08d", i), "displayName": fmt.Sprintf("Group %d", i), "mail": addr, "mailEnabled": true,
			"securityEnabled": false, "mailNickname": nick, "groupTypes": []string{}, "proxyAddresses": []string{"SMTP:" + addr}, "onPremisesSyncEnabled": nil, "isAssignableToRole": nil})
		g.m.Cloud["group"]++
		g.m.Outcomes["soft-match-smtp"]++
		return
	}
	g.m.Outcomes["provision"]++
}

func (g *gen) contact(i int) {
	addr := fmt.Sprintf("ext%d@partner%d.net", i, i%10)
	g.record(fmt.Sprintf("CN=External %d,OU=Contacts,%s", i, base), "top", "person", "organizationalPerson", "contact")
	g.attr("cn", fmt.Sprintf("External %d", i))
	g.attr("objectGUID", string(g.guid()))
	g.attr("displayName", fmt.Sprintf("External %d", i))
	g.attr("mail", addr)
	g.attr("mailNickname", fmt.Sprintf("ext%d", i))
	g.attr("proxyAddresses", "SMTP:"+addr)
	g.m.OnPrem["contact"]++
	if i%3 == 0 {
		g.jsonItem(g.contacts, &g.nContacts, map[string]any{"id": fmt.Sprintf("con-%08d", i), "displayName": fmt.Sprintf("External %d", i), "mail": addr, "proxyAddresses": []string{"SMTP:" + addr}, "onPremisesSyncEnabled": nil})
		g.m.Cloud["contact"]++
		g.m.Outcomes["soft-match-smtp"]++
		return
	}
	g.m.Outcomes["provision"]++
}

// tenantFiles writes the small collections: domains, organization, sync
// features, role assignments and (no) deleted users.
func (g *gen) tenantFiles(dir string) error {
	var roles []map[string]any
	for k, id := range g.admins {
		roles = append(roles, map[string]any{"id": fmt.Sprintf("ra-%d", k), "principalId": id, "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10",
			"directoryScopeId": "/", "roleDefinition": map[string]any{"id": "62e90394-69f5-4237-9190-012177145e10", "displayName": "Global Administrator"}})
	}
	files := map[string]any{
		"domains.json": map[string]any{"value": []map[string]any{
			{"id": domain, "isVerified": true, "isInitial": false, "isDefault": true},
			{"id": initial, "isVerified": true, "isInitial": true, "isDefault": false},
			{"id": routing, "isVerified": true, "isInitial": false, "isDefault": false},
		}},
		"organization.json":              map[string]any{"value": []map[string]any{{"id": "5ad7a3f2-1c0b-4d2e-9f8a-7b6c5d4e3f21", "displayName": "Contoso (synthetic)", "verifiedDomains": []map[string]any{{"name": domain, "isInitial": false}, {"name": initial, "isInitial": true}}}}},
		"onPremisesSynchronization.json": map[string]any{"value": []map[string]any{{"id": "sync", "features": map[string]any{"softMatchOnUpnEnabled": true, "blockSoftMatchEnabled": false, "blockCloudObjectTakeoverThroughHardMatchEnabled": false, "synchronizeUpnForManagedUsersEnabled": true}}}},
		"roleAssignments.json":           map[string]any{"value": append([]map[string]any{}, roles...)},
		"roleEligibilitySchedules.json":  map[string]any{"value": []any{}},
		"deletedUsers.json":              map[string]any{"value": []any{}},
	}
	for name, v := range files {
		b, _ := json.MarshalIndent(v, "", " ")
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
	}
	return nil
}
