"""The test suite sets itself up one way: the ``dinsos_uji`` plugin, imported as a package.

No test module reaches for helpers by editing ``sys.path`` (pytest's
``pythonpath`` setting is the one place), and a fixture shared between folders
is defined once, in the plugin.
"""
import ast
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _berkas():
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_test_file_edits_sys_path():
    pelanggar = []
    for f in _berkas():
        for node in ast.walk(ast.parse(f.read_text(), str(f))):
            jalur_sys = isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", None) == "sys"
            impor = isinstance(node, ast.ImportFrom) and node.module == "sys" and any(a.name == "path" for a in node.names)
            situs = isinstance(node, ast.Attribute) and node.attr == "addsitedir"
            if jalur_sys or impor or situs:
                pelanggar.append(f"{f.relative_to(TESTS)}:{node.lineno}")
    assert not pelanggar, f"edit pyproject's pythonpath or use dinsos_uji instead: {pelanggar}"


def test_shared_fixtures_are_defined_once():
    """Fixtures in conftest files and the plugin: one definition per name."""
    nama = Counter()
    for f in _berkas():
        if f.name != "conftest.py" and "dinsos_uji" not in f.parts:
            continue
        for node in ast.walk(ast.parse(f.read_text(), str(f))):
            if isinstance(node, ast.FunctionDef) and any("fixture" in ast.unparse(d) for d in node.decorator_list):
                nama[node.name] += 1
    assert nama, "no fixtures found"
    assert not [n for n, c in nama.items() if c > 1], nama


def test_helpers_keep_no_module_global_app():
    """Helpers take the app (or an office carrying it) as an argument; no module holds one for the tests."""
    for f in _berkas():
        for node in ast.parse(f.read_text(), str(f)).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                sasaran = node.targets if isinstance(node, ast.Assign) else [node.target]
                assert not any(getattr(t, "id", "") == "APP" for t in sasaran), f"{f.relative_to(TESTS)}: module-global APP"
