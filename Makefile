# syncready — the two commands a fresh machine needs are `make demo` and
# `make test`; everything else is for developers.
GO ?= go

.PHONY: test demo build vet

# test runs every test. vet runs once; the test run skips its own vet pass.
test:
	$(GO) vet ./...
	$(GO) test -vet=off -count=1 ./...

# demo scans the bundled example environment and writes demo-report.json.
demo:
	$(GO) run ./cmd/syncready scan \
		--ldif examples/contoso/contoso.ldif --ldif examples/contoso/resource.ldif \
		--graph-dir examples/contoso/graph --out demo-report.json

build:
	$(GO) build -o bin/syncready ./cmd/syncready

vet:
	$(GO) vet ./...
