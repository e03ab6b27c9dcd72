package report

import (
	"sync"
	"sync/atomic"

	"github.com/syncready/syncready/report/suppress"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// Async runs a writer in its own goroutine: the scan hands it findings and
// matches in batches and goes on with the rules, so the workbook, the JSON
// report and the rules use the cores side by side. Order is kept; an error
// of the writer is returned by the next call.
func Async(w Writer) Writer { return &async{w: w} }

type asyncItem struct {
	kind   uint8 // 1 finding, 2 match, 3 resolved
	f      rules.Finding
	isNew  bool
	hasNew bool
	sup    *suppress.Entry
	m      Match
}

type asyncEnd struct {
	s     *Summary
	c     *scanner.Coverage
	abort bool
}

type async struct {
	w       Writer
	ch      chan []asyncItem
	free    chan []asyncItem // batches the writer is done with, for reuse
	end     chan asyncEnd
	done    chan error
	batch   []asyncItem
	started bool
	closed  sync.Once
	failed  atomic.Bool
	mu      sync.Mutex
	err     error // the writer's first error
	result  error // End's outcome
}

const asyncBatch = 512

func (a *async) Start(h *Header) error { return a.w.Start(h) }

// Plan hands the match plan to the writer when it is a Planner.
func (a *async) Plan(snap *scanner.Snapshot, plan *scanner.Plan) bool {
	p, ok := a.w.(Planner)
	return ok && p.Plan(snap, plan)
}

func (a *async) fail(err error) {
	a.mu.Lock()
	if a.err == nil {
		a.err = err
	}
	a.mu.Unlock()
	a.failed.Store(true)
}

func (a *async) firstErr() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

func (a *async) run() {
	for batch := range a.ch {
		if a.failed.Load() {
			continue // drain
		}
		for i := range batch {
			it := &batch[i]
			var err error
			switch it.kind {
			case 1:
				rf := Finding{Finding: &it.f, Suppressed: it.sup}
				if it.hasNew {
					isNew := it.isNew // writers may keep it; the batch is reused
					rf.New = &isNew
				}
				err = a.w.Finding(&rf)
			case 2:
				err = a.w.Match(&it.m)
			case 3:
				err = a.w.Resolved(&it.f)
			}
			if err != nil {
				a.fail(err)
				break
			}
		}
		select {
		case a.free <- batch[:0]:
		default:
		}
	}
	e := <-a.end
	err := a.firstErr()
	if err == nil && !e.abort {
		err = a.w.End(e.s, e.c)
	}
	a.done <- err
}

func (a *async) push(it *asyncItem) error {
	if !a.started {
		a.started = true
		a.ch = make(chan []asyncItem, 8)
		a.free = make(chan []asyncItem, cap(a.ch)+1)
		a.end = make(chan asyncEnd, 1)
		a.done = make(chan error, 1)
		go a.run()
	}
	if a.failed.Load() {
		return a.firstErr()
	}
	if a.batch == nil {
		// Batches are reused: a million matches in new batches were 350 MB
		// of fresh memory for the collector and the kernel to supply.
		select {
		case a.batch = <-a.free:
		default:
			a.batch = make([]asyncItem, 0, asyncBatch)
		}
	}
	a.batch = append(a.batch, *it)
	if len(a.batch) == asyncBatch {
		a.ch <- a.batch
		a.batch = nil
	}
	return nil
}

func (a *async) Finding(f *Finding) error {
	it := asyncItem{kind: 1, f: *f.Finding, sup: f.Suppressed}
	if f.New != nil {
		it.hasNew, it.isNew = true, *f.New
	}
	return a.push(&it)
}

func (a *async) Match(m *Match) error { return a.push(&asyncItem{kind: 2, m: *m}) }

func (a *async) Resolved(f *rules.Finding) error { return a.push(&asyncItem{kind: 3, f: *f}) }

// finish ends the goroutine and returns End's outcome.
func (a *async) finish(e asyncEnd) error {
	a.closed.Do(func() {
		if len(a.batch) > 0 && !e.abort {
			a.ch <- a.batch
		}
		a.batch = nil
		close(a.ch)
		a.end <- e
		a.result = <-a.done
	})
	return a.result
}

// End hands over the summary and waits for the writer to finish.
func (a *async) End(s *Summary, c *scanner.Coverage) error {
	if !a.started {
		return a.w.End(s, c)
	}
	return a.finish(asyncEnd{s: s, c: c})
}

func (a *async) Commit() error {
	if a.started {
		if err := a.finish(asyncEnd{abort: true}); err != nil {
			a.w.Abort()
			return err
		}
	}
	return a.w.Commit()
}

func (a *async) Abort() {
	if a.started {
		_ = a.finish(asyncEnd{abort: true})
	}
	a.w.Abort()
}
