# `make run` serves the knowledge base; `make test` runs the test suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test lint run ingest bench eval eval-library train clean chromium

setup: $(STAMP)

# torch first, pinned: 2.13.0 is a local CPU build here; an unpinned torch pulls GBs of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check kb cli.py api.py tests scripts bench
	$(BIN)/mypy

# The browser test drives Debian's Chromium (no browser download is possible here).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test: $(STAMP) lint chromium
	$(BIN)/pytest -q

ingest: $(STAMP)
	$(BIN)/kb ingest

# Sync the index with the corpus (a no-op when nothing changed), then serve on KB_HOST:KB_PORT.
run: $(STAMP)
	$(BIN)/kb ingest || echo "Some files could not be indexed (see above); serving the rest."
	$(BIN)/kb serve

# Answer and retrieval figures (README, "Answers"): the development sets on the corpus, then our own
# documents beyond it (eval/documents), then saved web pages and PDF and Word publications of other publishers
# (eval/saved_pages, eval/other_formats, eval/other_formats2), each indexed with the corpus in a temporary folder.
eval: $(STAMP)
	$(BIN)/kb ingest
	$(BIN)/kb eval ../shared/eval/dev_answers.jsonl ../shared/eval/dev_questions.jsonl eval/out_of_scope.jsonl
	$(BIN)/kb eval eval/peers.jsonl
	tmp=$$(mktemp -d) && KB_INDEX_DIR=$$tmp $(BIN)/kb ingest corpus eval/documents >/dev/null && \
		KB_INDEX_DIR=$$tmp $(BIN)/kb eval eval/own_answers.jsonl; status=$$?; rm -rf $$tmp; exit $$status
	tmp=$$(mktemp -d) && KB_INDEX_DIR=$$tmp $(BIN)/kb ingest corpus eval/saved_pages >/dev/null && \
		KB_INDEX_DIR=$$tmp $(BIN)/kb eval eval/saved_pages.jsonl; status=$$?; rm -rf $$tmp; exit $$status
	tmp=$$(mktemp -d) && KB_INDEX_DIR=$$tmp $(BIN)/kb ingest corpus eval/other_formats >/dev/null && \
		KB_INDEX_DIR=$$tmp $(BIN)/kb eval eval/other_formats.jsonl; status=$$?; rm -rf $$tmp; exit $$status
	tmp=$$(mktemp -d) && KB_INDEX_DIR=$$tmp $(BIN)/kb ingest corpus eval/other_formats2 >/dev/null && \
		KB_INDEX_DIR=$$tmp $(BIN)/kb eval eval/other_formats2.jsonl; status=$$?; rm -rf $$tmp; exit $$status

# Answers on the development library (README, "Answers"): ../shared/library indexed with corpus/ in a temporary
# folder, its questions and unanswerable ones with ../shared/eval's, the out-of-scope set and our never-fitted library
# sets (about 5 minutes).
LIBRARY_SETS := ../shared/library/questions.jsonl ../shared/library/unanswerable.jsonl ../shared/eval/dev_answers.jsonl \
	../shared/eval/dev_questions.jsonl eval/out_of_scope.jsonl eval/library_more2.jsonl eval/library_unanswerable_more.jsonl \
	eval/library_more3.jsonl eval/library_unanswerable_more2.jsonl
eval-library: $(STAMP)
	tmp=$$(mktemp -d) && KB_INDEX_DIR=$$tmp $(BIN)/kb ingest corpus ../shared/library/docs >/dev/null && \
		KB_INDEX_DIR=$$tmp $(BIN)/kb eval $(LIBRARY_SETS); status=$$?; rm -rf $$tmp; exit $$status

# Refit the answer model (kb/answering/model.json) on the labelled questions; prints the held-out folds first.
train: $(STAMP)
	$(BIN)/python scripts/train_answer_model.py --write

# Speed figures (README, "Speed"): takes ~40 minutes, mostly the 1M-vector HNSW build, the library indexes of the
# two tree comparisons (answer latency, ingest throughput, against e6967bf) and the five-minute
# soak (README, "Limits": the server's memory under 16 clients and an editor).
bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.pdf_cleanup
	$(BIN)/python -m bench.answer_latency --baseline e6967bf
	$(BIN)/python -m bench.ingest_throughput --baseline e6967bf
	$(BIN)/python -m bench.html_pages
	$(BIN)/python -m bench.provenance_library
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) index/gen-* index/CURRENT
