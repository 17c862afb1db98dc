"""Background work for Dinsos: the Celery app, the beat schedule and the embedded scheduler.

This package uses ``dinsos``; ``dinsos`` never imports it. Web requests write
outbox rows and due-times to the database; the jobs here act on them.
"""
