package report

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/syncready/syncready/rules"
)

// Fingerprints is the set of findings of an earlier report, by fingerprint,
// with which of them a later scan has seen: what is new, what persists and
// what was resolved. Fingerprints are held as 16 raw bytes, 40 bytes an
// entry at a million findings.
type Fingerprints struct {
	Info Info
	seen map[[16]byte]bool
}

func fpKey(fp string) ([16]byte, bool) {
	var k [16]byte
	if len(fp) != 32 {
		// Not one of ours: hash it into the key space.
		copy(k[:], rules.Fingerprint("", fp, "", "")[:16])
		return k, false
	}
	_, err := hex.Decode(k[:], []byte(fp))
	return k, err == nil
}

// LoadFingerprints reads the findings of the JSON report at path. It refuses
// a report of another schema version, and one that lists a fingerprint
// twice (in findings or suppressed): a fingerprint names one finding, and a
// repeated one would make one finding count as two, or hide a resolved one.
func LoadFingerprints(path string) (*Fingerprints, error) {
	b := &Fingerprints{seen: map[[16]byte]bool{}}
	var repeated [16]byte
	var second string
	add := func(section string) func(*rules.Finding) error {
		n := 0
		return func(f *rules.Finding) error {
			k, _ := fpKey(f.Fingerprint)
			if _, dup := b.seen[k]; dup {
				repeated, second = k, fmt.Sprintf("$.%s[%d]", section, n)
				return errRepeated
			}
			b.seen[k] = false
			n++
			return nil
		}
	}
	info, err := ReadReport(path, ReadOptions{Finding: add("findings"), Suppressed: add("suppressed")})
	if errors.Is(err, errRepeated) {
		return nil, repeatedError(path, repeated, second)
	}
	if err != nil {
		return nil, err
	}
	b.Info = info
	if info.SchemaVersion != SchemaVersion {
		return nil, &ReadError{File: path, Msg: fmt.Sprintf("schemaVersion %d, this syncready writes %d: compare reports of the same schema version", info.SchemaVersion, SchemaVersion)}
	}
	return b, nil
}

var errRepeated = errors.New("repeated fingerprint")

// repeatedError names a fingerprint the report at path lists twice, with
// the JSON paths of both: the file is read again for the first, so loading
// holds no more than the set of fingerprints.
func repeatedError(path string, k [16]byte, second string) error {
	var first, fp string
	find := func(section string) func(*rules.Finding) error {
		n := 0
		return func(f *rules.Finding) error {
			if first == "" {
				if fk, _ := fpKey(f.Fingerprint); fk == k {
					first, fp = fmt.Sprintf("$.%s[%d]", section, n), f.Fingerprint
				}
			}
			n++
			return nil
		}
	}
	// The first occurrence comes before the second, so a failure later in
	// the file does not hide it.
	_, err := ReadReport(path, ReadOptions{Finding: find("findings"), Suppressed: find("suppressed")})
	if first == "" && err != nil {
		return err
	}
	if first == "" {
		return &ReadError{File: path, Msg: fmt.Sprintf("a fingerprint appears twice (the second time at %s), and the file changed while it was read", second)}
	}
	return &ReadError{File: path, Msg: fmt.Sprintf("fingerprint %s appears twice, at %s and at %s: a report lists each finding once", fp, first, second)}
}

// SameTenant checks that the reports are of one tenant: two different known
// tenant ids are refused; an unknown one gives a warning.
func (b *Fingerprints) SameTenant(otherFile, otherTenant string) (warning string, err error) {
	switch {
	case b.Info.TenantID != "" && otherTenant != "" && b.Info.TenantID != otherTenant:
		return "", fmt.Errorf("%s is of tenant %s and %s of tenant %s: reports of different tenants are not compared", b.Info.File, b.Info.TenantID, otherFile, otherTenant)
	case b.Info.TenantID == "" || otherTenant == "":
		return fmt.Sprintf("the tenant of %s or %s is not known (no organization read): make sure both reports are of the same tenant", b.Info.File, otherFile), nil
	}
	return "", nil
}

// Mark records that a scan has the finding and reports whether it is new.
func (b *Fingerprints) Mark(fp string) bool {
	k, _ := fpKey(fp)
	if _, ok := b.seen[k]; !ok {
		return true
	}
	b.seen[k] = true
	return false
}

// Has reports whether the earlier report has the finding.
func (b *Fingerprints) Has(fp string) bool {
	k, _ := fpKey(fp)
	_, ok := b.seen[k]
	return ok
}

// EachResolved reads the earlier report again and calls fn for each of its
// findings that no Mark has seen.
func (b *Fingerprints) EachResolved(fn func(*rules.Finding) error) error {
	gone := func(f *rules.Finding) error {
		k, _ := fpKey(f.Fingerprint)
		if seen, ok := b.seen[k]; ok && !seen {
			b.seen[k] = true // the file changed since it was loaded: one finding, once
			return fn(f)
		}
		return nil
	}
	_, err := ReadReport(b.Info.File, ReadOptions{Finding: gone, Suppressed: gone})
	return err
}
