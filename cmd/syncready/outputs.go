package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/syncready/syncready/scanner/graphdir"
)

// placeholders are what an --out, --log-file or --save-graph path may hold.
var placeholders = []string{"{date}", "{time}", "{tenant}"}

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// checkPlaceholders refuses a path with a placeholder other than {date},
// {time} and {tenant}: a typo would otherwise become part of a file name.
func checkPlaceholders(p string) error {
	for _, m := range placeholderRE.FindAllString(p, -1) {
		if !slices.Contains(placeholders, m) {
			return usagef("%s: unknown placeholder %s; a path may hold %s", p, m, strings.Join(placeholders, ", "))
		}
	}
	return nil
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// isGUID reports whether s is a GUID, the only thing a tenant id can be.
func isGUID(s string) bool { return guidRE.MatchString(s) }

// checkOutputs refuses a report or log file that would replace an input (an
// LDIF file, a Graph export file, the config or suppressions file) and a log
// file that is also a report or the baseline (appending to it would corrupt
// it). Writing the JSON report over its own baseline is allowed: it replaces
// the baseline only once complete. tenant fills {tenant}.
func (o *scanOptions) checkOutputs(now time.Time, tenant string) error {
	inputs := map[string]string{} // path -> what it is
	for _, p := range o.ldif {
		inputs[p] = "the --ldif input"
	}
	if o.suppressions != "" {
		inputs[o.suppressions] = "the --suppressions file"
	}
	if o.config != "" {
		inputs[o.config] = "the --config file"
	}
	fill := func(p string) string {
		if p == "" || p == "-" {
			return p
		}
		return strings.NewReplacer("{date}", now.Format("2006-01-02"), "{time}", now.Format("150405"), "{tenant}", tenant).Replace(p)
	}
	check := func(flag, p string, extra map[string]string) error {
		if p == "" || p == "-" {
			return nil
		}
		for in, what := range inputs {
			if samePath(p, in) {
				return usagef("%s %s would replace %s: write it somewhere else", flag, p, what)
			}
		}
		for in, what := range extra {
			if samePath(p, in) {
				return usagef("%s %s is also %s: give each its own file", flag, p, what)
			}
		}
		if o.graphDir != "" && inGraphDir(o.graphDir, p) {
			return usagef("%s %s would replace a file of the Graph export %s: write it somewhere else", flag, p, o.graphDir)
		}
		return nil
	}
	logFile := fill(o.logFile)
	for _, out := range o.outs {
		if err := check("--out", fill(out), map[string]string{logFile: "the --log-file"}); err != nil {
			return err
		}
	}
	extra := map[string]string{}
	if o.baseline != "" {
		extra[o.baseline] = "the --baseline report"
	}
	return check("--log-file", logFile, extra)
}

// samePath reports whether two paths name one file: the same cleaned
// absolute path, or (when both exist) the same file through a link.
func samePath(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == bb {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// inGraphDir reports whether p is one of the files a Graph export directory
// is read from.
func inGraphDir(dir, p string) bool {
	for _, name := range []string{graphdir.UsersFile, graphdir.GroupsFile, graphdir.ContactsFile, graphdir.RoleAssignFile,
		graphdir.EligibilityFile, graphdir.DomainsFile, graphdir.OrganizationFile, graphdir.SyncFile, graphdir.DeletedFile} {
		if samePath(p, filepath.Join(dir, name)) {
			return true
		}
	}
	members, err1 := filepath.Abs(filepath.Join(dir, graphdir.RoleMembersDir))
	pa, err2 := filepath.Abs(p)
	return err1 == nil && err2 == nil && strings.HasPrefix(pa, members+string(filepath.Separator))
}

// sameFiles refuses an input given twice, by another name or through a
// link: its objects would all count twice.
func sameFiles(flag string, paths []string) error {
	for i := range paths {
		for j := i + 1; j < len(paths); j++ {
			if samePath(paths[i], paths[j]) {
				return fmt.Errorf("%s %s and %s %s are the same file: give each domain or forest once", flag, paths[i], flag, paths[j])
			}
		}
	}
	return nil
}
