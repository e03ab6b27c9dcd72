package syncready

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncready/syncready/scanner"
)

// read reads every source side by side and merges what they read into one
// snapshot, in scope; the cloud side is indexed for pairing while the
// on-premises side may still be read.
func (o *Options) read(ctx context.Context) (*scanner.Snapshot, *scanner.CloudIndex, error) {
	var onprem []Source
	var cloud Source
	for _, s := range o.Sources {
		if s.Side() == scanner.CloudSide {
			if cloud != nil {
				return nil, nil, &OptionsError{Msg: "a scan reads one tenant: give --graph-dir or a live tenant, once"}
			}
			cloud = s
			continue
		}
		onprem = append(onprem, s)
	}
	if len(onprem) == 0 && cloud == nil {
		return nil, nil, &OptionsError{Msg: "scan needs at least one side: --ldif FILE or --ldap-url URL (on premises) and/or --graph-dir DIR or a live tenant (--tenant-id …)"}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	snaps := make([]*scanner.Snapshot, len(onprem))
	errs := make([]error, len(onprem))
	done := make(chan int, len(onprem))
	for i, s := range onprem {
		snaps[i] = &scanner.Snapshot{}
		go func() {
			start := time.Now()
			err := s.Read(ctx, snaps[i])
			if err == nil && len(snaps[i].OnPrem) == 0 {
				err = fmt.Errorf("%s holds no users, groups or contacts: check that it is the export of a domain, with the filter and attributes in the README", inputName(snaps[i]))
			}
			if err == nil {
				snaps[i].NoteScanned() // before the scope: a filtered OU was read all the same
			}
			if err != nil {
				cancel() // no point reading the others
			} else {
				o.phaseLog("read", start, "input", inputName(snaps[i]), "objects", len(snaps[i].OnPrem))
			}
			errs[i] = err
			done <- i
		}()
	}
	var cloudSnap *scanner.Snapshot
	var cloudIdx *scanner.CloudIndex
	cloudDone := make(chan error, 1)
	if cloud != nil {
		cloudSnap = &scanner.Snapshot{}
		go func() {
			start := time.Now()
			err := cloud.Read(ctx, cloudSnap)
			if err == nil {
				o.phaseLog("read", start, "input", inputName(cloudSnap), "objects", len(cloudSnap.Cloud), "tenant", cloudSnap.Sources.TenantID)
				if cloudSnap.Tenant != nil {
					t := time.Now()
					cloudIdx = scanner.IndexCloud(cloudSnap.Cloud)
					o.phaseLog("index cloud", t, "objects", len(cloudSnap.Cloud))
				}
			} else {
				cancel()
			}
			cloudDone <- err
		}()
	} else {
		cloudDone <- nil
	}
	for range onprem {
		<-done
	}
	cloudErr := <-cloudDone
	// The first failure that is not the cancellation another one caused.
	all := append([]error{cloudErr}, errs...)
	for _, err := range all {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, nil, err
		}
	}
	for _, err := range all {
		if err != nil {
			return nil, nil, err
		}
	}

	snap := &scanner.Snapshot{}
	if len(snaps) == 1 {
		snap.OnPrem = snaps[0].OnPrem // no copy of the one big slice
	} else {
		n := 0
		for _, s := range snaps {
			n += len(s.OnPrem)
		}
		snap.OnPrem = make([]scanner.OnPrem, 0, n)
	}
	for _, s := range snaps {
		if len(snaps) > 1 {
			first := int32(len(snap.Sources.Forests))
			for i := range s.OnPrem {
				s.OnPrem[i].Source += first
			}
			snap.OnPrem = append(snap.OnPrem, s.OnPrem...)
			s.OnPrem = nil
		}
		mergeSources(snap, s)
	}
	if len(snap.Sources.Forests) > 1 {
		if err := scanner.SameObjects(snap); err != nil {
			return nil, nil, err
		}
	}
	if o.Target == scanner.TargetCloudSync {
		// Only the Cloud Sync group-size limit needs member counts.
		snap.Coverage.Partial = append(snap.Coverage.Partial, snap.Coverage.MemberCounts...)
	}
	snap.Sources.Target = o.Target
	if len(onprem) > 0 {
		t := time.Now()
		read := len(snap.OnPrem)
		scanner.ApplyScope(snap, o.Scope)
		o.phaseLog("scope", t, "inScope", len(snap.OnPrem), "skipped", len(snap.Coverage.Skipped))
		if len(snap.OnPrem) == 0 {
			return nil, nil, errors.New(scanner.ExplainEmptyScope(read, snap, o.Scope))
		}
	}
	if cloudSnap != nil {
		snap.Cloud, snap.Tenant = cloudSnap.Cloud, cloudSnap.Tenant
		snap.Sources.TenantID = cloudSnap.Sources.TenantID
		mergeSources(snap, cloudSnap)
	}
	return snap, cloudIdx, nil
}

// mergeSources adds what a source read and could not read to snap.
func mergeSources(snap, s *scanner.Snapshot) {
	snap.Sources.Forests = append(snap.Sources.Forests, s.Sources.Forests...)
	snap.Sources.Inputs = append(snap.Sources.Inputs, s.Sources.Inputs...)
	snap.Coverage.Assumed = append(snap.Coverage.Assumed, s.Coverage.Assumed...)
	snap.Coverage.Partial = append(snap.Coverage.Partial, s.Coverage.Partial...)
	snap.Coverage.Skipped = append(snap.Coverage.Skipped, s.Coverage.Skipped...)
	snap.Coverage.MemberCounts = append(snap.Coverage.MemberCounts, s.Coverage.MemberCounts...)
	snap.Scanned = append(snap.Scanned, s.Scanned...)
}

// inputName names a source by what it read.
func inputName(s *scanner.Snapshot) string {
	if len(s.Sources.Inputs) > 0 {
		return s.Sources.Inputs[0]
	}
	return "a source"
}
