"""Shared plumbing: configuration, database, tenant scoping, extensions, the outbox, extension points.

The ground floor: nothing here imports a capability (tests/fondasi/test_struktur.py).
"""
