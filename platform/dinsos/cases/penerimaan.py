"""Intake ("Penerimaan baru") and the requirement checklist: opening a case, and its file becoming complete.

When the register number is issued is the standard's data
(``sop.nomor_register``). By default (``berkas_lengkap``) it is issued when the
requirement file becomes complete (at intake when it already is): the case
enters the register book and the first letter carries the number. With
``langkah`` the officer of the SOP step whose output is the number issues it
by recording that step (``sop.selesaikan_langkah``; Magetan: the Fungsional
Peksos at step 2). An incomplete file never takes a number, so numbers are
not spent on files that are never completed and the sequence stays gapless.
Only the applicant's requirements (``pihak: pemohon``) make the checklist;
the office's own records (``pihak: kantor``: register book, verification
list) are produced by the platform and never asked of the applicant. The service
clock (``jam_mulai_pada``) starts per the version's
``jangka_waktu.aturan.mulai``: ``berkas_lengkap`` when the file is complete,
``penerimaan`` at intake; a rule without ``mulai`` counts from the complete
file.
"""
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from dinsos.catalogue.models import VersiLayanan
from dinsos.catalogue.services import layanan_dari_kode, versi_terbaru
from dinsos.core.db import db, sekarang
from dinsos.core.penyimpanan import kunci_dihapus_bila_gagal, penyimpanan, periksa_berkas

from . import klien as klien_svc
from . import tenggat
from .akses import boleh_kerjakan, label_pelaksana
from .baca import berkas_lengkap, persyaratan_kurang, tanggal_lokal, versi_kasus
from .konstanta import JENIS_PELAPOR, KATEGORI_ABH, MULAI_BAWAAN, STATUS_PERSYARATAN
from .models import Kasus, Klien, PersyaratanKasus
from .perubahan import (
    KesalahanKasus,
    audit_kasus,
    batas_unggah,
    catat_peristiwa_kasus,
    kunci_versi,
    periksa_foto,
    periksa_unggahan,
    simpan_lampiran,
    wajib_izin,
)
from .sop import beri_nomor_register, mulai_langkah
from .surat import data_pemberitahuan_kekurangan, terbitkan_pemberitahuan_kekurangan
from .tindakan import buka_tindakan_penerimaan


@dataclass
class HasilPenerimaan:
    kasus: Kasus
    duplikat: list = field(default_factory=list)
    # Data of the notice of missing documents when the file is incomplete, else None.
    pemberitahuan_kekurangan: dict | None = None


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


def _status_awal(dokumen: list[dict], persyaratan: dict, unggahan: dict, kantor: dict[str, str]) -> dict:
    k = {}
    dikenal = {d["kode"] for d in dokumen}
    for kode in sorted((set(persyaratan) | set(unggahan)) - dikenal):
        k[f"persyaratan.{kode}"] = (f"{kantor[kode]}: catatan kantor yang dibuat platform, bukan berkas yang dibawa pemohon."
                                    if kode in kantor else f"Persyaratan '{kode}' tidak ada pada standar layanan ini.")
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
    wajib_izin(pengguna, "kasus.terima", "Anda tidak berwenang menerima kasus baru.")
    layanan = layanan_dari_kode(layanan_kode)
    if layanan is None:
        raise KesalahanKasus(f"Layanan '{layanan_kode}' tidak ditemukan di kantor ini.", 404)
    versi = versi_terbaru(layanan)
    unggahan = unggahan or {}
    data_pelapor = _periksa_pelapor(pelapor or {})
    dokumen = versi.persyaratan("pemohon")
    status = _status_awal(dokumen, persyaratan or {}, unggahan, {d["kode"]: d["nama"] for d in versi.persyaratan("kantor")})
    periksa_unggahan((f"persyaratan.{kode}", berkas) for kode, berkas in unggahan.items())
    if foto is not None:
        periksa_foto(foto)

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
        persyaratan=[], langkah=[],  # a new case's lists start empty here, not read back from the database
    )
    kasus.rahasia = _rahasia(kasus, versi, pada)
    db.session.add(kasus)
    db.session.flush()
    with kunci_dihapus_bila_gagal() as baru:
        if foto is not None and klien_id is None:
            data_klien.foto_kunci = penyimpanan().simpan(foto[0], "foto")
            data_klien.foto_jenis = periksa_berkas(foto[0], batas_unggah())
            baru.append(data_klien.foto_kunci)
        for i, d in enumerate(dokumen):
            p = PersyaratanKasus(kasus_id=kasus.id, urutan=i, kode=d["kode"], nama=d["nama"][:500], wajib=bool(d.get("wajib")),
                                 status=status[d["kode"]], diubah_oleh_id=pengguna.id, diubah_pada=pada)
            if d["kode"] in unggahan:
                isi, nama = unggahan[d["kode"]]
                lamp = simpan_lampiran(kasus, isi, nama, pengguna, pada, persyaratan_kode=d["kode"])
                baru.append(lamp.kunci)
                p.lampiran_id = lamp.id
            kasus.persyaratan.append(p)
        db.session.flush()
        catat_peristiwa_kasus(kasus, "penerimaan", pada, pengguna, layanan=layanan.kode, versi=versi.versi, pelapor=data_pelapor["pelapor_jenis"],
               persyaratan={k: v for k, v in status.items()}, duplikat=len(duplikat) or None)
        if tenggat.aturan_jam(versi).get("mulai", MULAI_BAWAAN) == "penerimaan":
            kasus.jam_mulai_pada = pada
            catat_peristiwa_kasus(kasus, "jam_mulai", pada, None, aturan="penerimaan")
        # Deliverables counted from the request (ABH's social report) are owed from the intake on.
        buka_tindakan_penerimaan(kasus, versi, pada, pengguna)
        if berkas_lengkap(kasus) and not versi.verifikasi_berkas:
            _berkas_menjadi_lengkap(kasus, versi, pada, pengguna)
        audit_kasus("terima_kasus", kasus, pengguna, layanan=layanan.kode, duplikat=len(duplikat) or None)
        db.session.flush()
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
    """The file is complete: register number (unless a step issues it), clock (berkas_lengkap rule), first step."""
    kasus.berkas_lengkap_pada = pada
    kasus.status = "berjalan"
    if versi.saat_nomor_register == "berkas_lengkap":
        beri_nomor_register(kasus, pada)
    catat_peristiwa_kasus(kasus, "berkas_lengkap", pada, pengguna, nomor_register=kasus.nomor_register)
    if kasus.jam_mulai_pada is None:
        kasus.jam_mulai_pada = pada
        catat_peristiwa_kasus(kasus, "jam_mulai", pada, None, aturan=tenggat.aturan_jam(versi).get("mulai", MULAI_BAWAAN))
    mulai_langkah(kasus, versi, kasus.langkah_kode or versi.langkah_pertama["kode"], pada, pengguna)


def ubah_persyaratan(
    kasus: Kasus, *, versi, pengguna, perubahan: dict | None = None, unggahan: dict | None = None, pada: datetime | None = None
) -> bool:
    """Change requirement items (``dilihat``/``belum``, or upload a scan). Returns True when the file became complete."""
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    wajib_izin(pengguna, "kasus.kerjakan", "Anda tidak berwenang mengubah berkas kasus.")
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
            nomor = f" (nomor register {kasus.nomor_register})" if kasus.nomor_register else ""
            k[f"persyaratan.{kode}"] = (f"{butir[kode].nama}: berkas sudah dinyatakan lengkap{nomor}; "
                                        "persyaratan wajib tidak dapat dikembalikan ke 'belum'.")
    if not perubahan and not unggahan:
        k["persyaratan"] = "Tidak ada perubahan persyaratan yang dikirim."
    if k:
        raise KesalahanKasus("Perubahan persyaratan ditolak: " + " ".join(k.values()), 422, k)
    periksa_unggahan((f"persyaratan.{kode}", berkas) for kode, berkas in unggahan.items())
    lengkap_sebelum = berkas_lengkap(kasus)
    catatan_ubah = {}
    with kunci_dihapus_bila_gagal() as baru:
        for kode in sorted(set(perubahan) | set(unggahan)):
            p = butir[kode]
            lama = p.status
            if kode in unggahan:
                isi, nama = unggahan[kode]
                lamp = simpan_lampiran(kasus, isi, nama, pengguna, pada, persyaratan_kode=kode)
                baru.append(lamp.kunci)
                p.status, p.lampiran_id = "diunggah", lamp.id
            else:
                p.status = perubahan[kode]
                if p.status != "diunggah":
                    p.lampiran_id = None
            p.diubah_oleh_id, p.diubah_pada = pengguna.id, pada
            catatan_ubah[kode] = [lama, p.status]
        db.session.flush()
        catat_peristiwa_kasus(kasus, "persyaratan_diubah", pada, pengguna, perubahan=catatan_ubah)
        menjadi_lengkap = not lengkap_sebelum and kasus.berkas_lengkap_pada is None and berkas_lengkap(kasus)
        # A standard with a verifier waits for "lengkap dan benar" (verifikasi_berkas).
        menjadi_lengkap = menjadi_lengkap and not versi_kasus(kasus).verifikasi_berkas
        if menjadi_lengkap and kasus.status == "berkas_belum_lengkap":
            _berkas_menjadi_lengkap(kasus, versi_kasus(kasus), pada, pengguna)
        audit_kasus("ubah_persyaratan", kasus, pengguna, perubahan=catatan_ubah)
        db.session.flush()
    return menjadi_lengkap


def menunggu_verifikasi(kasus: Kasus) -> bool:
    """The checklist is complete but the standard's verifier has not yet found the file complete and correct."""
    return (kasus.status == "berkas_belum_lengkap" and kasus.berkas_lengkap_pada is None
            and bool(versi_kasus(kasus).verifikasi_berkas) and berkas_lengkap(kasus))


def verifikasi_berkas(
    kasus: Kasus, *, versi, pengguna, benar: bool, catatan: str | None = None, persyaratan_salah: list | None = None,
    pada: datetime | None = None,
):
    """The verifier's ruling on the file ("berkas lengkap dan benar"), before any SOP step runs.

    ``benar``: the file is complete and correct: clock, register number (by
    the standard's rule) and the first step start. Otherwise the file goes
    back to the reporter: ``catatan`` says what is wrong, the items named in
    ``persyaratan_salah`` return to ``belum``, and the notice of missing
    documents is issued in the same transaction (returned). Only standards
    with ``sop.verifikasi_berkas`` have this act; only its ``pelaksana`` may do it.
    """
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    v = versi_kasus(kasus)
    aturan = v.verifikasi_berkas
    if not aturan:
        raise KesalahanKasus("Standar layanan ini tidak memakai verifikasi berkas; berkas lengkap cukup dengan daftar persyaratan.", 409)
    if kasus.status != "berkas_belum_lengkap" or kasus.berkas_lengkap_pada is not None:
        raise KesalahanKasus("Berkas kasus ini sudah dinyatakan lengkap dan benar; verifikasi hanya sebelum langkah SOP berjalan.", 409)
    if not boleh_kerjakan(pengguna, aturan, kasus):
        raise KesalahanKasus(f"Verifikasi berkas hanya dapat dicatat oleh: {label_pelaksana(aturan)}.", 403)
    catatan = (catatan or "").strip() or None
    butir = {p.kode: p for p in kasus.persyaratan}
    salah = list(dict.fromkeys(persyaratan_salah or []))
    k = {}
    for kode in salah:
        if kode not in butir:
            k[f"persyaratan_salah.{kode}"] = f"Persyaratan '{kode}' tidak ada pada kasus ini."
    if benar and salah:
        k["persyaratan_salah"] = "Berkas yang dinyatakan benar tidak boleh menandai persyaratan yang salah."
    if benar and not berkas_lengkap(kasus):
        kurang = ", ".join(p.nama for p in persyaratan_kurang(kasus))
        k["benar"] = f"Berkas belum lengkap (kurang: {kurang}); tidak dapat dinyatakan lengkap dan benar."
    if not benar and not catatan:
        k["catatan"] = "Tulis apa yang kurang atau tidak benar; catatan ini dicetak pada surat pemberitahuan."
    if not benar and not salah and berkas_lengkap(kasus):
        k["persyaratan_salah"] = "Tandai persyaratan yang tidak benar agar pemohon tahu apa yang harus diperbaiki."
    if k:
        raise KesalahanKasus("Verifikasi berkas ditolak: " + " ".join(k.values()), 422, k)
    if benar:
        catat_peristiwa_kasus(kasus, "berkas_diverifikasi", pada, pengguna, hasil="benar", catatan=catatan)
        _berkas_menjadi_lengkap(kasus, v, pada, pengguna)
        audit_kasus("verifikasi_berkas", kasus, pengguna, hasil="benar")
        db.session.flush()
        return None
    perubahan = {}
    for kode in salah:
        p = butir[kode]
        perubahan[kode] = [p.status, "belum"]
        p.status, p.lampiran_id, p.diubah_oleh_id, p.diubah_pada = "belum", None, pengguna.id, pada
    db.session.flush()
    catat_peristiwa_kasus(kasus, "berkas_diverifikasi", pada, pengguna, hasil="tidak_benar", catatan=catatan,
                          persyaratan=salah or None, perubahan=perubahan or None)
    surat = terbitkan_pemberitahuan_kekurangan(kasus, pengguna, pada, catatan=catatan, dicatat=True)
    audit_kasus("verifikasi_berkas", kasus, pengguna, hasil="tidak_benar", persyaratan=salah or None)
    db.session.flush()
    return surat
