"""Read by gunicorn from the working folder: metrics summed over its workers.

With PROMETHEUS_MULTIPROC_DIR set, each worker keeps its counters in files
there and /metrics adds them up (config.metrics). The folder is emptied when
gunicorn starts, so a restart does not count old workers again, and a
worker's gauges go when the worker does.
"""

import os
import shutil
from pathlib import Path


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
