"""Demo deadline clocks: the ``tenggat`` rows the live engine would hold for the generated history.

In the live app a case's clocks move with its timeline events
(``dinsos.cases.tenggat.ikuti``), a complaint's with its steps
(``dinsos.complaints.services``), and the deadline sweep
(``dinsos.sla.services.sapu_tenggat``) sends notices as thresholds pass. Here
each generated case timeline and each complaint's steps are replayed in order
onto in-memory clocks with the engine's own arithmetic (``sla.atur_*``, on the
office's working calendar from ``sla.kalender_tenant``), and the sweep is taken
to have run as each threshold passed (it runs every half minute), through the
engine's own sweep rule (``sla.pemberitahuan_jatuh``, ``sla.akhiri_sapuan``).

For every clock still running or paused at the reference time, the notices
of its current round that fell due before then are written as sent: the
once-only record (``pemberitahuan_tenggat``, whose unique key the sweep
checks) and the inbox rows, read a day after they came. So a sweep after
generating sends only what falls due later. Notices of ended clocks and of
earlier review rounds are not reproduced. Referral answer clocks are made by
``demo.rujukan`` after every office exists, through the same ``PembuatTenggat``.
"""
import uuid
from datetime import timedelta

from dinsos.cases import tenggat as kasus_tenggat
from dinsos.complaints.services import (
    TENGGAT_LANGKAH,
    TENGGAT_PENGADUAN,
    judul_tenggat_langkah,
    judul_tenggat_pengaduan,
    tautan_pengaduan,
)
from dinsos.core.kalender import parse_waktu
from dinsos.notify.services import judul_satu_baris
from dinsos.sla import services as sla

from . import acak
from .konteks import Konteks, LayananDemo
from .staf import per_peran

LANGKAH, KASUS, LAPORAN_SOSIAL = kasus_tenggat.LANGKAH, kasus_tenggat.KASUS, kasus_tenggat.LAPORAN_SOSIAL
# The case events the generator writes that move no clock; any other event the live engine follows is refused
# here, so a new kind of event in the generator cannot silently leave its clocks out.
TANPA_TENGGAT = frozenset({"persyaratan_diubah", "berkas_diverifikasi", "disposisi", "nomor_register"})
# Staff read a notice within a day of its coming: the last day's are unread.
DIBACA_SETELAH = timedelta(days=1)


class _Jam(dict):
    """One clock being replayed: its ``tenggat`` row, read and written as attributes as the engine does a Tenggat's.

    ``kirim`` holds the notices of its current round sent so far, taken out before the row is written.
    """

    __slots__ = ()
    __getattr__ = dict.__getitem__
    __setattr__ = dict.__setitem__


class _Terkirim:
    """A notice as it went out: the clock's deadline and assignee then (a resumed clock moves its deadline)."""

    __slots__ = ("id", "tenant_id", "judul", "durasi", "putaran", "due_at", "penanggung_jawab_id")

    def __init__(self, t: _Jam, due_at, penanggung_jawab_id):
        self.id, self.tenant_id, self.judul, self.durasi, self.putaran = t.id, t.tenant_id, t.judul, t.durasi, t.putaran
        self.due_at, self.penanggung_jawab_id = due_at, penanggung_jawab_id


class _Layanan:
    """What the clocks need of one service version, computed once per office."""

    def __init__(self, l: LayananDemo):
        aturan = kasus_tenggat.aturan_jam(l)
        self.id, self.nama, self.aturan = l.id, l.nama, aturan
        self.durasi, self.berulang = kasus_tenggat.durasi_kasus(aturan)
        self.langkah = {d["kode"]: d for d in l.isi["sop"]["langkah"]}
        self.laporan_sosial = kasus_tenggat.layanan_laporan_sosial(l.isi)


class PembuatTenggat:
    """Writes one office's clocks, notice records and inbox rows by replaying its events through the engine.

    Used for the office's cases and complaints here, and by ``demo.rujukan`` for referral answers.
    """

    def __init__(self, k: Konteks):
        self.k = k
        self.r = acak.rng(k.benih, "tenggat", k.kantor.slug)
        self.kal = sla.kalender_tenant(k.kantor)
        self.zona = k.kantor.zona_waktu
        staf = per_peran(k.baris["pengguna"])
        self.berperan = {peran: [o["id"] for o in orang if o["aktif"]] for peran, orang in staf.items()}
        self.layanan = {l.id: _Layanan(l) for l in k.kantor.layanan}
        self.semua: list[_Jam] = []
        self._durasi: dict = {}

    # --- one clock --------------------------------------------------------------------------------

    def mulai(self, objek_jenis, objek_id, *, durasi: str, pada, judul, tautan, pj, induk_id, layanan_id,
              langkah_kode=None, berulang=False, sampai=None, eskalasi_pada=None) -> _Jam:
        """A new clock, as ``sla.mulai_tenggat`` starts one."""
        t = _Jam()
        t.id, t.tenant_id, t.dibuat_pada = acak.uuid_acak(self.r), self.k.kantor.id, pada
        t.objek_jenis, t.objek_id, t.judul, t.tautan = objek_jenis, str(objek_id), judul[:300], tautan
        t.penanggung_jawab_id, t.durasi, t.putaran = pj, durasi, 1
        t.induk_id, t.layanan_id, t.langkah_kode = induk_id, layanan_id, langkah_kode
        d = self._durasi.get(durasi) or self._durasi.setdefault(durasi, parse_waktu(durasi))
        sla.atur_mulai(t, self.kal, d, pada, berulang=berulang, sampai=sampai, eskalasi_pada=eskalasi_pada)
        t.kirim = []
        self.semua.append(t)
        return t

    def sapu(self, jam, sampai) -> None:
        """The sweep, run at each threshold of ``jam`` up to ``sampai`` as it passed."""
        for t in jam:
            while t.aksi_berikutnya_pada is not None and t.aksi_berikutnya_pada <= sampai:
                saat, putaran = t.aksi_berikutnya_pada, t.putaran
                sudah = {j for j, _s, _p, _d in t.kirim}
                for jenis in sla.pemberitahuan_jatuh(t, sudah, saat):
                    t.kirim.append((jenis, saat, t.penanggung_jawab_id, t.due_at))
                    sudah.add(jenis)
                sla.akhiri_sapuan(t, sudah, self.kal)
                if t.putaran != putaran:
                    t.kirim = []  # only the current round's notices are kept

    def _tercatat(self, t: _Jam):
        return lambda: {j for j, _s, _p, _d in t.kirim}

    # --- a case's timeline ------------------------------------------------------------------------

    def kasus(self, kasus: dict, langkah: dict[int, dict], peristiwa: list[dict]) -> None:
        """Replay one case's timeline as ``cases.tenggat.ikuti`` follows it."""
        layanan = self.layanan[kasus["layanan_id"]]
        kid, kal = kasus["id"], self.kal
        nama = kasus_tenggat.nama_kasus(kasus["nomor_register"], layanan.nama)
        tautan = kasus_tenggat.tautan_kasus(self.k.kantor.slug, kid)
        jam: dict[tuple[str, str], _Jam] = {}
        pj_kasus, berjalan = None, None
        umum = {"tautan": tautan, "induk_id": kid, "layanan_id": layanan.id}
        for p in peristiwa:
            w, jenis, rincian = p["waktu"], p["jenis"], p["rincian"]
            self.sapu(jam.values(), w)
            if jenis == "penerimaan":
                # ``cases.tenggat.wajib_laporan_sosial``: and the case came with the authority's letter
                if layanan.laporan_sosial and (kasus["surat_nomor"] or kasus["surat_tanggal"]):
                    jam[LAPORAN_SOSIAL, kid] = self.mulai(
                        LAPORAN_SOSIAL, kid, durasi=kasus_tenggat.WAKTU_LAPORAN_SOSIAL, pada=kasus["diterima_pada"],
                        judul=kasus_tenggat.judul_laporan_sosial(nama), pj=pj_kasus, **umum)
            elif jenis == "jam_mulai":
                jam[KASUS, kid] = self.mulai(KASUS, kid, durasi=layanan.durasi, berulang=layanan.berulang, pada=w,
                                             judul=kasus_tenggat.judul_kasus(nama, layanan.aturan), pj=pj_kasus, **umum)
            elif jenis == "berkas_lengkap":
                pass  # the live engine retitles earlier clocks with the new register number: the titles here carry it already
            elif jenis == "langkah_mulai":
                berjalan = langkah[rincian["urutan"]]
                if berjalan["waktu"]:
                    # Before the case is assigned its first step has no one; assigning gives it the step's assignee.
                    jam[LANGKAH, berjalan["id"]] = self.mulai(
                        LANGKAH, berjalan["id"], durasi=berjalan["waktu"], pada=w, langkah_kode=berjalan["kode"],
                        judul=kasus_tenggat.judul_langkah(nama, layanan.langkah.get(berjalan["kode"]) or {"kegiatan": berjalan["kode"]}),
                        pj=berjalan["penanggung_jawab_id"] if pj_kasus else None, **umum)
            elif jenis == "langkah_selesai":
                selesai = langkah[rincian["urutan"]]
                if (LANGKAH, selesai["id"]) in jam:
                    sla.atur_selesai(jam[LANGKAH, selesai["id"]], kal, w)
                if selesai["dokumen_keluaran"] == "laporan_sosial" and (LAPORAN_SOSIAL, kid) in jam:
                    sla.atur_selesai(jam[LAPORAN_SOSIAL, kid], kal, w)
                berjalan = None
            elif jenis == "dijeda":
                for (oj, _i), t in jam.items():
                    if oj != LAPORAN_SOSIAL:  # the law's deadline does not wait for the office
                        sla.atur_jeda(t, kal, w)
            elif jenis == "dilanjutkan":
                for t in jam.values():
                    sla.atur_lanjut(t, kal, w, self._tercatat(t))
            elif jenis == "ditugaskan":
                pj_kasus = uuid.UUID(rincian["ke"])
                for oj in (KASUS, LAPORAN_SOSIAL):
                    if (oj, kid) in jam:
                        jam[oj, kid].penanggung_jawab_id = pj_kasus
                if berjalan is not None and (LANGKAH, berjalan["id"]) in jam:
                    jam[LANGKAH, berjalan["id"]].penanggung_jawab_id = berjalan["penanggung_jawab_id"]
            elif jenis == "ditutup":
                for (oj, _i), t in jam.items():
                    if oj == KASUS:
                        sla.atur_selesai(t, kal, w)
                    else:
                        sla.atur_henti(t, w)
            elif jenis not in TANPA_TENGGAT:
                raise ValueError(f"peristiwa kasus '{jenis}' belum diikuti tenggat data demo")
        self.sapu(jam.values(), self.k.pada)

    # --- a complaint's steps ------------------------------------------------------------------------

    def pengaduan(self, p: dict, langkah: list[dict]) -> None:
        """Replay one complaint as ``complaints.services`` receives, works and closes it."""
        kal, pid = self.kal, p["id"]
        umum = {"tautan": tautan_pengaduan(self.k.kantor.slug, pid), "induk_id": pid, "layanan_id": p["layanan_id"], "pj": None}
        semua = self.mulai(TENGGAT_PENGADUAN, pid, durasi=p["waktu_standar"], pada=p["mulai_pada"],
                           judul=judul_tenggat_pengaduan(p["kode_lacak"]), **umum)
        jam = [semua]
        for l in langkah:
            if l["mulai_pada"] is None:
                break
            self.sapu(jam, l["mulai_pada"])
            # Without a time standard of its own a step is due, and escalates, with the complaint.
            t = self.mulai(TENGGAT_LANGKAH, l["id"], durasi=l["waktu_standar"] or p["waktu_standar"], pada=l["mulai_pada"],
                           sampai=None if l["waktu_standar"] else semua.due_at,
                           eskalasi_pada=None if l["waktu_standar"] else semua.eskalasi_at,
                           judul=judul_tenggat_langkah(l["nama"], p["kode_lacak"]), langkah_kode=l["kode"], **umum)
            jam.append(t)
            if l["selesai_pada"] is None:
                break
            self.sapu(jam, l["selesai_pada"])
            if l["status"] == "dilewati":
                sla.atur_henti(t, l["selesai_pada"])
            else:
                sla.atur_selesai(t, kal, l["selesai_pada"])
        if p["status"] == "selesai":
            self.sapu(jam, p["ditutup_pada"])
            sla.atur_selesai(semua, kal, p["ditutup_pada"])
        self.sapu(jam, self.k.pada)

    # --- rows ---------------------------------------------------------------------------------------

    def baris(self) -> dict[str, list[dict]]:
        tenggat, catatan, kotak = [], [], []
        for t in self.semua:
            kirim = t.pop("kirim")
            tenggat.append(t)
            if t.selesai_pada is not None:
                continue
            for jenis, saat, pj, due_at in kirim:
                catatan.append({"id": acak.uuid_acak(self.r), "tenant_id": t.tenant_id, "dibuat_pada": saat, "tenggat_id": t.id,
                                "jenis": jenis, "putaran": t.putaran, "dikirim_pada": saat})
                dulu = _Terkirim(t, due_at, pj)
                judul, isi = sla.pesan_pemberitahuan(dulu, jenis, self.zona)
                judul = judul_satu_baris(judul)
                dibaca = saat + DIBACA_SETELAH if saat + DIBACA_SETELAH <= self.k.pada else None
                for orang in sla.penerima_pemberitahuan(dulu, jenis, lambda peran: self.berperan.get(peran, [])):
                    kotak.append({"id": acak.uuid_acak(self.r), "tenant_id": t.tenant_id, "dibuat_pada": saat,
                                  "penerima_id": orang, "judul": judul, "isi": isi, "tautan": t.tautan,
                                  "kunci": sla.kunci_notifikasi(t, jenis, orang), "dibaca_pada": dibaca,
                                  "kelompok": None, "usang_pada": None, "usang_alasan": None})
        return {"tenggat": tenggat, "pemberitahuan_tenggat": catatan, "notifikasi": kotak}


def buat(k: Konteks) -> dict[str, list[dict]]:
    g = PembuatTenggat(k)
    langkah: dict = {}
    for l in k.baris["langkah_kasus"]:
        langkah.setdefault(l["kasus_id"], {})[l["urutan"]] = l
    peristiwa: dict = {}
    for p in k.baris["peristiwa_kasus"]:
        peristiwa.setdefault(p["kasus_id"], []).append(p)
    for c in k.baris["kasus"]:
        g.kasus(c, langkah.get(c["id"], {}), sorted(peristiwa[c["id"]], key=lambda p: p["urutan"]))
    langkah_aduan: dict = {}
    for l in k.baris["langkah_pengaduan"]:
        langkah_aduan.setdefault(l["pengaduan_id"], []).append(l)
    for p in k.baris["pengaduan"]:
        g.pengaduan(p, sorted(langkah_aduan.get(p["id"], []), key=lambda l: l["urutan"]))
    return g.baris()
