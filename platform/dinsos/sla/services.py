"""Deadlines: starting, pausing, resuming and ending clocks, and the sweep that sends notices.

Callers (case steps, complaints, referrals) say *what* has a deadline and
*how long* it is; this module turns that into stored timestamps on the
office's working calendar, and the periodic sweep turns passed timestamps into
notices: a warning to the person responsible at the warn point (75% of the
time by default), an overdue notice and an escalation to the kepala bidang at
the deadline, and an escalation to the kepala dinas when it is twice over.
Each notice is recorded under a unique key (deadline, kind, round) in the same
transaction that creates it, so a second sweep, a retry or a redelivery never
sends it twice.
"""
import uuid
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as insert_pg
from sqlalchemy.dialects.sqlite import insert as insert_sqlite

from dinsos.auth.models import Pengguna
from dinsos.core.citus import klaim
from dinsos.core.db import db, sekarang
from dinsos.core.kalender import Durasi, KalenderKerja, parse_waktu
from dinsos.core.tenant import dalam_tenant, lintas_tenant, tenant_aktif
from dinsos.core.ui import SINGKATAN_ZONA
from dinsos.tenancy.models import Tenant

from .models import PemberitahuanTenggat, Tenggat

FRAKSI_PERINGATAN = 0.75


# --- the office's calendar ----------------------------------------------------

def _tanggal_saja(daftar) -> tuple:
    return tuple((d["tanggal"], d.get("keterangan")) if isinstance(d, dict) else (d, None) for d in daftar or ())


@lru_cache(maxsize=256)
def _kalender(zona, jam_kerja, libur, kerja) -> KalenderKerja:
    pilihan = {"jam_kerja": dict(jam_kerja)} if jam_kerja else {}
    return KalenderKerja(
        zona_waktu=zona,
        libur_tambahan={t: k for t, k in libur},
        hari_kerja_tambahan=[t for t, _k in kerja],
        **pilihan,
    )


def kalender_tenant(tenant: Tenant) -> KalenderKerja:
    """The working calendar of an office from its settings (cached per settings)."""
    jam = tuple(sorted((tenant.jam_kerja or {}).items())) or None
    return _kalender(tenant.zona_waktu, jam, _tanggal_saja(tenant.hari_libur_daerah), _tanggal_saja(tenant.hari_kerja_tambahan))


def _fraksi() -> float:
    return float(current_app.config.get("SLA_WARN_FRACTION", FRAKSI_PERINGATAN))


def _titik(kal: KalenderKerja, mulai: datetime, durasi: Durasi) -> tuple[datetime, datetime, datetime]:
    """(warn, due, twice-over) for a clock starting at ``mulai``."""
    due = kal.tambah(mulai, durasi)
    return _titik_sampai(kal, mulai, due, durasi.waktu_kalender)


def _titik_sampai(kal: KalenderKerja, mulai: datetime, due: datetime, waktu_kalender: bool) -> tuple[datetime, datetime, datetime]:
    """(warn, due, twice-over) for a clock from ``mulai`` to a given ``due``.

    A clock that starts at or after its deadline is due (and twice over) at once.
    """
    if due <= mulai:
        return due, due, due
    warn = kal.titik_peringatan(mulai, due, _fraksi(), waktu_kalender=waktu_kalender)
    if waktu_kalender:
        dua_kali = due + (due - mulai)
    else:
        dua_kali = kal.tambah_menit_kerja(due, kal.menit_kerja_antara(mulai, due))
    return warn, due, dua_kali


def _menit_antara(kal: KalenderKerja, a: datetime, b: datetime, waktu_kalender: bool) -> int:
    """Minutes from a to b in the clock's own measure (negative when b is earlier)."""
    if waktu_kalender:
        return int((b - a).total_seconds() // 60)
    return kal.menit_kerja_antara(a, b)


# --- the arithmetic of one clock ------------------------------------------------
#
# On any object with Tenggat's attributes: the ORM rows below, and the rows the
# demo generator writes in bulk (``dinsos.demo.tenggat``), so both hold the
# same thresholds for the same history.

def atur_mulai(t, kal: KalenderKerja, d: Durasi, mulai: datetime, *, berulang: bool = False,
               sampai: datetime | None = None, eskalasi_pada: datetime | None = None) -> None:
    """Set a clock's thresholds for a (re)start at ``mulai`` and clear any pause or end (see ``mulai_tenggat``)."""
    if sampai is None:
        warn, due, dua_kali = _titik(kal, mulai, d)
        waktu_kalender = d.waktu_kalender
    else:
        waktu_kalender = True
        warn, due, dua_kali = _titik_sampai(kal, mulai, sampai, waktu_kalender)
        if eskalasi_pada is not None:
            dua_kali = max(eskalasi_pada, due)
    t.waktu_kalender, t.berulang = waktu_kalender, berulang
    t.mulai_pada, t.warn_at, t.due_at, t.eskalasi_at = mulai, warn, due, dua_kali
    t.dijeda_pada = t.sisa_menit = t.sisa_menit_peringatan = t.selesai_pada = t.menit_aktual = None
    t.dihentikan = False
    t.menit_standar = max(_menit_antara(kal, mulai, due, waktu_kalender), 0)
    t.aksi_berikutnya_pada = due if berulang else warn


def atur_jeda(t, kal: KalenderKerja, pada: datetime) -> None:
    """Stop a running clock at ``pada`` and keep what is left of it; a paused or ended clock is left alone."""
    if t.selesai_pada or t.dijeda_pada:
        return
    t.sisa_menit = kal.sisa_setelah_jeda(t.mulai_pada, t.due_at, pada, waktu_kalender=t.waktu_kalender)
    t.sisa_menit_peringatan = kal.sisa_setelah_jeda(t.mulai_pada, t.warn_at, pada, waktu_kalender=t.waktu_kalender)
    t.dijeda_pada, t.aksi_berikutnya_pada = pada, None


def atur_lanjut(t, kal: KalenderKerja, pada: datetime, terkirim) -> None:
    """Restart a paused clock at ``pada`` with the time it had left; any other clock is left alone.

    ``terkirim()`` gives the kinds of notice already recorded for its round (asked only when it restarts).
    """
    if t.selesai_pada or not t.dijeda_pada:
        return
    t.due_at = kal.jatuh_tempo_setelah_lanjut(pada, t.sisa_menit, waktu_kalender=t.waktu_kalender)
    t.warn_at = kal.jatuh_tempo_setelah_lanjut(pada, t.sisa_menit_peringatan, waktu_kalender=t.waktu_kalender)
    # Twice over means the whole standard again after the deadline, however the pauses cut it.
    t.eskalasi_at = kal.jatuh_tempo_setelah_lanjut(t.due_at, t.menit_standar or 0, waktu_kalender=t.waktu_kalender)
    t.mulai_pada = pada
    t.dijeda_pada = t.sisa_menit = t.sisa_menit_peringatan = None
    t.aksi_berikutnya_pada = _aksi_berikutnya(t, sudah=terkirim())


def atur_selesai(t, kal: KalenderKerja, pada: datetime) -> None:
    """End a clock done at ``pada``, keeping the minutes it used; an ended clock is left alone."""
    if t.selesai_pada is None:
        t.menit_aktual = None if t.berulang else _menit_terpakai(t, kal, pada)
        t.selesai_pada, t.aksi_berikutnya_pada = pada, None


def atur_henti(t, pada: datetime) -> None:
    """End a clock not done (closed early, skipped) at ``pada``; an ended clock is left alone."""
    if t.selesai_pada is None:
        t.selesai_pada, t.aksi_berikutnya_pada, t.dihentikan = pada, None, True


def _menit_terpakai(t, kal: KalenderKerja, pada: datetime) -> int | None:
    """Minutes of the standard used up at ``pada``: the standard minus what is left (negative left when late)."""
    if t.menit_standar is None:
        return None
    if t.dijeda_pada is not None:
        return t.menit_standar - (t.sisa_menit or 0)
    return t.menit_standar - _menit_antara(kal, pada, t.due_at, t.waktu_kalender)


def _kalender_dari(t: Tenggat) -> KalenderKerja:
    return kalender_tenant(db.session.get(Tenant, t.tenant_id))


# --- starting and moving clocks -------------------------------------------------

def _cari(objek_jenis: str, objek_id) -> Tenggat | None:
    return db.session.scalar(
        select(Tenggat).where(Tenggat.objek_jenis == objek_jenis, Tenggat.objek_id == str(objek_id))
    )


def mulai_tenggat(
    objek_jenis: str,
    objek_id,
    *,
    durasi: str | Durasi,
    mulai: datetime,
    judul: str,
    tautan: str | None = None,
    penanggung_jawab_id=None,
    berulang: bool = False,
    sampai: datetime | None = None,
    eskalasi_pada: datetime | None = None,
    induk_id=None,
    layanan_id=None,
    langkah_kode: str | None = None,
) -> Tenggat:
    """Start (or restart) the clock on an object of the bound office.

    ``durasi`` is a time standard ("1 hari", "15 menit", "3x24 jam") or a
    Durasi. ``berulang`` makes it a periodic review (open-ended services):
    each time it falls due a review reminder goes out and the next round starts.
    ``sampai`` fixes the deadline instead (a step with no time of its own that
    is due with its complaint); ``durasi`` then only names the standard, and
    the warn point is on the clock; ``eskalasi_pada`` then gives the second
    escalation point too (the complaint's). ``induk_id``, ``layanan_id`` and
    ``langkah_kode`` say which case or complaint, service and step it is for.
    """
    d = durasi if isinstance(durasi, Durasi) else parse_waktu(durasi)
    kal = kalender_tenant(db.session.get(Tenant, tenant_aktif()))
    t = _cari(objek_jenis, objek_id)
    if t is None:
        t = Tenggat(objek_jenis=objek_jenis, objek_id=str(objek_id), putaran=1)
        db.session.add(t)
    else:
        t.putaran += 1  # a restarted clock may warn and escalate afresh
    t.judul, t.tautan, t.penanggung_jawab_id = judul[:300], tautan, penanggung_jawab_id
    t.durasi = durasi if isinstance(durasi, str) else f"{d.jumlah} {d.satuan}"
    t.induk_id, t.layanan_id, t.langkah_kode = induk_id, layanan_id, langkah_kode
    atur_mulai(t, kal, d, mulai, berulang=berulang, sampai=sampai, eskalasi_pada=eskalasi_pada)
    db.session.flush()
    return t


def jeda_tenggat(objek_jenis: str, objek_id, pada: datetime) -> Tenggat | None:
    """Stop the clock (waiting on the applicant or another agency); remember what is left."""
    t = _cari(objek_jenis, objek_id)
    if t is not None:
        atur_jeda(t, _kalender_dari(t), pada)
    return t


def lanjutkan_tenggat(objek_jenis: str, objek_id, pada: datetime) -> Tenggat | None:
    """Restart a paused clock with the time that was left."""
    t = _cari(objek_jenis, objek_id)
    if t is not None:
        atur_lanjut(t, _kalender_dari(t), pada, lambda: _terkirim(t))
    return t


def selesaikan_tenggat(objek_jenis: str, objek_id, pada: datetime) -> Tenggat | None:
    """The thing was done: the clock stops for good and keeps how long it took; its notices ask nothing more."""
    t = _cari(objek_jenis, objek_id)
    if t is not None:
        atur_selesai(t, _kalender_dari(t), pada)
        _usangkan_pemberitahuan(t, pada, "Tenggat ini sudah dipenuhi.")
    return t


def hentikan_tenggat(objek_jenis: str, objek_id, pada: datetime) -> Tenggat | None:
    """The clock ends without the thing being done (closed early, skipped): no more notices, no on-time count."""
    t = _cari(objek_jenis, objek_id)
    if t is not None:
        atur_henti(t, pada)
        _usangkan_pemberitahuan(t, pada, "Tenggat ini dihentikan (kasus ditutup atau langkah dilewati).")
    return t


def kelompok_pemberitahuan(t) -> str:
    """What a deadline's notices are about: one standing line per deadline and reader, the later notice
    superseding the earlier (warning, then overdue, then each review round)."""
    return f"tenggat:{t.id}"


def _usangkan_pemberitahuan(t, pada: datetime, alasan: str) -> None:
    if t.warn_at is not None and pada >= t.warn_at:  # before its warning point a clock has sent nothing
        from dinsos.notify.services import usangkan

        usangkan(kelompok_pemberitahuan(t), alasan)


def tenggat_induk(induk_id) -> list[Tenggat]:
    """Every clock of one case or complaint of the bound office, oldest first."""
    return db.session.scalars(select(Tenggat).where(Tenggat.induk_id == induk_id).order_by(Tenggat.mulai_pada, Tenggat.dibuat_pada)).all()


def cari_tenggat(objek_jenis: str, objek_id) -> Tenggat | None:
    """The clock of one object of the bound office, if it has one."""
    return _cari(objek_jenis, objek_id)


def syarat_terlambat(pada: datetime):
    """SQL condition: a running (not paused, not periodic) clock whose deadline has passed."""
    return and_(Tenggat.selesai_pada.is_(None), Tenggat.dijeda_pada.is_(None), Tenggat.berulang.is_(False), Tenggat.due_at <= pada)


def syarat_berisiko(pada: datetime):
    """SQL condition: a running clock past its warn point but not yet due."""
    return and_(Tenggat.selesai_pada.is_(None), Tenggat.dijeda_pada.is_(None), Tenggat.berulang.is_(False),
                Tenggat.warn_at <= pada, Tenggat.due_at > pada)


def alihkan_tenggat(objek_jenis: str, objek_id, penanggung_jawab_id) -> Tenggat | None:
    """A new person is responsible; later notices go to them."""
    t = _cari(objek_jenis, objek_id)
    if t is not None:
        t.penanggung_jawab_id = penanggung_jawab_id
    return t


def status_tenggat(t: Tenggat, pada: datetime) -> str:
    """tepat (on time), berisiko (past the warn point), terlambat, dijeda, dihentikan, selesai or selesai_terlambat."""
    if t.dihentikan:
        return "dihentikan"
    if t.selesai_pada:
        return "selesai" if t.selesai_pada <= t.due_at else "selesai_terlambat"
    if t.dijeda_pada:
        return "dijeda"
    if t.berulang:
        return "tepat"
    if pada >= t.due_at:
        return "terlambat"
    return "berisiko" if pada >= t.warn_at else "tepat"


# --- the sweep ----------------------------------------------------------------

def _terkirim(t: Tenggat) -> set[str]:
    return set(
        db.session.scalars(
            select(PemberitahuanTenggat.jenis).where(
                PemberitahuanTenggat.tenggat_id == t.id, PemberitahuanTenggat.putaran == t.putaran
            )
        )
    )


def _ambang(t: Tenggat) -> list[tuple[str, datetime]]:
    if t.berulang:
        return [("tinjauan", t.due_at)]
    return [("peringatan", t.warn_at), ("terlambat", t.due_at), ("eskalasi_kabid", t.due_at), ("eskalasi_kadis", t.eskalasi_at)]


def _aksi_berikutnya(t: Tenggat, sudah: set[str]) -> datetime | None:
    sisa = [saat for jenis, saat in _ambang(t) if jenis not in sudah]
    return min(sisa) if sisa else None


def pemberitahuan_jatuh(t, sudah: set[str], pada: datetime) -> list[str]:
    """The notices of the clock's round due by ``pada`` and not in ``sudah`` (the kinds recorded already), in order.

    A warning not yet sent once the deadline has passed is noise: it is left
    out and added to ``sudah`` instead.
    """
    lewat = [j for j, saat in _ambang(t) if saat <= pada and j not in sudah]
    if "terlambat" in lewat or "terlambat" in sudah:
        lewat = [j for j in lewat if j != "peringatan"]
        sudah.add("peringatan")
    return lewat


def akhiri_sapuan(t, sudah: set[str], kal: KalenderKerja | None) -> None:
    """After a sweep sent ``sudah``: a periodic review that went out starts its next round; set the next action.

    ``kal`` (the office's calendar) is needed for periodic clocks only.
    """
    if t.berulang and "tinjauan" in sudah:
        d = parse_waktu(t.durasi)
        t.mulai_pada = t.due_at
        t.warn_at, t.due_at, t.eskalasi_at = _titik(kal, t.mulai_pada, d)
        t.putaran += 1
        sudah = set()
    t.aksi_berikutnya_pada = _aksi_berikutnya(t, sudah)


def _catat_sekali(t: Tenggat, jenis: str, pada: datetime) -> bool:
    """Record that a notice goes out; False if another sweep recorded it already."""
    nilai = dict(tenant_id=t.tenant_id, tenggat_id=t.id, jenis=jenis, putaran=t.putaran, dikirim_pada=pada)
    pembuat = insert_pg if db.session.get_bind().dialect.name == "postgresql" else insert_sqlite
    stmt = pembuat(PemberitahuanTenggat).values(id=uuid.uuid4(), dibuat_pada=pada, **nilai)
    stmt = stmt.on_conflict_do_nothing(index_elements=["tenant_id", "tenggat_id", "jenis", "putaran"])
    return db.session.execute(stmt.returning(PemberitahuanTenggat.id)).scalar() is not None


def _staf_berperan(tenant_id: int, peran: str) -> list:
    return [
        p.id
        for p in db.session.scalars(select(Pengguna).where(Pengguna.tenant_id == tenant_id, Pengguna.aktif.is_(True)))
        if peran in (p.peran or ())
    ]


def penerima_pemberitahuan(t, jenis: str, staf_berperan) -> list:
    """Who gets one notice: the person responsible (else the heads of division), the heads, or the head of office.

    ``staf_berperan(peran)`` gives the ids of the office's active staff holding a role.
    """
    if jenis in ("peringatan", "terlambat", "tinjauan"):
        return [t.penanggung_jawab_id] if t.penanggung_jawab_id else staf_berperan("kepala_bidang")
    if jenis == "eskalasi_kabid":
        return staf_berperan("kepala_bidang")
    return staf_berperan("kepala_dinas")


def kunci_notifikasi(t, jenis: str, penerima) -> str:
    """The inbox key of one notice to one person: a second sweep finds it and adds nothing."""
    return f"tenggat:{t.id}:{t.putaran}:{jenis}:{penerima}"


def pesan_pemberitahuan(t, jenis: str, zona: str) -> tuple[str, str]:
    """Title and text of one notice, the deadline shown in the office's zone."""
    batas = t.due_at.astimezone(ZoneInfo(zona)).strftime("%d-%m-%Y %H:%M")
    batas = f"{batas} {SINGKATAN_ZONA.get(zona, zona)}"
    return {
        "peringatan": (f"Segera jatuh tempo: {t.judul}", f"Batas waktu {batas} (standar waktu {t.durasi})."),
        "terlambat": (f"Lewat batas waktu: {t.judul}", f"Batas waktu {batas} telah lewat (standar waktu {t.durasi})."),
        "eskalasi_kabid": (f"Eskalasi: {t.judul}", f"Lewat batas waktu {batas}; mohon tindak lanjut kepala bidang."),
        "eskalasi_kadis": (f"Eskalasi kedua: {t.judul}", f"Sudah dua kali lewat standar waktu {t.durasi} (batas {batas})."),
        "tinjauan": (f"Tinjauan berkala: {t.judul}", f"Catat perkembangan terbaru (tinjauan ke-{t.putaran}, jadwal {batas})."),
    }[jenis]


# Who else hears of a deadline's notices, outside its own office, per objek_jenis:
# ``f(tenggat, jenis, judul, isi)``, registered by the capability owning the object
# (referrals: the sender's province hears that a referral went unanswered).
_PENERIMA_LUAR: dict = {}


def daftar_penerima_luar(objek_jenis: str, fungsi) -> None:
    """Register ``fungsi`` to run, bound to the deadline's office, for each notice about ``objek_jenis``."""
    _PENERIMA_LUAR[objek_jenis] = fungsi


def _kirim(t: Tenggat, jenis: str, zona: str) -> None:
    from dinsos.notify.services import kirim_notifikasi, usangkan

    judul, isi = pesan_pemberitahuan(t, jenis, zona)
    kelompok = kelompok_pemberitahuan(t)
    for penerima in penerima_pemberitahuan(t, jenis, lambda peran: _staf_berperan(t.tenant_id, peran)):
        usangkan(kelompok, f"Diganti pemberitahuan berikutnya: {judul.split(':')[0]}.", hanya_penerima=penerima)
        kirim_notifikasi(penerima, judul, isi, tautan=t.tautan, kunci=kunci_notifikasi(t, jenis, penerima), kelompok=kelompok)
    luar = _PENERIMA_LUAR.get(t.objek_jenis)
    if luar is not None:
        luar(t, jenis, judul, isi)


def _proses(t: Tenggat, pada: datetime, zona: str) -> int:
    sudah = _terkirim(t)
    terkirim = 0
    for jenis in pemberitahuan_jatuh(t, sudah, pada):
        if _catat_sekali(t, jenis, pada):
            _kirim(t, jenis, zona)
            terkirim += 1
        sudah.add(jenis)
    akhiri_sapuan(t, sudah, _kalender_dari(t) if t.berulang else None)
    return terkirim


def tenggat_jatuh_tempo(pada: datetime, batas: int) -> list[tuple[int, uuid.UUID]]:
    """Keys of live clocks whose next action has passed, oldest first, locked for this sweep.

    Call inside ``lintas_tenant``. An index range scan on ``aksi_berikutnya_pada``:
    its cost follows the number of due rows, not the number of open clocks.
    """
    return [tuple(b) for b in klaim(db.session, select(Tenggat.tenant_id, Tenggat.id)
                                    .where(Tenggat.aksi_berikutnya_pada <= pada)
                                    .order_by(Tenggat.aksi_berikutnya_pada)
                                    .limit(batas), Tenggat)]


def sapu_tenggat(pada: datetime | None = None, batas: int = 500) -> int:
    """Send every notice that has come due, across offices; returns how many were sent.

    Reads only rows whose next action has passed (an index range), locks them
    with SKIP LOCKED on PostgreSQL so concurrent sweeps split the work, and
    commits each batch whole.
    """
    pada = pada or sekarang()
    total = 0
    while True:
        with lintas_tenant("sapu tenggat (jadwal)", catat=False):
            kunci = tenggat_jatuh_tempo(pada, batas)
            baris = db.session.scalars(select(Tenggat).where(tuple_(Tenggat.tenant_id, Tenggat.id).in_(kunci))).all() if kunci else []
            zona = dict(db.session.execute(select(Tenant.id, Tenant.zona_waktu)).all()) if baris else {}
            for t in baris:
                with dalam_tenant(t.tenant_id):
                    total += _proses(t, pada, zona[t.tenant_id])
                    db.session.flush()  # write this office's changes while it is the bound one
        db.session.commit()
        if len(kunci) < batas:
            return total
