"""Provincial oversight: every referral to or from the offices under a province, without case files or names.

A province office (``tingkat`` provinsi) sees the referrals sent by, or sent
to, itself and the kabupaten/kota whose ``provinsi_induk_id`` is that province:
status, age in working days, the receiver's deadline state, the service,
counts per office and a matrix of flows between offices, overdue first. It
never loads what was shared (the encrypted snapshot columns are not read).
Reading other offices' rows is one declared, audited crossing per page; a
reminder or an escalation is an outbox message of the province, delivered
into the receiving office by ``pengiriman.pengingat``.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import load_only

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.models import Layanan
from dinsos.core.db import db, sekarang
from dinsos.core.outbox import PesanOutbox, tulis_outbox
from dinsos.core.tenant import lintas_tenant
from dinsos.izin import boleh
from dinsos.sla.models import Tenggat
from dinsos.sla.services import kalender_tenant, status_tenggat
from dinsos.tenancy.models import Tenant

from .models import MitraRujukan, Rujukan, RujukanMasuk
from .penerimaan import OBJEK_TENGGAT
from .rujukan import KesalahanRujukan, nomor_tampil
from .status import LABEL, MENUNGGU, status_dari_laporan

LABEL_TENGGAT = {
    "tepat": "Dalam batas waktu",
    "berisiko": "Mendekati batas waktu",
    "terlambat": "Lewat batas waktu",
    "dijeda": "Menunggu pengirim",
    "selesai": "Ditanggapi tepat waktu",
    "selesai_terlambat": "Ditanggapi terlambat",
}
JENIS_TINDAKAN = {"pengingat": "Pengingat", "eskalasi": "Eskalasi"}
MAKS_HARI = 5 * 366


def _periksa_provinsi(provinsi: Tenant) -> None:
    if provinsi.tingkat != "provinsi":
        raise KesalahanRujukan("Pengawasan rujukan hanya tersedia bagi dinas sosial provinsi.", 403)


def kantor_wilayah(provinsi: Tenant) -> dict[int, Tenant]:
    """The province itself and the kabupaten/kota it oversees."""
    di_bawah = db.session.scalars(select(Tenant).where(Tenant.provinsi_induk_id == provinsi.id)).all()
    return {provinsi.id: provinsi, **{t.id: t for t in di_bawah}}


def hari_kerja_berlalu(kal, mulai: datetime, sampai: datetime) -> int:
    """Working days from ``mulai``'s local date to ``sampai``'s, the first day not counted."""
    zona = ZoneInfo(kal.zona_waktu)
    a, b = mulai.astimezone(zona).date(), sampai.astimezone(zona).date()
    if b <= a:
        return 0
    b = min(b, a + timedelta(days=MAKS_HARI))
    jumlah, hari = 0, a
    while hari < b:
        hari += timedelta(days=1)
        jumlah += kal.adalah_hari_kerja(hari)
    return jumlah


def _baris_dasar() -> dict:
    return {"asal_id": None, "tujuan_id": None, "tujuan": None, "layanan": None, "status": None, "status_pengirim": None,
            "status_tujuan": None, "dikirim_pada": None, "tenggat": None, "kunci_kirim": None, "mitra": False}


def ringkasan(provinsi: Tenant, pada: datetime | None = None, status: str | None = None) -> dict:
    """The province's overview: rows (overdue first), counts per office and the matrix of flows."""
    _periksa_provinsi(provinsi)
    pada = pada or sekarang()
    with lintas_tenant("pengawasan provinsi: rujukan kabupaten/kota", provinsi_id=provinsi.id):
        wilayah = kantor_wilayah(provinsi)
        ids = list(wilayah)
        kantor = {t.id: t for t in db.session.scalars(select(Tenant))}
        keluar = db.session.scalars(
            select(Rujukan).options(load_only(
                Rujukan.tenant_id, Rujukan.id, Rujukan.status, Rujukan.jenis_tujuan, Rujukan.tujuan_tenant_id,
                Rujukan.tujuan_layanan_nama, Rujukan.mitra_id, Rujukan.dikirim_pada, Rujukan.pemulangan))
            .where(Rujukan.tenant_id.in_(ids), Rujukan.status != "draf")
        ).all()
        masuk = db.session.scalars(
            select(RujukanMasuk).options(load_only(
                RujukanMasuk.tenant_id, RujukanMasuk.id, RujukanMasuk.kunci_kirim, RujukanMasuk.asal_tenant_id,
                RujukanMasuk.asal_rujukan_id, RujukanMasuk.layanan_id, RujukanMasuk.status, RujukanMasuk.sampai_pada))
            .where(or_(RujukanMasuk.tenant_id.in_(ids), RujukanMasuk.asal_tenant_id.in_(ids)))
        ).all()
        tenggat = {(t.tenant_id, t.objek_id): t for t in db.session.scalars(
            select(Tenggat).where(Tenggat.objek_jenis == OBJEK_TENGGAT, Tenggat.objek_id.in_([str(m.id) for m in masuk] or ["-"]))
        )}
        layanan = {(l.tenant_id, l.id): l.nama for l in db.session.scalars(
            select(Layanan).options(load_only(Layanan.tenant_id, Layanan.id, Layanan.nama))
            .where(Layanan.tenant_id.in_({m.tenant_id for m in masuk} or {-1})))}
        mitra = {(m.tenant_id, m.id): m.nama for m in db.session.scalars(
            select(MitraRujukan).where(MitraRujukan.tenant_id.in_(ids)))}

        baris: dict[tuple, dict] = {}
        for r in keluar:
            b = baris.setdefault((r.tenant_id, str(r.id)), _baris_dasar())
            b.update(asal_id=r.tenant_id, status_pengirim=r.status, dikirim_pada=r.dikirim_pada, nomor=nomor_tampil(r.id),
                     pemulangan=r.pemulangan)
            if r.jenis_tujuan == "mitra":
                b.update(tujuan=f"Mitra: {mitra.get((r.tenant_id, r.mitra_id), '-')}", mitra=True)
            else:
                b.update(tujuan_id=r.tujuan_tenant_id, layanan=r.tujuan_layanan_nama, kunci_kirim=f"{r.tenant_id}:{r.id}")
        for m in masuk:
            b = baris.setdefault((m.asal_tenant_id, str(m.asal_rujukan_id)), _baris_dasar())
            b.update(asal_id=m.asal_tenant_id, tujuan_id=m.tenant_id, layanan=layanan.get((m.tenant_id, m.layanan_id)),
                     status_tujuan=m.status, kunci_kirim=m.kunci_kirim, tenggat=tenggat.get((m.tenant_id, str(m.id))),
                     nomor=nomor_tampil(m.asal_rujukan_id))
            b["dikirim_pada"] = b["dikirim_pada"] or m.sampai_pada
        hasil = [_lengkapi(b, kantor, wilayah, pada) for b in baris.values()]
    if status:
        hasil = [b for b in hasil if b["status"] == status]
    hasil.sort(key=lambda b: (not b["terlambat"], b["status"] not in MENUNGGU, -b["umur_hari_kerja"], b["asal"]))
    return {"provinsi": provinsi, "baris": hasil, "per_kantor": _per_kantor(hasil, wilayah), "matriks": _matriks(hasil),
            "jumlah": {"semua": len(hasil), "menunggu": sum(b["status"] in MENUNGGU for b in hasil),
                       "terlambat": sum(b["terlambat"] for b in hasil)}}


def _lengkapi(b: dict, kantor: dict, wilayah: dict, pada: datetime) -> dict:
    if b["status_pengirim"] and b["status_tujuan"]:
        b["status"] = status_dari_laporan(b["status_pengirim"], b["status_tujuan"])
    else:
        b["status"] = b["status_tujuan"] or b["status_pengirim"]
    b["label_status"] = LABEL[b["status"]]
    b["asal"] = kantor[b["asal_id"]].nama
    if b["tujuan_id"]:
        b["tujuan"] = kantor[b["tujuan_id"]].nama
    t = b.pop("tenggat")
    if t is not None:
        keadaan = status_tenggat(t, pada)
        b.update(keadaan_tenggat=keadaan, label_tenggat=LABEL_TENGGAT[keadaan], batas=t.due_at)
    else:
        b.update(keadaan_tenggat=None, label_tenggat="-", batas=None)
    b["terlambat"] = b["keadaan_tenggat"] == "terlambat"
    kal_kantor = kantor[b["tujuan_id"]] if b["tujuan_id"] else kantor[b["asal_id"]]
    b["umur_hari_kerja"] = hari_kerja_berlalu(kalender_tenant(kal_kantor), b["dikirim_pada"], pada) if b["dikirim_pada"] else 0
    b["bisa_diingatkan"] = bool(b["kunci_kirim"]) and b["status"] in ("diterima_tujuan", "perlu_info")
    b["dalam_wilayah"] = {"asal": b["asal_id"] in wilayah, "tujuan": b["tujuan_id"] in wilayah}
    return b


def _per_kantor(baris: list[dict], wilayah: dict) -> list[dict]:
    hitung = {tid: {"kantor": t.nama, "keluar": 0, "masuk": 0, "menunggu": 0, "terlambat": 0} for tid, t in wilayah.items()}
    for b in baris:
        for peran, tid in (("keluar", b["asal_id"]), ("masuk", b["tujuan_id"])):
            if tid in hitung:
                hitung[tid][peran] += 1
        if b["tujuan_id"] in hitung:
            hitung[b["tujuan_id"]]["menunggu"] += b["status"] in MENUNGGU
            hitung[b["tujuan_id"]]["terlambat"] += b["terlambat"]
    return sorted(hitung.values(), key=lambda h: (-h["terlambat"], -h["menunggu"], h["kantor"]))


def _matriks(baris: list[dict]) -> dict:
    """Flows between offices: rows senders, columns receivers; offices with overdue referrals first."""
    sel: dict[tuple, dict] = {}
    terlambat: dict[str, int] = {}
    for b in baris:
        s = sel.setdefault((b["asal"], b["tujuan"]), {"jumlah": 0, "terlambat": 0})
        s["jumlah"] += 1
        s["terlambat"] += b["terlambat"]
        for nama in (b["asal"], b["tujuan"]):
            terlambat[nama] = terlambat.get(nama, 0) + b["terlambat"]
    urut = lambda nama: (-terlambat[nama], nama)  # noqa: E731
    asal = sorted({a for a, _t in sel}, key=urut)
    tujuan = sorted({t for _a, t in sel}, key=urut)
    return {"asal": asal, "tujuan": tujuan, "sel": {f"{a}\u2192{t}": v for (a, t), v in sel.items()}}


def kirim_tindakan(provinsi: Tenant, *, kunci_kirim: str, jenis: str, pengguna, catatan: str | None = None,
                   pada: datetime | None = None) -> None:
    """Send a reminder (to the receiver's kepala bidang) or an escalation (kepala bidang and kepala dinas).

    Only for a referral of this province's offices that still waits for an
    answer; at most one of each kind per referral per day. Written as an
    outbox message of the province; the caller commits. Every check comes
    before any write, so on a refusal only the audited crossing is pending.
    """
    _periksa_provinsi(provinsi)
    pada = pada or sekarang()
    if not boleh(pengguna, "pengawasan.lihat"):
        raise KesalahanRujukan("Anda tidak berwenang mengawasi rujukan.", 403)
    if jenis not in JENIS_TINDAKAN:
        raise KesalahanRujukan(f"Tindakan harus 'pengingat' atau 'eskalasi', bukan '{jenis}'.", 422, {"jenis": "Tidak dikenal."})
    with lintas_tenant("pengawasan provinsi: memeriksa rujukan yang diingatkan", kunci_kirim=kunci_kirim):
        wilayah = kantor_wilayah(provinsi)
        masuk = db.session.scalar(select(RujukanMasuk).options(load_only(
            RujukanMasuk.tenant_id, RujukanMasuk.id, RujukanMasuk.asal_tenant_id, RujukanMasuk.status, RujukanMasuk.kunci_kirim))
            .where(RujukanMasuk.kunci_kirim == (kunci_kirim or "")))
        lingkup = masuk is not None and (masuk.tenant_id in wilayah or masuk.asal_tenant_id in wilayah)
        status, tujuan_id = (masuk.status, masuk.tenant_id) if lingkup else (None, None)
    if not lingkup:
        raise KesalahanRujukan("Rujukan tidak ditemukan di antara rujukan kabupaten/kota provinsi ini.", 404)
    if status not in ("diterima_tujuan", "perlu_info"):
        raise KesalahanRujukan(f"Rujukan berstatus '{LABEL[status]}' tidak sedang menunggu tanggapan; tidak perlu diingatkan.", 409)
    hari = pada.astimezone(ZoneInfo(provinsi.zona_waktu)).date().isoformat()
    kunci = f"rujukan-pengingat:{kunci_kirim}:{jenis}:{hari}"
    if db.session.scalar(select(PesanOutbox.id).where(PesanOutbox.kunci == kunci)):
        raise KesalahanRujukan(f"{JENIS_TINDAKAN[jenis]} untuk rujukan ini sudah dikirim hari ini.", 409)
    catatan = (catatan or "").strip()[:500] or None
    tulis_outbox("rujukan.pengingat", {"provinsi_id": provinsi.id, "kunci_kirim": kunci_kirim, "tujuan_tenant_id": tujuan_id,
                                       "jenis": jenis, "catatan": catatan, "kunci": f"{jenis}:{hari}"}, kunci=kunci)
    catat_peristiwa(f"{jenis}_rujukan", objek_jenis="rujukan", objek_id=kunci_kirim.split(":")[-1], tujuan=tujuan_id)
