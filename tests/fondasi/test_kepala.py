"""Headers and exposure (issue 19, item 6): caching, HSTS, redirects, Allow, request ids, API docs, favicon, OpenAPI."""
import re

import pytest

from dinsos_uji.bantuan import buat_staf, masuk

SLUG = "kota-metro"


@pytest.fixture
def staf(app, kantor_seed):
    _, email = buat_staf(kantor_seed[SLUG], ["kepala_bidang", "admin_tenant"])
    klien = app.test_client()
    assert masuk(klien, SLUG, email).status_code == 302
    return klien


def _token(app, kantor):
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    pid, _ = buat_staf(kantor, "pekerja_sosial", "api@metro.uji")
    with app.app_context(), dalam_tenant(kantor.id):
        token = buat_token(db.session.get(Pengguna, (kantor.id, pid)), "uji")
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_staff_pages_and_api_answers_are_not_stored(app, staf, kantor_seed):
    for url in (f"/t/{SLUG}/dasbor", f"/t/{SLUG}/kasus/", f"/t/{SLUG}/notifikasi/", f"/t/{SLUG}/standar-pelayanan"):
        r = staf.get(url)
        assert r.status_code == 200, url
        assert r.headers["Cache-Control"] == "private, no-store", url
    kepala = _token(app, kantor_seed[SLUG])
    for url in (f"/api/t/{SLUG}/saya", f"/api/t/{SLUG}/kasus/"):
        r = app.test_client().get(url, headers=kepala)
        assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-store", url
    assert app.test_client().get(f"/api/t/{SLUG}/saya").headers["Cache-Control"] == "private, no-store"  # the 401 too


def test_public_pages_for_anonymous_readers_keep_their_caching(app, kantor_seed):
    publik = app.test_client()
    assert "no-store" not in publik.get(f"/t/{SLUG}/standar-pelayanan").headers.get("Cache-Control", "")
    assert publik.get(f"/t/{SLUG}/pengaduan/").headers["Cache-Control"] == "private, no-store"  # tracking codes live here


def test_hsts_only_when_the_base_url_is_https(app, monkeypatch):
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers
    monkeypatch.setitem(app.config, "BASE_URL", "https://dinsos.example.go.id")
    assert app.test_client().get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_redirects_are_built_from_base_url_never_the_host_header(app, kantor_seed, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://dinsos.example.go.id")
    r = app.test_client().get(f"/t/{SLUG}/audit", headers={"Host": "penyerang.example"})
    assert r.status_code == 308
    assert r.headers["Location"] == f"https://dinsos.example.go.id/t/{SLUG}/audit/"


def test_405_carries_allow_on_pages_and_api(app):
    r = app.test_client().delete("/healthz")
    assert r.status_code == 405 and set(r.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    r = app.test_client().delete("/api/openapi.json")
    assert r.status_code == 405 and "GET" in r.headers["Allow"] and r.get_json()["message"]


@pytest.mark.parametrize("diberikan, tetap", [("req-42.a:b_c", True), ("x" * 65, False), ("a b", False),
                                              ('a"b', False), ("a\tb", False)])
def test_request_id_is_echoed_only_when_it_is_a_plain_token(app, diberikan, tetap):
    r = app.test_client().get("/healthz", headers={"X-Request-ID": diberikan})
    assert (r.headers["X-Request-ID"] == diberikan) is tetap
    assert re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", r.headers["X-Request-ID"])


def test_api_docs_are_served_from_packaged_files_under_the_csp(app):
    klien = app.test_client()
    r = klien.get("/api/docs")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "cdn" not in html.lower() and "<script>" not in html  # no CDN, no inline script
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), src
        assert klien.get(src).status_code == 200, src
    assert klien.get("/api/docs/aset/index.html").status_code == 404  # only what the page needs


def test_favicon(app):
    r = app.test_client().get("/favicon.ico")
    assert r.status_code == 200 and r.data[:4] == b"\x00\x00\x01\x00"


def test_openapi_declares_bearer_auth_and_the_rules_the_api_enforces(app):
    d = app.test_client().get("/api/openapi.json").get_json()
    assert d["components"]["securitySchemes"]["bearerAuth"] == {**d["components"]["securitySchemes"]["bearerAuth"],
                                                               "type": "http", "scheme": "bearer"}
    assert d["security"] == [{"bearerAuth": []}]
    assert d["components"]["schemas"]["SkemaPenerimaan"]["oneOf"] == [{"required": ["klien"]}, {"required": ["klien_id"]}]
    (setelah,) = [p for p in d["paths"]["/api/t/{slug}/kasus/"]["get"]["parameters"] if p["name"] == "setelah"]
    assert setelah["schema"]["pattern"] and "berikutnya" in setelah["description"]
    persetujuan = d["components"]["schemas"]["SkemaPersetujuan"]
    assert set(persetujuan["required"]) == {"nama", "hubungan", "cara", "tanggal"} and persetujuan["description"]
    assert "anak" in persetujuan["properties"]["hubungan"]["description"]
    assert "persetujuan" in d["components"]["schemas"]["SkemaBuat"]["description"]


def test_a_cursor_the_api_did_not_issue_is_a_422_naming_the_field(app, kantor_seed):
    r = app.test_client().get(f"/api/t/{SLUG}/kasus/?setelah=bukan%20kursor", headers=_token(app, kantor_seed[SLUG]))
    assert r.status_code == 422 and "setelah" in r.get_json()["message"]
