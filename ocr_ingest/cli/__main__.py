"""``python -m ocr_ingest.cli``: the same as the ``ocr-ingest`` command."""

import sys

from .main import main

sys.exit(main())
