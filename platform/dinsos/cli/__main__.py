"""``python -m dinsos.cli ...``: the ``dinsos`` command without the installed script (tests, a source checkout)."""
import sys

from dinsos.cli import main

sys.exit(main())
