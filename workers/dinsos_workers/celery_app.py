"""The Celery app, bound to a Flask app.

Tasks run inside the Flask app context; a task that touches one office's data
takes the tenant id as an explicit argument and binds it (``dalam_tenant``),
so RLS and ORM scoping apply in the worker exactly as in a request.
Long waits (deadlines) live in the database, never in Celery countdowns:
Redis redelivers countdowns longer than its visibility timeout.
"""
from celery import Celery, Task

from . import jadwal

_flask_app = None


class TugasDalamAplikasi(Task):
    """A task that runs inside the Flask app context (database session, config)."""

    def __call__(self, *args, **kwargs):
        with flask_app().app_context():
            return self.run(*args, **kwargs)


celery = Celery("dinsos", task_cls=TugasDalamAplikasi)


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
        broker_transport_options={"visibility_timeout": 3600},
        task_default_queue="dinsos",
        timezone="UTC",
        beat_schedule={
            nama: {"task": "dinsos.periodik", "schedule": float(detik), "args": (nama,)}
            for nama, detik, _path in jadwal.PERIODIK
        },
    )
    return celery


from . import tugas  # noqa: E402,F401  (register the tasks on the app)
