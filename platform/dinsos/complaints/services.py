"""Receiving complaints, moving them through the office's follow-up steps, closing them.

Plain functions over the bound tenant; the caller commits. Deadlines are
``dinsos.sla`` clocks, one on the whole complaint (``pengaduan``) and one per
running step (``langkah_pengaduan``), computed on the office's working
calendar; the one deadline sweep warns and escalates them like case steps.
A step with no time standard of its own is due with the complaint.
"""
import re
import secrets
from datetime import datetime

from sqlalchemy import and_, select

from dinsos.audit.services import catat_peristiwa
from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import daftar_layanan, versi_terbaru
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import tenant_aktif
from dinsos.sla import services as sla
from dinsos.sla.models import Tenggat
from dinsos.tenancy.models import Tenant

from .models import LangkahPengaduan, Pengaduan

# The channels a complaint arrives by. The public form records "website".
KANAL_PENGADUAN = {
    "telepon": "Telepon",
    "whatsapp": "WhatsApp",
    "email": "Email",
    "fax": "Faksimili",
    "kotak_saran": "Kotak saran/pengaduan",
    "tatap_muka": "Tatap muka",
    "sp4n_lapor": "SP4N-LAPOR!",
    "website": "Website",
}

# Platform default, not from any seed: none of the standards gives a time for
# answering a complaint. 14 days is the time UU 25/2009 (Pelayanan Publik,
# Pasal 50) gives an organiser to respond to a written complaint, so a
# complaint is due 14 calendar days after it is received. A step without its
# own time standard is due by then too.
WAKTU_PENYELESAIAN_BAWAAN = "14 hari kalender"

# The clocks' kinds (``Tenggat.objek_jenis``).
TENGGAT_PENGADUAN = "pengaduan"
TENGGAT_LANGKAH = "langkah_pengaduan"

# For an office that has no published standard yet: the two things any complaint handling does.
LANGKAH_BAWAAN = (
    {"kode": "penelaahan-aduan", "nama": "Penelaahan aduan"},
    {"kode": "tindak-lanjut-aduan", "nama": "Tindak lanjut aduan"},
)

ABJAD_KODE = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone without doubt
PANJANG_KODE = 10
_POLA_OPSIONAL = re.compile(r"\b(jika|bila|apabila) (perlu|diperlukan)\b", re.IGNORECASE)
BATAS_ISI = 5000


class PengaduanTidakValid(ValueError):
    """A complaint or an action on it breaks a rule; the message is for the user."""


class PengaduanBerubah(PengaduanTidakValid):
    """The action does not fit the complaint's current state (closed, another step running, steps left)."""


# --- tracking codes -----------------------------------------------------------

def buat_kode_lacak() -> str:
    """A fresh tracking code: 10 symbols from a 32-letter alphabet (50 bits)."""
    return "".join(secrets.choice(ABJAD_KODE) for _ in range(PANJANG_KODE))


def tampilan_kode(kode: str) -> str:
    """The code in two groups of five, easier to read and copy."""
    return f"{kode[:5]}-{kode[5:]}"


def normalkan_kode(teks: str) -> str | None:
    """A typed code as stored (upper case, no spaces or dashes), or None if it cannot be one."""
    kode = re.sub(r"[\s\-]", "", teks or "").upper()
    if len(kode) != PANJANG_KODE or any(c not in ABJAD_KODE for c in kode):
        return None
    return kode


# --- the office's steps -------------------------------------------------------

def langkah_dari_standar(tindak_lanjut: list[dict]) -> list[dict]:
    """The steps the office itself works, from a standard's ``pengaduan.tindak_lanjut``.

    A flow that starts with the complainant ("Pelapor/pengadu", Banten) names
    the filing itself, which the complaint already is, so that box is dropped.
    A step written "(jika perlu)" is optional.
    """
    hasil = []
    for t in tindak_lanjut:
        if t["kode"] == "pelapor" or t["kode"].startswith("pelapor-"):
            continue
        hasil.append({
            "kode": t["kode"],
            "nama": t["nama"],
            "waktu": t.get("waktu"),
            "opsional": bool(_POLA_OPSIONAL.search(t["nama"])),
        })
    return hasil


def _tindak_lanjut(layanan: Layanan) -> list[dict]:
    versi = versi_terbaru(layanan)
    if versi is None:
        return []
    return versi.isi["penyampaian_pelayanan"]["pengaduan"]["tindak_lanjut"]


def langkah_untuk(layanan: Layanan | None) -> list[dict]:
    """The steps a new complaint gets: its service's, or for the office the union of all its services'.

    The union keeps the first service's order (services by code) and adds
    steps of later services it lacks; an office with no standard gets
    LANGKAH_BAWAAN.
    """
    if layanan is not None:
        daftar = langkah_dari_standar(_tindak_lanjut(layanan))
    else:
        daftar, kode = [], set()
        for l in sorted(daftar_layanan(), key=lambda l: l.kode):
            for langkah in langkah_dari_standar(_tindak_lanjut(l)):
                if langkah["kode"] not in kode:
                    kode.add(langkah["kode"])
                    daftar.append(langkah)
    return daftar or langkah_dari_standar(list(LANGKAH_BAWAAN))


# --- deadlines ------------------------------------------------------------------

# Plain functions of values, so the demo generator names and links its clocks the same way.

def tautan_pengaduan(slug: str, pengaduan_id) -> str:
    return f"/t/{slug}/pengaduan/kelola/{pengaduan_id}"


def judul_tenggat_pengaduan(kode_lacak: str) -> str:
    return f"Penyelesaian pengaduan {tampilan_kode(kode_lacak)}"


def judul_tenggat_langkah(nama_langkah: str, kode_lacak: str) -> str:
    return f"{nama_langkah} (pengaduan {tampilan_kode(kode_lacak)})"


def _tautan(pengaduan: Pengaduan) -> str:
    return tautan_pengaduan(_tenant().slug, pengaduan.id)


def _mulai_langkah(langkah: LangkahPengaduan, pengaduan: Pengaduan, pada: datetime) -> None:
    langkah.status = "berjalan"
    langkah.mulai_pada = pada
    keseluruhan = sla.cari_tenggat(TENGGAT_PENGADUAN, pengaduan.id)
    sla.mulai_tenggat(
        TENGGAT_LANGKAH, langkah.id, durasi=langkah.waktu_standar or pengaduan.waktu_standar, mulai=pada,
        # Without a time standard of its own a step is due, and escalates, with the complaint.
        sampai=None if langkah.waktu_standar else keseluruhan.due_at,
        eskalasi_pada=None if langkah.waktu_standar else keseluruhan.eskalasi_at,
        judul=judul_tenggat_langkah(langkah.nama, pengaduan.kode_lacak), tautan=_tautan(pengaduan),
        induk_id=pengaduan.id, layanan_id=pengaduan.layanan_id, langkah_kode=langkah.kode,
    )


def _tenant() -> Tenant:
    return db.session.get(Tenant, tenant_aktif())


# --- receiving ---------------------------------------------------------------------

def _bersih(teks: str | None) -> str | None:
    teks = (teks or "").strip()
    return teks or None


def terima_pengaduan(
    *, isi: str, kanal: str, layanan: Layanan | None = None, nama: str | None = None,
    kontak: str | None = None, nomor_referensi: str | None = None, dicatat_oleh=None,
    pada: datetime | None = None,
) -> Pengaduan:
    """Record a complaint for the bound office, copy its steps and start the first one."""
    isi = _bersih(isi)
    if not isi:
        raise PengaduanTidakValid("Isi pengaduan wajib diisi: tuliskan apa yang Anda adukan.")
    if len(isi) > BATAS_ISI:
        raise PengaduanTidakValid(f"Isi pengaduan terlalu panjang: paling banyak {BATAS_ISI} karakter.")
    if kanal not in KANAL_PENGADUAN:
        raise PengaduanTidakValid(f"Kanal pengaduan '{kanal}' tidak dikenal.")
    nomor_referensi = _bersih(nomor_referensi)
    if kanal == "sp4n_lapor" and not nomor_referensi:
        raise PengaduanTidakValid("Pengaduan dari SP4N-LAPOR! wajib mencantumkan nomor tiket/referensi LAPOR!.")
    if kanal != "sp4n_lapor":
        nomor_referensi = None
    pada = pada or sekarang()
    pengaduan = Pengaduan(
        kode_lacak=_kode_unik(), kanal=kanal, nomor_referensi=nomor_referensi,
        layanan_id=layanan.id if layanan else None, isi=isi,
        nama_pelapor=_bersih(nama), kontak_pelapor=_bersih(kontak), status="diproses",
        waktu_standar=WAKTU_PENYELESAIAN_BAWAAN, mulai_pada=pada, dicatat_oleh=dicatat_oleh,
    )
    for i, l in enumerate(langkah_untuk(layanan), start=1):
        pengaduan.langkah.append(LangkahPengaduan(
            urutan=i, kode=l["kode"], nama=l["nama"], opsional=l["opsional"], waktu_standar=l["waktu"],
        ))
    db.session.add(pengaduan)
    db.session.flush()
    sla.mulai_tenggat(
        TENGGAT_PENGADUAN, pengaduan.id, durasi=WAKTU_PENYELESAIAN_BAWAAN, mulai=pada,
        judul=judul_tenggat_pengaduan(pengaduan.kode_lacak), tautan=_tautan(pengaduan),
        induk_id=pengaduan.id, layanan_id=pengaduan.layanan_id,
    )
    _mulai_langkah(pengaduan.langkah[0], pengaduan, pada)
    catat_peristiwa(
        "pengaduan_diterima", objek_jenis="pengaduan", objek_id=pengaduan.id,
        aktor=None if dicatat_oleh else "publik", kanal=kanal,
    )
    return pengaduan


def _kode_unik() -> str:
    # 2^50 codes: a clash is practically impossible, but costs one query to rule out.
    while True:
        kode = buat_kode_lacak()
        if db.session.scalar(select(Pengaduan.id).where(Pengaduan.kode_lacak == kode)) is None:
            return kode


def cari_dengan_kode(teks: str) -> Pengaduan | None:
    """The bound office's complaint with this tracking code, however it was typed."""
    kode = normalkan_kode(teks)
    if kode is None:
        return None
    return db.session.scalar(select(Pengaduan).where(Pengaduan.kode_lacak == kode))


# --- working it ------------------------------------------------------------------------

def _langkah_sekarang(pengaduan: Pengaduan, langkah_id) -> LangkahPengaduan:
    if pengaduan.status == "selesai":
        raise PengaduanBerubah("Pengaduan ini sudah ditutup; langkahnya tidak dapat diubah lagi.")
    langkah = pengaduan.langkah_berjalan
    if langkah is None or str(langkah.id) != str(langkah_id):
        raise PengaduanBerubah(
            "Langkah ini bukan langkah yang sedang berjalan; muat ulang halaman untuk melihat keadaan terbaru."
        )
    return langkah


def _lanjutkan(pengaduan: Pengaduan, langkah: LangkahPengaduan, pada: datetime) -> None:
    berikut = next((l for l in pengaduan.langkah if l.urutan > langkah.urutan and l.status == "menunggu"), None)
    if berikut is None:
        pengaduan.status = "menunggu_jawaban"
    else:
        _mulai_langkah(berikut, pengaduan, pada)


def selesaikan_langkah(pengaduan: Pengaduan, langkah_id, catatan: str | None, oleh, pada: datetime | None = None) -> LangkahPengaduan:
    """Mark the running step done with an optional note and start the next one."""
    langkah = _langkah_sekarang(pengaduan, langkah_id)
    pada = pada or sekarang()
    langkah.status, langkah.selesai_pada = "selesai", pada
    langkah.catatan, langkah.dikerjakan_oleh = _bersih(catatan), oleh
    sla.selesaikan_tenggat(TENGGAT_LANGKAH, langkah.id, pada)
    _lanjutkan(pengaduan, langkah, pada)
    catat_peristiwa("pengaduan_langkah_selesai", objek_jenis="pengaduan", objek_id=pengaduan.id, langkah=langkah.kode)
    return langkah


def lewati_langkah(pengaduan: Pengaduan, langkah_id, alasan: str | None, oleh, pada: datetime | None = None) -> LangkahPengaduan:
    """Skip the running step: only an optional one, and only with a reason."""
    langkah = _langkah_sekarang(pengaduan, langkah_id)
    if not langkah.opsional:
        raise PengaduanTidakValid(
            f"Langkah '{langkah.nama}' wajib menurut standar pelayanan dan tidak dapat dilewati."
        )
    alasan = _bersih(alasan)
    if not alasan:
        raise PengaduanTidakValid(f"Tuliskan alasan melewati langkah '{langkah.nama}' pada kolom catatan.")
    pada = pada or sekarang()
    langkah.status, langkah.selesai_pada = "dilewati", pada
    langkah.catatan, langkah.dikerjakan_oleh = alasan, oleh
    sla.hentikan_tenggat(TENGGAT_LANGKAH, langkah.id, pada)
    _lanjutkan(pengaduan, langkah, pada)
    catat_peristiwa("pengaduan_langkah_dilewati", objek_jenis="pengaduan", objek_id=pengaduan.id, langkah=langkah.kode)
    return langkah


def tutup_pengaduan(pengaduan: Pengaduan, jawaban: str | None, oleh, pada: datetime | None = None) -> None:
    """Close a complaint whose steps are all done, with the answer the complainant will read."""
    if pengaduan.status == "selesai":
        raise PengaduanBerubah("Pengaduan ini sudah ditutup.")
    sisa = [l.nama for l in pengaduan.langkah if l.status in ("menunggu", "berjalan")]
    if sisa:
        raise PengaduanBerubah(
            "Pengaduan belum dapat ditutup: langkah berikut belum selesai: " + ", ".join(sisa) + "."
        )
    jawaban = _bersih(jawaban)
    if not jawaban:
        raise PengaduanTidakValid("Jawaban wajib diisi: pelapor akan membacanya di halaman lacak pengaduan.")
    if len(jawaban) > BATAS_ISI:
        raise PengaduanTidakValid(f"Jawaban terlalu panjang: paling banyak {BATAS_ISI} karakter.")
    pengaduan.status, pengaduan.jawaban = "selesai", jawaban
    pengaduan.ditutup_pada, pengaduan.ditutup_oleh = pada or sekarang(), oleh
    sla.selesaikan_tenggat(TENGGAT_PENGADUAN, pengaduan.id, pengaduan.ditutup_pada)
    catat_peristiwa("pengaduan_ditutup", objek_jenis="pengaduan", objek_id=pengaduan.id)


# --- lists and deadlines ---------------------------------------------------------------

def syarat_terlambat(pada: datetime):
    """SQL condition: an open complaint past its own deadline or with a running step past its deadline."""
    terlambat = select(Tenggat.induk_id).where(
        Tenggat.objek_jenis.in_((TENGGAT_PENGADUAN, TENGGAT_LANGKAH)), sla.syarat_terlambat(pada)
    )
    return and_(Pengaduan.status != "selesai", Pengaduan.id.in_(terlambat))


def tenggat_pengaduan(pengaduan_ids: list) -> dict:
    """Complaint id -> {"pengaduan": its clock, step id -> the step's clock}, in one query (for lists and pages)."""
    hasil: dict = {i: {} for i in pengaduan_ids}
    if not pengaduan_ids:
        return hasil
    for t in db.session.scalars(select(Tenggat).where(
        Tenggat.induk_id.in_(pengaduan_ids), Tenggat.objek_jenis.in_((TENGGAT_PENGADUAN, TENGGAT_LANGKAH))
    )):
        kunci = "pengaduan" if t.objek_jenis == TENGGAT_PENGADUAN else t.objek_id
        hasil[t.induk_id][kunci] = t
    return hasil
