"""Onboarding drafts: start one, edit or upload its files, check it, compare it, publish it.

Plain functions; the caller commits. Publishing is the loader itself
(:mod:`dinsos.tenancy.muat`): the same checks, the same all-or-nothing write,
a changed service becomes a new version.
"""
import difflib
import io
import re
import zipfile
import zlib

import yaml
from sqlalchemy import select

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.services import data_json, versi_terbaru
from dinsos.catalogue.skema.folder import periksa_kumpulan
from dinsos.catalogue.skema.layanan import LayananSchema
from dinsos.catalogue.skema.tenant import TenantSchema
from dinsos.catalogue.skema.tulis import tulis_yaml
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.tenancy.ekspor import berkas_kantor
from dinsos.tenancy.models import Tenant
from dinsos.tenancy.muat import kantor_terdaftar, periksa, tulis
from dinsos.tenancy.services import profil_tenant
from dinsos.wilayah import SUMBER as SUMBER_WILAYAH
from dinsos.wilayah import usulan_kantor

from .models import DrafOnboarding

BATAS_UNGGAHAN = 2 * 1024 * 1024  # a zipped office folder is a few dozen KB
BATAS_BERKAS = 256 * 1024  # one YAML file, as text
BATAS_TOTAL = 4 * 1024 * 1024  # all files of a draft, unpacked
BATAS_JUMLAH = 200  # entries in a zip

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NAMA_LAYANAN = re.compile(r"^services/[a-z0-9]+(-[a-z0-9]+)*\.yaml$")


class DrafDitolak(ValueError):
    """A draft operation refused; the message is for the admin (Indonesian)."""


class DrafKedaluwarsa(DrafDitolak):
    """The draft was saved by someone else since the page was opened."""


# --- drafts -------------------------------------------------------------------------


def draf_dari_slug(slug: str) -> DrafOnboarding | None:
    return db.session.scalar(select(DrafOnboarding).where(DrafOnboarding.slug == slug))


def daftar_draf() -> list[DrafOnboarding]:
    return db.session.scalars(select(DrafOnboarding).order_by(DrafOnboarding.slug)).all()


def tenant_dari_slug(slug: str) -> Tenant | None:
    """An office by slug, active or not (the admin sees every office)."""
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _buat_draf(slug: str, berkas: dict[str, str], admin_id: int | None) -> DrafOnboarding:
    if draf_dari_slug(slug) is not None:
        raise DrafDitolak(f"Draf untuk '{slug}' sudah ada; lanjutkan draf itu atau buang dulu.")
    draf = DrafOnboarding(slug=slug, berkas=berkas, revisi=1, dibuat_oleh=admin_id)
    db.session.add(draf)
    db.session.flush()
    return draf


def kerangka_tenant(slug: str, nama: str, tingkat: str, provinsi_induk: str | None, kode_wilayah: str,
                    zona_waktu: str) -> str:
    """A starting ``tenant.yaml`` for a new office: what the form gave, the rest empty or customary."""
    data = {
        "slug": slug,
        "nama": nama,
        "tingkat": tingkat,
        "provinsi_induk": provinsi_induk or None,
        "kode_wilayah": kode_wilayah,
        "zona_waktu": zona_waktu,
        "alamat": None,
        "kanal_kontak": [],
        "kepala_dinas": None,
        "kop_surat": {"baris": [nama.upper().replace("DINAS SOSIAL ", "PEMERINTAH ", 1), "DINAS SOSIAL"]},
        "format_nomor": {"register": "460/{n}/DINSOS/{yyyy}", "surat": "400.9/{n}/DINSOS/{yyyy}"},
        "jam_kerja": {"senin": "07:30-16:00", "selasa": "07:30-16:00", "rabu": "07:30-16:00",
                      "kamis": "07:30-16:00", "jumat": "07:30-16:30"},
        "hari_libur_daerah": [],
        "hari_kerja_tambahan": [],
        "maklumat": None,
    }
    kepala = ("Kerangka dari formulir kantor baru. Lengkapi alamat, kanal_kontak, kepala_dinas,\n"
              "kop_surat, format_nomor dan maklumat dari sumber resmi; jam_kerja adalah jam kerja pemerintah daerah.")
    return tulis_yaml(data, TenantSchema, kepala)


def draf_kantor_baru(data: dict, admin_id: int | None) -> DrafOnboarding:
    """Start a draft for an office that is not on the platform yet."""
    slug = data["slug"]
    if tenant_dari_slug(slug) is not None:
        raise DrafDitolak(f"Kantor '{slug}' sudah terdaftar; ubah kantor itu dari daftar kantor.")
    return _buat_draf(slug, {"tenant.yaml": kerangka_tenant(**data)}, admin_id)


def profil_draf(draf: DrafOnboarding) -> dict:
    """A draft's ``tenant.yaml`` as far as YAML reads it (a draft may be half written)."""
    try:
        data = yaml.safe_load(draf.berkas.get("tenant.yaml") or "")
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def provinsi_untuk(kode_wilayah: str) -> dict | None:
    """Where the province of a kabupaten/kota stands on the platform, found by its Kemendagri code.

    ``{"slug", "nama", "keadaan"}`` with keadaan ``terdaftar`` (an office), ``draf`` (a draft not yet
    published) or ``belum`` (neither: the official data's proposal for it, to create it in the same step);
    None when the code's province is not in the official data.
    """
    pp = (kode_wilayah or "")[:2]
    tenant = db.session.scalar(select(Tenant).where(Tenant.tingkat == "provinsi", Tenant.kode_wilayah == pp))
    if tenant is not None:
        return {"slug": tenant.slug, "nama": tenant.nama, "keadaan": "terdaftar"}
    for draf in daftar_draf():
        profil = profil_draf(draf)
        if profil.get("tingkat") == "provinsi" and str(profil.get("kode_wilayah")) == pp:
            return {"slug": draf.slug, "nama": profil.get("nama") or draf.slug, "keadaan": "draf"}
    usulan = usulan_kantor(pp)
    return {**usulan, "keadaan": "belum"} if usulan else None


def draf_provinsi(kode_wilayah: str, admin_id: int | None) -> tuple[str, DrafOnboarding | None]:
    """The slug of a kabupaten/kota's province, starting a draft for it from the official data when it has none.

    Returns the slug and the new draft (None when the province was already an office or a draft).
    """
    induk = provinsi_untuk(kode_wilayah)
    if induk is None:
        raise DrafDitolak(f"Kode wilayah '{kode_wilayah}' tidak berada di provinsi mana pun dalam data wilayah Kemendagri "
                          f"({SUMBER_WILAYAH}); pilih provinsi induk dari daftar.")
    if induk["keadaan"] != "belum":
        return induk["slug"], None
    data = {k: induk[k] for k in ("slug", "nama", "tingkat", "kode_wilayah", "zona_waktu")}
    return induk["slug"], draf_kantor_baru({**data, "provinsi_induk": None}, admin_id)


def draf_dari_kantor(tenant: Tenant, admin_id: int | None) -> DrafOnboarding:
    """Start a draft from an office's current files, to change them."""
    return _buat_draf(tenant.slug, berkas_kantor(tenant), admin_id)


def _simpan(draf: DrafOnboarding, berkas: dict[str, str], revisi: int | None) -> None:
    if revisi != draf.revisi:
        raise DrafKedaluwarsa(
            "Draf ini sudah disimpan orang lain sejak halaman Anda dibuka. Periksa isinya sekarang, lalu ulangi perubahan."
        )
    total = sum(len(t.encode()) for t in berkas.values())
    if total > BATAS_TOTAL:
        raise DrafDitolak(f"Seluruh berkas draf melebihi {BATAS_TOTAL // (1024 * 1024)} MB.")
    draf.berkas = dict(berkas)  # a new dict, so the JSON column is marked changed
    draf.revisi += 1
    draf.diubah_pada = sekarang()
    db.session.flush()


def _tanpa_nul(nama: str, teks: str) -> None:
    """A file with NUL is not text: no column stores it, so it is refused before it reaches the draft."""
    if "\x00" in teks:
        baris = teks.count("\n", 0, teks.index("\x00")) + 1
        raise DrafDitolak(f"Berkas {nama} memuat karakter NUL di baris {baris}; simpan ulang sebagai teks biasa (UTF-8).")


def _cek_teks(nama: str, teks: str) -> str:
    teks = teks.replace("\r\n", "\n")
    _tanpa_nul(nama, teks)
    if len(teks.encode()) > BATAS_BERKAS:
        raise DrafDitolak(f"Berkas {nama} melebihi {BATAS_BERKAS // 1024} KB; standar pelayanan biasanya jauh lebih kecil.")
    return teks


def simpan_berkas(draf: DrafOnboarding, nama: str, teks: str, revisi: int | None) -> None:
    """Replace one file of the draft (``tenant.yaml`` or ``services/<kode>.yaml``), valid or not yet."""
    if nama != "tenant.yaml" and nama not in draf.berkas:
        raise DrafDitolak(f"Berkas {nama} tidak ada di draf ini.")
    _simpan(draf, {**draf.berkas, nama: _cek_teks(nama, teks)}, revisi)


def tambah_layanan(draf: DrafOnboarding, kode: str, teks: str, revisi: int | None) -> str:
    """Add ``services/<kode>.yaml`` to the draft; returns its name."""
    nama = f"services/{kode}.yaml"
    if not _NAMA_LAYANAN.match(nama):
        raise DrafDitolak(f"Kode layanan '{kode}' harus huruf kecil, angka dan tanda '-', mis. 'pengiriman-anjal-at'.")
    if nama in draf.berkas:
        raise DrafDitolak(f"Berkas {nama} sudah ada di draf ini; ubah berkas itu.")
    _simpan(draf, {**draf.berkas, nama: _cek_teks(nama, teks)}, revisi)
    return nama


def hapus_berkas(draf: DrafOnboarding, nama: str, revisi: int | None) -> None:
    """Drop a service file from the draft (publishing never removes a published service)."""
    if nama == "tenant.yaml" or nama not in draf.berkas:
        raise DrafDitolak(f"Berkas {nama} tidak dapat dihapus dari draf.")
    _simpan(draf, {k: v for k, v in draf.berkas.items() if k != nama}, revisi)


# --- zip uploads ----------------------------------------------------------------------


def _jalur_aman(nama: str) -> bool:
    bagian = nama.split("/")
    return not (
        nama.startswith("/") or "\\" in nama or "\x00" in nama or ".." in bagian or re.match(r"^[A-Za-z]:", nama)
    )


def baca_zip(data: bytes) -> tuple[dict[str, str], list[str]]:
    """The office files in an uploaded zip, and the names of entries that were left out.

    Accepts the folder itself zipped (``<slug>/tenant.yaml``) or its contents
    (``tenant.yaml``). Nothing is extracted to disk; entries pointing outside
    the folder, oversized entries and non-UTF-8 text refuse the whole upload.
    """
    if len(data) > BATAS_UNGGAHAN:
        raise DrafDitolak(f"Berkas zip melebihi batas {BATAS_UNGGAHAN // (1024 * 1024)} MB.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        isi = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise DrafDitolak("Berkas yang diunggah bukan arsip zip yang sah.") from None
    if len(isi) > BATAS_JUMLAH:
        raise DrafDitolak(f"Zip memuat {len(isi)} berkas; paling banyak {BATAS_JUMLAH}.")
    for info in isi:
        if not _jalur_aman(info.filename):
            raise DrafDitolak(
                f"Jalur '{info.filename}' di dalam zip tidak diizinkan: menunjuk ke luar folder kantor. "
                "Zip ulang folder kantornya saja."
            )
    nama = [i.filename for i in isi if not i.filename.startswith("__MACOSX/") and not i.filename.split("/")[-1].startswith(".")]
    awalan = ""
    if "tenant.yaml" not in nama:
        kantor = sorted(n.split("/")[0] for n in nama if n.count("/") == 1 and n.endswith("/tenant.yaml"))
        if len(kantor) > 1:
            raise DrafDitolak(
                f"Zip memuat {len(kantor)} folder kantor ({', '.join(kantor)}); unggah satu folder kantor per draf."
            )
        puncak = {n.split("/")[0] for n in nama if "/" in n}
        if len(puncak) == 1 and all("/" in n for n in nama):
            awalan = puncak.pop() + "/"
    berkas: dict[str, str] = {}
    diabaikan: list[str] = []
    total = 0
    for info in isi:
        relatif = info.filename[len(awalan):] if info.filename.startswith(awalan) else info.filename
        if info.filename not in nama or not (relatif == "tenant.yaml" or relatif.startswith("services/")):
            diabaikan.append(info.filename)
            continue
        try:
            with zf.open(info) as f:
                mentah = f.read(BATAS_BERKAS + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError):
            raise DrafDitolak(f"Berkas '{info.filename}' di dalam zip rusak, terenkripsi atau dimampatkan dengan cara yang tidak didukung.") from None
        if len(mentah) > BATAS_BERKAS:
            raise DrafDitolak(f"Berkas '{info.filename}' melebihi {BATAS_BERKAS // 1024} KB setelah diekstrak.")
        total += len(mentah)
        if total > BATAS_TOTAL:
            raise DrafDitolak(f"Isi zip melebihi {BATAS_TOTAL // (1024 * 1024)} MB setelah diekstrak.")
        try:
            berkas[relatif] = mentah.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise DrafDitolak(f"Berkas '{info.filename}' bukan teks UTF-8; simpan ulang sebagai UTF-8.") from None
        _tanpa_nul(f"'{info.filename}'", berkas[relatif])
    if not berkas:
        raise DrafDitolak("Zip tidak memuat tenant.yaml maupun folder services/.")
    return berkas, diabaikan


def ganti_dengan_zip(draf: DrafOnboarding, data: bytes, revisi: int | None) -> list[str]:
    """Replace the draft's files with those of an uploaded zip; returns the entries left out.

    A zip without ``tenant.yaml`` keeps the draft's own.
    """
    berkas, diabaikan = baca_zip(data)
    if "tenant.yaml" not in berkas:
        berkas["tenant.yaml"] = draf.berkas["tenant.yaml"]
    _simpan(draf, berkas, revisi)
    return diabaikan


# --- checking and comparing -----------------------------------------------------------


def periksa_draf(draf: DrafOnboarding) -> tuple[dict, list]:
    """The draft's data as far as it is valid, and every problem (file, line, path, message)."""
    [data], kesalahan = periksa_kumpulan({draf.slug: draf.berkas}, kantor_terdaftar(), awalan_folder=False)
    return data, kesalahan


def _tanpa_kepala(teks: str) -> list[str]:
    baris = teks.splitlines()
    while baris and baris[0].startswith("#"):
        baris.pop(0)
    return baris


def perbandingan(draf: DrafOnboarding, data: dict) -> list[dict]:
    """For each file of the draft: is it new, unchanged, changed (with an HTML diff) or not yet valid.

    Both sides are written the same way (:func:`tulis_yaml`), so comments and
    layout do not show as changes; only content does.
    """
    tenant = tenant_dari_slug(draf.slug)
    lama: dict[str, tuple[str, str]] = {}
    if tenant is not None:
        lama["tenant.yaml"] = (tulis_yaml(profil_tenant(tenant), TenantSchema), "profil terdaftar")
        with dalam_tenant(tenant.id):
            from dinsos.catalogue.services import daftar_layanan

            for layanan in daftar_layanan():
                versi = versi_terbaru(layanan)
                lama[f"services/{layanan.kode}.yaml"] = (tulis_yaml(versi.isi, LayananSchema), f"versi {versi.versi} (berlaku)")
    baru: dict[str, str] = {}
    if data["tenant"] is not None:
        baru["tenant.yaml"] = tulis_yaml(data_json(data["tenant"]), TenantSchema)
    for isi in data["layanan"]:
        baru[f"services/{isi['kode']}.yaml"] = tulis_yaml(data_json(isi), LayananSchema)
    hasil = []
    differ = difflib.HtmlDiff(wrapcolumn=70)
    for nama in sorted(draf.berkas, key=lambda n: (n != "tenant.yaml", n)):
        if nama not in baru:
            hasil.append({"berkas": nama, "status": "tidak_valid", "html": None})
            continue
        if nama not in lama:
            hasil.append({"berkas": nama, "status": "baru", "html": None})
            continue
        teks_lama, label = lama[nama]
        a, b = _tanpa_kepala(teks_lama), _tanpa_kepala(baru[nama])
        if a == b:
            hasil.append({"berkas": nama, "status": "sama", "html": None})
        else:
            html = differ.make_table(a, b, fromdesc=label, todesc="draf", context=True, numlines=2)
            hasil.append({"berkas": nama, "status": "berubah", "html": html})
    return hasil


def pratinjau(draf: DrafOnboarding, kode: str) -> tuple[dict, dict] | None:
    """``(office profile, service data)`` of a valid service of the draft, as the public page shows them."""
    data, _kesalahan = periksa_draf(draf)
    isi = next((s for s in data["layanan"] if s["kode"] == kode), None)
    if isi is None:
        return None
    if data["tenant"] is not None:
        kantor = data_json(data["tenant"])
    else:
        tenant = tenant_dari_slug(draf.slug)
        if tenant is None:
            return None
        kantor = profil_tenant(tenant)
    return kantor, data_json(isi)


# --- publishing ------------------------------------------------------------------------


def terbitkan(draf: DrafOnboarding) -> tuple[Tenant, list[str]]:
    """Load the draft like ``dinsos tenants load``: all or nothing, new versions; audit it; drop the draft.

    Raises :class:`dinsos.tenancy.muat.GagalMuat` when the draft is not valid.
    """
    data = periksa({draf.slug: draf.berkas}, awalan_folder=False)
    laporan = tulis(data)
    tenant = tenant_dari_slug(draf.slug)
    catat_peristiwa(
        "onboarding_diterbitkan", objek_jenis="tenant", objek_id=tenant.id, tenant_id=tenant.id,
        revisi_draf=draf.revisi, berkas=sorted(draf.berkas), laporan=laporan,
    )
    db.session.delete(draf)
    db.session.flush()
    return tenant, laporan


def buang(draf: DrafOnboarding) -> None:
    db.session.delete(draf)
    db.session.flush()


# --- starting from a template -------------------------------------------------------------


def templat_layanan() -> list[tuple[str, str]]:
    """Every published service of every active office, as ``("<slug>/<kode>", "<office> — <service>")``."""
    from dinsos.catalogue.services import daftar_layanan

    hasil = []
    with lintas_tenant("daftar templat standar pelayanan untuk onboarding", catat=False):
        for tenant in db.session.scalars(select(Tenant).where(Tenant.aktif.is_(True)).order_by(Tenant.nama)):
            with dalam_tenant(tenant.id):
                hasil += [(f"{tenant.slug}/{l.kode}", f"{tenant.nama} — {l.nama}") for l in daftar_layanan()]
    return hasil


def salin_templat(draf: DrafOnboarding, sumber: str, kode: str, revisi: int | None) -> str:
    """Copy a published service of any office into the draft as ``services/<kode>.yaml``; returns its name.

    The copy is the source's current version with its own code, and the decree
    emptied (null): the source office's decree is not this office's. A header
    comment records where it came from, so the provenance stays in the file.
    """
    from . import sunting

    slug, _, kode_sumber = sumber.partition("/")
    tenant = tenant_dari_slug(slug)
    if tenant is None:
        raise DrafDitolak(f"Templat '{sumber}' tidak ditemukan.")
    with lintas_tenant("menyalin standar pelayanan sebagai templat", sumber=sumber, draf=draf.slug):
        teks = berkas_kantor(tenant).get(f"services/{kode_sumber}.yaml")
    if teks is None:
        raise DrafDitolak(f"Templat '{sumber}' tidak ditemukan.")
    dok = sunting.baca(teks)
    dok["kode"] = kode
    if isinstance(dok.get("keputusan"), dict):
        for kunci in ("nomor", "tanggal", "ditetapkan_di", "penandatangan"):
            dok["keputusan"][kunci] = None
    dok.yaml_set_start_comment(
        f"Disalin dari {tenant.nama}, layanan {kode_sumber}, sebagai templat.\n"
        "Sesuaikan setiap komponen dengan keputusan kantor ini; isi keputusan dari sumber resmi."
    )
    return tambah_layanan(draf, kode, sunting.tulis(dok, teks), revisi)
