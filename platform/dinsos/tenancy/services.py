"""Looking up offices and writing their profile from ``tenant.yaml`` data."""
from flask import abort, current_app
from sqlalchemy import func, select

from dinsos.core.db import db

from .models import TINGKAT, Tenant

KOLOM_PROFIL = (
    "nama", "tingkat", "kode_wilayah", "zona_waktu", "alamat", "kanal_kontak", "kepala_dinas",
    "kop_surat", "format_nomor", "jam_kerja", "hari_libur_daerah", "hari_kerja_tambahan", "maklumat",
    "penanda_asal",
)


def ikat_dari_slug(slug: str, *, baris: bool = False):
    """The id of the active office with this slug, bound for row-level security in the same round trip; or a 404.

    Every request under ``/t/<slug>/`` and ``/api/t/<slug>/`` starts here, so the lookup and the binding
    of the transaction (``core.tenant``) are one statement; the caller marks the binding as made. With
    ``baris`` it gives the office's whole row instead (a page's shell shows it; most API requests never need it).
    """
    q = select(Tenant if baris else Tenant.id).where(Tenant.slug == slug, Tenant.aktif.is_(True))
    if db.session.get_bind().dialect.name == "postgresql":
        q = q.add_columns(func.dinsos_ikat(current_app.config["RAHASIA_IKATAN"], Tenant.id, ""))
    hasil = db.session.scalar(q)
    if hasil is None:
        abort(404)
    return hasil


def daftar_tenant() -> list[Tenant]:
    """Active offices, provinces first, then by name: the public directory."""
    urutan = {t: i for i, t in enumerate(TINGKAT)}
    semua = db.session.scalars(select(Tenant).where(Tenant.aktif.is_(True))).all()
    return sorted(semua, key=lambda t: (urutan.get(t.tingkat, 9), t.nama))


def kabupaten_kota_di_bawah(provinsi: Tenant) -> list[Tenant]:
    """The kabupaten/kota offices overseen by a province office."""
    return db.session.scalars(select(Tenant).where(Tenant.provinsi_induk_id == provinsi.id)).all()


def simpan_profil(data: dict) -> tuple[Tenant, bool]:
    """Create or update an office from validated ``tenant.yaml`` data. Returns (tenant, changed)."""
    from dinsos.catalogue.services import data_json

    data = data_json(data)  # holiday dates as ISO text, as the JSON columns keep them
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == data["slug"]))
    baru = tenant is None
    if baru:
        tenant = Tenant(slug=data["slug"])
        db.session.add(tenant)
    berubah = baru
    for kolom in KOLOM_PROFIL:
        nilai = data.get(kolom)
        if nilai is None and kolom in ("kanal_kontak", "hari_libur_daerah", "hari_kerja_tambahan", "penanda_asal"):
            nilai = []
        if nilai is None and kolom in ("kepala_dinas", "kop_surat", "format_nomor", "jam_kerja"):
            nilai = {}
        if getattr(tenant, kolom) != nilai:
            setattr(tenant, kolom, nilai)
            berubah = True
    induk_slug = data.get("provinsi_induk")
    induk_id = None
    if induk_slug:
        induk = db.session.scalar(select(Tenant).where(Tenant.slug == induk_slug))
        if induk is None:
            raise ValueError(f"provinsi_induk {induk_slug!r} belum terdaftar")
        induk_id = induk.id
    if tenant.provinsi_induk_id != induk_id:
        tenant.provinsi_induk_id = induk_id
        berubah = True
    db.session.flush()
    return tenant, berubah


def profil_tenant(tenant: Tenant) -> dict:
    """An office as ``tenant.yaml`` data: what :func:`simpan_profil` would store unchanged."""
    data = {"slug": tenant.slug, "nama": tenant.nama, "tingkat": tenant.tingkat,
            "provinsi_induk": tenant.provinsi_induk.slug if tenant.provinsi_induk else None}
    for kolom in KOLOM_PROFIL:
        data[kolom] = getattr(tenant, kolom)
    # An office without a known head is stored as {} but written as null.
    data["kepala_dinas"] = tenant.kepala_dinas or None
    return data


KOLOM_PENGATURAN = ("kanal_kontak", "jam_kerja", "hari_libur_daerah", "hari_kerja_tambahan")


class PengaturanTidakValid(ValueError):
    """Settings refused; ``kesalahan`` holds ``(path tuple, Indonesian message)`` pairs."""

    def __init__(self, kesalahan: list[tuple[tuple, str]]):
        super().__init__("; ".join(p for _j, p in kesalahan))
        self.kesalahan = kesalahan


def simpan_pengaturan(tenant: Tenant, data: dict) -> list[str]:
    """Change an office's contact channels and office hours after checking them; returns the changed keys.

    Checked with the same schema pieces as ``tenant.yaml``, then as a working
    calendar (a day declared working must have office hours). The caller
    audits and commits.
    """
    from dinsos.catalogue.services import data_json
    from dinsos.catalogue.skema.baca import periksa_data
    from dinsos.catalogue.skema.tenant import PengaturanKantorSchema
    from dinsos.core.kalender import KalenderKerja, KalenderTidakValid

    bersih, kesalahan = periksa_data(data, PengaturanKantorSchema)
    if kesalahan:
        raise PengaturanTidakValid(kesalahan)
    bersih = data_json(bersih)
    try:
        KalenderKerja(
            zona_waktu=tenant.zona_waktu,
            jam_kerja=bersih["jam_kerja"],
            libur_tambahan={h["tanggal"]: h["keterangan"] for h in bersih["hari_libur_daerah"]},
            hari_kerja_tambahan=[h["tanggal"] for h in bersih["hari_kerja_tambahan"]],
        )
    except KalenderTidakValid as e:
        raise PengaturanTidakValid([((), str(e)[:1].upper() + str(e)[1:] + ".")]) from None
    diubah = [k for k in KOLOM_PENGATURAN if getattr(tenant, k) != bersih[k]]
    for kolom in diubah:
        setattr(tenant, kolom, bersih[kolom])
    db.session.flush()
    return diubah
