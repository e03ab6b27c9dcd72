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

	"github.com/syncready/syncready/scanner"
)

// File names of the export directory.
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

// Options tune Load.
type Options struct {
	// Progress, when set, is called as each file is opened and returns a
	// writer that receives the bytes read (a progress bar), or nil.
	Progress func(path string, size int64) io.Writer

	// reserve, when set, is told early how many items the collection
	// probably holds (from the bytes its first items took), so the object
	// slice is sized once instead of grown.
	reserve func(items int)
	// ctx ends the open of a FIFO that no one writes to (Load sets it).
	ctx context.Context
	// itemAt, when set, is given each item's offset instead of the item;
	// false stops the read.
	itemAt func(i int, off int64) bool
}

// Load reads the export directory dir into snap: the cloud objects, the
// tenant facts, the inputs read, and a coverage entry for each optional
// file that is missing.
func Load(ctx context.Context, dir string, snap *scanner.Snapshot, opt Options) error {
	opt.ctx = ctx
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("graph export directory: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("graph export directory %s: not a directory", dir)
	}
	b := NewBuilder(snap)
	file := func(name string) string { return filepath.Join(dir, name) }
	// read reads one optional file; a missing one makes fact unknown.
	read := func(name string, fact scanner.Fact, err error) (bool, error) {
		switch {
		case errors.Is(err, errNotFound):
			if fact != 0 {
				b.Unknown(fact, fmt.Sprintf("%s not found in %s", name, dir))
			}
			return false, nil
		case err != nil:
			return false, err
		}
		snap.Sources.Inputs = append(snap.Sources.Inputs, file(name))
		return true, ctx.Err()
	}

	uopt, start := opt, len(snap.Cloud)
	uopt.reserve = func(n int) {
		if have := len(snap.Cloud) - start; n > have {
			snap.ReserveCloud(n - have)
			b.reserve(n - have)
		}
	}
	err := fastCollection(file(UsersFile), uopt, userFields, func(_ int, u *User) error { return b.User(u) })
	if errors.Is(err, errNotFound) {
		return fmt.Errorf("graph export directory %s: %s is required (GET /users with the fields in the README)", dir, UsersFile)
	}
	if _, err := read(UsersFile, 0, err); err != nil {
		return err
	}
	if _, err := read(GroupsFile, scanner.FactGroups, fastCollection(file(GroupsFile), opt, groupFields, func(_ int, g *Group) error { return b.Group(g) })); err != nil {
		return err
	}
	if _, err := read(ContactsFile, scanner.FactContacts, fastCollection(file(ContactsFile), opt, contactFields, func(_ int, c *Contact) error { return b.Contact(c) })); err != nil {
		return err
	}
	// An export error names the file and the line of the later object.
	inFile := func(err error) error {
		var ie *itemError
		if !errors.As(err, &ie) || ie.index < 0 {
			return err
		}
		path := file(ie.coll + ".json")
		return &Error{File: path, Line: itemLine(path, ie.index), Path: fmt.Sprintf("value[%d]%s", ie.index, ie.field), Msg: ie.msg}
	}
	if err := b.checkIDs(); err != nil {
		return inFile(err)
	}
	if _, err := read(RoleAssignFile, scanner.FactRoles, readCollection(file(RoleAssignFile), opt, func(_ int, r *RoleGrant) error { return b.Grant(r, true) })); err != nil {
		return err
	}
	if _, err := read(EligibilityFile, scanner.FactEligibility, readCollection(file(EligibilityFile), opt, func(_ int, r *RoleGrant) error { return b.Grant(r, false) })); err != nil {
		return err
	}
	for _, id := range b.RoleHolders() {
		name := filepath.Join(RoleMembersDir, id+".json")
		l := newMemberList(id)
		found, err := read(name, 0, readCollection(file(name), opt, l.add))
		if err != nil {
			return err
		}
		if !found {
			b.MembersUnknown(id, fmt.Sprintf("%s not found in %s", name, dir))
			continue
		}
		b.members[id] = l.ids
	}
	okDomains, err := read(DomainsFile, 0, readCollection(file(DomainsFile), opt, func(_ int, d *Domain) error { return b.Domain(d) }))
	if err != nil {
		return err
	}
	okOrg, err := read(OrganizationFile, scanner.FactOrganization, readCollection(file(OrganizationFile), opt, func(_ int, o *Organization) error { return b.Organization(o) }))
	if err != nil {
		return err
	}
	if !okDomains && !okOrg {
		b.Unknown(scanner.FactDomains, fmt.Sprintf("neither %s nor %s found in %s", DomainsFile, OrganizationFile, dir))
	}
	if _, err := read(SyncFile, scanner.FactFeatures, readCollection(file(SyncFile), opt, func(_ int, s *Sync) error { return b.Sync(s) })); err != nil {
		return err
	}
	if _, err := read(DeletedFile, scanner.FactDeleted, fastCollection(file(DeletedFile), opt, userFields, func(_ int, u *User) error { return b.Deleted(u) })); err != nil {
		return err
	}
	return inFile(b.Finish())
}
