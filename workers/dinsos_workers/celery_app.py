"""The Celery app, bound to a Flask app.

Tasks run inside the Flask app context; a task that touches one office's data
takes the tenant id as an explicit argument and binds it (``dalam_tenant``),
so RLS and ORM scoping apply in the worker exactly as in a request.
Long waits (deadlines, retry backoff) live in the database, never in Celery
countdowns: Redis redelivers countdowns longer than its visibility timeout.

Liveness for Kubernetes: the worker touches ``DINSOS_WORKER_HEARTBEAT_FILE``
on every Celery heartbeat (every 2 s while it is connected to the broker);
the beat touches ``DINSOS_BEAT_HEARTBEAT_FILE`` on every scheduler tick, at
least every ``beat_max_loop_interval`` seconds. A process stuck on a dead
broker stops touching its file and the probes restart it.
"""
import os
from pathlib import Path

from celery import Celery, Task
from celery.beat import PersistentScheduler
from celery.signals import heartbeat_sent, worker_process_init

from . import jadwal

_flask_app = None
DETAK_BEAT_MAKS_DETIK = 30
VISIBILITAS_DETIK = 120


class TugasDalamAplikasi(Task):
    """A task that runs inside the Flask app context (database session, config)."""

    def __call__(self, *args, **kwargs):
        with flask_app().app_context():
            return self.run(*args, **kwargs)


# The tasks live in ``tugas`` (which imports this module); a worker imports them through ``include``.
celery = Celery("dinsos", task_cls=TugasDalamAplikasi, include=["dinsos_workers.tugas"])


def detak(variabel: str) -> None:
    """Touch the heartbeat file named by environment variable ``variabel``, if set."""
    berkas = os.environ.get(variabel)
    if berkas:
        Path(berkas).touch()


@heartbeat_sent.connect
def _detak_worker(sender=None, **kwargs):
    detak("DINSOS_WORKER_HEARTBEAT_FILE")


class PenjadwalBeat(PersistentScheduler):
    """Celery beat's scheduler, touching the beat heartbeat file on every tick."""

    def tick(self, *args, **kwargs):
        detak("DINSOS_BEAT_HEARTBEAT_FILE")
        return super().tick(*args, **kwargs)


@worker_process_init.connect
def _koneksi_baru_setelah_fork(**kwargs):
    """A forked pool process must not share the parent's database connections."""
    if _flask_app is not None:
        from dinsos.core.db import db

        with _flask_app.app_context():
            db.engine.dispose(close=False)


def flask_app():
    """The Flask app the tasks run in (created on first use in a worker)."""
    global _flask_app
    if _flask_app is None:
        from dinsos import create_app

        ikat(create_app())
    return _flask_app


def ikat(app) -> Celery:
    """Configure the Celery app from a Flask app's configuration."""
    global _flask_app
    _flask_app = app
    url = app.config.get("REDIS_URL")
    celery.conf.update(
        broker_url=url or "memory://",
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # A task a killed worker had taken comes back after this long (acks late). Tasks are short (a delivery, a
        # sweep of at most a few seconds) and retry countdowns at most 30 s, so two minutes is never a running
        # task; the relay republishes lost deliveries sooner still (outbox.KIRIM_ULANG_SETELAH).
        broker_transport_options={"visibility_timeout": VISIBILITAS_DETIK},
        task_default_queue="dinsos",
        timezone="UTC",
        beat_scheduler=f"{__name__}:PenjadwalBeat",
        beat_max_loop_interval=DETAK_BEAT_MAKS_DETIK,
        beat_schedule={
            # a periodic message nobody ran before the next one is due is dropped, not piled up
            t.nama: {"task": "dinsos.periodik", "schedule": float(t.setiap_detik), "args": (t.nama,), "options": {"expires": float(t.setiap_detik)}}
            for t in jadwal.periodik()
        },
    )
    # Pooled connections belong to the previous broker (if any); Celery drops
    # them the same way after a fork.
    celery._pool = None
    celery.amqp._producer_pool = None
    return celery

