"""``ocr-ingest serve``: the archive in a browser (search, documents, signatures, watcher status).

Public: :func:`create_app` (the Starlette app over an archive folder), :func:`bind` (the listening
socket, with one-line errors) and :func:`serve_forever` (uvicorn on that socket). The command itself
is :mod:`ocr_ingest.serve.command`.
"""

from .app import create_app
from .command import bind, serve_forever

__all__ = ["bind", "create_app", "serve_forever"]
