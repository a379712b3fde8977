"""Where pages are read: in this process or a local pool (``local``), or on a Dask cluster
(``dask_cluster``: a scheduler's address, or one spawned here)."""

from .dask_cluster import SchedulerUnreachableError, documents_in_flight, make_executor, map_documents
from .local import Executor, LocalExecutor, SerialExecutor, cores

__all__ = [
    "Executor",
    "LocalExecutor",
    "SchedulerUnreachableError",
    "SerialExecutor",
    "cores",
    "documents_in_flight",
    "make_executor",
    "map_documents",
]
