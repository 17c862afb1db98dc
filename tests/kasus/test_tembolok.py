"""The case-list cache: an answer from memory only for the same user, and only while nothing it shows has changed."""
import pytest
from sqlalchemy import text
from werkzeug.test import Client

from dinsos.auth.services import sidik_token
from dinsos.cases.tembolok import TembolokDaftar
from dinsos_uji.alat_kasus import SEMUA_MAGETAN, terima_langsung, token_api

API = "/api/t/kabupaten-magetan/kasus/"
ANAK = {"nama": "Rina Sulastri", "jenis_kelamin": "P", "umur_perkiraan": 12}


def _daftar(klien, kepala, kueri=""):
    r = klien.get(API + kueri, headers=kepala)
    return r.status_code, r.headers.get("X-Cache"), r.json


def _nama(jawab) -> list[str]:
    return [b["klien"] for b in jawab["data"]]


@pytest.mark.postgres
def test_a_repeated_list_comes_from_memory_until_the_office_writes(seed, klien, mesin_pemilik):
    _, staf = seed
    sri = staf["kabupaten-magetan"]["petugas_pelayanan"]
    kepala = token_api(sri)
    kid = terima_langsung(sri, "pengiriman-anjal-at", ANAK, SEMUA_MAGETAN)
    status, cache, pertama = _daftar(klien, kepala)
    assert (status, cache) == (200, "MISS") and _nama(pertama) == ["Rina Sulastri"]
    status, cache, kedua = _daftar(klien, kepala)
    assert (status, cache) == (200, "HIT") and kedua == pertama
    assert _daftar(klien, kepala, "?batas=5")[1] == "MISS"  # each query string is its own entry

    # Written through the app: an intake.
    baru = klien.post(API, headers=kepala, json={"layanan": "pengiriman-anjal-at", "klien": {**ANAK, "nama": "Dodi"},
                                                 "pelapor": {"jenis": "kepolisian", "instansi": "Polres Magetan"},
                                                 "persyaratan": SEMUA_MAGETAN})
    assert baru.status_code == 201, baru.json
    benar = klien.post(f"{API.rstrip('/')}/{baru.json['id']}/verifikasi", headers=kepala,
                       json={"versi": baru.json["versi"], "benar": True})  # Magetan verifies the file before step 1
    assert benar.status_code == 200, benar.json
    status, cache, jawab = _daftar(klien, kepala)
    assert cache == "MISS" and _nama(jawab) == ["Dodi", "Rina Sulastri"]
    assert _daftar(klien, kepala)[1] == "HIT"

    # Written outside the app (psql, a job): the database moves the version itself, at commit and only then.
    with mesin_pemilik.connect() as c:
        c.execute(text("UPDATE kasus SET status = 'ditutup' WHERE id = :id"), {"id": kid})
        c.rollback()
    assert _daftar(klien, kepala)[1] == "HIT"
    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE kasus SET status = 'ditutup' WHERE id = :id"), {"id": kid})
    status, cache, jawab = _daftar(klien, kepala)
    assert cache == "MISS" and [b["status"] for b in jawab["data"]] == ["berjalan", "ditutup"]


@pytest.mark.postgres
def test_each_user_gets_only_their_own_view_and_a_handler_change_is_seen_at_once(seed, klien, mesin_pemilik):
    _, staf = seed
    s = staf["kabupaten-magetan"]
    sri, budi = s["petugas_pelayanan"], s["fungsional_peksos"]
    kid = terima_langsung(sri, "pengiriman-anjal-at", ANAK, SEMUA_MAGETAN)
    kepala_sri, kepala_budi = token_api(sri), token_api(budi)
    for _ in range(2):
        assert _nama(_daftar(klien, kepala_sri)[2]) == ["Rina Sulastri"]  # she took the child in
    status, cache, jawab = _daftar(klien, kepala_budi)
    assert (status, cache) == (200, "MISS") and "***" in _nama(jawab)[0]  # a confidential child's name, not his case
    assert _daftar(klien, kepala_budi)[1] == "HIT"

    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE kasus SET penanggung_jawab_id = :p WHERE id = :id"), {"p": budi.id, "id": kid})
    assert _nama(_daftar(klien, kepala_budi)[2]) == ["Rina Sulastri"]
    with mesin_pemilik.begin() as c:  # taken off the case again: the name goes with it, not a request later
        c.execute(text("UPDATE kasus SET penanggung_jawab_id = NULL WHERE id = :id"), {"id": kid})
    assert "***" in _nama(_daftar(klien, kepala_budi)[2])[0]

    with mesin_pemilik.begin() as c:  # a role taken away stops the user at once, cached answer or not
        c.execute(text("UPDATE pengguna SET peran = '[\"admin_tenant\"]' WHERE id = :p"), {"p": budi.id})
    assert _daftar(klien, kepala_budi)[0] == 403


@pytest.mark.postgres
def test_a_revoked_token_a_deactivated_user_or_office_and_another_office_s_token_are_refused(seed, klien, mesin_pemilik):
    kantor, staf = seed
    sri = staf["kabupaten-magetan"]["petugas_pelayanan"]
    terima_langsung(sri, "pengiriman-anjal-at", ANAK, SEMUA_MAGETAN)
    pertama, kedua, ketiga = token_api(sri), token_api(sri), token_api(sri)
    metro = token_api(staf["kota-metro"]["petugas_pelayanan"])
    for kepala in (pertama, kedua, ketiga):
        for _ in range(2):
            _daftar(klien, kepala)
        assert _daftar(klien, kepala)[1] == "HIT"
    assert klien.get(API, headers=metro).status_code == 401

    sidik = sidik_token(pertama["Authorization"].removeprefix("Bearer "))
    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE token_api SET dicabut_pada = now() WHERE sidik = :s"), {"s": sidik})
    assert _daftar(klien, pertama)[0] == 401 and _daftar(klien, kedua)[1] == "HIT"

    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE pengguna SET aktif = false WHERE id = :p"), {"p": sri.id})
    assert _daftar(klien, kedua)[0] == 401
    # Two transactions: Citus refuses a write to a reference table (tenants) after a multi-shard one in the same.
    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE pengguna SET aktif = true WHERE id = :p"), {"p": sri.id})
    with mesin_pemilik.begin() as c:
        c.execute(text("UPDATE tenants SET aktif = false WHERE id = :t"), {"t": kantor["kabupaten-magetan"].id})
    assert _daftar(klien, ketiga)[0] == 404


@pytest.mark.postgres
def test_with_the_database_unreadable_to_the_cache_the_app_answers_as_without_it(app, seed):
    _, staf = seed
    sri = staf["kabupaten-magetan"]["petugas_pelayanan"]
    terima_langsung(sri, "pengiriman-anjal-at", ANAK, SEMUA_MAGETAN)
    kepala = token_api(sri)
    aplikasi = app.wsgi_app.wsgi_app if isinstance(app.wsgi_app, TembolokDaftar) else app.wsgi_app
    tembolok = TembolokDaftar(aplikasi, "postgresql://dinsos@127.0.0.1:1/tidak_ada", lambda *a: None, "rahasia")
    for _ in range(2):
        r = Client(tembolok).get(API, headers=kepala)
        assert r.status_code == 200 and r.json["data"][0]["klien"] == "Rina Sulastri" and "X-Cache" not in r.headers
    assert tembolok.entri == {}


def test_the_cache_keeps_within_its_memory_bound_dropping_the_least_recently_used(monkeypatch):
    from dinsos.cases import tembolok as modul

    monkeypatch.setattr(modul, "BATAS_BYTE", 100)
    t = TembolokDaftar(None, "postgresql://x@y/z", None, "rahasia")
    for i in range(5):
        t._simpan(("k", i), ("200 OK", [], b"x" * 30))
    assert list(t.entri) == [("k", 2), ("k", 3), ("k", 4)] and t.ukuran == 90
