"""Recaps over several offices: a province's kabupaten/kota, and the whole platform. Counts only.

Each function opens one audited crossing (``lintas_tenant``) and reads
nothing but counts and office names: no case, client or reporter row is
loaded, so no name can leave an office this way. Every count from 1 to 4
is hidden, and enough others with it that none can be worked back from the
totals (``sensor``).

Referral statistics are counted from the sender's side: per office, the
referrals it sent in the period, how many the receiving office answered
(accepted or declined) by its response deadline, and how many were
accepted or declined (a partner outside the platform records its answer
through the sender, without a deadline).
"""
from datetime import datetime

from sqlalchemy import select

from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.referrals.models import Rujukan, RujukanMasuk
from dinsos.referrals.penerimaan import OBJEK_TENGGAT
from dinsos.sla.models import Tenggat
from dinsos.tenancy.models import Tenant

from . import sensor
from .periode import Periode
from .rekap import TANDA_SEMBUNYI, Tabel, rekap_lintas


class BukanProvinsi(PermissionError):
    """Only a provincial office oversees kabupaten/kota."""


def kantor_provinsi(provinsi: Tenant) -> list[Tenant]:
    """The province itself, then its kabupaten/kota by name."""
    if provinsi.tingkat != "provinsi":
        raise BukanProvinsi("Rekap kabupaten/kota hanya tersedia bagi dinas sosial provinsi.")
    anak = db.session.scalars(select(Tenant).where(Tenant.provinsi_induk_id == provinsi.id).order_by(Tenant.nama)).all()
    return [provinsi, *anak]


def rekap_provinsi(provinsi: Tenant, periode: Periode, baris: str, kolom: str | None, pada: datetime) -> Tabel:
    """The province's recap, side by side per office by default."""
    kantor = kantor_provinsi(provinsi)
    with lintas_tenant("laporan provinsi: rekap kabupaten/kota (jumlah saja)", provinsi_id=provinsi.id, periode=periode.teks,
                       baris=baris, kolom=kolom):
        return rekap_lintas([t.id for t in kantor], periode, baris, kolom, pada, {t.id: t.nama for t in kantor})


def rekap_platform(periode: Periode, baris: str, kolom: str | None, pada: datetime) -> Tabel:
    """Every office's cases, counted by the platform admin; by province by default."""
    kantor = db.session.scalars(select(Tenant).order_by(Tenant.nama)).all()
    with lintas_tenant("laporan platform: rekap semua kantor (jumlah saja)", periode=periode.teks, baris=baris, kolom=kolom):
        return rekap_lintas([t.id for t in kantor], periode, baris, kolom, pada, {t.id: t.nama for t in kantor})


UKURAN_RUJUKAN = {
    "dikirim": "Dikirim",
    "tepat": "Ditanggapi tepat waktu",
    "diterima": "Diterima",
    "ditolak": "Ditolak",
}


def statistik_rujukan(kantor: list[Tenant], periode: Periode) -> dict:
    """Per office: referrals sent in the period, answered on time, accepted, declined; small counts hidden.

    Returns ``{"baris": [{"kantor": name, <measure>: count or "*"}...], "jumlah": {...}}``.
    """
    ids = [t.id for t in kantor]
    with lintas_tenant("laporan provinsi: statistik rujukan per kantor (jumlah saja)", kantor=len(ids), periode=periode.teks):
        dikirim = db.session.execute(
            select(Rujukan.tenant_id, Rujukan.id, Rujukan.status).where(
                Rujukan.tenant_id.in_(ids), Rujukan.status != "draf",
                Rujukan.dikirim_pada >= periode.awal, Rujukan.dikirim_pada < periode.akhir)
        ).all()
        kirim_ids = [r.id for r in dikirim]
        masuk = db.session.execute(
            select(RujukanMasuk.tenant_id, RujukanMasuk.id, RujukanMasuk.asal_tenant_id, RujukanMasuk.asal_rujukan_id)
            .where(RujukanMasuk.asal_tenant_id.in_(ids), RujukanMasuk.asal_rujukan_id.in_(kirim_ids or [None]))
        ).all()
        tepat_masuk = {(t, o) for t, o in db.session.execute(
            select(Tenggat.tenant_id, Tenggat.objek_id).where(
                Tenggat.objek_jenis == OBJEK_TENGGAT, Tenggat.objek_id.in_([str(m.id) for m in masuk] or ["-"]),
                Tenggat.selesai_pada.is_not(None), Tenggat.dihentikan.is_(False), Tenggat.selesai_pada <= Tenggat.due_at))}
    hitung = {t.id: dict.fromkeys(UKURAN_RUJUKAN, 0) for t in kantor}
    for tid, _rid, status in dikirim:
        hitung[tid]["dikirim"] += 1
        hitung[tid]["diterima"] += status in ("diterima", "selesai")
        hitung[tid]["ditolak"] += status == "ditolak"
    for m in masuk:
        hitung[m.asal_tenant_id]["tepat"] += (m.tenant_id, str(m.id)) in tepat_masuk
    return _sembunyikan_rujukan(hitung, {t.id: t.nama for t in kantor}, ids)


def _sembunyikan_rujukan(hitung: dict, nama: dict, ids: list) -> dict:
    # The measures overlap (accepted is part of sent), so only each column and its total form a sum.
    sel = {(tid, u): hitung[tid][u] for tid in ids for u in UKURAN_RUJUKAN}
    for u in UKURAN_RUJUKAN:
        sel[(sensor.TOTAL, u)] = sum(hitung[tid][u] for tid in ids)
    tersembunyi = set()
    for u in UKURAN_RUJUKAN:
        satu = {k: v for k, v in sel.items() if k[1] == u}
        tersembunyi |= sensor.sembunyikan(satu, ids, [u])
    nilai = lambda k: TANDA_SEMBUNYI if k in tersembunyi else sel[k]  # noqa: E731
    return {
        "baris": [{"kantor": nama[tid], **{u: nilai((tid, u)) for u in UKURAN_RUJUKAN}} for tid in ids],
        "jumlah": {u: nilai((sensor.TOTAL, u)) for u in UKURAN_RUJUKAN},
        "sel": sel, "tersembunyi": tersembunyi,
    }

