"""The scanner hot folder: files seen → stable → claimed → done or failed, exactly once (``watcher``);
the inbox's file moves (``files``) and its ``status.json`` (``status``)."""

from .files import STATUS_FILE, WatchSettings
from .status import failed_reports, read_status
from .watcher import Watcher, install_signal_handlers

__all__ = [
    "STATUS_FILE",
    "WatchSettings",
    "Watcher",
    "failed_reports",
    "install_signal_handlers",
    "read_status",
]
