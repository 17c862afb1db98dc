"""``dinsos worker``, ``dinsos beat`` and ``dinsos serve`` (added to the dinsos CLI by entry point)."""
import click
from flask import current_app
from flask.cli import with_appcontext


def _celery():
    from .celery_app import ikat

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: embedded mode runs jobs inside `dinsos serve`")
    return ikat(current_app._get_current_object())


@click.command("worker", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def worker(celery_args):
    """Run a Celery worker (extra arguments go to celery)."""
    _celery().worker_main(["worker", "--loglevel=INFO", "-Q", "dinsos", *celery_args])


@click.command("beat", context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def beat(celery_args):
    """Run the single Celery beat (exactly one per deployment)."""
    _celery().start(["beat", "--loglevel=INFO", *celery_args])


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve(host, port):
    """Serve the web app; in embedded mode also run the periodic jobs in-process."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        from .tertanam import PenjadwalTertanam

        PenjadwalTertanam(app).start()
        click.echo("embedded mode: periodic jobs run inside this process")
    click.echo(f"serving on http://{host}:{port}/")
    run_simple(host, port, app, threaded=True, use_reloader=False)
