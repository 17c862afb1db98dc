"""Case acts (the SOP's ``tindakan``): work recorded on an open case at any time, beside its steps.

Some acts are deliverables with their own clock: the ABH social report and
litmas request (from intake), the diversion attempt at each SPPA level (from
the stage's start). Such an act is opened (``terbuka``) when its clock starts
and is met when recorded; any act may issue a letter in the same transaction,
need other acts first (``setelah``), be recorded many times (``berulang``: the
shelter log) or update the client (``perbarui_klien``: the NIK the biometric
check found). Recording an act never moves the SOP step: the open-ended
accompaniment continues meanwhile.

The clocks themselves follow the timeline (``tindakan_dibuka``,
``tindakan_dicatat``) in ``tenggat``.
"""
from datetime import datetime

from dinsos.core.db import db, sekarang
from dinsos.core.penyimpanan import kunci_dihapus_bila_gagal

from .akses import boleh_kerjakan, label_pelaksana
from .baca import tanggal_lokal, versi_kasus
from .isian import isian_langkah, periksa_isian, tampilkan
from .konstanta import NAMA_PERAN
from .models import Kasus, TindakanKasus
from .nik import NikTidakValid, normalkan, periksa_nik
from .perubahan import (
    KesalahanKasus,
    audit_kasus,
    catat_peristiwa_kasus,
    kunci_versi,
    periksa_unggahan,
    simpan_lampiran,
)
from .surat import terbitkan_surat_tindakan

PENERIMAAN, SURAT_PERMOHONAN = "penerimaan", "surat_permohonan"


def daftar_tindakan(versi) -> list[dict]:
    """The acts a service version declares (none on versions written before acts existed)."""
    return list(versi.isi["sop"].get("tindakan") or [])


def definisi_tindakan(versi, kode: str) -> dict | None:
    return next((t for t in daftar_tindakan(versi) if t["kode"] == kode), None)


def _baris(kasus: Kasus, kode: str, status: str | None = None) -> list[TindakanKasus]:
    return [t for t in kasus.tindakan if t.kode == kode and (status is None or t.status == status)]


def buka_tindakan(kasus: Kasus, versi, sejak: str, pada: datetime, aktor) -> list[TindakanKasus]:
    """Open every deliverable whose clock starts at ``sejak`` (the intake, or the act just recorded).

    An act already open keeps its clock; one met already is not owed twice
    unless it repeats (a later stage opens a new diversion attempt).
    """
    dibuka = []
    for d in daftar_tindakan(versi):
        aturan = d.get("tenggat")
        if not aturan or aturan["sejak"] != sejak or _baris(kasus, d["kode"], "terbuka"):
            continue
        if _baris(kasus, d["kode"], "selesai") and not d.get("berulang"):
            continue
        t = TindakanKasus(kasus_id=kasus.id, kode=d["kode"], status="terbuka", dibuka_pada=pada, tenggat=aturan["durasi"],
                          dokumen_keluaran=d.get("dokumen_keluaran"))
        db.session.add(t)
        db.session.flush()
        db.session.refresh(kasus, ["tindakan"])
        catat_peristiwa_kasus(kasus, "tindakan_dibuka", pada, aktor, tindakan=d["kode"], tindakan_id=str(t.id),
                              tenggat=aturan["durasi"], sejak=sejak)
        dibuka.append(t)
    return dibuka


def buka_tindakan_penerimaan(kasus: Kasus, versi, pada: datetime, aktor) -> list[TindakanKasus]:
    """At intake: open the deliverables counted from it, and those counted from the request letter when it came with one."""
    dibuka = buka_tindakan(kasus, versi, PENERIMAAN, pada, aktor)
    if kasus.surat_nomor or kasus.surat_tanggal:
        dibuka += buka_tindakan(kasus, versi, SURAT_PERMOHONAN, pada, aktor)
    return dibuka


def _periksa_kasus_terbuka(kasus: Kasus) -> None:
    if kasus.status == "ditutup":
        raise KesalahanKasus("Kasus sudah ditutup; buka kembali bila perlu dilanjutkan.", 409)
    if kasus.status == "berkas_belum_lengkap":
        raise KesalahanKasus("Berkas persyaratan belum lengkap; tindakan kasus belum dapat dicatat.", 409)


def _perbarui_klien(kasus: Kasus, definisi: dict, bersih: dict, pada: datetime) -> dict:
    """Apply the act's client updates (only the NIK today); a malformed NIK refuses the act."""
    berubah = {}
    for medan, nama in (definisi.get("perbarui_klien") or {}).items():
        nilai = bersih.get(nama)
        if not nilai or medan != "nik":
            continue
        k = kasus.klien
        try:
            periksa_nik(nilai, jenis_kelamin=k.jenis_kelamin, tanggal_lahir=k.tanggal_lahir, hari_ini=tanggal_lokal(pada))
        except NikTidakValid as e:
            raise KesalahanKasus(f"NIK: {e}", 422, {f"isian.{nama}": str(e)}) from None
        k.nik, k.tanpa_identitas = normalkan(nilai), False
        berubah[medan] = True
    return berubah


def catat_tindakan(kasus: Kasus, *, versi, kode: str, pengguna, isian: dict | None = None, catatan: str | None = None,
                   unggahan: list | None = None, pada: datetime | None = None) -> TindakanKasus:
    """Record one act on an open case (its letter issued in the same transaction); the SOP step is not moved.

    Refused when the case is closed or its file incomplete, the act unknown,
    already recorded (unless it repeats), waiting on an earlier act, not the
    user's to record, or its form invalid: nothing is written then.
    """
    pada = pada or sekarang()
    kunci_versi(kasus, versi, pada)
    _periksa_kasus_terbuka(kasus)
    v = versi_kasus(kasus)
    definisi = definisi_tindakan(v, kode)
    if definisi is None:
        ada = ", ".join(t["kode"] for t in daftar_tindakan(v)) or "tidak ada"
        raise KesalahanKasus(f"Tindakan '{kode}' tidak ada pada standar layanan kasus ini (tersedia: {ada}).", 404)
    if not boleh_kerjakan(pengguna, definisi, kasus):
        raise KesalahanKasus(
            f"Tindakan '{definisi['nama']}' hanya dapat dicatat oleh: {label_pelaksana(definisi)}. "
            f"Peran Anda: {', '.join(NAMA_PERAN.get(p, p) for p in pengguna.peran)}.", 403,
        )
    belum = [s for s in definisi.get("setelah") or [] if not _baris(kasus, s, "selesai")]
    if belum:
        nama = {t["kode"]: t["nama"] for t in daftar_tindakan(v)}
        raise KesalahanKasus(f"'{definisi['nama']}' baru dapat dicatat setelah: {', '.join(nama[s] for s in belum)}.", 409)
    if not definisi.get("berulang") and _baris(kasus, kode, "selesai"):
        raise KesalahanKasus(f"'{definisi['nama']}' sudah dicatat pada kasus ini.", 409)
    bersih, galat = periksa_isian(isian_langkah(definisi), isian or {})
    if galat:
        raise KesalahanKasus("Isian tindakan belum benar: " + " ".join(galat.values()), 422,
                             {f"isian.{k}": v_ for k, v_ in galat.items()})
    unggahan = unggahan or []
    periksa_unggahan(("lampiran", berkas) for berkas in unggahan)
    terbuka = _baris(kasus, kode, "terbuka")
    t = terbuka[0] if terbuka else TindakanKasus(kasus_id=kasus.id, kode=kode, dibuka_pada=pada,
                                                   dokumen_keluaran=definisi.get("dokumen_keluaran"))
    with kunci_dihapus_bila_gagal() as baru:
        berubah = _perbarui_klien(kasus, definisi, bersih, pada)
        t.status, t.selesai_pada, t.dikerjakan_oleh_id = "selesai", pada, pengguna.id
        t.isian, t.catatan = bersih, (catatan or "").strip() or None
        if not terbuka:
            db.session.add(t)
        db.session.flush()
        db.session.refresh(kasus, ["tindakan"])
        for isi, nama in unggahan:
            baru.append(simpan_lampiran(kasus, isi, nama, pengguna, pada).kunci)
        catat_peristiwa_kasus(kasus, "tindakan_dicatat", pada, pengguna, catatan=t.catatan, tindakan=kode,
                              tindakan_id=str(t.id), dokumen_keluaran=t.dokumen_keluaran, lampiran=len(unggahan) or None,
                              klien_diperbarui=sorted(berubah) or None)
        terbitkan_surat_tindakan(kasus, t, definisi, pengguna)
        buka_tindakan(kasus, v, kode, pada, pengguna)
        audit_kasus("catat_tindakan", kasus, pengguna, kode_tindakan=kode)
        db.session.flush()
    return t


def hentikan_tindakan_terbuka(kasus: Kasus, pada: datetime) -> None:
    """A closing case ends its open deliverables undone (their clocks stop with the case's)."""
    for t in kasus.tindakan:
        if t.status == "terbuka":
            t.status, t.selesai_pada = "dihentikan", pada


# --- closing outcomes that must agree with what happened ------------------------------------------------


def _terpenuhi(kasus: Kasus, syarat: dict) -> bool:
    if syarat.get("langkah"):
        return any(l.kode == syarat["langkah"] and l.status == "selesai" for l in kasus.langkah)
    definisi = definisi_tindakan(versi_kasus(kasus), syarat["tindakan"]) or {}
    isian = {d["nama"]: d for d in definisi.get("isian") or []}
    for t in _baris(kasus, syarat["tindakan"], "selesai"):
        jawaban = t.isian or {}
        if all(nama in isian and tampilkan(isian[nama], jawaban.get(nama)) == str(nilai)
               for nama, nilai in (syarat.get("isian") or {}).items()):
            return True
    return False


def _uraian(kasus: Kasus, syarat: dict) -> str:
    v = versi_kasus(kasus)
    if syarat.get("langkah"):
        return f"langkah '{v.langkah(syarat['langkah'])['kegiatan']}'"
    nama = (definisi_tindakan(v, syarat["tindakan"]) or {}).get("nama", syarat["tindakan"])
    isian = ", ".join(f"{k} = {n}" for k, n in (syarat.get("isian") or {}).items())
    return f"tindakan '{nama}'" + (f" ({isian})" if isian else "")


def periksa_hasil_akhir(kasus: Kasus, hasil: dict) -> None:
    """Refuse an outcome the case's record does not bear out (``wajib_semua`` / ``wajib_salah_satu``)."""
    kurang = [s for s in hasil.get("wajib_semua") or [] if not _terpenuhi(kasus, s)]
    salah_satu = hasil.get("wajib_salah_satu") or []
    if salah_satu and not any(_terpenuhi(kasus, s) for s in salah_satu):
        kurang.append({"_atau": salah_satu})
    if kurang:
        uraian = [" atau ".join(_uraian(kasus, s) for s in k["_atau"]) if "_atau" in k else _uraian(kasus, k) for k in kurang]
        raise KesalahanKasus(f"Hasil akhir '{hasil['nama']}' tidak sesuai dengan jalannya kasus: belum ada "
                             + "; ".join(uraian) + ".", 422, {"hasil_akhir": "Hasil akhir tidak sesuai jalannya kasus."})


# --- reading, for the case page ------------------------------------------------------------------------


def ringkasan_tindakan(kasus: Kasus, pengguna=None) -> list[dict]:
    """Each declared act with its record on the case (open deliverable, times recorded), for the page and API."""
    v = versi_kasus(kasus)
    hasil = []
    for d in daftar_tindakan(v):
        baris = _baris(kasus, d["kode"])
        selesai = [t for t in baris if t.status == "selesai"]
        terbuka = next((t for t in baris if t.status == "terbuka"), None)
        belum = [s for s in d.get("setelah") or [] if not _baris(kasus, s, "selesai")]
        bisa = (kasus.status not in ("ditutup", "berkas_belum_lengkap") and not belum
                and (d.get("berulang") or not selesai))
        hasil.append({
            "kode": d["kode"], "nama": d["nama"], "kelompok": d.get("kelompok"), "definisi": d,
            "berulang": bool(d.get("berulang")), "tenggat": d.get("tenggat"), "terbuka": terbuka,
            "dicatat": selesai, "terakhir": selesai[-1] if selesai else None,
            "boleh_catat": bisa and (pengguna is None or boleh_kerjakan(pengguna, d, kasus)),
            "menunggu": belum,
        })
    return hasil
