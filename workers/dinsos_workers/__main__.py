"""``python -m dinsos_workers worker|beat|serve``: the ``dinsos`` CLI with the worker commands.

Installed, ``dinsos worker`` finds these commands through the
``flask.commands`` entry point; from a source checkout that is not installed
(tests, a developer's PYTHONPATH) there is no entry point, so this adds them.
"""
import sys

from dinsos.cli import main

from .cli import beat, serve, worker

for perintah in (worker, beat, serve):
    main.add_command(perintah)

sys.exit(main())
