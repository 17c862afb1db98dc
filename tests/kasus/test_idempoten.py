"""Idempotency-Key on API writes: a retried request gets the first answer and writes nothing again (issue 24)."""
import io
import threading

import pytest
from sqlalchemy import func, select

from dinsos.cases.models import Kasus, LampiranKasus
from dinsos.core.db import db
from dinsos_uji.alat_kasus import PDF, di_kantor, token_api

API = "/api/t/kabupaten-magetan/kasus"
PENERIMAAN = {
    "layanan": "pengiriman-anjal-at",
    "pelapor": {"jenis": "kepolisian", "instansi": "Polres Magetan", "surat_nomor": "B/1", "surat_tanggal": "2026-05-04"},
    "klien": {"tanpa_identitas": True, "deskripsi": "Anak di terminal", "umur_perkiraan": 12, "jenis_kelamin": "L"},
    "persyaratan": {"surat-keterangan-kepolisian": "dilihat"},
}


def _hitung(kantor, model) -> int:
    with di_kantor(kantor):
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
        return n


def test_a_retried_intake_gets_the_first_answer_and_writes_nothing(seed, klien):
    kantor, staf = seed
    mg = kantor["kabupaten-magetan"]
    sri = token_api(staf["kabupaten-magetan"]["petugas_pelayanan"])
    kunci = dict(sri, **{"Idempotency-Key": "penerimaan-0001"})
    sebelum = _hitung(mg, Kasus)
    pertama = klien.post(API + "/", json=PENERIMAAN, headers=kunci)
    assert pertama.status_code == 201, pertama.json
    assert "Idempotent-Replayed" not in pertama.headers
    # The same request again (JSON keys in another order is the same request).
    ulang = klien.post(API + "/", json=dict(reversed(list(PENERIMAAN.items()))), headers=kunci)
    assert ulang.status_code == 201 and ulang.headers["Idempotent-Replayed"] == "true"
    assert ulang.json == pertama.json
    assert _hitung(mg, Kasus) == sebelum + 1
    # The key with another request: refused, nothing written.
    lain = klien.post(API + "/", json={**PENERIMAAN, "klien": {**PENERIMAAN["klien"], "umur_perkiraan": 13}}, headers=kunci)
    assert lain.status_code == 422 and "Idempotency-Key" in lain.json["message"]
    assert _hitung(mg, Kasus) == sebelum + 1
    # Without a key, or with a new one, it is a new intake; another user's same key is that user's own.
    assert klien.post(API + "/", json=PENERIMAAN, headers=sri).status_code == 201
    budi = token_api(staf["kabupaten-magetan"]["kepala_bidang"])
    r = klien.post(API + "/", json=PENERIMAAN, headers=dict(budi, **{"Idempotency-Key": "penerimaan-0001"}))
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers and r.json["id"] != pertama.json["id"]
    assert _hitung(mg, Kasus) == sebelum + 3


def test_a_refusal_before_any_write_leaves_no_key_and_a_bad_key_is_refused(seed, klien):
    kantor, staf = seed
    sri = token_api(staf["kabupaten-magetan"]["petugas_pelayanan"])
    kunci = dict(sri, **{"Idempotency-Key": "k-2"})
    assert klien.post(API + "/", json={**PENERIMAAN, "layanan": "tidak-ada"}, headers=kunci).status_code == 404
    # Nothing was written, so the key is free: the corrected request under it runs.
    assert klien.post(API + "/", json=PENERIMAAN, headers=kunci).status_code == 201
    r = klien.post(API + "/", json=PENERIMAAN, headers=dict(sri, **{"Idempotency-Key": "x" * 201}))
    assert r.status_code == 422 and "Idempotency-Key" in r.json["message"]


def test_a_retried_upload_and_step_are_answered_once(seed, klien):
    kantor, staf = seed
    mg = kantor["kabupaten-magetan"]
    sri = token_api(staf["kabupaten-magetan"]["petugas_pelayanan"])
    r = klien.post(API + "/", json=PENERIMAAN, headers=sri)
    kid, versi = r.json["id"], r.json["versi"]
    sebelum = _hitung(mg, LampiranKasus)
    kunci = dict(sri, **{"Idempotency-Key": "unggah-1"})

    def unggah():  # each send has its own multipart boundary: the same fields and file are the same request
        return klien.post(f"{API}/{kid}/lampiran", headers=kunci, content_type="multipart/form-data",
                          data={"versi": versi, "persyaratan": "surat-keterangan-kehilangan", "berkas": (io.BytesIO(PDF), "x.pdf")})

    pertama, ulang = unggah(), unggah()
    assert pertama.status_code == 201, pertama.json
    assert ulang.status_code == 201 and ulang.headers["Idempotent-Replayed"] == "true" and ulang.json == pertama.json
    assert _hitung(mg, LampiranKasus) == sebelum + 1


def test_the_openapi_document_offers_the_header_on_every_write(klien):
    spec = klien.get("/api/openapi.json").json
    tulis = [(jalur, m, op) for jalur, ops in spec["paths"].items() for m, op in ops.items() if m in ("post", "patch")]
    assert len(tulis) > 10
    for jalur, m, op in tulis:
        assert any(p.get("name") == "Idempotency-Key" and p["in"] == "header" for p in op.get("parameters", [])), (jalur, m)


@pytest.mark.postgres
def test_simultaneous_requests_with_one_key_write_once(app, seed):
    kantor, staf = seed
    mg = kantor["kabupaten-magetan"]
    kunci = dict(token_api(staf["kabupaten-magetan"]["petugas_pelayanan"]), **{"Idempotency-Key": "serentak-1"})
    sebelum = _hitung(mg, Kasus)
    siap, hasil = threading.Barrier(3), []

    def kirim():
        k = app.test_client()
        siap.wait()
        r = k.post(API + "/", json=PENERIMAAN, headers=kunci)
        hasil.append((r.status_code, r.json))

    utas = [threading.Thread(target=kirim) for _ in range(3)]
    for u in utas:
        u.start()
    for u in utas:
        u.join(60)
    kode = sorted(k for k, _ in hasil)
    assert kode.count(201) >= 1 and set(kode) <= {201, 409}, hasil
    assert _hitung(mg, Kasus) == sebelum + 1


def test_keys_older_than_a_day_are_deleted_by_the_hourly_job_and_an_expired_key_is_fresh(seed, klien, app):
    from datetime import timedelta

    from dinsos.core.db import sekarang
    from dinsos.core.idempoten import KunciIdempoten
    from dinsos_workers import jadwal

    kantor, staf = seed
    mg = kantor["kabupaten-magetan"]
    sri = token_api(staf["kabupaten-magetan"]["petugas_pelayanan"])
    kunci = dict(sri, **{"Idempotency-Key": "lama-1"})
    assert klien.post(API + "/", json=PENERIMAAN, headers=kunci).status_code == 201
    with di_kantor(mg):
        baris = db.session.scalar(select(KunciIdempoten).where(KunciIdempoten.kunci == "lama-1"))
        baris.dibuat_pada = sekarang() - timedelta(hours=25)
        db.session.commit()
    # Past its day the key is a new key: the request runs again.
    r = klien.post(API + "/", json={**PENERIMAAN, "klien": {**PENERIMAAN["klien"], "umur_perkiraan": 9}}, headers=kunci)
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    with di_kantor(mg):
        db.session.execute(KunciIdempoten.__table__.update().values(dibuat_pada=sekarang() - timedelta(hours=25)))
        db.session.commit()
    assert "bersihkan_kunci_idempoten" in [t.nama for t in jadwal.periodik()]
    with app.app_context():
        assert jadwal.jalankan(jadwal.cari("bersihkan_kunci_idempoten"), None) >= 1
    assert _hitung(mg, KunciIdempoten) == 0


def test_the_refusals_speak_english_with_lang_en(seed, klien):
    kantor, staf = seed
    kunci = dict(token_api(staf["kabupaten-magetan"]["petugas_pelayanan"]), **{"Idempotency-Key": "en-1"})
    assert klien.post(API + "/", json=PENERIMAAN, headers=kunci).status_code == 201
    r = klien.post(API + "/?lang=en", json={**PENERIMAAN, "layanan": "lain"}, headers=kunci)
    assert r.status_code == 422 and "already used for another request" in r.json["message"]
