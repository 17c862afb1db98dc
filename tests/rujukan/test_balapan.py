"""Races: simultaneous requests on one case, each thread with its own client, app context and database connection.

Issue 24: three simultaneous referrals of one case made two referrals (the
receiver then opened two cases for one child) and a 500 (a duplicate timeline
number). Now exactly one wins; the others get a 409 with a message, never a 500.
"""
import threading

import pytest
from alat_rujukan import DOKUMEN_BANTEN, kasus_magetan
from sqlalchemy import func, select

from dinsos_uji.alat_kasus import di_kantor, token_api

SERENTAK = 3


def _badan(kasus_id, lampiran, **lain) -> dict:
    return {"kasus_id": str(kasus_id), "tujuan": {"jenis": "layanan", "kantor": "provinsi-banten",
                                                   "layanan": "rehabilitasi-anak-terlantar-panti"},
            "alasan": "Anak terlantar", "bidang_klien": ["nama"],
            "berkas": [{"sumber": "lampiran", "id": str(i), "dokumen_kode": k} for k, i in lampiran.items()],
            "persetujuan": {"nama": "Sumarni", "hubungan": "orang_tua", "cara": "tertulis", "tanggal": "2026-05-04"}, **lain}


def serentak(app, permintaan: list) -> list:
    """Send each ``(path, kwargs)`` from its own thread and test client, released together; the answers in order."""
    siap = threading.Barrier(len(permintaan))
    hasil: list = [None] * len(permintaan)

    def kirim(i, jalur, kw):
        klien = app.test_client()
        siap.wait()
        try:
            r = klien.post(jalur, **kw)
            hasil[i] = (r.status_code, r.get_json(silent=True) or {})
        except Exception as e:  # noqa: BLE001 - reported as the thread's answer
            hasil[i] = (f"raised {type(e).__name__}: {e}", {})

    utas = [threading.Thread(target=kirim, args=(i, j, kw)) for i, (j, kw) in enumerate(permintaan)]
    for u in utas:
        u.start()
    for u in utas:
        u.join(60)
    return hasil


def _hitung(kantor, kasus_id) -> tuple[int, int, list]:
    from dinsos.cases.models import PeristiwaKasus
    from dinsos.core.db import db
    from dinsos.referrals.models import Rujukan

    with di_kantor(kantor):
        n = db.session.scalar(select(func.count()).select_from(Rujukan).where(Rujukan.kasus_id == kasus_id))
        urutan = list(db.session.scalars(select(PeristiwaKasus.urutan).where(PeristiwaKasus.kasus_id == kasus_id)
                                         .order_by(PeristiwaKasus.urutan)))
        db.session.rollback()
    return n, len(urutan), urutan


def _coba_rujuk_serentak(app, seed, kali: int, ke_mitra: bool = False):
    kantor, staf = seed
    budi = token_api(staf["kabupaten-magetan"]["pekerja_sosial"])
    for _ in range(kali):
        kasus_id, lampiran = kasus_magetan(staf, berkas=DOKUMEN_BANTEN)
        jawaban = serentak(app, [("/api/t/kabupaten-magetan/rujukan/keluar", {"headers": budi, "json": _badan(kasus_id, lampiran)})
                                 for _ in range(SERENTAK)])
        kode = sorted(k for k, _ in jawaban)
        assert kode == [201] + [409] * (SERENTAK - 1), jawaban
        for k, isi in jawaban:
            if k == 409:
                assert "sudah" in isi["message"] and "rujuk" in isi["message"], isi
        n, _, urutan = _hitung(kantor["kabupaten-magetan"], kasus_id)
        assert n == 1
        assert urutan == list(range(1, len(urutan) + 1))  # the timeline has no gap and no duplicate


@pytest.mark.postgres
def test_simultaneous_referrals_of_one_case_make_one_referral_and_409s_never_a_500(app, seed):
    _coba_rujuk_serentak(app, seed, kali=4)


def test_simultaneous_referrals_embedded(app, seed):
    """The same on whatever database the suite runs on (SQLite embedded: the partial unique index is the wall)."""
    _coba_rujuk_serentak(app, seed, kali=2)


def test_the_database_refuses_a_second_pending_referral_even_past_the_app_check(app, seed, monkeypatch):
    """The partial unique index holds when the application's check is skipped (a bug, another code path, psql),
    and the central handler answers its violation with a 409 in the user's language."""
    from dinsos.referrals import perujukan

    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    budi = token_api(staf["kabupaten-magetan"]["pekerja_sosial"])
    klien = app.test_client()
    assert klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi, json=_badan(kasus_id, lampiran)).status_code == 201
    monkeypatch.setattr(perujukan, "_ada_rujukan_terbuka", lambda *a, **k: None)
    r = klien.post("/api/t/kabupaten-magetan/rujukan/keluar", headers=budi, json=_badan(kasus_id, lampiran))
    assert r.status_code == 409 and "sudah memiliki rujukan yang menunggu jawaban" in r.get_json()["message"], r.get_json()
    r = klien.post("/api/t/kabupaten-magetan/rujukan/keluar?lang=en", headers=budi, json=_badan(kasus_id, lampiran))
    assert r.status_code == 409 and "already has a referral waiting for an answer" in r.get_json()["message"], r.get_json()
    assert _hitung(kantor["kabupaten-magetan"], kasus_id)[0] == 1


def test_a_delivery_killed_after_copying_leaves_no_orphan_file(app, seed, monkeypatch):
    """A worker killed between copying the shared files and its commit runs no clean-up; the retry writes the
    copies again under the same keys, so the receiver's storage holds exactly the files its record points at."""
    from contextlib import contextmanager
    from pathlib import Path

    from alat_rujukan import antar_semua, rujuk_ke_banten, semua_masuk

    from dinsos.referrals import penerimaan, pengiriman

    kantor, staf = seed
    kasus_id, lampiran = kasus_magetan(staf)
    rujuk_ke_banten(staf, kasus_id, lampiran)
    folder = Path(app.config["UPLOAD_DIR"]) / "rujukan"
    sebelum = {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()

    asli = penerimaan._salin_berkas

    def salin_lalu_mati(*args, **kwargs):
        asli(*args, **kwargs)
        raise RuntimeError("worker killed before its commit")

    @contextmanager
    def tanpa_bersih():  # SIGKILL: no Python clean-up runs
        yield []

    monkeypatch.setattr(penerimaan, "_salin_berkas", salin_lalu_mati)
    monkeypatch.setattr(pengiriman, "kunci_dihapus_bila_gagal", tanpa_bersih)
    antar_semua(app)
    tertinggal = {p for p in folder.rglob("*") if p.is_file()} - sebelum
    assert len(tertinggal) == len(DOKUMEN_BANTEN) and semua_masuk(kantor["provinsi-banten"]) == []
    monkeypatch.setattr(penerimaan, "_salin_berkas", asli)

    from dinsos.core.db import db
    from dinsos.core.outbox import PesanOutbox, proses_pesan
    from dinsos.core.tenant import lintas_tenant

    with app.app_context(), lintas_tenant("uji", catat=False):
        [(tid, pid)] = db.session.execute(select(PesanOutbox.tenant_id, PesanOutbox.id)
                                          .where(PesanOutbox.jenis == "rujukan.teruskan", PesanOutbox.status == "baru")).all()
        db.session.rollback()
    with app.app_context():
        assert proses_pesan(tid, pid) == "selesai"  # the retry, without waiting for its backoff
    [m] = semua_masuk(kantor["provinsi-banten"])
    dirujuk = {b["kunci"] for b in m["isi"]["berkas"]}
    baru = {str(p.relative_to(folder.parent)) for p in folder.rglob("*") if p.is_file()} - {str(p.relative_to(folder.parent)) for p in sebelum}
    assert baru == dirujuk and len(baru) == len(DOKUMEN_BANTEN)  # the files the row points at, and nothing else
