# Two commands on a fresh machine:  `make demo` (set up, run the bundled samples) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test install bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,postgres,dask]'
	touch $(STAMP)

install: $(STAMP)

## demo: ingest the bundled sample articles into out/demo.db, print the events, write the exports
demo: $(STAMP)
	mkdir -p out
	$(BIN)/conflictlens ingest samples/articles/ --db sqlite:///out/demo.db
	$(BIN)/conflictlens events --db sqlite:///out/demo.db --limit 0
	$(BIN)/conflictlens export --db sqlite:///out/demo.db --format json -o out/events.json
	$(BIN)/conflictlens export --db sqlite:///out/demo.db --format csv -o out/events.csv
	$(BIN)/conflictlens export --db sqlite:///out/demo.db --format geojson -o out/events.geojson
	$(BIN)/conflictlens actors --db sqlite:///out/demo.db

## test: the whole test suite (pytest's "no tests collected", exit 5, counts as a failure)
test: $(STAMP)
	$(BIN)/python -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

## bench: throughput and memory on the BBC corpus when ../shared is present
bench: $(STAMP)
	$(BIN)/conflictlens benchmark ../shared/data/bbc_news/bbc_fulltext.jsonl --compare-bare

clean:
	rm -rf out $(VENV) build *.egg-info
