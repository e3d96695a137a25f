# The few commands a newcomer needs. `make serve` to run the site, `make test` to test it.
# Each creates .venv (with a Python 3.12+) and installs what it needs first.

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Production settings made friendly for a laptop: plain HTTP on 127.0.0.1, a throwaway key.
LOCAL_PRODUCTION := DJANGO_SETTINGS_MODULE=botox_info.settings.production \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_HTTPS=false \
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}

.PHONY: help install serve dev publish rollback export-site test lint format check report loadtest bench clean screenshots

help:
	@echo "make serve   set up and start the site on http://127.0.0.1:$(PORT)/ (PORT=NNNN for another port)"
	@echo "make dev     editors' preview: auto-reload, drafts shown"
	@echo "make publish check and render the content into a new release, and switch the site to it"
	@echo "make rollback  switch the site back to the release before"
	@echo "make export-site DIR=/path [NGINX_PORT=8080]  the current release as files, with nginx.conf and _headers"
	@echo "make test    set up and run every test"
	@echo "make lint    ruff"
	@echo "make loadtest  gunicorn under load while content changes: zero errors or it fails"
	@echo "make bench   requests/s and latency of a page, the handout and a static file"
	@echo "make check   check the content as publishing would: each problem, then how many"
	@echo "make report  each page's reading grade, review dates and problems"
	@echo "make screenshots DIR=/path [CLINIC=1]  every page at 320, 390, 1280 px, light and dark, and both handouts on A4 and Letter, as PNG"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Test tools from npm (axe-core, the Nu HTML Checker), pinned by package-lock.json.
# No package may download a browser: Debian's Chromium is used.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		PUPPETEER_SKIP_DOWNLOAD=true CHROMEDRIVER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility and HTML validity tests will be skipped (they fail in CI)."; fi

install: $(VENV)/.installed

# Publishes first, so that a fresh clone serves the guide with this one command.
serve: install
	@$(LOCAL_PRODUCTION) $(PY) manage.py publish || kill -PIPE $$PPID
	$(LOCAL_PRODUCTION) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

# Like `make check`: only the editors' lines, and a failing exit status (141) when refused.
publish: install
	@$(LOCAL_PRODUCTION) $(PY) manage.py publish || kill -PIPE $$PPID

rollback: install
	@$(LOCAL_PRODUCTION) $(PY) manage.py publish --rollback || kill -PIPE $$PPID

# The headers written into nginx.conf and _headers come from the settings: production's.
NGINX_PORT ?= 8080
export-site: install
	@test -n "$(DIR)" || { echo "Say where: make export-site DIR=/path/to/site"; exit 2; }
	$(LOCAL_PRODUCTION) $(PY) manage.py export_site $(DIR) --port $(NGINX_PORT)

# --skip-checks: a broken content file must not stop the preview; its problems
# show at the top of every page instead (and `make check` still fails on them).
dev: install
	DJANGO_SETTINGS_MODULE=botox_info.settings.dev SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} \
		$(PY) manage.py runserver --skip-checks 127.0.0.1:$(PORT)

test: install node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Only the editors' lines. make adds "make: *** [...] Error 1" after any failing
# recipe; ending make with SIGPIPE instead (which shells report silently) keeps
# the output clean while `make check` still fails (exit status 141) on problems.
check: install
	@$(PY) manage.py check_content --strict || kill -PIPE $$PPID

bench: install
	$(PY) -m scripts.bench

loadtest: install
	$(PY) -m scripts.loadtest

# Pictures of the whole site for a person to look at (pdftoppm from poppler-utils turns the printed handouts into PNG).
screenshots: install
	@test -n "$(DIR)" || { echo "Say where: make screenshots DIR=/path/to/folder"; exit 2; }
	DIR=$(DIR) $(PY) -m scripts.screenshots

report: install
	@$(PY) manage.py content_report

clean:
	rm -rf $(VENV) staticfiles releases .pytest_cache .ruff_cache
