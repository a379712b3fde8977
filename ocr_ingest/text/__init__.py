"""Text: a file's pages read into clean Vietnamese text.

``pipeline`` is the list of steps (load → prepare → engine → second readings → layout → clean);
each step has its own module here. ``extract_text`` is the entry point.
"""

from .document import DocumentText, PageText
from .options import ENGINES, Options
from .pipeline import describe, extract_text, prepare_pages, read_page

__all__ = [
    "ENGINES",
    "DocumentText",
    "Options",
    "PageText",
    "describe",
    "extract_text",
    "prepare_pages",
    "read_page",
]
