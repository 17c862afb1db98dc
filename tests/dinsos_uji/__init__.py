"""The test suite's own pytest plugin and helpers (as indico's ``indico.testing``).

``tests/conftest.py`` loads the plugin (``pytest_plugins = ["dinsos_uji.plugin"]``)
and pytest's ``pythonpath`` setting puts ``tests/`` on the import path, so test
modules import the helpers as a package (``from dinsos_uji.bantuan import masuk``)
and no test edits ``sys.path``. Each fixture is defined once, in ``fixtures/``;
helpers take the app (or an office that carries it) as an argument.

- ``bantuan``: offices, staff accounts, logging in;
- ``alat_kasus``: the seed offices with one account per role, running case services as a user;
- ``pekerja``: worker, beat and web subprocesses; ``server``: local SMTP, webhook and proxy servers.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: tenants/, platform/, workers/
