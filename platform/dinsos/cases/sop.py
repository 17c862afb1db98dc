"""Working through a case's SOP: starting a step, recording it done (with its letter), progress notes, attachments.

The first SOP step starts when the requirement file is complete, whatever the
service clock's rule: no step can be recorded on an incomplete file. Steps run
in order; a step's ``berikutnya`` or one of its ``cabang`` names the next, and
a step whose ``dokumen_keluaran`` is a letter issues it in the same
transaction (``surat``), so a refused letter leaves the step undone. A step
whose output is the register number gives the case its number when the case
has none yet (standards with ``sop.nomor_register: langkah``).
"""
from dataclasses import dataclass
from datetime import datetime

from dinsos.auth.models import Pengguna
from dinsos.catalogue.models import VersiLayanan
from dinsos.core.db import db, sekarang
from dinsos.core.penyimpanan import kunci_dihapus_bila_gagal
from dinsos.documents.penomoran import nomor_berikutnya
from dinsos.izin import boleh

from . import tenggat
from .akses import AkunDiam, boleh_kerjakan, boleh_urus, label_pelaksana, peran_untuk_langkah
from .baca import langkah_berjalan, peristiwa, persyaratan_kurang, versi_kasus
from .isian import isian_langkah, periksa_isian
from .konstanta import NAMA_PERAN
from .models import Kasus, LampiranKasus, LangkahKasus, PeristiwaKasus
from .perubahan import (
    KesalahanKasus,
    audit_kasus,
    catat_peristiwa_kasus,
    kunci_versi,
    periksa_unggahan,
    simpan_lampiran,
    wajib_izin,
)
from .surat import data_dokumen, terbitkan_lembar_disposisi, terbitkan_surat_langkah


@dataclass
class HasilLangkah:
    langkah: LangkahKasus
    # What the step's dokumen_keluaran letter must show (None when the step owes no letter).
    dokumen: dict | None
    berikutnya: LangkahKasus | None


def mulai_langkah(kasus: Kasus, versi: VersiLayanan, kode: str, pada: datetime, aktor) -> LangkahKasus:
    """Start step ``kode`` as a new step run; the case's assignee takes it when they may do it."""
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
    kasus.langkah.append(langkah)  # the list read above, kept in step rather than read again
    kasus.langkah_kode = kode
    db.session.flush()
    catat_peristiwa_kasus(kasus, "langkah_mulai", pada, aktor, langkah=kode, urutan=urutan, waktu=definisi.get("waktu"),
           penanggung_jawab=str(pj) if pj else None)
    return langkah


def beri_nomor_register(kasus: Kasus, pada: datetime) -> str:
    """Give the case the office's next register number (once; a case keeps its number)."""
    if kasus.nomor_register is None:
        kasus.nomor_register_urut, kasus.nomor_register = nomor_berikutnya("register", pada)
    return kasus.nomor_register


def _periksa_bisa_melangkah(kasus: Kasus) -> None:
    if kasus.status == "berkas_belum_lengkap":
        kurang = ", ".join(p.nama for p in persyaratan_kurang(kasus))
        raise KesalahanKasus(f"Berkas persyaratan belum lengkap (kurang: {kurang}); langkah SOP belum dapat dicatat.", 409)
    if kasus.status == "dijeda":
        raise KesalahanKasus("Kasus sedang dijeda; lanjutkan kasus terlebih dahulu.", 409)
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; buka kembali bila perlu dilanjutkan.", 409)


def disposisi_langkah(kasus: Kasus, langkah: LangkahKasus) -> list[PeristiwaKasus]:
    """The disposition acts recorded so far on this run of a step, in order."""
    return [p for p in peristiwa(kasus)
            if p.jenis == "disposisi" and p.rincian.get("urutan") == langkah.urutan and p.rincian.get("langkah") == langkah.kode]


def giliran_disposisi(definisi: dict, sudah: list[PeristiwaKasus]) -> str | None:
    """The SOP actor whose act comes next in the step's chain (the last one records the step); None without a chain."""
    rantai = definisi.get("disposisi") or []
    return rantai[len(sudah)] if len(sudah) < len(rantai) else None


def _periksa_giliran(kasus: Kasus, definisi: dict, langkah: LangkahKasus, pengguna) -> list[PeristiwaKasus]:
    """Refuse an act out of turn or by someone else's role, or a second act by the same person."""
    sudah = disposisi_langkah(kasus, langkah)
    aktor = giliran_disposisi(definisi, sudah)
    giliran = {"pelaksana": [aktor]}
    if not boleh_kerjakan(pengguna, giliran, kasus) or not set(pengguna.peran) & peran_untuk_langkah(giliran):
        raise KesalahanKasus(
            f"Giliran disposisi langkah ini: {label_pelaksana(giliran)}. Satu orang tidak dapat mencatat bagian orang lain.", 403)
    if any(p.aktor_id == pengguna.id for p in sudah):
        raise KesalahanKasus("Anda sudah mencatat satu bagian disposisi ini; bagian berikutnya dicatat orang lain.", 403)
    return sudah


def catat_disposisi(kasus: Kasus, *, versi, pengguna, instruksi: str, pada: datetime | None = None) -> PeristiwaKasus:
    """One act of the running step's disposition chain (not the last, which records the step itself)."""
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    _periksa_bisa_melangkah(kasus)
    berjalan = langkah_berjalan(kasus)
    definisi = versi_kasus(kasus).langkah(berjalan.kode) if berjalan else None
    if not definisi or not definisi.get("disposisi"):
        raise KesalahanKasus("Langkah yang sedang berjalan tidak memakai disposisi.", 409)
    sudah = _periksa_giliran(kasus, definisi, berjalan, pengguna)
    if len(sudah) == len(definisi["disposisi"]) - 1:
        raise KesalahanKasus("Bagian terakhir disposisi dicatat dengan menyelesaikan langkah ini.", 409)
    instruksi = (instruksi or "").strip()
    if not instruksi:
        raise KesalahanKasus("Isi disposisi wajib diisi.", 422, {"instruksi": "Wajib diisi."})
    berjalan.disposisi_ke = len(sudah) + 1  # before the event: its listener tells the next in the chain
    p = catat_peristiwa_kasus(kasus, "disposisi", pada, pengguna, catatan=instruksi, langkah=berjalan.kode,
                              urutan=berjalan.urutan, peran=definisi["disposisi"][len(sudah)], ke=len(sudah) + 1)
    audit_kasus("catat_disposisi", kasus, pengguna, langkah=berjalan.kode)
    return p


def _tujuan_berikutnya(definisi: dict, cabang: str | None) -> str | None:
    pilihan = [c["ke"] for c in definisi.get("cabang") or []]
    if cabang:
        if cabang == definisi.get("berikutnya") or cabang in pilihan:
            return cabang
        raise KesalahanKasus(f"Kelanjutan '{cabang}' tidak ada pada langkah ini.", 422, {"cabang": "Pilih kelanjutan yang tersedia."})
    if definisi.get("berikutnya") is None and pilihan and not definisi.get("boleh_selesai"):
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
    kunci_versi(kasus, versi, pada)
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
    if definisi.get("disposisi"):
        # The chain's last officer records the step, after every earlier act.
        sudah = disposisi_langkah(kasus, berjalan)
        if len(sudah) < len(definisi["disposisi"]) - 1:
            raise KesalahanKasus(f"Disposisi langkah ini belum lengkap; bagian berikutnya dicatat oleh: "
                                 f"{label_pelaksana({'pelaksana': [giliran_disposisi(definisi, sudah)]})}.", 409)
        _periksa_giliran(kasus, definisi, berjalan, pengguna)
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
    periksa_unggahan(("lampiran", berkas) for berkas in unggahan)
    with kunci_dihapus_bila_gagal() as baru:
        berjalan.status, berjalan.selesai_pada, berjalan.dikerjakan_oleh_id = "selesai", pada, pengguna.id
        berjalan.isian, berjalan.catatan = bersih, (catatan or "").strip() or None
        berjalan.cabang_ke = tujuan if tujuan and tujuan != definisi.get("berikutnya") else None
        for isi, nama in unggahan:
            baru.append(simpan_lampiran(kasus, isi, nama, pengguna, pada, langkah=berjalan).kunci)
        if berjalan.dokumen_keluaran == "nomor_register" and kasus.nomor_register is None:
            # The standard has the step's officer register the case (sop.nomor_register: langkah).
            catat_peristiwa_kasus(kasus, "nomor_register", pada, pengguna, nomor_register=beri_nomor_register(kasus, pada),
                                  langkah=berjalan.kode)
        catat_peristiwa_kasus(kasus, "langkah_selesai", pada, pengguna, catatan=berjalan.catatan, langkah=berjalan.kode,
               urutan=berjalan.urutan, durasi_menit=tenggat.durasi_menit(kasus, berjalan), waktu=berjalan.waktu,
               cabang=berjalan.cabang_ke, dokumen_keluaran=berjalan.dokumen_keluaran, lampiran=len(unggahan) or None)
        if definisi.get("disposisi"):
            catat_peristiwa_kasus(kasus, "disposisi", pada, pengguna, catatan=berjalan.catatan, langkah=berjalan.kode,
                                  urutan=berjalan.urutan, peran=definisi["disposisi"][-1], ke=len(definisi["disposisi"]))
            terbitkan_lembar_disposisi(kasus, berjalan, disposisi_langkah(kasus, berjalan), pengguna)
        terbitkan_surat_langkah(kasus, berjalan, pengguna)
        berikutnya = mulai_langkah(kasus, v, tujuan, pada, pengguna) if tujuan else None
        if berikutnya is None:
            kasus.langkah_kode = None
        audit_kasus("selesaikan_langkah", kasus, pengguna, langkah=berjalan.kode)
        db.session.flush()
    dokumen = data_dokumen(kasus, berjalan) if berjalan.dokumen_keluaran else None
    return HasilLangkah(langkah=berjalan, dokumen=dokumen, berikutnya=berikutnya)


def catat_perkembangan(kasus: Kasus, *, versi, catatan: str, pengguna, pada: datetime | None = None) -> PeristiwaKasus:
    """A progress note on an open case, on its current step when one runs (open-ended accompaniment).

    Always possible while the case is open, also after the SOP's last step: the
    accompaniment goes on until the case is closed, and a note is what meets the
    periodic review (``tenggat``). With a step running, whoever may record it
    may note on it; otherwise the case's handlers and heads.
    """
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; buka kembali bila perlu dilanjutkan.", 409)
    if kasus.status == "berkas_belum_lengkap":
        _periksa_bisa_melangkah(kasus)
    berjalan = langkah_berjalan(kasus)
    if berjalan is not None:
        definisi = versi_kasus(kasus).langkah(berjalan.kode)
        if not boleh_kerjakan(pengguna, definisi, kasus) and not boleh_urus(pengguna, kasus):
            raise KesalahanKasus(f"Catatan langkah ini hanya dapat dibuat oleh: {label_pelaksana(definisi)}.", 403)
    elif not boleh_urus(pengguna, kasus) or not boleh(pengguna, "kasus.kerjakan"):
        raise KesalahanKasus("Catatan perkembangan kasus ini hanya dapat dibuat oleh penangan kasus atau pimpinan.", 403)
    catatan = (catatan or "").strip()
    if not catatan:
        raise KesalahanKasus("Catatan perkembangan wajib diisi.", 422, {"catatan": "Wajib diisi."})
    kode = berjalan.kode if berjalan else None
    p = catat_peristiwa_kasus(kasus, "catatan", pada, pengguna, catatan=catatan, langkah=kode)
    audit_kasus("catat_perkembangan", kasus, pengguna, langkah=kode)
    return p


def unggah_lampiran(kasus: Kasus, *, versi, isi: bytes, nama_berkas: str, pengguna, pada: datetime | None = None) -> LampiranKasus:
    """Attach a file to the case (to its current step when one runs)."""
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    wajib_izin(pengguna, "kasus.kerjakan", "Anda tidak berwenang menambah lampiran.")
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; lampiran tidak dapat ditambah.", 409)
    periksa_unggahan([("berkas", (isi, nama_berkas))])
    berjalan = langkah_berjalan(kasus)
    with kunci_dihapus_bila_gagal() as baru:
        lamp = simpan_lampiran(kasus, isi, nama_berkas, pengguna, pada, langkah=berjalan)
        baru.append(lamp.kunci)
        catat_peristiwa_kasus(kasus, "lampiran", pada, pengguna, langkah=berjalan.kode if berjalan else None, ukuran=lamp.ukuran,
               jenis_mime=lamp.jenis_mime)
        audit_kasus("unggah_lampiran", kasus, pengguna, lampiran=str(lamp.id))
        db.session.flush()
    return lamp
