"""Odd input answers 4xx with a clear message, never a 500 (issue 19, item 5): next=, JSON, and the guard's words."""
import html

import pytest

from dinsos_uji.bantuan import buat_staf, token_csrf

SLUG = "kota-metro"


@pytest.mark.parametrize("tujuan", ["/t/kota-metro/kasus\r\nSet-Cookie: a=b", "/t/kota-metro/kasus\n", "/\\evil.example/",
                                    "/t/kota-metro/kasus%0d%0aX:y"])
def test_login_with_a_broken_next_goes_to_the_dashboard(app, kantor_seed, tujuan):
    _, email = buat_staf(kantor_seed[SLUG], "pekerja_sosial")
    klien = app.test_client()
    halaman = klien.get(f"/t/{SLUG}/masuk").get_data(as_text=True)
    r = klien.post(f"/t/{SLUG}/masuk", query_string={"next": tujuan},
                   data={"email": email, "kata_sandi": "rahasia-uji-123", "csrf_token": token_csrf(halaman)})
    assert r.status_code == 302
    lokasi = r.headers["Location"]
    assert "\n" not in lokasi and "\r" not in lokasi and "evil" not in lokasi
    if "%0d%0a" in tujuan:  # percent-encoded stays a plain path of ours
        assert lokasi == tujuan
    else:
        assert lokasi.endswith("/t/kota-metro/dasbor")


def _token(app, kantor):
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    pid, _ = buat_staf(kantor, "kepala_bidang")
    with app.app_context(), dalam_tenant(kantor.id):
        token = buat_token(db.session.get(Pengguna, (kantor.id, pid)), "uji")
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_json_with_an_integer_python_cannot_read_is_a_400(app, kantor_seed):
    kepala = _token(app, kantor_seed[SLUG])
    r = app.test_client().post(f"/api/t/{SLUG}/kasus/", headers=kepala, content_type="application/json",
                               data='{"layanan": ' + "9" * 5000 + "}")
    assert r.status_code == 400 and "bilangan yang terlalu panjang" in r.get_json()["message"]


@pytest.mark.parametrize("isi, tempat", [('{"klien": {"nama": "a\\u0000b"}}', "klien.nama"),
                                         ('{"catatan": "\\ud800"}', "catatan"),
                                         ('{"a\\u0000": 1}', "a\\0")])
def test_json_with_nul_or_a_lone_surrogate_names_the_field(app, kantor_seed, isi, tempat):
    kepala = _token(app, kantor_seed[SLUG])
    r = app.test_client().post(f"/api/t/{SLUG}/kasus/", headers=kepala, content_type="application/json", data=isi)
    assert r.status_code == 400
    assert f"JSON pada '{tempat}'" in r.get_json()["message"]


def test_the_refusal_speaks_english_with_lang_en(app, kantor_seed):
    r = app.test_client().get(f"/t/{SLUG}/standar-pelayanan?q=a%00b&lang=en")
    assert r.status_code == 400
    assert "parameter 'q' contains a NUL" in html.unescape(r.get_data(as_text=True))


def test_a_query_parameter_without_a_name_is_a_400(app, kantor_seed):
    kepala = _token(app, kantor_seed[SLUG])
    r = app.test_client().get(f"/api/t/{SLUG}/kasus/?batas=1&=false", headers=kepala)
    assert r.status_code == 400 and "parameter tanpa nama" in r.get_json()["message"]
