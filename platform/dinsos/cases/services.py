"""Case work as plain functions: reading a case, and intake, requirement checklist, SOP steps, pauses, assignment, closing.

The rest of case work lives beside this module: who may do what (``akses``),
lists (``daftar``), deadlines and the time facts of a case (``tenggat``), its
letters and what they show (``surat``), what users are shown (``tampilan``).

Every change to a case goes through ``_kunci`` first: it checks the version
the caller read (optimistic locking), bumps it and flushes at once, so a stale
form or a concurrent change is refused before anything else is checked or
written, and what the checks then read is the state of that version: every
change bumps it. On PostgreSQL the row lock this takes also queues two
simultaneous submits, and the second finds the version moved on. The caller
commits (``simpan``), or rolls back when a ``KesalahanKasus`` is raised.

Register numbers are issued when the requirement file becomes complete (at
intake when it already is): that is when the case is registered in the
office's register book and the service clock may start (Magetan's rule), and
the first letter (the handover minutes) must carry the number. A service
whose SOP has a step with ``dokumen_keluaran: nomor_register`` records that
already issued number as that step's output; the step does not take a second
number. An incomplete file never takes a number, so numbers are not spent on
files that are never completed and the sequence stays gapless.

The first SOP step starts when the file is complete, whatever the service
clock's rule: no step can be recorded on an incomplete file. The service
clock (``jam_mulai_pada``) starts per the version's
``jangka_waktu.aturan.mulai``: ``berkas_lengkap`` when the file is complete,
``penerimaan`` at intake; a rule without ``mulai`` counts from the complete
file. Deadlines follow the timeline: each event is handed to ``tenggat``,
which starts, pauses, resumes, reassigns and ends the ``dinsos.sla`` clocks.
"""
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from dinsos.audit.services import catat_peristiwa
from dinsos.auth.izin import boleh
from dinsos.auth.models import Pengguna
from dinsos.catalogue.models import Layanan, VersiLayanan
from dinsos.catalogue.services import layanan_dari_kode, versi_terbaru
from dinsos.core.db import db, sekarang
from dinsos.core.penyimpanan import BerkasDitolak, periksa_berkas, penyimpanan
from dinsos.core.tenant import tenant_aktif
from dinsos.documents.penomoran import nomor_berikutnya
from dinsos.tenancy.models import Tenant

from . import klien as klien_svc
from . import tenggat
from .akses import AkunDiam, boleh_kerjakan, boleh_urus, label_pelaksana, peran_untuk_langkah
from .isian import isian_langkah, periksa_isian
from .konstanta import (
    JENIS_JEDA, JENIS_PELAPOR, KATEGORI_ABH, MULAI_BAWAAN, NAMA_PERAN, PENANGGUNG_JAWAB, PERSYARATAN_DITERIMA,
    STATUS_PERSYARATAN,
)
from .models import JedaKasus, Kasus, Klien, LampiranKasus, LangkahKasus, PeristiwaKasus, PersyaratanKasus


class KesalahanKasus(ValueError):
    """A refused case operation. ``kode`` is the HTTP status; ``kesalahan`` maps field names to messages."""

    def __init__(self, pesan: str, kode: int = 422, kesalahan: dict | None = None):
        super().__init__(pesan)
        self.pesan = pesan
        self.kode = kode
        self.kesalahan = kesalahan or {}


class KonflikVersi(KesalahanKasus):
    """The case changed since the caller read it."""

    def __init__(self, versi_form=None, versi_kini=None):
        rincian = f" (formulir versi {versi_form}, kasus kini versi {versi_kini})" if versi_kini is not None else ""
        super().__init__(
            "Kasus ini sudah diubah oleh pengguna lain sejak halaman dibuka" + rincian + ". "
            "Perubahan Anda tidak disimpan. Muat ulang halaman kasus, periksa keadaannya, lalu ulangi bila masih perlu.",
            409,
        )


@dataclass
class HasilPenerimaan:
    kasus: Kasus
    duplikat: list = field(default_factory=list)
    # Data of the notice of missing documents when the file is incomplete, else None.
    pemberitahuan_kekurangan: dict | None = None


@dataclass
class HasilLangkah:
    langkah: LangkahKasus
    # What the step's dokumen_keluaran letter must show (None when the step owes no letter).
    dokumen: dict | None
    berikutnya: LangkahKasus | None


# --- reading ---------------------------------------------------------------


def muat_kasus(kasus_id) -> Kasus | None:
    """The bound office's case with this id, or None (also for malformed ids)."""
    try:
        kid = kasus_id if isinstance(kasus_id, uuid.UUID) else uuid.UUID(str(kasus_id))
    except ValueError:
        return None
    return db.session.scalar(select(Kasus).where(Kasus.id == kid))


def versi_kasus(kasus: Kasus) -> VersiLayanan:
    return db.session.scalar(select(VersiLayanan).where(VersiLayanan.id == kasus.versi_layanan_id))


def layanan_kasus(kasus: Kasus) -> Layanan:
    return db.session.scalar(select(Layanan).where(Layanan.id == kasus.layanan_id))


def langkah_berjalan(kasus: Kasus) -> LangkahKasus | None:
    """The open step run of the case, if any."""
    return next((l for l in kasus.langkah if l.status == "berjalan"), None)


def jeda_berjalan(kasus: Kasus) -> JedaKasus | None:
    return next((j for j in kasus.jeda if j.selesai is None), None)


def peristiwa(kasus: Kasus) -> list[PeristiwaKasus]:
    """The case's timeline, oldest first."""
    return db.session.scalars(
        select(PeristiwaKasus).where(PeristiwaKasus.kasus_id == kasus.id).order_by(PeristiwaKasus.urutan)
    ).all()


def lampiran(kasus: Kasus) -> list[LampiranKasus]:
    return db.session.scalars(
        select(LampiranKasus).where(LampiranKasus.kasus_id == kasus.id).order_by(LampiranKasus.dibuat_pada)
    ).all()


def muat_lampiran(kasus: Kasus, lampiran_id) -> LampiranKasus | None:
    try:
        lid = uuid.UUID(str(lampiran_id))
    except ValueError:
        return None
    return db.session.scalar(select(LampiranKasus).where(LampiranKasus.id == lid, LampiranKasus.kasus_id == kasus.id))


def berkas_lengkap(kasus: Kasus) -> bool:
    return all(p.status in PERSYARATAN_DITERIMA for p in kasus.persyaratan if p.wajib)


def persyaratan_kurang(kasus: Kasus) -> list[PersyaratanKasus]:
    return [p for p in kasus.persyaratan if p.wajib and p.status not in PERSYARATAN_DITERIMA]


def tanggal_lokal(pada: datetime) -> date:
    """The office's calendar date at that moment (ages and letter dates are local)."""
    tenant = db.session.get(Tenant, tenant_aktif())
    return pada.astimezone(ZoneInfo(tenant.zona_waktu)).date()


# --- writing helpers -------------------------------------------------------------


def _perlu(pengguna, izin: str, pesan: str):
    if not boleh(pengguna, izin):
        raise KesalahanKasus(pesan, 403)


def _cek_versi(kasus: Kasus, versi) -> None:
    """Refuse a change made from an older reading of the case (checked first, so a stale form gets this message)."""
    try:
        versi = int(versi)
    except (TypeError, ValueError):
        raise KesalahanKasus("Versi kasus tidak ada pada formulir atau permintaan; muat ulang halaman kasus.", 422,
                             {"versi": "Wajib diisi dengan versi kasus yang dibaca."}) from None
    if versi != kasus.versi:
        raise KonflikVersi(versi, kasus.versi)


def _kunci(kasus: Kasus, versi, pada: datetime) -> None:
    """Check the version the caller read, then bump it in the database now."""
    _cek_versi(kasus, versi)
    kasus.diperbarui_pada = pada
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise KonflikVersi() from None


def simpan() -> None:
    """Commit the case change; a concurrent change that won first turns into a 409."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise KonflikVersi() from None


def _catat(kasus: Kasus, jenis: str, pada: datetime, aktor, catatan: str | None = None, **rincian) -> PeristiwaKasus:
    urutan = (db.session.scalar(select(func.max(PeristiwaKasus.urutan)).where(PeristiwaKasus.kasus_id == kasus.id)) or 0) + 1
    p = PeristiwaKasus(
        kasus_id=kasus.id, urutan=urutan, jenis=jenis, waktu=pada, aktor_id=aktor.id if aktor else None,
        rincian={k: v for k, v in rincian.items() if v is not None}, catatan=catatan,
    )
    db.session.add(p)
    db.session.flush()
    tenggat.ikuti(kasus, p)  # the events that move a deadline are the timeline's own
    for fungsi in _SAAT_PERISTIWA.values():
        fungsi(kasus, p)
    return p


# Capabilities that act on timeline events in the same transaction (the work queue tells whose turn it is).
_SAAT_PERISTIWA: dict = {}


def saat_peristiwa_kasus(nama: str, fungsi) -> None:
    """Register ``fungsi(kasus, peristiwa)`` to run after each timeline event is written, before the caller commits."""
    _SAAT_PERISTIWA[nama] = fungsi


def catat_peristiwa_kasus(kasus: Kasus, jenis: str, pada: datetime, aktor=None, catatan: str | None = None,
                          **rincian) -> PeristiwaKasus:
    """Put another capability's event (a referral's progress) on the case's timeline; the caller commits."""
    return _catat(kasus, jenis, pada, aktor, catatan, **rincian)


# Capabilities that must hear of a closed case, in the closing transaction (referrals report completion).
_SAAT_DITUTUP: dict = {}


def saat_kasus_ditutup(nama: str, fungsi) -> None:
    """Register ``fungsi(kasus, pengguna, pada)`` to run when a case closes, before the caller commits."""
    _SAAT_DITUTUP[nama] = fungsi


def _audit(tindakan: str, kasus: Kasus, pengguna, **rincian) -> None:
    catat_peristiwa(tindakan, objek_jenis="kasus", objek_id=kasus.id,
                    aktor=pengguna.label_audit if pengguna else None, **rincian)


def _simpan_berkas(kasus: Kasus, isi: bytes, nama_berkas: str, pengguna, pada: datetime, *,
                   langkah: LangkahKasus | None = None, persyaratan_kode: str | None = None) -> LampiranKasus:
    mime = periksa_berkas(isi, _batas_unggah())
    kunci = penyimpanan().simpan(isi, "lampiran")
    lamp = LampiranKasus(
        kasus_id=kasus.id, langkah_kasus_id=langkah.id if langkah else None, persyaratan_kode=persyaratan_kode,
        kunci=kunci, nama_berkas=(nama_berkas or "berkas").strip()[:200] or "berkas", jenis_mime=mime,
        ukuran=len(isi), sha256=hashlib.sha256(isi).hexdigest(), diunggah_oleh_id=pengguna.id if pengguna else None,
        dibuat_pada=pada,
    )
    db.session.add(lamp)
    db.session.flush()
    return lamp


def _buang_berkas_tersimpan(kunci_baru: list[str]) -> None:
    """Files written to the store in a transaction that then failed are removed again."""
    for kunci in kunci_baru:
        penyimpanan().hapus(kunci)


def _batas_unggah() -> int:
    from flask import current_app

    return current_app.config["MAX_UPLOAD_BYTES"]


def _periksa_semua_berkas(unggahan) -> None:
    """Refuse a bad upload before anything is stored or written."""
    for label, (isi, nama) in unggahan:
        try:
            periksa_berkas(isi, _batas_unggah())
        except BerkasDitolak as e:
            raise KesalahanKasus(f"{label} ({nama}): {e}", e.kode, {label: str(e)}) from None


def _periksa_foto(foto: tuple) -> None:
    _periksa_semua_berkas([("klien.foto", foto)])
    if periksa_berkas(foto[0], _batas_unggah()) not in ("image/jpeg", "image/png"):
        raise KesalahanKasus("Foto klien harus berupa gambar JPEG atau PNG.", 415, {"klien.foto": "Harus JPEG atau PNG."})


# --- intake ----------------------------------------------------------------------


def _rahasia(kasus: Kasus, versi: VersiLayanan, pada: datetime) -> bool:
    """Children's cases and every ABH case keep the client's identity confidential."""
    k = kasus.klien
    return (
        klien_svc.adalah_anak(k, tanggal_lokal(pada))
        or k.kategori_ppks == KATEGORI_ABH
        or KATEGORI_ABH in (versi.isi.get("kategori_ppks") or [])
    )


def _periksa_pelapor(data: dict) -> dict:
    k = {}
    jenis = (data.get("jenis") or "").strip()
    if jenis not in JENIS_PELAPOR:
        k["pelapor.jenis"] = f"Jenis pelapor harus salah satu dari: {', '.join(JENIS_PELAPOR)}."
    tanggal = data.get("surat_tanggal")
    if tanggal in ("", None):
        tanggal = None
    elif not isinstance(tanggal, date):
        try:
            tanggal = date.fromisoformat(str(tanggal).strip())
        except ValueError:
            k["pelapor.surat_tanggal"] = "Tanggal surat tidak valid; tulis TTTT-BB-HH."
    nama = (data.get("nama") or "").strip() or None
    instansi = (data.get("instansi") or "").strip() or None
    if not nama and not instansi:
        k["pelapor.nama"] = "Isi nama pelapor atau instansinya."
    if k:
        raise KesalahanKasus("Data pelapor belum benar: " + " ".join(k.values()), 422, k)
    return {
        "pelapor_jenis": jenis, "pelapor_nama": nama, "pelapor_instansi": instansi and instansi[:200],
        "pelapor_kontak": (data.get("kontak") or "").strip() or None,
        "surat_nomor": ((data.get("surat_nomor") or "").strip() or None), "surat_tanggal": tanggal,
    }


def _status_awal(dokumen: list[dict], persyaratan: dict, unggahan: dict) -> dict:
    k = {}
    dikenal = {d["kode"] for d in dokumen}
    for kode in sorted((set(persyaratan) | set(unggahan)) - dikenal):
        k[f"persyaratan.{kode}"] = f"Persyaratan '{kode}' tidak ada pada standar layanan ini."
    status = {}
    for d in dokumen:
        s = "diunggah" if d["kode"] in unggahan else (persyaratan.get(d["kode"]) or "belum")
        if s not in STATUS_PERSYARATAN:
            k[f"persyaratan.{d['kode']}"] = f"{d['nama']}: status harus salah satu dari {', '.join(STATUS_PERSYARATAN)}."
        elif s == "diunggah" and d["kode"] not in unggahan:
            k[f"persyaratan.{d['kode']}"] = f"{d['nama']}: tandai 'diunggah' hanya dengan mengunggah pindaiannya."
        status[d["kode"]] = s
    if k:
        raise KesalahanKasus("Daftar persyaratan belum benar: " + " ".join(k.values()), 422, k)
    return status


def terima_kasus(
    layanan_kode: str,
    *,
    pelapor: dict,
    pengguna,
    klien: dict | None = None,
    klien_id=None,
    persyaratan: dict | None = None,
    unggahan: dict | None = None,
    foto: tuple | None = None,
    pada: datetime | None = None,
) -> HasilPenerimaan:
    """Open a case ("Penerimaan baru") for a service of the bound office.

    ``pelapor``: jenis, nama, instansi, kontak, surat_nomor, surat_tanggal.
    ``klien``: new client data (see ``klien.periksa_data_klien``), or
    ``klien_id`` of an existing client. ``persyaratan``: requirement code ->
    ``dilihat``/``belum``; ``unggahan``: requirement code -> (bytes, file name),
    which marks it ``diunggah``; ``foto``: (bytes, file name) of the new
    client's photo (JPEG or PNG). The case keeps the service's current version.
    """
    pada = pada or sekarang()
    _perlu(pengguna, "kasus.terima", "Anda tidak berwenang menerima kasus baru.")
    layanan = layanan_dari_kode(layanan_kode)
    if layanan is None:
        raise KesalahanKasus(f"Layanan '{layanan_kode}' tidak ditemukan di kantor ini.", 404)
    versi = versi_terbaru(layanan)
    unggahan = unggahan or {}
    data_pelapor = _periksa_pelapor(pelapor or {})
    dokumen = versi.isi["penyampaian_pelayanan"]["persyaratan"]["dokumen"]
    status = _status_awal(dokumen, persyaratan or {}, unggahan)
    _periksa_semua_berkas((f"persyaratan.{kode}", berkas) for kode, berkas in unggahan.items())
    if foto is not None:
        _periksa_foto(foto)

    duplikat = []
    if klien_id is not None:
        try:
            data_klien = db.session.scalar(select(Klien).where(Klien.id == uuid.UUID(str(klien_id))))
        except ValueError:
            data_klien = None
        if data_klien is None:
            raise KesalahanKasus("Klien yang dipilih tidak ditemukan di kantor ini.", 422, {"klien_id": "Klien tidak ditemukan."})
    else:
        try:
            bersih = klien_svc.periksa_data_klien(klien or {}, tanggal_lokal(pada))
        except klien_svc.DataKlienTidakValid as e:
            raise KesalahanKasus("Data klien belum benar: " + " ".join(e.kesalahan.values()), 422,
                                 {f"klien.{k}": v for k, v in e.kesalahan.items()}) from None
        duplikat = klien_svc.cari_duplikat(bersih["nik"], bersih["nama"], bersih["tanggal_lahir"])
        data_klien = klien_svc.buat_klien(bersih)

    kasus = Kasus(
        layanan_id=layanan.id, versi_layanan_id=versi.id, klien_id=data_klien.id, klien=data_klien,
        status="berkas_belum_lengkap", langkah_kode=versi.langkah_pertama["kode"],
        dibuat_oleh_id=pengguna.id, diterima_pada=pada, diperbarui_pada=pada, dibuat_pada=pada, **data_pelapor,
    )
    kasus.rahasia = _rahasia(kasus, versi, pada)
    db.session.add(kasus)
    db.session.flush()
    baru = []
    try:
        if foto is not None and klien_id is None:
            data_klien.foto_kunci = penyimpanan().simpan(foto[0], "foto")
            data_klien.foto_jenis = periksa_berkas(foto[0], _batas_unggah())
            baru.append(data_klien.foto_kunci)
        for i, d in enumerate(dokumen):
            p = PersyaratanKasus(kasus_id=kasus.id, urutan=i, kode=d["kode"], nama=d["nama"][:500], wajib=bool(d.get("wajib")),
                                 status=status[d["kode"]], diubah_oleh_id=pengguna.id, diubah_pada=pada)
            if d["kode"] in unggahan:
                isi, nama = unggahan[d["kode"]]
                lamp = _simpan_berkas(kasus, isi, nama, pengguna, pada, persyaratan_kode=d["kode"])
                baru.append(lamp.kunci)
                p.lampiran_id = lamp.id
            db.session.add(p)
        db.session.flush()
        db.session.refresh(kasus, ["persyaratan"])
        _catat(kasus, "penerimaan", pada, pengguna, layanan=layanan.kode, versi=versi.versi, pelapor=data_pelapor["pelapor_jenis"],
               persyaratan={k: v for k, v in status.items()}, duplikat=len(duplikat) or None)
        if tenggat.aturan_jam(versi).get("mulai", MULAI_BAWAAN) == "penerimaan":
            kasus.jam_mulai_pada = pada
            _catat(kasus, "jam_mulai", pada, None, aturan="penerimaan")
        if berkas_lengkap(kasus):
            _berkas_menjadi_lengkap(kasus, versi, pada, pengguna)
        _audit("terima_kasus", kasus, pengguna, layanan=layanan.kode, duplikat=len(duplikat) or None)
        db.session.flush()
    except BaseException:
        _buang_berkas_tersimpan(baru)
        raise
    from .surat import data_pemberitahuan_kekurangan  # surat builds on this module

    kurang = None if berkas_lengkap(kasus) else data_pemberitahuan_kekurangan(kasus, pada)
    return HasilPenerimaan(kasus=kasus, duplikat=duplikat, pemberitahuan_kekurangan=kurang)


def calon_duplikat(klien: dict, pada: datetime | None = None) -> list[dict]:
    """Existing clients that new client data probably describes (a warning before saving); [] when the data is invalid."""
    try:
        bersih = klien_svc.periksa_data_klien(klien, tanggal_lokal(pada or sekarang()))
    except klien_svc.DataKlienTidakValid:
        return []  # terima_kasus reports what is wrong
    return klien_svc.cari_duplikat(bersih["nik"], bersih["nama"], bersih["tanggal_lahir"])


def _berkas_menjadi_lengkap(kasus: Kasus, versi: VersiLayanan, pada: datetime, pengguna) -> None:
    """The file is complete: register number, clock (berkas_lengkap rule), first step."""
    kasus.berkas_lengkap_pada = pada
    kasus.status = "berjalan"
    urut, nomor = nomor_berikutnya("register", pada)
    kasus.nomor_register_urut, kasus.nomor_register = urut, nomor
    _catat(kasus, "berkas_lengkap", pada, pengguna, nomor_register=nomor)
    if kasus.jam_mulai_pada is None:
        kasus.jam_mulai_pada = pada
        _catat(kasus, "jam_mulai", pada, None, aturan=tenggat.aturan_jam(versi).get("mulai", MULAI_BAWAAN))
    _mulai_langkah(kasus, versi, kasus.langkah_kode or versi.langkah_pertama["kode"], pada, pengguna)


def _mulai_langkah(kasus: Kasus, versi: VersiLayanan, kode: str, pada: datetime, aktor) -> LangkahKasus:
    definisi = versi.langkah(kode)
    urutan = len(kasus.langkah) + 1
    pj = kasus.penanggung_jawab_id
    if pj is not None:
        orang = db.session.get(Pengguna, (kasus.tenant_id, pj))
        if orang is None or not boleh_kerjakan(AkunDiam(orang), definisi, kasus):
            pj = None
    langkah = LangkahKasus(
        kasus_id=kasus.id, urutan=urutan, kode=kode, status="berjalan", mulai_pada=pada, waktu=definisi.get("waktu"),
        penanggung_jawab_id=pj, dokumen_keluaran=definisi.get("dokumen_keluaran"),
    )
    db.session.add(langkah)
    kasus.langkah_kode = kode
    db.session.flush()
    db.session.refresh(kasus, ["langkah"])
    _catat(kasus, "langkah_mulai", pada, aktor, langkah=kode, urutan=urutan, waktu=definisi.get("waktu"),
           penanggung_jawab=str(pj) if pj else None)
    return langkah


# --- requirement checklist -------------------------------------------------------------


def ubah_persyaratan(
    kasus: Kasus, *, versi, pengguna, perubahan: dict | None = None, unggahan: dict | None = None, pada: datetime | None = None
) -> bool:
    """Change requirement items (``dilihat``/``belum``, or upload a scan). Returns True when the file became complete."""
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    _perlu(pengguna, "kasus.kerjakan", "Anda tidak berwenang mengubah berkas kasus.")
    perubahan, unggahan = perubahan or {}, unggahan or {}
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; berkasnya tidak dapat diubah.", 409)
    butir = {p.kode: p for p in kasus.persyaratan}
    k = {}
    for kode in sorted(set(perubahan) | set(unggahan)):
        if kode not in butir:
            k[f"persyaratan.{kode}"] = f"Persyaratan '{kode}' tidak ada pada kasus ini."
        elif kode in perubahan and perubahan[kode] not in ("dilihat", "belum"):
            k[f"persyaratan.{kode}"] = f"{butir[kode].nama}: status harus 'dilihat' atau 'belum'; 'diunggah' dengan mengunggah pindaian."
        elif perubahan.get(kode) == "belum" and butir[kode].wajib and kasus.berkas_lengkap_pada is not None:
            k[f"persyaratan.{kode}"] = (f"{butir[kode].nama}: berkas sudah dinyatakan lengkap pada nomor register "
                                        f"{kasus.nomor_register}; persyaratan wajib tidak dapat dikembalikan ke 'belum'.")
    if not perubahan and not unggahan:
        k["persyaratan"] = "Tidak ada perubahan persyaratan yang dikirim."
    if k:
        raise KesalahanKasus("Perubahan persyaratan ditolak: " + " ".join(k.values()), 422, k)
    _periksa_semua_berkas((f"persyaratan.{kode}", berkas) for kode, berkas in unggahan.items())
    lengkap_sebelum = berkas_lengkap(kasus)
    catatan_ubah, baru = {}, []
    try:
        for kode in sorted(set(perubahan) | set(unggahan)):
            p = butir[kode]
            lama = p.status
            if kode in unggahan:
                isi, nama = unggahan[kode]
                lamp = _simpan_berkas(kasus, isi, nama, pengguna, pada, persyaratan_kode=kode)
                baru.append(lamp.kunci)
                p.status, p.lampiran_id = "diunggah", lamp.id
            else:
                p.status = perubahan[kode]
                if p.status != "diunggah":
                    p.lampiran_id = None
            p.diubah_oleh_id, p.diubah_pada = pengguna.id, pada
            catatan_ubah[kode] = [lama, p.status]
        db.session.flush()
        _catat(kasus, "persyaratan_diubah", pada, pengguna, perubahan=catatan_ubah)
        menjadi_lengkap = not lengkap_sebelum and kasus.berkas_lengkap_pada is None and berkas_lengkap(kasus)
        if menjadi_lengkap and kasus.status == "berkas_belum_lengkap":
            _berkas_menjadi_lengkap(kasus, versi_kasus(kasus), pada, pengguna)
        _audit("ubah_persyaratan", kasus, pengguna, perubahan=catatan_ubah)
        db.session.flush()
    except BaseException:
        _buang_berkas_tersimpan(baru)
        raise
    return menjadi_lengkap


# --- SOP steps --------------------------------------------------------------------------


def _periksa_bisa_melangkah(kasus: Kasus) -> None:
    if kasus.status == "berkas_belum_lengkap":
        kurang = ", ".join(p.nama for p in persyaratan_kurang(kasus))
        raise KesalahanKasus(f"Berkas persyaratan belum lengkap (kurang: {kurang}); langkah SOP belum dapat dicatat.", 409)
    if kasus.status == "dijeda":
        raise KesalahanKasus("Kasus sedang dijeda; lanjutkan kasus terlebih dahulu.", 409)
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; buka kembali bila perlu dilanjutkan.", 409)


def _tujuan_berikutnya(definisi: dict, cabang: str | None) -> str | None:
    pilihan = [c["ke"] for c in definisi.get("cabang") or []]
    if cabang:
        if cabang == definisi.get("berikutnya") or cabang in pilihan:
            return cabang
        raise KesalahanKasus(f"Kelanjutan '{cabang}' tidak ada pada langkah ini.", 422, {"cabang": "Pilih kelanjutan yang tersedia."})
    if definisi.get("berikutnya") is None and pilihan:
        raise KesalahanKasus("Langkah ini bercabang: pilih kelanjutannya.", 422, {"cabang": "Wajib dipilih."})
    return definisi.get("berikutnya")


def selesaikan_langkah(
    kasus: Kasus,
    *,
    versi,
    kode_langkah: str,
    pengguna,
    isian: dict | None = None,
    catatan: str | None = None,
    cabang: str | None = None,
    unggahan: list | None = None,
    pada: datetime | None = None,
) -> HasilLangkah:
    """Record the current SOP step as done with its form answers, then start the next (or the chosen branch).

    Refused when the file is incomplete, the case is paused or closed, the step
    is not the current one, the user's role is not among the step's actors,
    or the form is invalid or stale: nothing is written then.
    """
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    _periksa_bisa_melangkah(kasus)
    v = versi_kasus(kasus)
    berjalan = langkah_berjalan(kasus)
    if berjalan is None or kode_langkah != berjalan.kode:
        sekarang_ = v.langkah(kasus.langkah_kode)["kegiatan"] if kasus.langkah_kode else "tidak ada"
        raise KesalahanKasus(
            f"Langkah '{kode_langkah}' bukan langkah yang sedang berjalan; langkah saat ini: "
            f"'{kasus.langkah_kode}' ({sekarang_}). Langkah SOP dikerjakan berurutan.", 409,
        )
    definisi = v.langkah(berjalan.kode)
    if not boleh_kerjakan(pengguna, definisi, kasus):
        raise KesalahanKasus(
            f"Langkah '{definisi['kode']}' hanya dapat dicatat oleh: {label_pelaksana(definisi)}. "
            f"Peran Anda: {', '.join(NAMA_PERAN.get(p, p) for p in pengguna.peran)}.", 403,
        )
    bersih, galat = periksa_isian(isian_langkah(definisi), isian or {})
    if galat:
        raise KesalahanKasus("Isian langkah belum benar: " + " ".join(galat.values()), 422,
                             {f"isian.{k}": v_ for k, v_ in galat.items()})
    tujuan = _tujuan_berikutnya(definisi, cabang)
    unggahan = unggahan or []
    _periksa_semua_berkas(("lampiran", berkas) for berkas in unggahan)
    baru = []
    try:
        berjalan.status, berjalan.selesai_pada, berjalan.dikerjakan_oleh_id = "selesai", pada, pengguna.id
        berjalan.isian, berjalan.catatan = bersih, (catatan or "").strip() or None
        berjalan.cabang_ke = tujuan if tujuan and tujuan != definisi.get("berikutnya") else None
        for isi, nama in unggahan:
            baru.append(_simpan_berkas(kasus, isi, nama, pengguna, pada, langkah=berjalan).kunci)
        _catat(kasus, "langkah_selesai", pada, pengguna, catatan=berjalan.catatan, langkah=berjalan.kode,
               urutan=berjalan.urutan, durasi_menit=tenggat.durasi_menit(kasus, berjalan), waktu=berjalan.waktu,
               cabang=berjalan.cabang_ke, dokumen_keluaran=berjalan.dokumen_keluaran, lampiran=len(unggahan) or None)
        from .surat import data_dokumen, terbitkan_surat_langkah  # surat builds on this module

        terbitkan_surat_langkah(kasus, berjalan, pengguna)
        berikutnya = _mulai_langkah(kasus, v, tujuan, pada, pengguna) if tujuan else None
        if berikutnya is None:
            kasus.langkah_kode = None
        _audit("selesaikan_langkah", kasus, pengguna, langkah=berjalan.kode)
        db.session.flush()
    except BaseException:
        _buang_berkas_tersimpan(baru)
        raise
    dokumen = data_dokumen(kasus, berjalan) if berjalan.dokumen_keluaran else None
    return HasilLangkah(langkah=berjalan, dokumen=dokumen, berikutnya=berikutnya)


def catat_perkembangan(kasus: Kasus, *, versi, catatan: str, pengguna, pada: datetime | None = None) -> PeristiwaKasus:
    """A progress note on the current step without finishing it (open-ended accompaniment)."""
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    _periksa_bisa_melangkah(kasus)
    berjalan = langkah_berjalan(kasus)
    definisi = versi_kasus(kasus).langkah(berjalan.kode)
    if not boleh_kerjakan(pengguna, definisi, kasus):
        raise KesalahanKasus(f"Catatan langkah ini hanya dapat dibuat oleh: {label_pelaksana(definisi)}.", 403)
    catatan = (catatan or "").strip()
    if not catatan:
        raise KesalahanKasus("Catatan perkembangan wajib diisi.", 422, {"catatan": "Wajib diisi."})
    p = _catat(kasus, "catatan", pada, pengguna, catatan=catatan, langkah=berjalan.kode)
    _audit("catat_perkembangan", kasus, pengguna, langkah=berjalan.kode)
    return p


def unggah_lampiran(kasus: Kasus, *, versi, isi: bytes, nama_berkas: str, pengguna, pada: datetime | None = None) -> LampiranKasus:
    """Attach a file to the case (to its current step when one runs)."""
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    _perlu(pengguna, "kasus.kerjakan", "Anda tidak berwenang menambah lampiran.")
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; lampiran tidak dapat ditambah.", 409)
    _periksa_semua_berkas([("berkas", (isi, nama_berkas))])
    berjalan = langkah_berjalan(kasus)
    lamp = _simpan_berkas(kasus, isi, nama_berkas, pengguna, pada, langkah=berjalan)
    try:
        _catat(kasus, "lampiran", pada, pengguna, langkah=berjalan.kode if berjalan else None, ukuran=lamp.ukuran,
               jenis_mime=lamp.jenis_mime)
        _audit("unggah_lampiran", kasus, pengguna, lampiran=str(lamp.id))
        db.session.flush()
    except BaseException:
        _buang_berkas_tersimpan([lamp.kunci])
        raise
    return lamp


# --- pause, assignment, closing ----------------------------------------------------------


def jeda_kasus(kasus: Kasus, *, versi, jenis: str, alasan: str, pengguna, pada: datetime | None = None) -> JedaKasus:
    """Pause a running case while waiting on the applicant or another agency."""
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    if not boleh_urus(pengguna, kasus):
        raise KesalahanKasus("Hanya penangan kasus atau pimpinan yang dapat menjeda kasus ini.", 403)
    if kasus.status != "berjalan":
        raise KesalahanKasus("Hanya kasus yang sedang berjalan yang dapat dijeda.", 409)
    alasan = (alasan or "").strip()
    k = {}
    if jenis not in JENIS_JEDA:
        k["jenis"] = f"Jenis jeda harus salah satu dari: {', '.join(JENIS_JEDA)}."
    if not alasan:
        k["alasan"] = "Alasan jeda wajib diisi."
    if k:
        raise KesalahanKasus("Jeda ditolak: " + " ".join(k.values()), 422, k)
    jeda = JedaKasus(kasus_id=kasus.id, jenis=jenis, alasan=alasan, mulai=pada)
    db.session.add(jeda)
    kasus.status = "dijeda"
    _catat(kasus, "dijeda", pada, pengguna, catatan=alasan, jenis_jeda=jenis, langkah=kasus.langkah_kode)
    _audit("jeda_kasus", kasus, pengguna, jenis=jenis)
    db.session.flush()
    db.session.refresh(kasus, ["jeda"])
    return jeda


def lanjutkan_kasus(kasus: Kasus, *, versi, pengguna, catatan: str | None = None, pada: datetime | None = None) -> None:
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    if not boleh_urus(pengguna, kasus):
        raise KesalahanKasus("Hanya penangan kasus atau pimpinan yang dapat melanjutkan kasus ini.", 403)
    if kasus.status != "dijeda":
        raise KesalahanKasus("Kasus ini tidak sedang dijeda.", 409)
    jeda = jeda_berjalan(kasus)
    jeda.selesai = pada
    kasus.status = "berjalan"
    _catat(kasus, "dilanjutkan", pada, pengguna, catatan=(catatan or "").strip() or None,
           durasi_menit=int((pada - jeda.mulai).total_seconds() // 60))
    _audit("lanjutkan_kasus", kasus, pengguna)
    db.session.flush()


def staf_penerima_tugas() -> list[Pengguna]:
    """Active staff of the office who can work on cases, by name."""
    semua = db.session.scalars(select(Pengguna).where(Pengguna.aktif.is_(True)).order_by(Pengguna.nama)).all()
    return [p for p in semua if boleh(AkunDiam(p), "kasus.kerjakan")]


def _staf(pengguna_id) -> Pengguna | None:
    try:
        pid = uuid.UUID(str(pengguna_id))
    except ValueError:
        return None
    orang = db.session.scalar(select(Pengguna).where(Pengguna.id == pid, Pengguna.aktif.is_(True)))
    return orang if orang is not None and boleh(AkunDiam(orang), "kasus.kerjakan") else None


def tugaskan_kasus(kasus: Kasus, *, versi, penanggung_jawab_id, pengguna, pada: datetime | None = None) -> None:
    """Assign (or reassign) the case to a staff member; the current step follows when they may do it."""
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    _perlu(pengguna, "kasus.tugaskan", "Hanya kepala bidang atau kepala dinas yang dapat menugaskan kasus.")
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; tidak dapat ditugaskan.", 409)
    tujuan = _staf(penanggung_jawab_id)
    if tujuan is None:
        raise KesalahanKasus("Petugas yang dipilih tidak ditemukan atau tidak menangani kasus.", 422,
                             {"penanggung_jawab_id": "Pilih petugas yang aktif."})
    lama = kasus.penanggung_jawab_id
    kasus.penanggung_jawab_id = tujuan.id
    berjalan = langkah_berjalan(kasus)
    if berjalan is not None and berjalan.penanggung_jawab_id in (None, lama):
        definisi = versi_kasus(kasus).langkah(berjalan.kode)
        if boleh_kerjakan(AkunDiam(tujuan), definisi, kasus):
            berjalan.penanggung_jawab_id = tujuan.id
    _catat(kasus, "ditugaskan", pada, pengguna, dari=str(lama) if lama else None, ke=str(tujuan.id))
    _audit("tugaskan_kasus", kasus, pengguna, ke=str(tujuan.id))
    db.session.flush()


def tugaskan_langkah(kasus: Kasus, *, versi, penanggung_jawab_id, pengguna, pada: datetime | None = None) -> None:
    """Assign the current step to a staff member allowed to do it."""
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    _perlu(pengguna, "kasus.tugaskan", "Hanya kepala bidang atau kepala dinas yang dapat menugaskan langkah.")
    berjalan = langkah_berjalan(kasus)
    if berjalan is None:
        raise KesalahanKasus("Tidak ada langkah yang sedang berjalan untuk ditugaskan.", 409)
    definisi = versi_kasus(kasus).langkah(berjalan.kode)
    tujuan = _staf(penanggung_jawab_id)
    if tujuan is None or not (set(tujuan.peran) & peran_untuk_langkah(definisi) or PENANGGUNG_JAWAB in peran_untuk_langkah(definisi)):
        raise KesalahanKasus(f"Langkah ini hanya dapat ditugaskan kepada: {label_pelaksana(definisi)}.", 422,
                             {"penanggung_jawab_id": "Petugas tidak berwenang untuk langkah ini."})
    lama = berjalan.penanggung_jawab_id
    berjalan.penanggung_jawab_id = tujuan.id
    _catat(kasus, "langkah_ditugaskan", pada, pengguna, langkah=berjalan.kode, dari=str(lama) if lama else None, ke=str(tujuan.id))
    _audit("tugaskan_langkah", kasus, pengguna, langkah=berjalan.kode, ke=str(tujuan.id))
    db.session.flush()


def tutup_kasus(kasus: Kasus, *, versi, hasil_akhir: str, pengguna, catatan: str | None = None, pada: datetime | None = None) -> None:
    """Close the case with one of its SOP's outcomes.

    When the SOP has run to its end the handlers may close it. Closing while a
    step still runs (or the file is incomplete) is for heads of division or
    office only, and needs a reason.
    """
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup.", 409)
    v = versi_kasus(kasus)
    hasil = {h["kode"]: h["nama"] for h in v.isi["sop"]["hasil_akhir"]}
    catatan = (catatan or "").strip() or None
    berjalan = langkah_berjalan(kasus)
    sop_selesai = berjalan is None and kasus.status != "berkas_belum_lengkap"
    if sop_selesai:
        if not boleh_urus(pengguna, kasus):
            raise KesalahanKasus("Hanya penangan kasus atau pimpinan yang dapat menutup kasus ini.", 403)
    else:
        _perlu(pengguna, "kasus.tugaskan",
               "Langkah SOP belum selesai; hanya kepala bidang atau kepala dinas yang dapat menutup kasus lebih awal.")
        if not catatan:
            raise KesalahanKasus("Menutup kasus sebelum langkah SOP selesai memerlukan alasan.", 422, {"catatan": "Wajib diisi."})
    if hasil_akhir not in hasil:
        raise KesalahanKasus(f"Hasil akhir harus salah satu dari: {', '.join(hasil.values())}.", 422,
                             {"hasil_akhir": "Pilih hasil akhir dari SOP."})
    if berjalan is not None:
        berjalan.status, berjalan.selesai_pada = "dihentikan", pada
    jeda = jeda_berjalan(kasus)
    if jeda is not None:
        jeda.selesai = pada
    kasus.status, kasus.hasil_akhir, kasus.ditutup_pada, kasus.langkah_kode = "ditutup", hasil_akhir, pada, None
    _catat(kasus, "ditutup", pada, pengguna, catatan=catatan, hasil_akhir=hasil_akhir,
           langkah_dihentikan=berjalan.kode if berjalan else None)
    from .surat import terbitkan_surat_selesai  # surat builds on this module

    terbitkan_surat_selesai(kasus, pengguna, pada)
    _audit("tutup_kasus", kasus, pengguna, hasil_akhir=hasil_akhir)
    for fungsi in _SAAT_DITUTUP.values():
        fungsi(kasus, pengguna, pada)
    db.session.flush()


def buka_kembali(kasus: Kasus, *, versi, alasan: str, pengguna, pada: datetime | None = None) -> None:
    """Reopen a closed case (heads of division/office, with a reason): the last step runs again."""
    pada = pada or sekarang()
    _kunci(kasus, versi, pada)
    _perlu(pengguna, "kasus.tugaskan", "Hanya kepala bidang atau kepala dinas yang dapat membuka kembali kasus.")
    if kasus.status != "ditutup":
        raise KesalahanKasus("Kasus ini tidak sedang ditutup.", 409)
    alasan = (alasan or "").strip()
    if not alasan:
        raise KesalahanKasus("Alasan membuka kembali wajib diisi.", 422, {"alasan": "Wajib diisi."})
    hasil_lama = kasus.hasil_akhir
    kasus.hasil_akhir, kasus.ditutup_pada = None, None
    v = versi_kasus(kasus)
    _catat(kasus, "dibuka_kembali", pada, pengguna, catatan=alasan, hasil_akhir_lama=hasil_lama)
    if kasus.berkas_lengkap_pada is None:
        kasus.status, kasus.langkah_kode = "berkas_belum_lengkap", v.langkah_pertama["kode"]
    else:
        kasus.status = "berjalan"
        terakhir = kasus.langkah[-1].kode if kasus.langkah else v.langkah_pertama["kode"]
        _mulai_langkah(kasus, v, terakhir, pada, pengguna)
    _audit("buka_kembali_kasus", kasus, pengguna)
    db.session.flush()
