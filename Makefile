# qoldau: build, test, benchmark. `make demo` runs the main job on the embedded
# default; `make test` is what CI runs (.ci/run).
GO       ?= go
BIN      ?= bin
DEMO_DIR ?= demo-out
export CGO_ENABLED = 0

.PHONY: all build demo test test-short vet fmt-check bench clean

all: build

build:
	$(GO) build -o $(BIN)/qoldau ./infra/local

# The main job: a realistic register written and validated (until the workflow and
# report land, when it becomes `qoldau demo`).
demo: build
	@mkdir -p $(DEMO_DIR)
	$(BIN)/qoldau sample --period 2026-10 --rows 2000 --seed 7 --error-rate 0.05 --out $(DEMO_DIR)/register-2026-10.xlsx
	-$(BIN)/qoldau validate --period 2026-10 --received 2026-11-02T10:00:00+05:00 --out $(DEMO_DIR)/register-2026-10.flagged.xlsx $(DEMO_DIR)/register-2026-10.xlsx
	@echo "flagged workbook: $(DEMO_DIR)/register-2026-10.flagged.xlsx"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The test command of the README and CI: starts moto_server (infra/moto/start.sh)
# so the DynamoDB and S3 suites run, and must run (QOLDAU_REQUIRE_DYNAMO=1), and
# stops it however the tests end. MOTO_PORT=auto takes the first free port from 5055.
MOTO_PORT ?= auto

test: fmt-check vet
	@ep=$$(infra/moto/start.sh $(MOTO_PORT)) || exit 1; \
	trap 'infra/moto/start.sh stop "$${ep##*:}"' EXIT; trap 'exit 130' INT TERM; \
	echo "moto_server at $$ep"; \
	QOLDAU_TEST_DYNAMO_ENDPOINT=$$ep QOLDAU_REQUIRE_DYNAMO=1 $(GO) test -count=1 ./...

# Without moto: the DynamoDB and S3 suites skip (unless QOLDAU_TEST_DYNAMO_ENDPOINT
# is set), and the slowest tests are skipped.
test-short:
	$(GO) test -short ./...

# Benchmarks of the README's performance table.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x -benchmem ./shared/register/ ./shared/xlsx/

clean:
	rm -rf $(BIN) $(DEMO_DIR)
