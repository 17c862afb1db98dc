"""/api/docs renders in a real browser under the site's CSP, from this site's files only (issue 19, item 6)."""
import pytest

pytestmark = pytest.mark.slow


def test_api_docs_render_from_local_files_under_the_csp(halaman, server):
    page = halaman
    pesan, luar = [], []
    page.on("console", lambda m: pesan.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: luar.append(r.url) if not r.url.startswith(server) and not r.url.startswith("data:") else None)
    jawaban = page.goto("/api/docs")
    assert "script-src 'self'" in jawaban.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    assert "Dinsos API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    assert page.locator(".opblock-summary-path").count() >= 8  # the operations are listed
    page.foto("dokumen-api")
    assert not [p for p in pesan if "Content Security Policy" in p], pesan
    assert luar == []  # nothing from a CDN
