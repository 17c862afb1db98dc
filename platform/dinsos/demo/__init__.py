"""Demo data: login accounts for a local run (``dinsos demo accounts``) and a generated deployment
(``dinsos demo generate``: offices shaped like the seed offices, staff, cases at every step, complaints,
survey responses). Not a web capability: it has no pages, only the ``dinsos demo`` commands
(``dinsos/cli/demo.py``)."""
