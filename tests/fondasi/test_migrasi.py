"""The migrations folder reads in the order Alembic runs it.

Revision ids are history (databases in the field store them), so they never
change; the file names carry the order instead: sorted by name, the files are
the chain from base to head. A new migration is named after the last file.
"""
from pathlib import Path

from alembic.script import ScriptDirectory

MIGRASI = Path(__file__).resolve().parents[2] / "platform" / "dinsos" / "migrations"


def test_files_sorted_by_name_are_the_chain_from_base_to_head():
    skrip = ScriptDirectory(str(MIGRASI))
    assert len(skrip.get_heads()) == 1, f"more than one head: {skrip.get_heads()}"
    rantai = [Path(r.path).name for r in reversed(list(skrip.walk_revisions()))]
    berkas = sorted(p.name for p in (MIGRASI / "versions").glob("*.py"))
    assert berkas == rantai, "rename the files so that name order is the chain order"


def test_file_names_are_numbered_one_after_another():
    berkas = sorted(p.name for p in (MIGRASI / "versions").glob("*.py"))
    assert [int(b.split("_", 1)[0]) for b in berkas] == list(range(1, len(berkas) + 1))
