package graphdir

import (
	"context"
	"path/filepath"

	"github.com/syncready/syncready/scanner"
)

// Dir is a Graph export directory as the cloud source of a scan.
type Dir struct {
	Path    string
	Options Options
}

// Side is the cloud side.
func (d *Dir) Side() scanner.Side { return scanner.CloudSide }

// Read reads the export directory into snap (see Load).
func (d *Dir) Read(ctx context.Context, snap *scanner.Snapshot) error {
	return Load(ctx, d.Path, snap, d.Options)
}

// Files are the export files read, and the folder of the role groups'
// members.
func (d *Dir) Files() []string {
	var out []string
	for _, name := range []string{UsersFile, GroupsFile, ContactsFile, RoleAssignFile, EligibilityFile, DomainsFile, OrganizationFile, SyncFile, DeletedFile} {
		out = append(out, filepath.Join(d.Path, name))
	}
	return append(out, filepath.Join(d.Path, RoleMembersDir)+string(filepath.Separator))
}
