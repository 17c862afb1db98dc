"""Dinsos: one platform for many Dinas Sosial offices.

``create_app`` (in ``app.py``) is the application factory every entry point
uses (web, CLI, workers, tests).
"""
from .app import create_app

__all__ = ["create_app"]
