"""Browser end-to-end tests: the real app on a real port, driven by Debian's chromium through Playwright.

The server runs the session's test app (SQLite or PostgreSQL) in a thread.
Screenshots of every page a test visits go to ``test-artifacts/e2e/``. With
``DINSOS_TEST_REQUIRE_SERVICES=1`` (CI) a missing chromium or Playwright is
a failure, not a skip.
"""
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFAK = ROOT / "test-artifacts" / "e2e"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WAJIB = os.environ.get("DINSOS_TEST_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def server(app):
    """The test app served on a free local port; yields its base URL."""
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, app, threaded=True)
    benang = threading.Thread(target=srv.serve_forever, daemon=True)
    benang.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        alasan = "needs Debian chromium (apt-get install chromium) and the playwright package"
        pytest.fail(alasan) if WAJIB else pytest.skip(alasan)

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def peramban(browser, server, request):
    """Opens a browser for one person: ``peramban()`` gives a page in a fresh context (its own cookies).

    Several people in one journey each get their own browser, as they would at
    their own desks. ``page.foto(nama)`` keeps a screenshot; the screenshots of
    all of a test's pages are numbered in one sequence.
    """
    folder = ARTEFAK / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    nomor = iter(range(1, 1000))
    konteks_dibuka = []

    def buka():
        konteks = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="id-ID")
        konteks_dibuka.append(konteks)
        page = konteks.new_page()
        page.foto = lambda nama: page.screenshot(path=str(folder / f"{next(nomor):02d}-{nama}.png"), full_page=True)
        return page

    yield buka
    for konteks in konteks_dibuka:
        konteks.close()


@pytest.fixture
def halaman(peramban):
    """A fresh browser context (its own cookies) and page; ``foto(nama)`` keeps a screenshot."""
    return peramban()
