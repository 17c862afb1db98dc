"""The work queue ("Tugas saya"): everything waiting for one staff member, most urgent first.

Read-only, over the bound office. Each kind of work is one query (plus one
for the clocks of the rows it found), never a query per row:

- running SOP steps whose turn is the user's (``pelaksana.giliran``);
- cases nobody is assigned to yet, for heads of division (``kepala_bidang``);
- incoming referrals waiting for this office's answer (``rujukan.tanggapi``);
- outgoing referrals the receiving office asked more information about
  (their sender);
- complaints still being followed up (``pengaduan.kelola``).

Each item is plain data: kind, title, what it is about, link, when it
started, its due time and deadline state (``sla.services.status_tenggat``).
"""
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, func, or_, select, tuple_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, lazyload, load_only
from sqlalchemy.sql.functions import FunctionElement

from dinsos.cases import akses
from dinsos.cases.klien import TANPA_IDENTITAS, samarkan_nama
from dinsos.cases.konstanta import PENANGGUNG_JAWAB
from dinsos.cases.models import Kasus, Klien, LangkahKasus
from dinsos.cases.tenggat import KASUS as TENGGAT_KASUS
from dinsos.cases.tenggat import LANGKAH as TENGGAT_LANGKAH
from dinsos.catalogue.models import VersiLayanan
from dinsos.core.db import db
from dinsos.izin import boleh
from dinsos.sla.models import Tenggat
from dinsos.sla.services import status_tenggat
from dinsos.tenancy.models import Tenant

from . import pelaksana

# Deadline states from most to least urgent; items without a clock come last.
URUTAN_STATUS = {"terlambat": 0, "berisiko": 1, "tepat": 2, "dijeda": 3, None: 4}
JENIS = ("langkah", "penugasan", "rujukan_masuk", "info_rujukan", "pengaduan")
BATAS = 200  # a queue longer than this is a staffing problem, not a page to scroll


@dataclass
class Tugas:
    jenis: str
    judul: str
    perihal: str
    tautan: str
    mulai_pada: datetime | None
    due_at: datetime | None = None
    status: str | None = None  # the deadline state, see URUTAN_STATUS
    rincian: dict = field(default_factory=dict)

    @property
    def kunci_urut(self):
        far = datetime.max.replace(tzinfo=self.mulai_pada.tzinfo if self.mulai_pada else None)
        due = self.due_at or far
        return (URUTAN_STATUS.get(self.status, 4), due.timestamp() if self.due_at else float("inf"),
                self.mulai_pada.timestamp() if self.mulai_pada else 0)


# What a queue item shows of a step and its case: loading the rest would decrypt a step's answers and notes
# and the reporter's identity for every item of a queue that can hold hundreds.
KOLOM_LANGKAH = (LangkahKasus.id, LangkahKasus.kasus_id, LangkahKasus.kode, LangkahKasus.status, LangkahKasus.mulai_pada,
                 LangkahKasus.waktu, LangkahKasus.penanggung_jawab_id, LangkahKasus.disposisi_ke)
KOLOM_KASUS = (Kasus.id, Kasus.klien_id, Kasus.layanan_id, Kasus.versi_layanan_id, Kasus.status, Kasus.nomor_register,
               Kasus.rahasia, Kasus.penanggung_jawab_id, Kasus.dibuat_oleh_id)
# What ``status_tenggat`` and a queue item read of a clock.
KOLOM_TENGGAT = load_only(Tenggat.objek_id, Tenggat.due_at, Tenggat.warn_at, Tenggat.selesai_pada, Tenggat.dijeda_pada,
                          Tenggat.dihentikan, Tenggat.berulang)


def _opsi_kasus(*lagi):
    """Load options for a queue's cases: ``KOLOM_KASUS`` (and ``lagi``), and not the client joined to each case as
    elsewhere: only its name is shown (``_nama_klien``)."""
    return load_only(*KOLOM_KASUS, *lagi), lazyload(Kasus.klien)


def _paling_mendesak(q, objek_jenis: str, induk_id, objek_id):
    """``q`` ordered by its objects' running clocks, soonest due first (so the overdue lead), then the objects
    without one: when the queue keeps only ``BATAS`` of a kind, it keeps the most urgent, not the oldest (a
    head of division with 1,578 unassigned cases saw the 200 oldest, 2 of them overdue, while 44 were)."""
    jam = aliased(Tenggat)
    return (q.outerjoin(jam, and_(*_jam_berjalan(jam, objek_jenis, induk_id, objek_id)))
            .order_by(jam.due_at.is_(None), jam.due_at))


def _jam_berjalan(jam, objek_jenis: str, induk_id, objek_id) -> tuple:
    """The conditions for the object's running, unpaused clock (``jam``: ``Tenggat`` or an alias of it).

    Reached through ``induk_id`` (the case, complaint or incoming referral the clock belongs to), which lets
    PostgreSQL use the parent's index: matched on ``objek_id`` alone (a uuid cast to text, which no index serves
    under row-level security), each queue row rescanned all the office's open clocks, 45 ms for 120 steps on a
    2,000-case office, 2.4 s for a province's 2,575 waiting referrals.
    """
    return (jam.induk_id == induk_id, jam.objek_jenis == objek_jenis, jam.objek_id == objek_id,
            jam.selesai_pada.is_(None), jam.dijeda_pada.is_(None))


def _slug():
    from flask import g

    return g.slug_tenant


def _tenggat(objek_jenis: str, objek_ids: list) -> dict:
    """objek_id -> clock, for these objects' clocks of one kind (one query on the clocks' unique key: a case's
    finished steps' clocks are not read)."""
    if not objek_ids:
        return {}
    return {t.objek_id: t for t in db.session.scalars(
        select(Tenggat).where(Tenggat.objek_jenis == objek_jenis, Tenggat.objek_id.in_([str(i) for i in objek_ids]))
        .options(KOLOM_TENGGAT))}


def _nama_klien(kasus_rows, pengguna) -> dict:
    """case id -> the client's name as this user may see it in a list (masked on confidential cases they do not handle)."""
    if not kasus_rows:
        return {}
    # The name alone: a whole client row would decrypt its NIK, address and description too, for every item.
    klien = dict(db.session.execute(
        select(Klien.id, Klien.nama).where(Klien.id.in_({k.klien_id for k in kasus_rows}))).all())
    lihat_semua = boleh(pengguna, "kasus.lihat_semua_identitas")
    rahasia = [k for k in kasus_rows if k.rahasia]
    penangan = akses.penangan_banyak(rahasia) if rahasia and not lihat_semua else {}
    hasil = {}
    for k in kasus_rows:
        asli = klien[k.klien_id]
        nama = asli or TANPA_IDENTITAS
        if k.rahasia and asli and not lihat_semua and pengguna.id not in penangan.get(k.id, set()):
            nama = samarkan_nama(nama)
        hasil[k.id] = nama
    return hasil


def _perihal_kasus(kasus: Kasus, layanan: str, nama: str) -> str:
    nomor = kasus.nomor_register or "belum bernomor"
    return f"{nomor} · {layanan} · {nama}"


def syarat_giliran(pengguna, sop: dict):
    """``pelaksana.giliran`` as SQL over running steps joined to their cases, for these SOP versions (None: no step
    of theirs can be the user's turn): one rule for the queue and the menu's count, so neither stops short of
    the other."""
    uid, peran = pengguna.id, set(pengguna.peran or ())
    semua, oleh_peran, oleh_pj = [], [], []
    for vid, v in sop.items():
        for kode, l in v["langkah"].items():
            for ke, peran_ke, terakhir in pelaksana.urutan_giliran(l):
                if terakhir:  # an assignee holds only the link that records the step
                    semua.append((vid, kode, ke))
                if peran & peran_ke:
                    oleh_peran.append((vid, kode, ke))
                elif terakhir and PENANGGUNG_JAWAB in peran_ke:
                    oleh_pj.append((vid, kode, ke))
    pasangan = tuple_(Kasus.versi_layanan_id, LangkahKasus.kode, LangkahKasus.disposisi_ke)
    giliran = [and_(LangkahKasus.penanggung_jawab_id == uid, pasangan.in_(semua))] if semua else []
    if oleh_peran:
        giliran.append(and_(LangkahKasus.penanggung_jawab_id.is_(None), pasangan.in_(oleh_peran)))
    if oleh_pj:
        giliran.append(and_(LangkahKasus.penanggung_jawab_id.is_(None), Kasus.penanggung_jawab_id == uid, pasangan.in_(oleh_pj)))
    return or_(*giliran) if giliran else None


def _langkah_berjalan(*kolom):
    return (select(*kolom).select_from(LangkahKasus)
            .join(Kasus, (Kasus.tenant_id == LangkahKasus.tenant_id) & (Kasus.id == LangkahKasus.kasus_id))
            .where(LangkahKasus.status == "berjalan", Kasus.status == "berjalan"))


def langkah_saya(pengguna, pada: datetime) -> list[Tugas]:
    """Running steps whose turn is the user's, on cases that run (not paused, not closed); the ``BATAS`` most urgent."""
    sop = pelaksana.sop_kantor()
    syarat = syarat_giliran(pengguna, sop)
    if syarat is None:
        return []
    milik = []
    for langkah, kasus in db.session.execute(
        _paling_mendesak(_langkah_berjalan(LangkahKasus, Kasus).where(syarat), TENGGAT_LANGKAH, Kasus.id,
                         teks_uuid(LangkahKasus.id))
        .options(load_only(*KOLOM_LANGKAH), *_opsi_kasus()).order_by(LangkahKasus.mulai_pada).limit(BATAS)
    ):
        v = sop[kasus.versi_layanan_id]
        milik.append((langkah, kasus, v, v["langkah"][langkah.kode]))
    if not milik:
        return []
    kasus_rows = [k for _l, k, _v, _d in milik]
    jam = _tenggat(TENGGAT_LANGKAH, [l.id for l, _k, _v, _d in milik])
    nama = _nama_klien(kasus_rows, pengguna)
    layanan = pelaksana.nama_layanan()
    hasil = []
    for langkah, kasus, v, definisi in milik:
        t = jam.get(str(langkah.id))
        hasil.append(Tugas(
            jenis="langkah",
            judul=definisi["nama"],
            perihal=_perihal_kasus(kasus, layanan.get(kasus.layanan_id, ""), nama[kasus.id]),
            tautan=f"/t/{_slug()}/kasus/{kasus.id}#langkah-kini",
            mulai_pada=langkah.mulai_pada,
            due_at=t.due_at if t else None,
            status=status_tenggat(t, pada) if t else None,
            rincian={"kasus_id": kasus.id, "kode": langkah.kode, "urutan": definisi["urutan"], "jumlah": v["jumlah"],
                     "waktu": langkah.waktu, "kegiatan": definisi["kegiatan"], "ditugaskan": langkah.penanggung_jawab_id == pengguna.id},
        ))
    return hasil


def kasus_belum_ditugaskan(pengguna, pada: datetime) -> list[Tugas]:
    """Open cases without an assignee: a head of division's to hand out."""
    if "kepala_bidang" not in (pengguna.peran or ()):
        return []
    daftar = db.session.scalars(
        _paling_mendesak(select(Kasus).where(Kasus.penanggung_jawab_id.is_(None),
                                             Kasus.status.in_(("berjalan", "berkas_belum_lengkap"))),
                         TENGGAT_KASUS, Kasus.id, teks_uuid(Kasus.id))
        .options(*_opsi_kasus(Kasus.diterima_pada)).order_by(Kasus.dibuat_pada).limit(BATAS)
    ).all()
    if not daftar:
        return []
    jam = _tenggat(TENGGAT_KASUS, [k.id for k in daftar])
    nama = _nama_klien(daftar, pengguna)
    layanan = pelaksana.nama_layanan()
    hasil = []
    for k in daftar:
        t = jam.get(str(k.id))
        hasil.append(Tugas(
            jenis="penugasan", judul="Tugaskan penanggung jawab kasus",
            perihal=_perihal_kasus(k, layanan.get(k.layanan_id, ""), nama[k.id]),
            tautan=f"/t/{_slug()}/kasus/{k.id}#penugasan", mulai_pada=k.diterima_pada,
            due_at=t.due_at if t else None, status=status_tenggat(t, pada) if t else None,
            rincian={"kasus_id": k.id},
        ))
    return hasil


def rujukan_menunggu(pengguna, pada: datetime) -> list[Tugas]:
    """Incoming referrals waiting for this office's answer, and outgoing ones the receiver asked more about."""
    from dinsos.referrals import penerimaan
    from dinsos.referrals.models import Rujukan, RujukanMasuk
    from dinsos.referrals.rujukan import nomor_tampil

    hasil = []
    if boleh(pengguna, "rujukan.tanggapi"):
        masuk = db.session.scalars(
            select(RujukanMasuk).where(RujukanMasuk.status == "diterima_tujuan",
                                       or_(RujukanMasuk.ditanggapi_oleh_id.is_(None), RujukanMasuk.ditanggapi_oleh_id == pengguna.id))
            .limit(BATAS)
        ).all()
        jam = {} if not masuk else {t.objek_id: t for t in db.session.scalars(select(Tenggat).where(
            Tenggat.objek_jenis == penerimaan.OBJEK_TENGGAT, Tenggat.objek_id.in_([str(m.id) for m in masuk])))}
        asal = {} if not masuk else dict(db.session.execute(
            select(Tenant.id, Tenant.nama).where(Tenant.id.in_({m.asal_tenant_id for m in masuk}))).all())
        for m in masuk:
            t = jam.get(str(m.id))
            nomor = (m.isi or {}).get("nomor_rujukan") or nomor_tampil(m.asal_rujukan_id)
            hasil.append(Tugas(
                jenis="rujukan_masuk", judul="Tanggapi rujukan masuk",
                perihal=f"{nomor} · dari {asal.get(m.asal_tenant_id, '')}",
                tautan=f"/t/{_slug()}/rujukan/masuk/{m.id}", mulai_pada=m.sampai_pada,
                due_at=t.due_at if t else None, status=status_tenggat(t, pada) if t else None,
            ))
    if boleh(pengguna, "rujukan.kirim"):
        for r in db.session.scalars(
            select(Rujukan).where(Rujukan.status == "perlu_info", Rujukan.dibuat_oleh_id == pengguna.id).limit(BATAS)
        ):
            hasil.append(Tugas(
                jenis="info_rujukan", judul="Lengkapi informasi yang diminta kantor tujuan",
                perihal=f"{nomor_tampil(r.id)} · {(r.dibagikan or {}).get('tujuan_nama') or r.tujuan_layanan_nama or ''}".rstrip(" ·"),
                tautan=f"/t/{_slug()}/rujukan/keluar/{r.id}", mulai_pada=r.ditanggapi_pada or r.diperbarui_pada,
            ))
    return hasil


def pengaduan_ditindaklanjuti(pengguna, pada: datetime) -> list[Tugas]:
    """Complaints still being followed up, for whoever manages complaints."""
    if not boleh(pengguna, "pengaduan.kelola"):
        return []
    from dinsos.complaints.models import Pengaduan
    from dinsos.complaints.services import TENGGAT_PENGADUAN, tampilan_kode

    daftar = db.session.scalars(
        select(Pengaduan).where(Pengaduan.status != "selesai").order_by(Pengaduan.mulai_pada).limit(BATAS)
    ).all()
    jam = _tenggat(TENGGAT_PENGADUAN, [p.id for p in daftar])
    hasil = []
    for p in daftar:
        t = jam.get(str(p.id))
        hasil.append(Tugas(
            jenis="pengaduan", judul="Tindak lanjuti pengaduan",
            perihal=f"{tampilan_kode(p.kode_lacak)} · {' '.join(p.isi.split())[:80]}",
            tautan=f"/t/{_slug()}/pengaduan/kelola/{p.id}", mulai_pada=p.mulai_pada,
            due_at=t.due_at if t else None, status=status_tenggat(t, pada) if t else None,
        ))
    return hasil


def tugas_saya(pengguna, pada: datetime) -> list[Tugas]:
    """The user's whole queue, most urgent first: overdue, at risk, on time by due time, then the rest by age."""
    semua = (langkah_saya(pengguna, pada) + kasus_belum_ditugaskan(pengguna, pada)
             + rujukan_menunggu(pengguna, pada) + pengaduan_ditindaklanjuti(pengguna, pada))
    return sorted(semua, key=lambda t: t.kunci_urut)[:BATAS]


# The queue's deadline filters (``?status=``), as the dashboard's tiles link to them.
SARINGAN_STATUS = ("terlambat", "hari_ini", "berisiko")


def jatuh_tempo_hari_ini(t: Tugas, pada: datetime, zona: str) -> bool:
    """Due later today, by the office's calendar day (not yet overdue)."""
    if t.due_at is None or t.status == "terlambat" or t.due_at <= pada:
        return False
    z = ZoneInfo(zona)
    return t.due_at.astimezone(z).date() == pada.astimezone(z).date()


def saring(daftar: list[Tugas], *, jenis: str | None = None, status: str | None = None, pada: datetime, zona: str) -> list[Tugas]:
    """The queue narrowed to one kind of work and/or one deadline state (``SARINGAN_STATUS``)."""
    if jenis in JENIS:
        daftar = [t for t in daftar if t.jenis == jenis]
    if status == "hari_ini":
        daftar = [t for t in daftar if jatuh_tempo_hari_ini(t, pada, zona)]
    elif status in SARINGAN_STATUS:
        daftar = [t for t in daftar if t.status == status]
    return daftar


def hitung(daftar: list[Tugas], pada: datetime | None = None, zona: str | None = None) -> dict:
    """How many items, how many overdue, at risk and (given the time and the office's zone) due later today:
    the menu's and the dashboard's figures."""
    return {
        "jumlah": len(daftar),
        "terlambat": sum(1 for t in daftar if t.status == "terlambat"),
        "berisiko": sum(1 for t in daftar if t.status == "berisiko"),
        "hari_ini": sum(1 for t in daftar if jatuh_tempo_hari_ini(t, pada, zona)) if pada and zona else 0,
        "per_jenis": {j: sum(1 for t in daftar if t.jenis == j) for j in JENIS},
    }


# --- the menu's figures, counted in SQL ---------------------------------------

class teks_uuid(FunctionElement):
    """A uuid column as the text ``str(uuid)`` gives, the form a clock's ``objek_id`` holds.

    SQLite keeps a uuid as 32 hex digits, PostgreSQL casts it to the dashed form.
    """

    type = String()
    name = "teks_uuid"
    inherit_cache = True


@compiles(teks_uuid)
def _teks_uuid(unsur, compiler, **kw):
    return f"CAST({compiler.process(unsur.clauses, **kw)} AS TEXT)"


@compiles(teks_uuid, "sqlite")
def _teks_uuid_sqlite(unsur, compiler, **kw):
    x = compiler.process(unsur.clauses, **kw)
    return (f"lower(substr({x}, 1, 8) || '-' || substr({x}, 9, 4) || '-' || substr({x}, 13, 4) || '-' "
            f"|| substr({x}, 17, 4) || '-' || substr({x}, 21, 12))")


def _terlambat(objek_jenis: str, objek_id, pada: datetime, induk_id):
    """Whether the object's clock is overdue: ``status_tenggat``'s "terlambat", as an EXISTS."""
    return select(Tenggat.id).where(
        *_jam_berjalan(Tenggat, objek_jenis, induk_id, objek_id),
        Tenggat.dihentikan.is_(False), Tenggat.berulang.is_(False), Tenggat.due_at <= pada,
    ).exists()


def _jumlah(dari, *syarat):
    return select(func.count()).select_from(dari).where(*syarat)


def kueri_hitungan(pengguna, pada: datetime) -> dict:
    """The queue's figures as count queries (``{name: select}``) for the menu, read with the menu's other counts.

    The same rules as ``tugas_saya``: whose turn a step is comes from the office's SOP versions this process
    knows; ``tugas_versi_baru`` counts versions it does not know yet, and ``angka_menu`` then reads the queue
    itself (which learns them).
    """
    uid = pengguna.id
    sop = pelaksana.sop_kantor_dikenal()
    hasil = {"tugas_versi_baru": _jumlah(VersiLayanan, VersiLayanan.id.not_in(list(sop)))}
    peran = set(pengguna.peran or ())
    giliran = syarat_giliran(pengguna, sop)
    if giliran is not None:
        langkah = _langkah_berjalan(func.count()).where(giliran)
        hasil["tugas_langkah"] = langkah
        hasil["tugas_langkah_terlambat"] = langkah.where(_terlambat(TENGGAT_LANGKAH, teks_uuid(LangkahKasus.id), pada, Kasus.id))
    if "kepala_bidang" in peran:
        syarat = (Kasus.penanggung_jawab_id.is_(None), Kasus.status.in_(("berjalan", "berkas_belum_lengkap")))
        hasil["tugas_penugasan"] = _jumlah(Kasus, *syarat)
        hasil["tugas_penugasan_terlambat"] = _jumlah(Kasus, *syarat, _terlambat(TENGGAT_KASUS, teks_uuid(Kasus.id), pada, Kasus.id))
    if boleh(pengguna, "rujukan.tanggapi"):
        from dinsos.referrals import penerimaan
        from dinsos.referrals.models import RujukanMasuk

        syarat = (RujukanMasuk.status == "diterima_tujuan",
                  or_(RujukanMasuk.ditanggapi_oleh_id.is_(None), RujukanMasuk.ditanggapi_oleh_id == uid))
        hasil["tugas_rujukan_masuk"] = _jumlah(RujukanMasuk, *syarat)
        hasil["tugas_rujukan_masuk_terlambat"] = _jumlah(
            RujukanMasuk, *syarat, _terlambat(penerimaan.OBJEK_TENGGAT, teks_uuid(RujukanMasuk.id), pada, RujukanMasuk.id))
    if boleh(pengguna, "rujukan.kirim"):
        from dinsos.referrals.models import Rujukan

        hasil["tugas_info_rujukan"] = _jumlah(Rujukan, Rujukan.status == "perlu_info", Rujukan.dibuat_oleh_id == uid)
    if boleh(pengguna, "pengaduan.kelola"):
        from dinsos.complaints.models import Pengaduan
        from dinsos.complaints.services import TENGGAT_PENGADUAN

        hasil["tugas_pengaduan"] = _jumlah(Pengaduan, Pengaduan.status != "selesai")
        hasil["tugas_pengaduan_terlambat"] = _jumlah(
            Pengaduan, Pengaduan.status != "selesai", _terlambat(TENGGAT_PENGADUAN, teks_uuid(Pengaduan.id), pada, Pengaduan.id))
    return hasil


def angka_dari_hitungan(hitungan: dict) -> tuple[int, int]:
    """(items, overdue) from ``kueri_hitungan``'s answers, capped as the queue is (``BATAS``)."""
    jumlah = sum(v or 0 for k, v in hitungan.items() if k.startswith("tugas_") and k != "tugas_versi_baru"
                 and not k.endswith("_terlambat"))
    terlambat = sum(v or 0 for k, v in hitungan.items() if k.startswith("tugas_") and k.endswith("_terlambat"))
    return min(jumlah, BATAS), min(terlambat, BATAS)
