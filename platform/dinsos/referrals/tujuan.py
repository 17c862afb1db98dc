"""Where a referral can go: another office's service that accepts referrals, or one of this office's partners.

Reading another office's catalogue (which services accept referrals, what
they require) is a declared, audited crossing. Partners (``MitraRujukan``)
are registered per office and live outside the platform.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import versi_terbaru
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant, tenant_aktif
from dinsos.tenancy.models import Tenant

from .models import JENIS_MITRA, MitraRujukan, Rujukan
from .rujukan import KesalahanRujukan, pastikan_boleh, sebagai_uuid


@dataclass
class Tujuan:
    """Where a referral goes: another office's service, or one of this office's partners."""

    jenis: str  # layanan | mitra
    nama: str
    tenant_id: int | None = None
    tenant_slug: str | None = None
    layanan_kode: str | None = None
    layanan_nama: str | None = None
    persyaratan: list = field(default_factory=list)
    mitra: MitraRujukan | None = None
    alamat: str | None = None


def _dokumen(versi) -> list[dict]:
    return [
        {"kode": d["kode"], "nama": d["nama"], "wajib": bool(d.get("wajib")), "keterangan": d.get("keterangan")}
        for d in versi.persyaratan("pemohon")
    ]


def layanan_tujuan() -> list[dict]:
    """Services of other active offices that accept referrals, with their current requirements.

    Reads other offices' catalogues: an audited crossing. Items are
    ``{tenant_id, slug, kantor, kode, nama, persyaratan}``, by office then service.
    """
    sendiri = tenant_aktif()
    hasil = []
    with lintas_tenant("rujukan: katalog layanan penerima rujukan di kantor lain"):
        kantor = {t.id: t for t in db.session.scalars(select(Tenant).where(Tenant.aktif.is_(True), Tenant.id != sendiri))}
        baris = db.session.scalars(
            select(Layanan).where(Layanan.menerima_rujukan.is_(True), Layanan.aktif.is_(True),
                                  Layanan.tenant_id.in_(list(kantor) or [-1]))
        ).all()
        for l in baris:
            v = versi_terbaru(l)
            t = kantor[l.tenant_id]
            hasil.append({"tenant_id": t.id, "slug": t.slug, "kantor": t.nama, "kode": l.kode, "nama": l.nama,
                          "persyaratan": _dokumen(v) if v else []})
    return sorted(hasil, key=lambda x: (x["kantor"], x["nama"]))


def cari_tujuan_layanan(slug_kantor: str, layanan_kode: str) -> Tujuan:
    """Another office's service that accepts referrals, with its current requirements; refuses anything else."""
    slug_kantor, layanan_kode = (slug_kantor or "").strip(), (layanan_kode or "").strip()
    sendiri = db.session.get(Tenant, tenant_aktif())
    if slug_kantor == sendiri.slug:
        raise KesalahanRujukan(
            f"Rujukan tidak dapat ditujukan ke kantor sendiri ({sendiri.nama}); rujukan hanya ke kantor lain atau mitra.",
            422, {"tujuan": "Pilih kantor lain."})
    with lintas_tenant("rujukan: memeriksa layanan tujuan", kantor=slug_kantor, layanan=layanan_kode):
        kantor = db.session.scalar(select(Tenant).where(Tenant.slug == slug_kantor, Tenant.aktif.is_(True)))
        if kantor is None:
            raise KesalahanRujukan(f"Kantor tujuan '{slug_kantor}' tidak terdaftar di platform.", 404,
                                   {"tujuan": "Kantor tidak ditemukan."})
        layanan = db.session.scalar(
            select(Layanan).where(Layanan.tenant_id == kantor.id, Layanan.kode == layanan_kode, Layanan.aktif.is_(True))
        )
        if layanan is None:
            raise KesalahanRujukan(f"Layanan '{layanan_kode}' tidak ada di {kantor.nama}.", 404,
                                   {"tujuan": "Layanan tidak ditemukan."})
        if not layanan.menerima_rujukan:
            raise KesalahanRujukan(
                f"Layanan '{layanan.nama}' di {kantor.nama} tidak menerima rujukan; pilih layanan yang menerima rujukan "
                "atau rujuk ke mitra.", 422, {"tujuan": "Layanan ini tidak menerima rujukan."})
        versi = versi_terbaru(layanan)
        return Tujuan("layanan", f"{layanan.nama} — {kantor.nama}", tenant_id=kantor.id, tenant_slug=kantor.slug,
                      layanan_kode=layanan.kode, layanan_nama=layanan.nama, persyaratan=_dokumen(versi),
                      alamat=kantor.alamat)


def tujuan_rujukan(r: Rujukan) -> Tujuan:
    """The target of an existing referral as it is now (a service's current requirements; refused if it stopped accepting)."""
    if r.jenis_tujuan == "mitra":
        mitra = db.session.scalar(select(MitraRujukan).where(MitraRujukan.id == r.mitra_id))
        return Tujuan("mitra", mitra.nama, mitra=mitra, alamat=mitra.alamat)
    kantor = db.session.get(Tenant, r.tujuan_tenant_id)
    return cari_tujuan_layanan(kantor.slug, r.tujuan_layanan_kode)


# --- partners --------------------------------------------------------------------------------------------


def mitra_aktif() -> list[MitraRujukan]:
    return db.session.scalars(select(MitraRujukan).where(MitraRujukan.aktif.is_(True)).order_by(MitraRujukan.nama)).all()


def cari_tujuan_mitra(mitra_id) -> Tujuan:
    mitra = db.session.scalar(select(MitraRujukan).where(MitraRujukan.id == sebagai_uuid(mitra_id), MitraRujukan.aktif.is_(True))) \
        if sebagai_uuid(mitra_id) else None
    if mitra is None:
        raise KesalahanRujukan("Mitra rujukan tidak ditemukan atau tidak aktif di kantor ini.", 404,
                               {"tujuan": "Pilih mitra yang terdaftar."})
    return Tujuan("mitra", mitra.nama, mitra=mitra, alamat=mitra.alamat)


def simpan_mitra(*, nama: str, jenis: str, alamat: str | None, kontak: str | None, pengguna) -> MitraRujukan:
    """Register a partner institution of the bound office."""
    pastikan_boleh(pengguna, "rujukan.kelola_mitra", "Hanya kepala bidang atau admin kantor yang dapat mendaftarkan mitra.")
    nama = " ".join((nama or "").split())[:200]
    k = {}
    if not nama:
        k["nama"] = "Nama mitra wajib diisi."
    if jenis not in JENIS_MITRA:
        k["jenis"] = f"Jenis mitra harus salah satu dari: {', '.join(JENIS_MITRA)}."
    if nama and db.session.scalar(select(MitraRujukan.id).where(MitraRujukan.nama == nama)):
        k["nama"] = f"Mitra bernama '{nama}' sudah terdaftar."
    if k:
        raise KesalahanRujukan("Mitra tidak disimpan: " + " ".join(k.values()), 422, k)
    mitra = MitraRujukan(nama=nama, jenis=jenis, alamat=(alamat or "").strip()[:500] or None,
                         kontak=(kontak or "").strip()[:200] or None)
    db.session.add(mitra)
    db.session.flush()
    catat_peristiwa("mitra_rujukan_didaftarkan", objek_jenis="mitra_rujukan", objek_id=mitra.id, nama=nama, jenis=jenis)
    return mitra
