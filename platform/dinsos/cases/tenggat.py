"""The deadlines a case runs, kept in step with its timeline.

Every change that moves a deadline is already a timeline event (``langkah_mulai``,
``dijeda``, ``ditutup``...), so ``perubahan.catat_peristiwa_kasus`` hands each new event here
and this module is the one place that maps case work onto ``dinsos.sla``
clocks:

- each SOP step run with a time standard (``waktu``) gets a clock
  (``langkah_kasus``) when it starts, is done when the step is recorded done,
  and is stopped (not done) when the case closes under it;
- the case gets a clock (``kasus``) from ``jam_mulai_pada`` by its version's
  ``jangka_waktu.aturan``: ``hari_kerja`` -> ``maksimal`` working days,
  ``kalender`` -> ``jumlah`` ``satuan``, ``terbuka`` -> a periodic review every
  ``tinjauan_berkala`` (ABH: monthly); it ends on close and starts again on reopening;
- an ABH case taken in with the request letter gets the law's deadline
  (``laporan_sosial``, UU 11/2012: social report within 3x24 hours of the
  request), counted on the clock from the moment the office recorded the
  request (the intake), done when the step that outputs the social report is.
  The intake knows the letter's date but not the hour it arrived, so the
  recorded intake time is the only honest start. A version that declares the
  social report as a case act (``sop.tindakan``) runs it as that act's clock instead;
- each case act with a ``tenggat`` (``tindakan_kasus``) runs from when it is opened
  (at intake, or when the act it follows is recorded) and is done when recorded;
- a progress note on an open-ended case meets its periodic review: the review
  clock starts its next round from the note.

Pauses stop the step and case clocks, not the law's: a statutory deadline does
not wait for the office. Assignment moves the notices to the new assignee.

The time facts of a case (its clock rule, its pauses, its step runs and how long
each took less the paused time) are read here too, as plain data for the SLA
engine and the timeline.
"""
from datetime import datetime

from sqlalchemy import func, select

from dinsos.catalogue.models import Layanan
from dinsos.catalogue.services import VersiTetap, versi_dari_id
from dinsos.core.db import db, sekarang
from dinsos.sla import services as sla
from dinsos.sla.models import Tenggat
from dinsos.tenancy.models import Tenant

from .konstanta import KATEGORI_ABH
from .models import Kasus, LangkahKasus, PeristiwaKasus

LANGKAH = "langkah_kasus"
KASUS = "kasus"
LAPORAN_SOSIAL = "laporan_sosial"
TINDAKAN = "tindakan_kasus"
JENIS_KASUS = (LANGKAH, KASUS, LAPORAN_SOSIAL, TINDAKAN)
# Statutory clocks (the law's, not the office's): a pause of the case does not stop them.
_TANPA_JEDA = (LAPORAN_SOSIAL, TINDAKAN)
# UU 11/2012 (SPPA): the social report is due within 3x24 hours of the request.
WAKTU_LAPORAN_SOSIAL = "3x24 jam"


def ikuti(kasus: Kasus, p: PeristiwaKasus) -> None:
    """Move the case's clocks for one new timeline event (events that change no deadline are ignored)."""
    aksi = _AKSI.get(p.jenis)
    if aksi is not None:
        aksi(kasus, p.waktu, p.rincian or {})


# --- titles and links (never the client's name: notices reach people who do not handle the case) ---------------
# The plain functions take values, so the demo generator titles its clocks the same way.


def tautan_kasus(slug: str, kasus_id) -> str:
    return f"/t/{slug}/kasus/{kasus_id}"


def nama_kasus(nomor_register: str | None, nama_layanan: str | None) -> str:
    """How a clock names its case: by register number, else (not yet numbered) by its service."""
    if nomor_register:
        return f"kasus {nomor_register}"
    return f"kasus {nama_layanan} (belum bernomor register)"


def judul_kasus(nama: str, aturan: dict) -> str:
    if aturan["jenis"] == "terbuka":
        return f"Tinjauan berkala {nama}"
    return f"Jangka waktu layanan {nama}"


def judul_laporan_sosial(nama: str) -> str:
    return f"Laporan sosial 3x24 jam (UU 11/2012) {nama}"


def judul_tindakan(nama: str, definisi: dict) -> str:
    return f"{definisi['nama']} ({nama})"


def judul_langkah(nama: str, definisi: dict) -> str:
    kegiatan = definisi["kegiatan"]
    kegiatan = kegiatan if len(kegiatan) <= 120 else kegiatan[:118] + "…"
    return f"{kegiatan} ({nama})"


def _versi(kasus: Kasus) -> VersiTetap:
    return versi_dari_id(kasus.versi_layanan_id)


def _tautan(kasus: Kasus) -> str:
    return tautan_kasus(db.session.get(Tenant, kasus.tenant_id).slug, kasus.id)


def _nama_kasus(kasus: Kasus) -> str:
    if kasus.nomor_register:
        return nama_kasus(kasus.nomor_register, None)
    return nama_kasus(None, db.session.scalar(select(Layanan).where(Layanan.id == kasus.layanan_id)).nama)


def _judul_kasus(kasus: Kasus, aturan: dict) -> str:
    return judul_kasus(_nama_kasus(kasus), aturan)


def _judul_laporan_sosial(kasus: Kasus) -> str:
    return judul_laporan_sosial(_nama_kasus(kasus))


def _judul_langkah(kasus: Kasus, definisi: dict) -> str:
    return judul_langkah(_nama_kasus(kasus), definisi)


# --- the case's own time limit ------------------------------------------------------------------


def aturan_jam(versi) -> dict:
    """The service clock's rule of a version (``jangka_waktu.aturan``)."""
    return versi.isi["penyampaian_pelayanan"]["jangka_waktu"]["aturan"]


def durasi_kasus(aturan: dict) -> tuple[str, bool]:
    """The case clock's time standard and whether it is a periodic review, from ``jangka_waktu.aturan``."""
    if aturan["jenis"] == "hari_kerja":
        # "1 sampai 2 hari kerja": the promise is kept until the upper bound.
        return f"{aturan['maksimal']} hari kerja", False
    if aturan["jenis"] == "kalender":
        satuan = "hari kalender" if aturan["satuan"] == "hari" else aturan["satuan"]
        return f"{aturan['jumlah']} {satuan}", False
    return aturan["tinjauan_berkala"], True


def _mulai_jam_kasus(kasus: Kasus, pada: datetime, _rincian=None) -> None:
    aturan = aturan_jam(_versi(kasus))
    durasi, berulang = durasi_kasus(aturan)
    sla.mulai_tenggat(
        KASUS, kasus.id, durasi=durasi, mulai=pada, judul=_judul_kasus(kasus, aturan), tautan=_tautan(kasus),
        penanggung_jawab_id=kasus.penanggung_jawab_id, berulang=berulang, induk_id=kasus.id, layanan_id=kasus.layanan_id,
    )


def _buka_kembali(kasus: Kasus, pada: datetime, _rincian) -> None:
    # The case's time limit runs again from the reopening (the work starts anew); its steps start their own.
    if kasus.jam_mulai_pada is not None:
        _mulai_jam_kasus(kasus, pada)


def _nomor_register(kasus: Kasus, _pada, _rincian) -> None:
    """The register number may be issued now (a complete file, or the step that registers the case, as Magetan's
    step 2): the clocks started before it (the service limit, a law deadline, a running step) take it in their title."""
    if not kasus.nomor_register:
        return
    for t in sla.tenggat_induk(kasus.id):
        if t.selesai_pada is not None:
            continue
        if t.objek_jenis == LANGKAH:
            definisi = _versi(kasus).langkah(t.langkah_kode)
            if definisi:
                t.judul = _judul_langkah(kasus, definisi)
        elif t.objek_jenis == KASUS:
            t.judul = _judul_kasus(kasus, aturan_jam(_versi(kasus)))
        elif t.objek_jenis == LAPORAN_SOSIAL:
            t.judul = _judul_laporan_sosial(kasus)
        elif t.objek_jenis == TINDAKAN:
            t.judul = judul_tindakan(_nama_kasus(kasus), _definisi_tindakan(kasus, t.langkah_kode))


# --- the law's deadline on ABH cases -----------------------------------------------------------


def layanan_laporan_sosial(isi: dict) -> bool:
    """An ABH service whose SOP outputs a social report (a service version's ``isi``)."""
    abh = KATEGORI_ABH in (isi.get("kategori_ppks") or [])
    return abh and any(l.get("dokumen_keluaran") == "laporan_sosial" for l in isi["sop"]["langkah"])


def laporan_sosial_sebagai_tindakan(isi: dict) -> bool:
    """The version declares the social report as a case act with its own clock (issue 16), not a step's output."""
    return any(t.get("dokumen_keluaran") == "laporan_sosial" for t in isi["sop"].get("tindakan") or [])


def wajib_laporan_sosial(kasus: Kasus, versi) -> bool:
    """An ABH service whose SOP outputs a social report, and a case that came with the authority's request letter."""
    if laporan_sosial_sebagai_tindakan(versi.isi):
        return False
    return layanan_laporan_sosial(versi.isi) and bool(kasus.surat_nomor or kasus.surat_tanggal)


def _penerimaan(kasus: Kasus, _pada, _rincian) -> None:
    if wajib_laporan_sosial(kasus, _versi(kasus)):
        sla.mulai_tenggat(
            LAPORAN_SOSIAL, kasus.id, durasi=WAKTU_LAPORAN_SOSIAL, mulai=kasus.diterima_pada,
            judul=_judul_laporan_sosial(kasus), tautan=_tautan(kasus), penanggung_jawab_id=kasus.penanggung_jawab_id,
            induk_id=kasus.id, layanan_id=kasus.layanan_id,
        )


# --- step runs -----------------------------------------------------------------------------------


def _langkah(kasus: Kasus, rincian: dict) -> LangkahKasus | None:
    return next((l for l in kasus.langkah if l.urutan == rincian.get("urutan")), None)


def _langkah_mulai(kasus: Kasus, pada: datetime, rincian: dict) -> None:
    langkah = _langkah(kasus, rincian)
    if langkah is None or not langkah.waktu:
        return  # a step without a time standard has no deadline of its own
    definisi = _versi(kasus).langkah(langkah.kode) or {"kegiatan": langkah.kode}
    sla.mulai_tenggat(
        LANGKAH, langkah.id, durasi=langkah.waktu, mulai=pada, judul=_judul_langkah(kasus, definisi), tautan=_tautan(kasus),
        penanggung_jawab_id=langkah.penanggung_jawab_id, induk_id=kasus.id, layanan_id=kasus.layanan_id,
        langkah_kode=langkah.kode,
    )


def _langkah_selesai(kasus: Kasus, pada: datetime, rincian: dict) -> None:
    langkah = _langkah(kasus, rincian)
    if langkah is None:
        return
    sla.selesaikan_tenggat(LANGKAH, langkah.id, pada)
    if langkah.dokumen_keluaran == "laporan_sosial":
        sla.selesaikan_tenggat(LAPORAN_SOSIAL, kasus.id, pada)


# --- case acts and progress notes ------------------------------------------------------------------


def _definisi_tindakan(kasus: Kasus, kode: str) -> dict:
    return next((t for t in _versi(kasus).isi["sop"].get("tindakan") or [] if t["kode"] == kode), {"nama": kode})


def _tindakan_dibuka(kasus: Kasus, pada: datetime, rincian: dict) -> None:
    sla.mulai_tenggat(
        TINDAKAN, rincian["tindakan_id"], durasi=rincian["tenggat"], mulai=pada,
        judul=judul_tindakan(_nama_kasus(kasus), _definisi_tindakan(kasus, rincian["tindakan"])), tautan=_tautan(kasus),
        penanggung_jawab_id=kasus.penanggung_jawab_id, induk_id=kasus.id, layanan_id=kasus.layanan_id,
        langkah_kode=rincian["tindakan"],
    )


def _tindakan_dicatat(kasus: Kasus, pada: datetime, rincian: dict) -> None:
    sla.selesaikan_tenggat(TINDAKAN, rincian["tindakan_id"], pada)


def _catatan(kasus: Kasus, pada: datetime, _rincian) -> None:
    """A progress note is the periodic review: the review clock's next round runs from the note."""
    t = sla.cari_tenggat(KASUS, kasus.id)
    if t is not None and t.berulang and t.selesai_pada is None and t.dijeda_pada is None:
        _mulai_jam_kasus(kasus, pada)


# --- pause, assignment, closing -----------------------------------------------------------------


def _jeda(kasus: Kasus, pada: datetime, _rincian) -> None:
    for t in sla.tenggat_induk(kasus.id):
        if t.objek_jenis not in _TANPA_JEDA:
            sla.jeda_tenggat(t.objek_jenis, t.objek_id, pada)


def _lanjut(kasus: Kasus, pada: datetime, _rincian) -> None:
    for t in sla.tenggat_induk(kasus.id):
        sla.lanjutkan_tenggat(t.objek_jenis, t.objek_id, pada)


def _tugaskan(kasus: Kasus, _pada, _rincian) -> None:
    for t in sla.tenggat_induk(kasus.id):
        if t.objek_jenis in (KASUS, LAPORAN_SOSIAL, TINDAKAN):
            sla.alihkan_tenggat(t.objek_jenis, t.objek_id, kasus.penanggung_jawab_id)
    _tugaskan_langkah(kasus, _pada, _rincian)


def _tugaskan_langkah(kasus: Kasus, _pada, _rincian) -> None:
    berjalan = next((l for l in kasus.langkah if l.status == "berjalan"), None)
    if berjalan is not None:
        sla.alihkan_tenggat(LANGKAH, berjalan.id, berjalan.penanggung_jawab_id)


def _tutup(kasus: Kasus, pada: datetime, _rincian) -> None:
    """The case's time limit is met by closing; a step or law deadline still open was never done."""
    for t in sla.tenggat_induk(kasus.id):
        if t.objek_jenis == KASUS:
            sla.selesaikan_tenggat(KASUS, t.objek_id, pada)
        else:
            sla.hentikan_tenggat(t.objek_jenis, t.objek_id, pada)


_AKSI = {
    "penerimaan": _penerimaan,
    "jam_mulai": _mulai_jam_kasus,
    "berkas_lengkap": _nomor_register,
    "nomor_register": _nomor_register,
    "langkah_mulai": _langkah_mulai,
    "langkah_selesai": _langkah_selesai,
    "dijeda": _jeda,
    "dilanjutkan": _lanjut,
    "ditugaskan": _tugaskan,
    "langkah_ditugaskan": _tugaskan_langkah,
    "ditutup": _tutup,
    "dibuka_kembali": _buka_kembali,
    "tindakan_dibuka": _tindakan_dibuka,
    "tindakan_dicatat": _tindakan_dicatat,
    "catatan": _catatan,
}


# --- reading, for lists and the case page ------------------------------------------------------------


def syarat_lewat_waktu(pada: datetime):
    """SQL condition on ``Kasus``: one of its clocks is running past its deadline."""
    return Kasus.id.in_(
        select(Tenggat.induk_id).where(Tenggat.objek_jenis.in_(JENIS_KASUS), sla.syarat_terlambat(pada))
    )


URUTAN_STATUS = {"terlambat": 3, "berisiko": 2, "tepat": 1}


def status_per_kasus(kasus_ids: list, pada: datetime) -> dict:
    """Case id -> the worst status of its running clocks (terlambat, berisiko, tepat); one query for a whole page."""
    if not kasus_ids:
        return {}
    hasil: dict = {}
    for t in db.session.scalars(
        select(Tenggat).where(Tenggat.induk_id.in_(kasus_ids), Tenggat.objek_jenis.in_(JENIS_KASUS),
                              Tenggat.selesai_pada.is_(None), Tenggat.dijeda_pada.is_(None))
    ):
        status = sla.status_tenggat(t, pada)
        if URUTAN_STATUS.get(status, 0) > URUTAN_STATUS.get(hasil.get(t.induk_id), 0):
            hasil[t.induk_id] = status
    return hasil


# --- time facts for the SLA engine and the timeline -------------------------------------------


def catatan_terakhir(kasus_id) -> datetime | None:
    """When the case's last progress note was written (what meets its periodic review), or None."""
    return db.session.scalar(select(func.max(PeristiwaKasus.waktu)).where(PeristiwaKasus.kasus_id == kasus_id,
                                                                          PeristiwaKasus.jenis == "catatan"))


def interval_jeda(kasus: Kasus) -> list[tuple[datetime, datetime | None]]:
    """The case's paused intervals (end None while still paused)."""
    return [(j.mulai, j.selesai) for j in kasus.jeda]


def info_jam_kasus(kasus: Kasus) -> dict:
    """What the SLA engine needs of a case's service clock, as plain data."""
    return {
        "kasus_id": kasus.id,
        "tenant_id": kasus.tenant_id,
        "aturan": dict(aturan_jam(_versi(kasus))),
        "diterima_pada": kasus.diterima_pada,
        "berkas_lengkap_pada": kasus.berkas_lengkap_pada,
        "jam_mulai_pada": kasus.jam_mulai_pada,
        "jeda": interval_jeda(kasus),
        "status": kasus.status,
        "ditutup_pada": kasus.ditutup_pada,
        "penanggung_jawab_id": kasus.penanggung_jawab_id,
    }


def info_langkah(langkah: LangkahKasus) -> dict:
    """What the SLA engine needs of one step run, as plain data."""
    return {
        "langkah_kasus_id": langkah.id,
        "kasus_id": langkah.kasus_id,
        "kode": langkah.kode,
        "status": langkah.status,
        "mulai_pada": langkah.mulai_pada,
        "selesai_pada": langkah.selesai_pada,
        "waktu": langkah.waktu,
        "penanggung_jawab_id": langkah.penanggung_jawab_id,
    }


def durasi_menit(kasus: Kasus, langkah: LangkahKasus, sampai: datetime | None = None) -> int:
    """Elapsed minutes of a step run, minus the time the case was paused meanwhile."""
    akhir = langkah.selesai_pada or sampai or sekarang()
    total = (akhir - langkah.mulai_pada).total_seconds()
    for mulai, selesai in interval_jeda(kasus):
        a, b = max(mulai, langkah.mulai_pada), min(selesai or akhir, akhir)
        if b > a:
            total -= (b - a).total_seconds()
    return int(total // 60)
