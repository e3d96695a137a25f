# The few commands a newcomer needs. `make serve` to run the site, `make test` to test it.
# Each creates .venv (with a Python 3.12+) and installs what it needs first.

PORT ?= 8000
export PORT
VENV := .venv
PY := $(VENV)/bin/python
# Every package, transitive ones included, pinned with its hashes: pip refuses any file that
# does not match. `make lock` re-locks after a change to pyproject.toml; `make upgrade` updates.
LOCK ?= requirements-dev.lock
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.12 \
	--custom-compile-command "make lock"
# Independent tests run in parallel (pytest-xdist), one worker per core. Each worker takes half
# the tests and, when done, half of what the other has left (worksteal): with the default, one
# worker often sat idle for 0.5 to 3 s at the end while the other ran the tests queued for it.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist worksteal
# Hypothesis looks through every installed package for plugins of its own (0.3 s in each test
# process, the run's start included); the one installed is trio's (a Selenium dependency), unused here.
# The tests' scratch folders go in memory where /dev/shm (a tmpfs, sticky and open to all as /tmp
# is) has more than 1 GB free (a container's is often 64 MB): a run makes and deletes about 100,000
# small files (hundreds of small releases), and on a disk such as this machine's (ext4 without a
# journal) making files just after many were deleted is slow (README). pytest makes its own checked
# folder there (pytest-of-USER) as it does in /tmp. TEST_TMP= keeps TMPDIR as it is.
ifeq ($(origin TEST_TMP),undefined)
TEST_TMP := $(shell df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 && $$4 > 1048576 {print "/dev/shm"}')
endif
PYTEST := $(if $(TEST_TMP),TMPDIR=$(TEST_TMP)) HYPOTHESIS_NO_PLUGINS=1 $(VENV)/bin/pytest
# Python caches compiled modules (and pytest its rewritten tests) in __pycache__ (git ignores it):
# with PYTHONDONTWRITEBYTECODE set, each test worker and each command a test starts compiles them again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install serve dev publish rollback export-site test test-fast lint format check report feedback \
	loadtest bench mutation lock upgrade clean signoff screenshots

help:
	@echo "make serve      set up and start the site on http://127.0.0.1:$(PORT)/ (PORT=NNNN for another port)"
	@echo "make dev        editors' preview: auto-reload, drafts shown"
	@echo "make publish    check and render the content into a new release, and switch the site to it"
	@echo "make rollback   switch the site back to the release before"
	@echo "make export-site DIR=/path [NGINX_PORT=8080] [APP=http://127.0.0.1:8000 [ADMIN=1]]  the current release"
	@echo "                 as files, with nginx.conf (feedback, and the admin with ADMIN=1, sent to APP) and _headers"
	@echo "make test       set up and run every test (lint and formatting included)"
	@echo "make test-fast  every test but the browser and real-server ones"
	@echo "make lint       ruff, and the formatting check"
	@echo "make loadtest   gunicorn under load while content changes: zero errors or it fails"
	@echo "make bench      requests/s and latency of a page, the handout and a static file"
	@echo "make mutation   mutation testing of publishing, serving, loading and the markup checks (slow: a full run is long)"
	@echo "make check      check the content as publishing would (bin/check: the same, without make's lines)"
	@echo "make report     each page's reading grade, review dates, share of 'helpful' and problems"
	@echo "make feedback   each page's 'Was this page helpful?' counts and share of Yes"
	@echo "make signoff PAGE=guide/page BY=\"Name\" ROLE=\"Role\" [REGISTRATION=...]  a clinician's sign-off of the page as it is now"
	@echo "make lock       re-lock the dependencies after changing pyproject.toml"
	@echo "make upgrade    update every locked dependency to its newest allowed release, then run the tests"
	@echo "make screenshots DIR=/path [CLINIC=1]  every page at 320, 390, 1280 px, light and dark, and both handouts on A4 and Letter, as PNG"

$(VENV)/.installed: $(LOCK)
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	@touch $@

# Test tools from npm (axe-core, the Nu HTML Checker), pinned by package-lock.json.
# No package may download a browser: Debian's Chromium is used.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		PUPPETEER_SKIP_DOWNLOAD=true CHROMEDRIVER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility and HTML validity tests will be skipped (they fail in CI)."; fi

install: $(VENV)/.installed

# Publishes first, so that a fresh clone serves the guide with this one command; a refused
# publish still serves the last release (bin/serve says why), and only no release at all stops it.
serve: install
	@. bin/local-production && exec $(PY) bin/serve

# The editors' commands live in bin/ (no make lines in their output); make runs the same.
publish: install
	@bin/publish

rollback: install
	@bin/rollback

# The headers written into nginx.conf and _headers come from the settings: production's.
NGINX_PORT ?= 8080
export-site: install
	@test -n "$(DIR)" || { echo "Say where: make export-site DIR=/path/to/site"; exit 2; }
	@. bin/local-production && $(PY) manage.py export_site $(DIR) --port $(NGINX_PORT) \
		$(if $(APP),--app $(APP)) $(if $(ADMIN),--admin)

# --skip-checks: a broken content file must not stop the preview; its problems
# show at the top of every page instead (and `make check` still fails on them).
dev: install
	DJANGO_SETTINGS_MODULE=botox_info.settings.dev SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} \
		$(PY) manage.py runserver --skip-checks 127.0.0.1:$(PORT)

test: install node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	QUICK_TESTS= $(PYTEST) $(XDIST)

# Everything but the tests that drive Chromium or start a real server (gunicorn, nginx,
# PostgreSQL, the Nu HTML Checker): for a quick run while working. Property tests try a third
# of their generated examples (tests/__init__.py), and content files are read in the test's own
# process, not a child each (settings/test.py); `make test` tries them all, in children.
test-fast: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	QUICK_TESTS=1 $(PYTEST) $(XDIST) -m "not browser and not server"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	@bin/check

lock: install
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --group dev -o requirements-dev.lock

upgrade: install
	$(UV_COMPILE) --upgrade -o requirements.lock
	$(UV_COMPILE) --upgrade --group dev -o requirements-dev.lock
	$(MAKE) test

bench: install
	$(PY) -m scripts.bench
	$(PY) -m scripts.bench_scale

loadtest: install
	$(PY) -m scripts.loadtest

# Pictures of the whole site for a person to look at (pdftoppm from poppler-utils turns the printed handouts into PNG).
screenshots: install
	@test -n "$(DIR)" || { echo "Say where: make screenshots DIR=/path/to/folder"; exit 2; }
	DIR=$(DIR) $(PY) -m scripts.screenshots

# mutmut makes small changes to the modules in pyproject.toml [tool.mutmut], one at a time, and runs
# the quickest tests that reach each (scripts/mutation_run.py says how many); a change no test
# notices is a test missing. Always from scratch (new tests must meet old survivors); its log is
# mutants/mutmut.log. Not part of `make test`.
mutation: install
	rm -rf mutants && mkdir mutants && ln -s ../$(VENV) mutants/$(VENV) && ln -s ../node_modules mutants/node_modules
	$(PY) -m scripts.mutation_run --max-children $(TEST_WORKERS) > mutants/mutmut.log 2>&1 \
		|| { tail -n 40 mutants/mutmut.log; exit 1; }
	@$(PY) -m scripts.mutation_report

report: install
	@$(PY) manage.py content_report

# Each page's "Was this page helpful?" answers; the comments are in the admin (/admin/).
# --skip-checks: a half-finished edit of the content must not stop the feedback report.
# On a server the answers are in the service's database: `make feedback` would read the laptop's.
feedback: install
	@bin/refuse-on-a-server
	@$(PY) manage.py migrate --noinput --verbosity 0 --skip-checks
	@$(PY) manage.py feedback_report

clean:
	rm -rf $(VENV) staticfiles releases mutants .pytest_cache .ruff_cache

# A clinician's sign-off of a page's exact text: make signoff PAGE=botox-jaw-pain/benefits BY="Name" ROLE="Role"
# [REGISTRATION="GDC 123456"]; PAGE='botox-jaw-pain/*' signs every page of the guide. The values reach the
# command as environment variables, so names with quotes or apostrophes pass through unchanged.
signoff: install
	@$(PY) manage.py signoff "$$PAGE" --by "$$BY" --role "$$ROLE" --registration "$$REGISTRATION"
