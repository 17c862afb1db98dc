"""Gunicorn settings for the Dinsos web process in production.

Run as ``gunicorn -c deploy/gunicorn.conf.py dinsos.wsgi:app`` (the image
keeps this file at /app/deploy/gunicorn.conf.py). Everything an operator may
tune comes from the environment, so the same image serves every cluster:

- ``DINSOS_WEB_CONCURRENCY``: worker processes (default: 2 x CPUs + 1, capped).
- ``DINSOS_WEB_THREADS``: threads per worker (default 1; above 1 gunicorn
  switches to its threaded worker).
- ``DINSOS_WEB_TIMEOUT``: seconds a request may run before its worker is
  killed and restarted.
- ``DINSOS_WEB_MAX_REQUESTS``: requests a worker serves before it is
  replaced (default 20,000).
- ``DINSOS_LOG_FORMAT=json``: gunicorn's own log lines as JSON objects.
- ``PROMETHEUS_MULTIPROC_DIR``: when set, metrics are shared between worker
  processes through files in that directory (see ``on_starting``).
- ``FORWARDED_ALLOW_IPS``: read by gunicorn itself; which proxies may set
  X-Forwarded-* headers.
"""

import json
import logging
import os
import shutil

from gunicorn import glogging

# Past this many processes a pod should get more replicas, not more workers:
# each worker holds a database connection pool and WeasyPrint's memory.
MAX_DEFAULT_WORKERS = 8


def _cpu_quota() -> int:
    """CPUs this container may use: the cgroup v2 quota, else the CPUs it may run on.

    ``os.cpu_count()`` reports the node's CPUs, which on a large node would
    start dozens of workers inside a pod limited to one CPU.
    """
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as handle:
            quota, period = handle.read().split()
        if quota != "max":
            return max(1, -(-int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return len(os.sched_getaffinity(0))


def _default_workers() -> int:
    return min(2 * _cpu_quota() + 1, MAX_DEFAULT_WORKERS)


bind = "0.0.0.0:8000"
workers = int(os.environ.get("DINSOS_WEB_CONCURRENCY") or _default_workers())
threads = int(os.environ.get("DINSOS_WEB_THREADS") or 1)

# Never preload: each worker must open its own database and Redis
# connections after the fork, and a reload then picks up new code.
preload_app = False

# The heartbeat file of each worker lives in memory; on a disk-backed /tmp a
# slow volume makes the arbiter think healthy workers hang.
worker_tmp_dir = "/dev/shm"

timeout = int(os.environ.get("DINSOS_WEB_TIMEOUT") or 60)
# Kubernetes sends SIGTERM and waits terminationGracePeriodSeconds (40 in the
# chart) before SIGKILL; in-flight requests get this long to finish.
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so slow leaks (PDF rendering, fonts) never
# grow without bound; the jitter keeps them from all restarting together.
# Not often: a worker takes about two seconds of CPU to start (it imports the
# whole app), so recycling every 1,000 requests cost a fast request ~2 ms on
# average and, under load, left workers starting more than serving (the case
# list's p95 went from 36 ms to seconds in bench/beban.py).
max_requests = int(os.environ.get("DINSOS_WEB_MAX_REQUESTS") or 20000)
max_requests_jitter = max_requests // 10

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("DINSOS_LOG_LEVEL", "info")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for the log collector to parse."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "http", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class JsonLogger(glogging.Logger):
    """Gunicorn's error and access logs as JSON, without personal data.

    An access line carries the request id, the tenant slug, method, path,
    status, size and duration. The path is logged without its query string,
    where search forms put names and NIKs, and the client address is left
    out. Building the line with ``json.dumps`` instead of gunicorn's format
    string keeps a path with quotes or newlines from breaking the line.
    """

    def setup(self, cfg):
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        path = atoms["U"] or ""
        self.access_log.info(
            "request",
            extra={
                "http": {
                    # The app answers with the id it used (its own when the
                    # proxy sent none); fall back to the incoming header.
                    "request_id": atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i"),
                    "tenant": tenant_slug(path),
                    "method": atoms["m"],
                    "path": path,
                    "status": int(atoms["s"]),
                    "bytes": atoms["B"],
                    "duration_ms": atoms["M"],
                }
            },
        )


def tenant_slug(path: str) -> str | None:
    """The tenant of a request from its path: ``/t/<slug>/...`` and ``/api/t/<slug>/...`` name the office."""
    parts = path.removeprefix("/api").split("/", 3)
    if len(parts) > 2 and parts[1] == "t" and parts[2]:
        return parts[2]
    return None


def escape_controls(value):
    """A log field with its control characters written as escapes (``\\r``, ``\\n``, ``\\x1b``).

    Gunicorn's ``%(U)s`` is the decoded path: ``/x%0d%0a...`` would otherwise
    start a forged line in a plain-text access log.
    """
    if not isinstance(value, str) or value.isprintable():
        return value
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in value)


class TextLogger(glogging.Logger):
    """Gunicorn's plain-text logger, with every access-log field unable to break its line."""

    def atoms(self, resp, req, environ, request_time):
        return {key: escape_controls(value) for key, value in super().atoms(resp, req, environ, request_time).items()}


if os.environ.get("DINSOS_LOG_FORMAT") == "json":
    logger_class = JsonLogger
else:
    logger_class = TextLogger
    access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s"


def on_starting(server):
    """Start every master with an empty metrics directory.

    Files left by workers of an earlier run would be summed into the new
    counters.
    """
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """Drop the live gauges of a worker that has exited."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
