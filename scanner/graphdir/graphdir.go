// Package graphdir reads a Microsoft Graph export directory (--graph-dir):
// one JSON file per Graph v1.0 request, as Graph returns it with all pages
// merged into one "value" array, or as Graph PowerShell's ConvertTo-Json
// writes it (bare arrays, PascalCase keys). Only users.json is required;
// every other file that is missing becomes a coverage entry.
package graphdir

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// File names of the export directory (DESIGN.md, Graph export directory).
const (
	UsersFile        = "users.json"
	GroupsFile       = "groups.json"
	ContactsFile     = "contacts.json"
	RoleAssignFile   = "roleAssignments.json"
	RoleMembersDir   = "roleGroupMembers"
	EligibilityFile  = "roleEligibilitySchedules.json"
	DomainsFile      = "domains.json"
	OrganizationFile = "organization.json"
	SyncFile         = "onPremisesSynchronization.json"
	DeletedFile      = "deletedUsers.json"
)

type userJSON struct {
	ID                          string   `json:"id"`
	DisplayName                 string   `json:"displayName"`
	UserPrincipalName           string   `json:"userPrincipalName"`
	Mail                        string   `json:"mail"`
	MailNickname                string   `json:"mailNickname"`
	ProxyAddresses              []string `json:"proxyAddresses"`
	OnPremisesImmutableID       string   `json:"onPremisesImmutableId"`
	OnPremisesSyncEnabled       *bool    `json:"onPremisesSyncEnabled"`
	OnPremisesDistinguishedName string   `json:"onPremisesDistinguishedName"`
	UserType                    string   `json:"userType"`
}

type groupJSON struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName"`
	Mail                  string   `json:"mail"`
	MailEnabled           *bool    `json:"mailEnabled"`
	SecurityEnabled       *bool    `json:"securityEnabled"`
	MailNickname          string   `json:"mailNickname"`
	ProxyAddresses        []string `json:"proxyAddresses"`
	OnPremisesSyncEnabled *bool    `json:"onPremisesSyncEnabled"`
	IsAssignableToRole    *bool    `json:"isAssignableToRole"`
}

type contactJSON struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName"`
	Mail                  string   `json:"mail"`
	MailNickname          string   `json:"mailNickname"`
	ProxyAddresses        []string `json:"proxyAddresses"`
	OnPremisesSyncEnabled *bool    `json:"onPremisesSyncEnabled"`
}

type roleJSON struct {
	PrincipalID    string `json:"principalId"`
	RoleDefinition *struct {
		DisplayName string `json:"displayName"`
	} `json:"roleDefinition"`
	RoleDefinitionID string `json:"roleDefinitionId"`
}

type memberJSON struct {
	ID string `json:"id"`
}

type domainJSON struct {
	ID         string `json:"id"`
	IsVerified bool   `json:"isVerified"`
	IsInitial  bool   `json:"isInitial"`
}

type orgJSON struct {
	ID              string `json:"id"`
	DisplayName     string `json:"displayName"`
	VerifiedDomains []struct {
		Name      string `json:"name"`
		IsInitial bool   `json:"isInitial"`
	} `json:"verifiedDomains"`
}

type syncJSON struct {
	Features *struct {
		SoftMatchOnUpnEnabled                           *bool `json:"softMatchOnUpnEnabled"`
		BlockSoftMatchEnabled                           *bool `json:"blockSoftMatchEnabled"`
		BlockCloudObjectTakeoverThroughHardMatchEnabled *bool `json:"blockCloudObjectTakeoverThroughHardMatchEnabled"`
		SynchronizeUpnForManagedUsersEnabled            *bool `json:"synchronizeUpnForManagedUsersEnabled"`
	} `json:"features"`
}

func isTrue(b *bool) bool { return b != nil && *b }

func needID(id string) error {
	if strings.TrimSpace(id) == "" {
		return &itemError{field: ".id", msg: "missing \"id\": every object needs its Graph id (include id in $select / -Property)"}
	}
	return nil
}

// Options tune Load.
type Options struct {
	// Progress, when set, is called as each file is opened and returns a
	// writer that receives the bytes read (a progress bar), or nil.
	Progress func(path string, size int64) io.Writer
}

// Load reads the export directory dir into snap: the cloud objects, the
// tenant facts, the inputs read, and a coverage entry for each optional
// file that is missing.
func Load(ctx context.Context, dir string, snap *scanner.Snapshot, opt Options) error {
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("graph export directory: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("graph export directory %s: not a directory", dir)
	}
	t := &scanner.Tenant{}
	snap.Tenant = t
	file := func(name string) string { return filepath.Join(dir, name) }
	read := func(name string, err error) (bool, error) {
		switch {
		case errors.Is(err, errNotFound):
			return false, nil
		case err != nil:
			return false, err
		}
		snap.Sources.Inputs = append(snap.Sources.Inputs, file(name))
		return true, ctx.Err()
	}
	missing := func(name, what string) string {
		return fmt.Sprintf("%s not found in %s: %s", name, dir, what)
	}

	err := readCollection(file(UsersFile), opt, func(i int, u *userJSON) error {
		if err := needID(u.ID); err != nil {
			return err
		}
		snap.Cloud = append(snap.Cloud, scanner.Cloud{
			ID: u.ID, Kind: scanner.KindUser, DisplayName: u.DisplayName, UPN: u.UserPrincipalName,
			Mail: u.Mail, MailNickname: u.MailNickname, ProxyAddresses: u.ProxyAddresses,
			ImmutableID: u.OnPremisesImmutableID, SyncEnabled: isTrue(u.OnPremisesSyncEnabled),
			OnPremDN: u.OnPremisesDistinguishedName, UserType: u.UserType,
		})
		return nil
	})
	if errors.Is(err, errNotFound) {
		return fmt.Errorf("graph export directory %s: %s is required (GET /users with the fields in the README)", dir, UsersFile)
	}
	if _, err := read(UsersFile, err); err != nil {
		return err
	}

	ok, err := read(GroupsFile, readCollection(file(GroupsFile), opt, func(i int, g *groupJSON) error {
		if err := needID(g.ID); err != nil {
			return err
		}
		snap.Cloud = append(snap.Cloud, scanner.Cloud{
			ID: g.ID, Kind: scanner.KindGroup, DisplayName: g.DisplayName, Mail: g.Mail,
			MailNickname: g.MailNickname, ProxyAddresses: g.ProxyAddresses,
			SyncEnabled: isTrue(g.OnPremisesSyncEnabled), MailEnabled: isTrue(g.MailEnabled),
			SecurityEnabled: isTrue(g.SecurityEnabled), RoleAssignable: isTrue(g.IsAssignableToRole),
		})
		return nil
	}))
	if err != nil {
		return err
	}
	if !ok {
		t.SetUnknown(scanner.FactGroups, missing(GroupsFile, "cloud groups were not read, so type mismatches and duplicate addresses involving cloud groups are not seen"))
	}

	ok, err = read(ContactsFile, readCollection(file(ContactsFile), opt, func(i int, c *contactJSON) error {
		if err := needID(c.ID); err != nil {
			return err
		}
		snap.Cloud = append(snap.Cloud, scanner.Cloud{
			ID: c.ID, Kind: scanner.KindContact, DisplayName: c.DisplayName, Mail: c.Mail,
			MailNickname: c.MailNickname, ProxyAddresses: c.ProxyAddresses,
			SyncEnabled: isTrue(c.OnPremisesSyncEnabled),
		})
		return nil
	}))
	if err != nil {
		return err
	}
	if !ok {
		t.SetUnknown(scanner.FactContacts, missing(ContactsFile, "cloud contacts were not read, so type mismatches and duplicate addresses involving cloud contacts are not seen"))
	}

	if err := loadRoles(dir, snap, opt, read, missing); err != nil {
		return err
	}

	var domains []scanner.Domain
	okDomains, err := read(DomainsFile, readCollection(file(DomainsFile), opt, func(i int, d *domainJSON) error {
		if strings.TrimSpace(d.ID) == "" {
			return &itemError{field: ".id", msg: "missing \"id\" (the domain name)"}
		}
		domains = append(domains, scanner.Domain{Name: d.ID, Verified: d.IsVerified, Initial: d.IsInitial})
		return nil
	}))
	if err != nil {
		return err
	}
	okOrg, err := read(OrganizationFile, readCollection(file(OrganizationFile), opt, func(i int, o *orgJSON) error {
		if i == 0 {
			t.ID, t.DisplayName = o.ID, o.DisplayName
		}
		for _, v := range o.VerifiedDomains {
			domains = append(domains, scanner.Domain{Name: v.Name, Verified: true, Initial: v.IsInitial})
		}
		return nil
	}))
	if err != nil {
		return err
	}
	t.Domains = mergeDomains(domains)
	snap.Sources.TenantID = t.ID
	if !okOrg {
		t.SetUnknown(scanner.FactOrganization, missing(OrganizationFile, "the tenant id is not known"))
	}
	if !okDomains && !okOrg {
		t.SetUnknown(scanner.FactDomains, fmt.Sprintf("neither %s nor %s found in %s: the tenant's verified domains are not known", DomainsFile, OrganizationFile, dir))
	}

	t.Features = scanner.DefaultFeatures
	okSync, err := read(SyncFile, readCollection(file(SyncFile), opt, func(i int, s *syncJSON) error {
		if i > 0 || s.Features == nil {
			return nil
		}
		f := s.Features
		var unset []string
		pick := func(dst *bool, v *bool, name string) {
			if v == nil {
				unset = append(unset, name)
				return
			}
			*dst = *v
		}
		pick(&t.Features.SoftMatchOnUPN, f.SoftMatchOnUpnEnabled, "softMatchOnUpnEnabled")
		pick(&t.Features.BlockSoftMatch, f.BlockSoftMatchEnabled, "blockSoftMatchEnabled")
		pick(&t.Features.BlockHardMatchTakeover, f.BlockCloudObjectTakeoverThroughHardMatchEnabled, "blockCloudObjectTakeoverThroughHardMatchEnabled")
		pick(&t.Features.SynchronizeUPNForManagedUsers, f.SynchronizeUpnForManagedUsersEnabled, "synchronizeUpnForManagedUsersEnabled")
		if len(unset) > 0 {
			snap.Coverage.Assumed = append(snap.Coverage.Assumed, fmt.Sprintf("%s: %s not set; a new tenant's defaults are assumed (softMatchOnUpnEnabled true, blockSoftMatchEnabled false, blockCloudObjectTakeoverThroughHardMatchEnabled false, synchronizeUpnForManagedUsersEnabled true)", SyncFile, strings.Join(unset, ", ")))
		}
		return nil
	}))
	if err != nil {
		return err
	}
	if !okSync {
		reason := missing(SyncFile, "a new tenant's sync features are assumed: soft match on UPN on, block soft match off, block hard-match takeover off, UPN sync for managed users on")
		t.SetUnknown(scanner.FactFeatures, reason)
		snap.Coverage.Assumed = append(snap.Coverage.Assumed, reason)
	}

	okDel, err := read(DeletedFile, readCollection(file(DeletedFile), opt, func(i int, u *userJSON) error {
		if err := needID(u.ID); err != nil {
			return err
		}
		t.Deleted = append(t.Deleted, scanner.Cloud{
			ID: u.ID, Kind: scanner.KindUser, UPN: u.UserPrincipalName, Mail: u.Mail,
			ProxyAddresses: u.ProxyAddresses, ImmutableID: u.OnPremisesImmutableID,
		})
		return nil
	}))
	if err != nil {
		return err
	}
	if !okDel {
		t.SetUnknown(scanner.FactDeleted, missing(DeletedFile, "soft-deleted users were not read"))
	}
	for _, f := range []scanner.Fact{scanner.FactGroups, scanner.FactContacts, scanner.FactRoles, scanner.FactEligibility} {
		if r, unknown := t.Unknown[f]; unknown {
			snap.Coverage.Assumed = append(snap.Coverage.Assumed, r)
		}
	}
	return nil
}

// loadRoles reads active and eligible role assignments and expands those
// held through role-assignable groups with roleGroupMembers/<id>.json.
func loadRoles(dir string, snap *scanner.Snapshot, opt Options, read func(string, error) (bool, error), missing func(string, string) string) error {
	t := snap.Tenant
	t.Roles = map[string][]scanner.RoleHolding{}
	groups := map[string]bool{}
	for i := range snap.Cloud {
		if snap.Cloud[i].Kind == scanner.KindGroup {
			groups[snap.Cloud[i].ID] = true
		}
	}
	type grant struct {
		principal, role string
		active          bool
	}
	var grants []grant
	collect := func(active bool) func(int, *roleJSON) error {
		return func(i int, r *roleJSON) error {
			if strings.TrimSpace(r.PrincipalID) == "" {
				return &itemError{field: ".principalId", msg: "missing \"principalId\""}
			}
			name := r.RoleDefinitionID
			if r.RoleDefinition != nil && r.RoleDefinition.DisplayName != "" {
				name = r.RoleDefinition.DisplayName
			}
			grants = append(grants, grant{r.PrincipalID, name, active})
			return nil
		}
	}
	ok, err := read(RoleAssignFile, readCollection(filepath.Join(dir, RoleAssignFile), opt, collect(true)))
	if err != nil {
		return err
	}
	if !ok {
		t.SetUnknown(scanner.FactRoles, missing(RoleAssignFile, "directory role holders are not known, so admin-role blocks cannot be predicted"))
	}
	ok, err = read(EligibilityFile, readCollection(filepath.Join(dir, EligibilityFile), opt, collect(false)))
	if err != nil {
		return err
	}
	if !ok {
		t.SetUnknown(scanner.FactEligibility, missing(EligibilityFile, "eligible (PIM) role holders are not known"))
	}
	expanded := map[string][]string{}
	for _, g := range grants {
		t.Roles[g.principal] = append(t.Roles[g.principal], scanner.RoleHolding{Role: g.role, Active: g.active})
		members, seen := expanded[g.principal]
		if !seen {
			name := filepath.Join(RoleMembersDir, g.principal+".json")
			found, err := read(name, readCollection(filepath.Join(dir, name), opt, func(i int, m *memberJSON) error {
				if err := needID(m.ID); err != nil {
					return err
				}
				members = append(members, m.ID)
				return nil
			}))
			if err != nil {
				return err
			}
			if !found && groups[g.principal] {
				snap.Coverage.Assumed = append(snap.Coverage.Assumed, fmt.Sprintf("%s not found in %s: the members of group %s, which holds %s, are not known, so roles held through it are not seen", name, dir, g.principal, g.role))
			}
			expanded[g.principal] = members
		}
		for _, m := range members {
			t.Roles[m] = append(t.Roles[m], scanner.RoleHolding{Role: g.role, Active: g.active, Via: g.principal})
		}
	}
	return nil
}

// mergeDomains folds the domain lists of domains.json and organization.json
// into one, verified when either says so, sorted by name.
func mergeDomains(in []scanner.Domain) []scanner.Domain {
	at := map[string]int{}
	var out []scanner.Domain
	for _, d := range in {
		k := strings.ToLower(d.Name)
		if j, ok := at[k]; ok {
			out[j].Verified = out[j].Verified || d.Verified
			out[j].Initial = out[j].Initial || d.Initial
			continue
		}
		at[k] = len(out)
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
