# Two commands do everything on a fresh Debian machine (as root): `make demo` and `make test`.
# Each installs what is missing: Debian packages once, then a .venv with the project (editable).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd poppler-utils qpdf ghostscript \
	unpaper pngquant fonts-liberation2 python3-venv python3-dev chromium chromium-driver hunspell-vi softhsm2
# Only to train the handwritten-figures model again (make train-digits): handwriting fonts Debian ships.
TRAIN_APT_PACKAGES := fonts-dkg-handwriting fonts-breip fonts-bwht fonts-dancingscript fonts-femkeklaver \
	fonts-humor-sans fonts-kristi fonts-comic-neue fonts-kaushanscript fonts-ecolier-court
STAMP_SYSTEM := $(VENV)/.system-ok
STAMP_VENV := $(VENV)/.venv-ok
PYTEST_ARGS ?=

.PHONY: help system venv demo test test-fast bench bench-real fixtures lint format clean train-digits

help:
	@echo "make demo      install everything, then read the bundled notices and show the result"
	@echo "make test      install everything, then run the whole test suite (slow tests included)"
	@echo "make test-fast the suite without tests marked slow"
	@echo "make bench     benchmarks: pipeline vs bare Tesseract vs OCRmyPDF, verify, archive, Dask"
	@echo "make bench-real fields on ../shared/real/vietidp, CER on ../shared/real/nomvn (with the peers)"
	@echo "make fixtures  regenerate fixtures/ from fixtures/seeds (deterministic)"
	@echo "make lint      ruff check + format check"
	@echo "make train-digits  train the handwritten-figures model again (ocr_ingest/text/digits, ~15 min CPU)"

# System packages: installed only when a required tool or language pack is missing.
system:
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie \
	   && tesseract --list-langs 2>/dev/null | grep -qx osd && command -v pdftoppm >/dev/null \
	   && command -v qpdf >/dev/null && command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	   && test -f /usr/share/hunspell/vi_VN.dic && command -v softhsm2-util >/dev/null \
	   && $(PYTHON) -m venv --help >/dev/null 2>&1; then \
	  echo "system packages: present"; \
	else \
	  echo "installing Debian packages: $(APT_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

$(STAMP_VENV): pyproject.toml
	@$(MAKE) --no-print-directory system
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# the E-ARK validator, for the intake's package tests: without its dependencies (it pins lxml==5.1.0,
	# older than pyHanko needs; pyproject's dev extra brings the others)
	$(PY) -m pip install -q --no-deps 'eark-validator==1.1.3'
	touch $(STAMP_VENV)

venv: system $(STAMP_VENV)

demo: venv
	@echo; echo "== 1. Clean text of a noisy 200 dpi scan (seal over the signer, page 2 upside down) =="
	$(VENV)/bin/ocr-ingest text fixtures/scans/govquao-2021-hard.pdf | head -n 25
	@echo; echo "== 2. What the pipeline did per page (--json) =="
	$(VENV)/bin/ocr-ingest text --json fixtures/scans/govquao-2021-hard.pdf \
	  | $(PY) -c "import json,sys; d=json.load(sys.stdin); [print(f\"page {p['number']}: {p['source']}, confidence {p['confidence']}, turned {p['rotation']}°, deskewed {p['skew']:+.2f}°\") for p in d['pages']]"
	@echo; echo "== 3. Accuracy against the ground truth (character error rate) =="
	$(PY) -m bench.cer fixtures/scans/govquao-2021-standard.pdf fixtures/scans/govquao-2021-hard.pdf fixtures/digital/govquao-2021.pdf
	@echo; echo "== 4. Signatures =="
	@$(VENV)/bin/ocr-ingest verify --trust fixtures/signed/pki fixtures/signed/valid.pdf fixtures/signed/flipped-byte.pdf \
	  fixtures/signed/page-replaced.pdf fixtures/scans/govquao-2021-standard.pdf \
	  || echo "(exit status $$?: not every file is valid, as expected for these examples)"
	@if $(VENV)/bin/ocr-ingest run --help >/dev/null 2>&1; then \
	  echo; echo "== 5. Ingest into an archive and search without diacritics =="; \
	  rm -rf demo-out; $(VENV)/bin/ocr-ingest run fixtures/digital fixtures/scans/govquao-2021-standard.pdf \
	    fixtures/signed/valid.pdf --trust fixtures/signed/pki --archive demo-out/archive; \
	  $(VENV)/bin/ocr-ingest search --archive demo-out/archive "thoi gian ky"; fi
	@echo; echo "== 6. The archive in a browser: ocr-ingest serve, screenshots by headless Chromium =="
	$(PY) -m bench.screenshots --archive demo-out/archive --out bench/out
	@echo; echo "== 7. Handing a hồ sơ to an archive (TT 05/2025): signed two-layer PDF/A, metadata, E-ARK package =="
	$(PY) -m bench.intake_demo --out demo-out/intake

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: venv
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

bench: venv
	$(PY) -m bench

bench-real: venv
	$(PY) -m bench.real

fixtures: venv
	$(PY) -m fixtures.generate

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) demo-out bench/out .pytest_cache

# The handwritten-figures model: fonts and PyTorch (the `train` extra) only here, never at run time.
train-digits: venv
	@test -f /usr/share/fonts/truetype/fifthhorseman/dkg.ttf || { export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(TRAIN_APT_PACKAGES) >/dev/null; }
	$(PY) -m pip install -q -e '.[dev,train]'
	$(PY) -m ocr_ingest.text.digits.train
