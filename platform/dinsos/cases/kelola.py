"""Managing a running case: pausing and resuming it, assigning it or its step, closing and reopening it.

Closing tells the capabilities registered with ``saat_kasus_ditutup`` (the
referrals report completion) in the same transaction, and issues the closing
letter with its survey link.
"""
import uuid
from datetime import datetime

from sqlalchemy import select

from dinsos.auth.models import Pengguna
from dinsos.core.db import db, sekarang
from dinsos.izin import boleh

from .akses import AkunDiam, boleh_kerjakan, boleh_urus, label_pelaksana, peran_untuk_langkah
from .baca import jeda_berjalan, langkah_berjalan, semua_staf, versi_kasus
from .konstanta import JENIS_JEDA, PENANGGUNG_JAWAB
from .models import JedaKasus, Kasus
from .perubahan import KesalahanKasus, audit_kasus, catat_peristiwa_kasus, kunci_versi, wajib_izin
from .sop import mulai_langkah
from .surat import terbitkan_surat_selesai
from .tindakan import hentikan_tindakan_terbuka, periksa_hasil_akhir

# Capabilities that must hear of a closed case, in the closing transaction (referrals report completion).
_SAAT_DITUTUP: dict = {}


def saat_kasus_ditutup(nama: str, fungsi) -> None:
    """Register ``fungsi(kasus, pengguna, pada)`` to run when a case closes, before the caller commits."""
    _SAAT_DITUTUP[nama] = fungsi


def jeda_kasus(kasus: Kasus, *, versi, jenis: str, alasan: str, pengguna, pada: datetime | None = None) -> JedaKasus:
    """Pause a running case while waiting on the applicant or another agency."""
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
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
    catat_peristiwa_kasus(kasus, "dijeda", pada, pengguna, catatan=alasan, jenis_jeda=jenis, langkah=kasus.langkah_kode)
    audit_kasus("jeda_kasus", kasus, pengguna, jenis=jenis)
    db.session.flush()
    db.session.refresh(kasus, ["jeda"])
    return jeda


def lanjutkan_kasus(kasus: Kasus, *, versi, pengguna, catatan: str | None = None, pada: datetime | None = None) -> None:
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    if not boleh_urus(pengguna, kasus):
        raise KesalahanKasus("Hanya penangan kasus atau pimpinan yang dapat melanjutkan kasus ini.", 403)
    if kasus.status != "dijeda":
        raise KesalahanKasus("Kasus ini tidak sedang dijeda.", 409)
    jeda = jeda_berjalan(kasus)
    jeda.selesai = pada
    kasus.status = "berjalan"
    catat_peristiwa_kasus(kasus, "dilanjutkan", pada, pengguna, catatan=(catatan or "").strip() or None,
           durasi_menit=int((pada - jeda.mulai).total_seconds() // 60))
    audit_kasus("lanjutkan_kasus", kasus, pengguna)
    db.session.flush()


def staf_penerima_tugas() -> list[Pengguna]:
    """Active staff of the office who can work on cases, by name."""
    return [p for p in semua_staf() if p.aktif and boleh(AkunDiam(p), "kasus.kerjakan")]


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
    kunci_versi(kasus, versi, pada)
    wajib_izin(pengguna, "kasus.tugaskan", "Hanya kepala bidang atau kepala dinas yang dapat menugaskan kasus.")
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
    catat_peristiwa_kasus(kasus, "ditugaskan", pada, pengguna, dari=str(lama) if lama else None, ke=str(tujuan.id))
    audit_kasus("tugaskan_kasus", kasus, pengguna, ke=str(tujuan.id))
    db.session.flush()


def tugaskan_langkah(kasus: Kasus, *, versi, penanggung_jawab_id, pengguna, pada: datetime | None = None) -> None:
    """Assign the current step to a staff member allowed to do it."""
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    wajib_izin(pengguna, "kasus.tugaskan", "Hanya kepala bidang atau kepala dinas yang dapat menugaskan langkah.")
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
    catat_peristiwa_kasus(kasus, "langkah_ditugaskan", pada, pengguna, langkah=berjalan.kode, dari=str(lama) if lama else None, ke=str(tujuan.id))
    audit_kasus("tugaskan_langkah", kasus, pengguna, langkah=berjalan.kode, ke=str(tujuan.id))
    db.session.flush()


def tutup_kasus(kasus: Kasus, *, versi, hasil_akhir: str, pengguna, catatan: str | None = None, pada: datetime | None = None) -> None:
    """Close the case with one of its SOP's outcomes.

    When the SOP has run to its end the handlers may close it. Closing while a
    step still runs (or the file is incomplete) is for heads of division or
    office only, and needs a reason.
    """
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup.", 409)
    v = versi_kasus(kasus)
    hasil = {h["kode"]: h["nama"] for h in v.isi["sop"]["hasil_akhir"]}
    definisi_hasil = {h["kode"]: h for h in v.isi["sop"]["hasil_akhir"]}
    catatan = (catatan or "").strip() or None
    berjalan = langkah_berjalan(kasus)
    sop_selesai = berjalan is None and kasus.status != "berkas_belum_lengkap"
    if sop_selesai:
        if not boleh_urus(pengguna, kasus):
            raise KesalahanKasus("Hanya penangan kasus atau pimpinan yang dapat menutup kasus ini.", 403)
    else:
        wajib_izin(pengguna, "kasus.tugaskan",
               "Langkah SOP belum selesai; hanya kepala bidang atau kepala dinas yang dapat menutup kasus lebih awal.")
        if not catatan:
            raise KesalahanKasus("Menutup kasus sebelum langkah SOP selesai memerlukan alasan.", 422, {"catatan": "Wajib diisi."})
    if hasil_akhir not in hasil:
        raise KesalahanKasus(f"Hasil akhir harus salah satu dari: {', '.join(hasil.values())}.", 422,
                             {"hasil_akhir": "Pilih hasil akhir dari SOP."})
    periksa_hasil_akhir(kasus, definisi_hasil[hasil_akhir])
    hentikan_tindakan_terbuka(kasus, pada)
    if berjalan is not None:
        berjalan.status, berjalan.selesai_pada = "dihentikan", pada
    jeda = jeda_berjalan(kasus)
    if jeda is not None:
        jeda.selesai = pada
    kasus.status, kasus.hasil_akhir, kasus.ditutup_pada, kasus.langkah_kode = "ditutup", hasil_akhir, pada, None
    catat_peristiwa_kasus(kasus, "ditutup", pada, pengguna, catatan=catatan, hasil_akhir=hasil_akhir,
           langkah_dihentikan=berjalan.kode if berjalan else None)
    terbitkan_surat_selesai(kasus, pengguna, pada)
    audit_kasus("tutup_kasus", kasus, pengguna, hasil_akhir=hasil_akhir)
    for fungsi in _SAAT_DITUTUP.values():
        fungsi(kasus, pengguna, pada)
    db.session.flush()


def buka_kembali(kasus: Kasus, *, versi, alasan: str, pengguna, pada: datetime | None = None) -> None:
    """Reopen a closed case (heads of division/office, with a reason): the last step runs again."""
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    wajib_izin(pengguna, "kasus.tugaskan", "Hanya kepala bidang atau kepala dinas yang dapat membuka kembali kasus.")
    if kasus.status != "ditutup":
        raise KesalahanKasus("Kasus ini tidak sedang ditutup.", 409)
    alasan = (alasan or "").strip()
    if not alasan:
        raise KesalahanKasus("Alasan membuka kembali wajib diisi.", 422, {"alasan": "Wajib diisi."})
    hasil_lama = kasus.hasil_akhir
    kasus.hasil_akhir, kasus.ditutup_pada = None, None
    v = versi_kasus(kasus)
    catat_peristiwa_kasus(kasus, "dibuka_kembali", pada, pengguna, catatan=alasan, hasil_akhir_lama=hasil_lama)
    if kasus.berkas_lengkap_pada is None:
        kasus.status, kasus.langkah_kode = "berkas_belum_lengkap", v.langkah_pertama["kode"]
    else:
        kasus.status = "berjalan"
        terakhir = kasus.langkah[-1].kode if kasus.langkah else v.langkah_pertama["kode"]
        mulai_langkah(kasus, v, terakhir, pada, pengguna)
    audit_kasus("buka_kembali_kasus", kasus, pengguna)
    db.session.flush()
