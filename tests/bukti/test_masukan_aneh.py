"""Odd bytes never make a 500 (issue 19, item 5): every route, each class of odd input, as staff and as the public.

PostgreSQL refuses NUL in text, so before the central guard (``dinsos.core.masukan``)
a NUL in a path segment, a query string, a form field or a JSON body reached
the database and answered 500, some of them without logging in. Here every rule
of ``app.url_map`` gets its path parameters filled (a real office, the other
segments real-looking), then NUL in a path segment, in the query string, in the
form fields and in a JSON body; every answer must be below 500, and the ones
carrying a NUL must be a 400 that says what is wrong. The same run goes against
SQLite locally and PostgreSQL (as the app role) in CI, where it matters most.
"""
import re
import uuid
from pathlib import Path

import pytest
from werkzeug.routing import UUIDConverter

from dinsos_uji.bantuan import buat_staf, masuk, token_csrf

ROOT = Path(__file__).resolve().parents[2]
SLUG = "kota-metro"
NUL = "a\x00b"
PESAN_NUL = "karakter NUL"


def _nama_isian() -> list[str]:
    """Names the app reads from query strings, forms and JSON, found in its source (so new ones are covered)."""
    nama = set()
    for p in (ROOT / "platform" / "dinsos").rglob("*.py"):
        isi = p.read_text()
        nama |= set(re.findall(r"(?:args|form)\.get(?:list)?\(\"([a-z_]+)\"", isi))
        nama |= set(re.findall(r"^\s+([a-z_]+)\s*=\s*(?:ma\.fields\.|fields\.|\w+Field\()", isi, re.M))
    for p in (ROOT / "platform" / "dinsos" / "templates").rglob("*.html"):
        nama |= set(re.findall(r'name="([a-z_]+)"', p.read_text()))
    return sorted(nama - {"csrf_token"})


def _isi_jalur(rule, ganti: str | None = None) -> str:
    """A URL for ``rule``: the office's slug, a UUID or a word per segment; ``ganti`` put in the first text one."""
    nilai = {}
    for arg in sorted(rule.arguments):
        if isinstance(rule._converters.get(arg), UUIDConverter):
            nilai[arg] = uuid.UUID(int=1)
        else:
            nilai[arg] = SLUG if arg == "slug" else "x"
    teks = [a for a in sorted(rule.arguments) if not isinstance(rule._converters.get(a), UUIDConverter)]
    if ganti is not None and teks:
        nilai[sorted(teks, key=lambda a: a == "slug")[0]] = ganti
    url = rule.rule
    for arg, isi in nilai.items():
        url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", str(isi).replace("\\", "\\\\"), url)
    return url


def _aturan(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static" and not r.rule.startswith("/static")]


@pytest.fixture
def klien_klien(app, kantor_seed):
    """The public, a member of staff with every office role, a platform admin, and an API token."""
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_admin_platform, buat_token
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant, lintas_tenant

    metro = kantor_seed[SLUG]
    peran = ["petugas_pelayanan", "pekerja_sosial", "kepala_bidang", "kepala_dinas", "admin_tenant"]
    pid, email = buat_staf(metro, peran, "semua@metro.uji")
    staf = app.test_client()
    assert masuk(staf, SLUG, email).status_code == 302
    with app.app_context():
        with dalam_tenant(metro.id):
            token = buat_token(db.session.get(Pengguna, (metro.id, pid)), "uji")
            db.session.commit()
        with lintas_tenant("uji", catat=False):
            buat_admin_platform("admin@platform.uji", "Admin", "rahasia-uji-123")
            db.session.commit()
    admin = app.test_client()
    html = admin.get("/admin/masuk").get_data(as_text=True)
    assert admin.post("/admin/masuk", data={"email": "admin@platform.uji", "kata_sandi": "rahasia-uji-123",
                                            "csrf_token": token_csrf(html)}).status_code == 302
    csrf_staf = token_csrf(staf.get(f"/t/{SLUG}/akun/kata-sandi").get_data(as_text=True))
    baru = admin.get("/admin/onboarding/baru")
    csrf_admin = token_csrf(baru.get_data(as_text=True)) if baru.status_code == 200 else csrf_staf
    return {"publik": (app.test_client(), None), "staf": (staf, csrf_staf), "admin": (admin, csrf_admin),
            "token": token}


def _kirim(klien, metode, url, **kw):
    return klien.open(url, method=metode, **kw)


def _periksa(hasil, gagal, label, r, ada_nul=True):
    if r.status_code >= 500:
        gagal.append(f"{label} -> {r.status_code}")
    elif ada_nul and r.status_code == 400 and PESAN_NUL not in r.get_data(as_text=True):
        hasil.append(f"{label} -> 400 without saying why")


def test_nul_anywhere_is_a_clear_400_on_every_route(app, klien_klien):
    nama = _nama_isian()
    kueri = "&".join(f"{n}=a%00b" for n in nama)
    gagal, samar = [], []
    for rule in _aturan(app):
        metode = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        api = rule.rule.startswith("/api/")
        siapa = ["publik", "admin"] if rule.rule.startswith("/admin") else ["publik", "staf"]
        for orang in siapa:
            klien, csrf = klien_klien[orang]
            kepala = {"Authorization": f"Bearer {klien_klien['token']}"} if api and orang == "staf" else {}
            for m in metode:
                if any(a != "slug" and not isinstance(rule._converters.get(a), UUIDConverter) for a in rule.arguments) \
                        or "slug" in rule.arguments:
                    url = _isi_jalur(rule, "a%00b")
                    _periksa(samar, gagal, f"{orang} {m} {url} (path)", _kirim(klien, m, url, headers=kepala))
                url = _isi_jalur(rule)
                _periksa(samar, gagal, f"{orang} {m} {url} (query)", _kirim(klien, m, f"{url}?{kueri}", headers=kepala))
                if m in ("POST", "PUT", "PATCH", "DELETE"):
                    form = {n: NUL for n in nama} | ({"csrf_token": csrf} if csrf else {})
                    _periksa(samar, gagal, f"{orang} {m} {url} (form)", _kirim(klien, m, url, data=form, headers=kepala))
                    isi = {n: NUL for n in nama} | {"klien": {"nama": NUL, "nik": NUL}}
                    _periksa(samar, gagal, f"{orang} {m} {url} (json)", _kirim(klien, m, url, json=isi, headers=kepala))
    assert not gagal, "\n".join(gagal)
    assert not samar, "\n".join(samar)
