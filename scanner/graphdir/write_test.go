package graphdir

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncready/syncready/scanner"
)

// tree returns every file under dir with its content and mode, and every
// directory with its mode.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[rel+"/"] = fi.Mode().String()
			return nil
		}
		b, err := os.ReadFile(path)
		out[rel] = fi.Mode().String() + " " + string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	l, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range l {
		names = append(names, e.Name())
	}
	return names
}

// writeExport writes users and, when members is set, one role group's
// members, as the live reader does.
func writeExport(w *DirWriter, users []User, members []Member) error {
	c, err := w.Create(UsersFile)
	if err != nil {
		return err
	}
	for i := range users {
		if err := c.Add(&users[i]); err != nil {
			c.Abort()
			return err
		}
	}
	if err := c.Close(); err != nil {
		return err
	}
	if members != nil {
		items := make([]any, len(members))
		for i := range members {
			items[i] = &members[i]
		}
		return w.WriteOne(filepath.Join(RoleMembersDir, "g1.json"), items)
	}
	return nil
}

// TestDirWriterFailsPartWay: an export that fails part-way leaves the
// earlier export as it was, byte for byte, and nothing beside it.
func TestDirWriterFailsPartWay(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "graph")
	w, err := NewDirWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeExport(w, []User{{ID: "old1"}, {ID: "old2"}}, []Member{{ID: "old1"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)

	failures := map[string]func(w *DirWriter) error{
		// The live reader failed after groups.json: Abort.
		"aborted after one file": func(w *DirWriter) error {
			if err := w.WriteOne(GroupsFile, []any{&Group{ID: "new-g"}}); err != nil {
				return err
			}
			c, err := w.Create(UsersFile)
			if err != nil {
				return err
			}
			_ = c.Add(&User{ID: "new1"})
			c.Abort()
			w.Abort()
			return nil
		},
		// An item that cannot be written.
		"an item fails": func(w *DirWriter) error {
			if err := w.WriteOne(GroupsFile, []any{&Group{ID: "new-g"}}); err != nil {
				return err
			}
			err := w.WriteOne(UsersFile, []any{&User{ID: "new1"}, func() {}})
			w.Abort()
			if err == nil {
				return errors.New("a func was written as JSON")
			}
			return nil
		},
		// The swap fails: the earlier export is put back.
		"the rename fails": func(w *DirWriter) error {
			if err := writeExport(w, []User{{ID: "new1"}}, nil); err != nil {
				return err
			}
			n := 0
			rename = func(from, to string) error {
				n++
				if n == 2 { // the new export into place
					return errors.New("injected")
				}
				return os.Rename(from, to)
			}
			defer func() { rename = os.Rename }()
			if err := w.Commit(); err == nil || !strings.Contains(err.Error(), "injected") {
				return errors.New("commit did not fail")
			}
			w.Abort()
			return nil
		},
		// Commit while a file is still being written.
		"commit with a file open": func(w *DirWriter) error {
			c, err := w.Create(UsersFile)
			if err != nil {
				return err
			}
			_ = c.Add(&User{ID: "new1"})
			if err := w.Commit(); err == nil || !strings.Contains(err.Error(), "still being written") {
				return errors.New("commit went ahead with a file open")
			}
			c.Abort()
			w.Abort()
			return nil
		},
	}
	for name, fail := range failures {
		t.Run(name, func(t *testing.T) {
			w, err := NewDirWriter(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := fail(w); err != nil {
				t.Fatal(err)
			}
			after := tree(t, dir)
			if len(after) != len(before) {
				t.Errorf("files %v, want %v", after, before)
			}
			for k, v := range before {
				if after[k] != v {
					t.Errorf("%s: %q, want %q", k, after[k], v)
				}
			}
			if got := entries(t, parent); len(got) != 1 || got[0] != "graph" {
				t.Errorf("beside the export: %q, want only graph", got)
			}
		})
	}
}

// TestDirWriterCommit: a committed export replaces the earlier one whole
// (no file of it stays), with private modes, and reads back.
func TestDirWriterCommit(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "graph")
	for _, users := range [][]User{{{ID: "old1"}, {ID: "old2"}}, {{ID: "new1"}}} {
		w, err := NewDirWriter(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort() // after Commit: nothing
		var members []Member
		if users[0].ID == "old1" {
			members = []Member{{ID: "old1"}}
			if err := w.WriteOne(GroupsFile, []any{&Group{ID: "g1"}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := writeExport(w, users, members); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	got := tree(t, dir)
	for name, mode := range map[string]string{"./": "drwx------", "roleGroupMembers/": "drwx------", "users.json": "-rw-------"} {
		if !strings.HasPrefix(got[name], mode) {
			t.Errorf("%s: %q, want mode %s", name, got[name], mode)
		}
	}
	if len(got) != 3 {
		t.Errorf("files of the earlier export remain: %v", got)
	}
	if e := entries(t, parent); len(e) != 1 {
		t.Errorf("beside the export: %q", e)
	}
	snap := &scanner.Snapshot{}
	if err := Load(context.Background(), dir, snap, Options{}); err != nil {
		t.Fatal(err)
	}
	if len(snap.Cloud) != 1 || snap.Cloud[0].ID != "new1" {
		t.Errorf("read back %+v", snap.Cloud)
	}
}

// TestDirWriterRefuses: the export replaces its directory whole, so one
// holding anything else is refused before the tenant is read, as are names
// outside the export.
func TestDirWriterRefuses(t *testing.T) {
	cases := map[string]map[string]string{
		"another file":                 {"users.json": "[]", "notes.txt": "mine"},
		"another file in a subfolder":  {"roleGroupMembers/g1.json": "[]", "roleGroupMembers/sub/x.json": "[]"},
		"a report beside the export":   {"users.json": "[]", "report.xlsx": "x"},
		"a hidden file that is no tmp": {".users.json.swp": "x"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeDir(t, files)
			if _, err := NewDirWriter(dir); err == nil || !strings.Contains(err.Error(), "not part of a Graph export") {
				t.Errorf("got %v", err)
			}
		})
	}
	// A file where the directory should be.
	f := filepath.Join(t.TempDir(), "graph")
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewDirWriter(f); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a file: %v", err)
	}
	// An earlier export, with a temporary file an interrupted one left, is
	// replaced.
	dir := writeDir(t, map[string]string{"users.json": "[]", ".groups.json.123.tmp": "{", "roleGroupMembers/g.json": "[]"})
	w, err := NewDirWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, name := range []string{"notes.txt", "../users.json", "roleGroupMembers/../../x.json", ".users.json"} {
		if _, err := w.Create(name); err == nil {
			t.Errorf("Create(%q) accepted", name)
		}
	}
}
