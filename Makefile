# syncready — the two commands a fresh machine needs are `make demo` and
# `make test`; everything else is for developers.
GO ?= go

.PHONY: test test-unit demo build vet dist bench fuzz

# test runs every test: vet once (and for Windows, so the SSPI bind path
# always builds), then the tests against a throw-away Samba AD domain
# controller on 127.0.0.1 that .ci/samba/with-samba.sh installs, starts,
# seeds and stops again (needs root for apt and the LDAP ports); then, each
# against a throw-away DC of its own, the test that applies a fix's LDIF to
# the DC with ldapmodify, and the tests that stop and kill the DC mid-read.
# The PowerShell grammar the fix-script tests parse with is installed into
# .ci/powershell first, only when it is missing or its lock changed.
test:
	@[ .ci/powershell/node_modules/.package-lock.json -nt .ci/powershell/package-lock.json ] || npm ci --prefix .ci/powershell --no-audit --no-fund --loglevel=error >/dev/null
	$(GO) vet ./...
	GOOS=windows $(GO) vet ./...
	bash .ci/samba/with-samba.sh env SYNCREADY_TEST_LDAP_REQUIRED=1 SYNCREADY_TEST_PS_REQUIRED=1 $(GO) test -vet=off -count=1 ./...
	bash .ci/samba/with-samba.sh env SYNCREADY_TEST_LDAP_REQUIRED=1 SYNCREADY_TEST_LDAP_WRITE=1 $(GO) test -vet=off -count=1 -run '^TestLiveFix' ./cmd/syncready/
	bash .ci/samba/with-samba.sh env SYNCREADY_TEST_LDAP_REQUIRED=1 SYNCREADY_TEST_LDAP_DISRUPT=1 $(GO) test -vet=off -count=1 -run '^TestLiveDisrupt' ./scanner/ldap/

# test-unit runs the tests that need no directory server (LDAP integration
# tests skip).
test-unit:
	$(GO) test -count=1 ./...

# dist cross-compiles the release binaries.
dist:
	mkdir -p dist
	GOOS=windows GOARCH=amd64 $(GO) build -trimpath -o dist/syncready-windows-amd64.exe ./cmd/syncready
	GOOS=linux GOARCH=amd64 $(GO) build -trimpath -o dist/syncready-linux-amd64 ./cmd/syncready
	GOOS=darwin GOARCH=arm64 $(GO) build -trimpath -o dist/syncready-darwin-arm64 ./cmd/syncready

# demo scans the bundled example environment and writes demo-report.json.
demo:
	$(GO) run ./cmd/syncready scan \
		--ldif examples/contoso/contoso.ldif --ldif examples/contoso/resource.ldif \
		--graph-dir examples/contoso/graph --out demo-report.json --out demo-report.xlsx

build:
	$(GO) build -o bin/syncready ./cmd/syncready

vet:
	$(GO) vet ./...

# bench runs the Go benchmarks (readers, pairing, every rule, every writer)
# and then the end-to-end measurements in one table: offline scans of
# generated environments (100,000 and 1,000,000 objects), the live LDAP read
# against ldapsearch on a Samba AD DC seeded with 10,000 users, and the live
# Graph read against a plain net/http loop. It measures; it never fails on a
# slow machine. BENCH_SIZES=… overrides the offline sizes.
BENCH_SIZES ?= 100000,1000000
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./scanner/... ./rules/... ./report/...
	SYNCREADY_SEED_BULK=10000 bash .ci/samba/with-samba.sh $(GO) run ./cmd/benchtable -sizes $(BENCH_SIZES)

# fuzz runs every fuzz target for FUZZTIME each (go test -fuzz takes one
# target at a time): the readers of every input an admin hands us (LDIF,
# Graph export files and live pages, the config file, suppressions, reports
# read back by diff and --baseline, the fix plan) and the hand-written
# encoders. A failure leaves its input in the package's testdata/fuzz.
FUZZTIME ?= 30s
FUZZ_TARGETS = \
	./scanner/ldif:FuzzRead \
	./scanner/graphdir:FuzzReadCollection \
	./scanner/graphdir:FuzzFastMatchesEncodingJSON \
	./scanner/graphdir:FuzzDecodePage \
	.:FuzzParseConfig \
	./rules:FuzzCharacterAndFormatChecks \
	./report:FuzzHandEncodingMatchesEncodingJSON \
	./report:FuzzWorkbookCellText \
	./report:FuzzReadReport \
	./report/suppress:FuzzParse \
	./report/change:FuzzReadCSV \
	./report/change:FuzzPSLiteral
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "== $$fn ($$pkg), $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg 2>&1 | grep -E '^(fuzz: elapsed|PASS|FAIL|ok|---|\s)' | tail -n 3; \
	done
