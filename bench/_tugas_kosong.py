"""Bench-only Celery task, loaded by the benchmark's worker with ``-I _tugas_kosong``: a no-op that only counts itself.

It goes through the same Redis queue and the same worker as the referral
deliveries; the one Redis INCR is how the benchmark knows the tasks are done.
"""
import os

import redis

from dinsos_workers.celery_app import celery

_redis = None


@celery.task(name="bench.kosong")
def kosong() -> None:
    global _redis
    _redis = _redis or redis.Redis.from_url(os.environ["REDIS_URL"])
    _redis.incr("bench:kosong")
