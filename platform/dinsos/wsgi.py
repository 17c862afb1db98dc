"""WSGI entry point for gunicorn: ``gunicorn -c deploy/gunicorn.conf.py dinsos.wsgi:app``."""
from dinsos import create_app

app = create_app()
