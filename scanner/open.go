package scanner

import (
	"context"
	"fmt"
	"os"
	"time"
)

// OpenInput opens an input file so that a signal still ends the scan: a FIFO
// with no writer blocks in open(2) and a pipe that never writes blocks in
// read(2), and neither looks at a context. The open runs in a goroutine that
// is abandoned when ctx ends (the process is about to exit), and once open,
// a file that is not a regular file has its reads cut short when ctx ends.
// The returned stop releases that watch; call it before closing the file.
func OpenInput(ctx context.Context, path string) (*os.File, func(), error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	var o opened
	select {
	case o = <-ch:
	case <-ctx.Done():
		go func() { // close it should the open ever return
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, nil, fmt.Errorf("open %s: %w", path, context.Cause(ctx))
	}
	if o.err != nil {
		return nil, nil, o.err
	}
	fi, err := o.f.Stat()
	if err != nil {
		o.f.Close()
		return nil, nil, err
	}
	if fi.Mode().IsRegular() {
		return o.f, func() {}, nil
	}
	// A FIFO or device is read through Go's poller, so a deadline in the
	// past wakes a blocked read.
	stop := context.AfterFunc(ctx, func() { _ = o.f.SetReadDeadline(time.Now()) })
	return o.f, func() { stop() }, nil
}
