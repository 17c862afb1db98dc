"""What the environment of the test run provides: PostgreSQL, Redis, and whether they are mandatory.

With nothing configured the suite runs on SQLite. With ``DATABASE_URL``
pointing at PostgreSQL (a superuser, as on a developer machine or in CI) it
creates a fresh test database, migrates it as the owner and runs the app as
the non-owner role ``dinsos_app``, so row-level security is really in force.
``DINSOS_TEST_REQUIRE_SERVICES=1`` (set by .ci/run) turns a missing
PostgreSQL or Redis into a failure instead of a skip. ``DINSOS_TEST_CITUS=1``
says ``DATABASE_URL`` is a Citus coordinator (deploy/citus.sh): the test
database is then made on every node and distributed after the upgrade
(``dinsos db distribute``), and tests marked ``citus`` run.
"""
import os

WAJIB = os.environ.get("DINSOS_TEST_REQUIRE_SERVICES") == "1"
_URL_ENV = os.environ.get("DATABASE_URL", "")
PG_ADMIN_URL = _URL_ENV if _URL_ENV.startswith(("postgresql", "postgres:")) else None
REDIS_URL = os.environ.get("REDIS_URL") or None
PERAN_APP = "dinsos_app"
CITUS = bool(PG_ADMIN_URL) and os.environ.get("DINSOS_TEST_CITUS") == "1"
