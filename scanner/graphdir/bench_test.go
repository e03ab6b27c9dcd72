package graphdir

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/synth"
)

// BenchmarkLoad reads the tenant export of a generated environment of
// 50,000 on-premises objects (about 55,000 cloud objects).
func BenchmarkLoad(b *testing.B) {
	dir, err := synth.BenchEnv(50000)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		snap := &scanner.Snapshot{}
		if err := Load(context.Background(), synth.Graph(dir), snap, Options{}); err != nil {
			b.Fatal(err)
		}
		n = len(snap.Cloud)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkLoadMillionUsers reads a users.json of 1,000,000 users with
// Graph's lower-case GUID ids (about 460 MB), the largest tenant the offline
// reader is sized for.
func BenchmarkLoadMillionUsers(b *testing.B) {
	const n = 1_000_000
	dir := b.TempDir()
	f, err := os.Create(filepath.Join(dir, UsersFile))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[`)
	for i := range n {
		if i > 0 {
			w.WriteByte(',')
		}
		fmt.Fprintf(w, "\n"+`{"id":"%08x-%04x-4%03x-8%03x-%012x","displayName":"User %d","userPrincipalName":"user%d@contoso.com","mail":"user%d@contoso.com","mailNickname":"user%d",`+
			`"proxyAddresses":["SMTP:user%d@contoso.com","smtp:user%d@contoso.mail.onmicrosoft.com"],"onPremisesImmutableId":null,"onPremisesSyncEnabled":null,`+
			`"onPremisesDistinguishedName":null,"onPremisesSecurityIdentifier":null,"userType":"Member","creationType":null,"accountEnabled":true}`,
			uint32(i*2654435761), i&0xffff, i&0xfff, (i>>12)&0xfff, uint64(i)*0x9e3779b97f4a7c15&0xffffffffffff, i, i, i, i, i, i)
	}
	w.WriteString("\n]}\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	got := 0
	cpu := cpuTime()
	for b.Loop() {
		snap := &scanner.Snapshot{}
		if err := Load(context.Background(), dir, snap, Options{}); err != nil {
			b.Fatal(err)
		}
		got = len(snap.Cloud)
	}
	cpu = cpuTime() - cpu
	if got != n {
		b.Fatalf("%d users read, want %d", got, n)
	}
	b.ReportMetric(float64(got)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
