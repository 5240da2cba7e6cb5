# qoldau: build, test, benchmark. `make demo` runs the main job (`qoldau demo`) on the
# embedded default; `make test` is what CI runs (.ci/run).
GO       ?= go
BIN      ?= bin
DEMO_DIR ?= demo-out
export CGO_ENABLED = 0
# Go 1.26.8's standard library has fixes pending: build and test with the approved
# go1.27.3 (the go command fetches it from the module proxy once, about 10 s).
export GOTOOLCHAIN ?= go1.27.3

.PHONY: all build demo test prereqs test-short vet fmt-check fuzz vulncheck loadtest bench bench-report clean lambdas template-check

all: build

build:
	$(GO) build -o $(BIN)/qoldau ./infra/local

# The main job, end to end on the embedded store (`qoldau demo`): three monthly
# registers with faults (one late, one corrected after a letter), an acts file, and
# the quarterly report in every format and language, in $(DEMO_DIR).
demo: build
	$(BIN)/qoldau demo --data $(DEMO_DIR) --force

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The test command of the README and CI: starts moto_server (infra/moto/start.sh)
# so the DynamoDB and S3 suites run, and must run (QOLDAU_REQUIRE_DYNAMO=1), and
# stops it however the tests end. MOTO_PORT=auto takes the first free port from 5055.
MOTO_PORT ?= auto

test: prereqs fmt-check vet lambdas template-check fuzz vulncheck
	@ep=$$(infra/moto/start.sh $(MOTO_PORT)) || exit 1; \
	trap 'infra/moto/start.sh stop "$${ep##*:}"' EXIT; trap 'exit 130' INT TERM; \
	echo "moto_server at $$ep"; \
	QOLDAU_TEST_DYNAMO_ENDPOINT=$$ep QOLDAU_REQUIRE_DYNAMO=1 QOLDAU_REQUIRE_BROWSER=1 $(GO) test -count=1 ./...

# What make test needs on the machine besides Go (.ci/run installs what is
# missing): moto_server (Python's moto) for the DynamoDB and S3 suites, cfn-lint
# and aws-sam-translator (with PyYAML, in the python3 of PYTHON) for the template,
# and Debian's chromium for the console's browser test (infra/local/cli, driven with
# chromedp; QOLDAU_CHROMIUM names another binary).
prereqs:
	@missing=; \
	command -v moto_server >/dev/null 2>&1 || [ -x $(PYENV_SHIMS)/moto_server ] || missing="$$missing moto_server (pip install 'moto[server]')"; \
	[ -x "$(CFN_LINT)" ] || command -v cfn-lint >/dev/null 2>&1 || missing="$$missing cfn-lint (pip install cfn-lint)"; \
	[ -n "$(PYTHON)" ] && $(PYTHON) -c 'import samtranslator, yaml' >/dev/null 2>&1 || missing="$$missing aws-sam-translator (pip install aws-sam-translator pyyaml, for $(or $(PYTHON),python3))"; \
	[ -n "$$QOLDAU_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || missing="$$missing chromium (apt-get install chromium)"; \
	if [ -n "$$missing" ]; then echo "make test needs:$$missing"; exit 1; fi

# Short fuzz runs of the readers of uploaded files (CSV, ODS, XLS, acts, call lists and
# questionnaires), the Telegram update decoder and the API's JSON bodies, each from
# its seed corpus in the package's testdata/fuzz (a failing input is written there:
# commit it with the fix).
FUZZTIME ?= 5s
FUZZ = $(GO) test -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s

fuzz:
	$(FUZZ) -fuzz '^FuzzCSV$$' ./shared/table/
	$(FUZZ) -fuzz '^FuzzReadActs$$' ./shared/reconcile/
	$(FUZZ) -fuzz '^FuzzODS$$' ./shared/xlsx/
	$(FUZZ) -fuzz '^FuzzXLS$$' ./shared/xlsx/
	@# The xlsx parts are large inputs: minimizing each new one for a second would
	@# take the whole run.
	$(FUZZ) -fuzzminimizetime 10x -fuzz '^FuzzWorkbook$$' ./shared/xlsx/
	$(FUZZ) -fuzz '^FuzzImportCalls$$' ./shared/callcentre/
	$(FUZZ) -fuzz '^FuzzImportQuestionnaires$$' ./shared/callcentre/
	$(FUZZ) -fuzz '^FuzzWebhookUpdate$$' ./bot/telegram/
	$(FUZZ) -fuzz '^FuzzAPIBodies$$' ./shared/httpapi/

# Known vulnerabilities reachable from the code (govulncheck), checked against a
# local copy of the Go vulnerability database: the golang.org/x/vulndb module's
# data/osv indexed by its cmd/indexdb, both from the module proxy or the module
# cache, so no other connection is needed. The database is built once per version
# into VULNDB_DIR (about 15 s warm; the first build on a machine fetches indexdb's
# dependencies); the scan takes about 40 s. Raise VULNDB_VERSION for newer entries
# (`go list -m golang.org/x/vulndb@latest` names the newest).
GOVULNCHECK    ?= golang.org/x/vuln/cmd/govulncheck@v1.9.0
VULNDB_VERSION ?= v0.0.0-20261105234957-e22db6528018
VULNDB_DIR     ?= $(HOME)/.cache/qoldau/vulndb-$(VULNDB_VERSION)

vulncheck:
	@if [ ! -f "$(VULNDB_DIR)/index/db.json" ]; then \
		src=$$($(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
		[ -d "$$src/data/osv" ] || { echo "vulncheck: no data/osv in golang.org/x/vulndb@$(VULNDB_VERSION)"; exit 1; }; \
		rm -rf "$(VULNDB_DIR).tmp" && mkdir -p "$$(dirname "$(VULNDB_DIR)")" && \
		$(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) -vulns "$$src/data/osv" -out "$(VULNDB_DIR).tmp" && \
		mv "$(VULNDB_DIR).tmp" "$(VULNDB_DIR)" || exit 1; \
	fi
	$(GO) run $(GOVULNCHECK) -db "file://$(VULNDB_DIR)" ./...

# The Lambda functions (functions/<name>), cross-built for arm64 into
# build/lambda/<name>/bootstrap: the CodeUri of each function in template.yaml, which
# `sam deploy` packages as it is (docs/deploy.md).
LAMBDAS    := api validate remind report bot
LAMBDA_DIR ?= build/lambda

lambdas:
	@for f in $(LAMBDAS); do \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' \
			-o $(LAMBDA_DIR)/$$f/bootstrap ./functions/$$f || exit 1; \
	done; ls -l $(LAMBDA_DIR)/*/bootstrap

# The SAM template: cfn-lint, then aws-sam-translator's transform offline (both from
# Python, on the machine; PyPI is not reachable to install them).
PYENV_SHIMS ?= $(HOME)/.pyenv/shims
CFN_LINT ?= $(shell command -v cfn-lint || echo $(PYENV_SHIMS)/cfn-lint)
PYTHON   ?= $(shell command -v python3)

template-check:
	$(CFN_LINT) template.yaml
	$(PYTHON) infra/sam/transform.py template.yaml --check-code

# Without moto: the DynamoDB and S3 suites skip (unless QOLDAU_TEST_DYNAMO_ENDPOINT
# is set), and the slowest tests are skipped.
test-short:
	$(GO) test -short ./...

# The load test of the README (not in make test): a server process with the API and
# the bot's webhook on loopback, LOAD_CLIENTS clients for LOAD_TIME; it fails on any
# error or a heap that grew.
LOAD_CLIENTS ?= 50
LOAD_TIME    ?= 60s

loadtest:
	$(GO) build -o $(BIN)/loadtest ./infra/loadtest
	$(BIN)/loadtest -clients $(LOAD_CLIENTS) -duration $(LOAD_TIME)

# Benchmarks of the README's performance table.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x -benchmem ./shared/register/ ./shared/xlsx/

# The report's performance targets (README): a quarter of 100,000 rows and the annual
# report over 1,000,000 (which fills its store first, about 20 s).
bench-report:
	$(GO) test -run '^$$' -bench Report -benchtime 1x -benchmem ./shared/report/

clean:
	rm -rf $(BIN) $(DEMO_DIR) build
