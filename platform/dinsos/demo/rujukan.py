"""Demo referrals between the generated offices: the last pass, once every office holds its cases.

A referral spans two offices, so it cannot be made in an office's own
generation (``buat.py`` runs those one per process). This pass reads the
written cases back and, for a small share of the cases that reached a SOP
step where the client is referred (its activity speaks of a *rujukan*),
writes what the live capability (``dinsos.referrals``) would hold after the
referral was created and sent at once, the delivery message ran, and the
receiving office answered (or not):

- the sender's ``rujukan`` and its history (``riwayat_rujukan``, sisi keluar),
- the receiver's ``rujukan_masuk`` snapshot and its history (sisi masuk),
- the receiver's answer-time clock (``tenggat``, objek ``rujukan_masuk``),
  replayed with the live engine's arithmetic as ``demo.tenggat`` does for
  cases, with the sweep's notices to the receiver's staff.

The target is an office among the generated ones with a service that accepts
referrals (``Layanan.menerima_rujukan``): the sender's own province first,
then a kabupaten/kota of the same province, then any other. States: waiting
for an answer (``diterima_tujuan``), the receiver asked for more
(``perlu_info``, clock paused), declined with a reason (``ditolak``), or
withdrawn by the sender (``ditarik``). Accepted referrals are not made: the
live model opens a case in the receiving office on acceptance, which the
generator does not make here. Shared files are not made either (the demo
cases hold no stored files); the snapshot names what was shared of the client.

Not reproduced: the outbox messages that carried the referral (delivered long
ago), the referral events on the sender's case timeline, the inbox notices of
arrival and of the receiver's reports, and the sweep's escalations to the
sender's province (its notices to the receiver's own staff are made).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dinsos.auth.models import Pengguna
from dinsos.cases import klien as klien_svc
from dinsos.cases.models import Kasus, LangkahKasus
from dinsos.catalogue.models import Layanan
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant, lintas_tenant
from dinsos.izin import IZIN
from dinsos.referrals.dibagikan import klien_dibagikan
from dinsos.referrals.models import PengaturanRujukan
from dinsos.referrals.penerimaan import BATAS_TANGGAPAN_BAWAAN, OBJEK_TENGGAT
from dinsos.referrals.persetujuan import CARA_PERSETUJUAN, HUBUNGAN_PERSETUJUAN
from dinsos.referrals.rujukan import nomor_tampil
from dinsos.sla import services as sla
from dinsos.tenancy.models import Tenant

from . import acak
from .konteks import JamKantor, KantorDemo, Konteks
from .tenggat import PembuatTenggat

# Share of an office's cases referred, among those that reached a referring step.
BAGIAN = 0.025
# The outbox delivers within moments of the commit.
JEDA_KIRIM = timedelta(seconds=20)
# Client data shared: the form's usual choice, family only for a child.
BIDANG = ["alamat", "deskripsi", "jenis_kelamin", "kategori_ppks", "nama", "nik", "tanggal_lahir"]
ALASAN = (
    "Klien membutuhkan pengasuhan dan rehabilitasi sosial lanjutan dalam panti yang tidak tersedia di daerah kami.",
    "Hasil asesmen merekomendasikan layanan rehabilitasi sosial lanjutan; kapasitas kami tidak mencukupi.",
    "Keluarga tidak dapat mengasuh; klien perlu layanan residensial sesuai rekomendasi pekerja sosial.",
)
ALASAN_TOLAK = (
    "Kapasitas panti penuh sampai akhir bulan; mohon dirujuk kembali atau ke panti lain.",
    "Klien tidak memenuhi kriteria layanan (usia di luar sasaran panti).",
    "Dokumen identitas dan laporan sosial belum lengkap; ajukan kembali setelah lengkap.",
)
PERMINTAAN_INFO = (
    "Mohon kirimkan laporan sosial terbaru dan surat keterangan sehat klien.",
    "Mohon lengkapi Kartu Keluarga atau keterangan asal-usul klien dari kelurahan.",
)
ALASAN_TARIK = (
    "Keluarga klien ditemukan dan bersedia mengasuh; rujukan tidak diperlukan lagi.",
    "Klien dirujuk ke panti milik mitra yang lebih dekat dengan keluarga.",
)
# The states made, and their weights, by the referral's age: a recent one mostly waits, one some weeks old may
# still wait (overdue) or wait on the sender, an old one was answered or withdrawn long ago.
STATUS_MENURUT_UMUR = (
    (timedelta(days=3), (("diterima_tujuan", 70), ("perlu_info", 15), ("ditarik", 15))),
    (timedelta(days=21), (("ditolak", 35), ("perlu_info", 25), ("diterima_tujuan", 25), ("ditarik", 15))),
    (None, (("ditolak", 70), ("ditarik", 30))),
)
# A third of an office's referrals are of cases that reached the referring step in these last weeks, so the
# waiting states show even where most cases are years old.
BARU = timedelta(days=21)


@dataclass(frozen=True)
class _Tujuan:
    kantor: KantorDemo
    layanan_id: object
    kode: str
    nama: str
    alamat: str | None
    durasi: str


def _pilih(r, bobot):
    return r.choices([s for s, _b in bobot], [b for _s, b in bobot])[0]


def _staf(izin: str) -> list:
    """Active staff of the bound office holding ``izin``, in a stable order."""
    orang = db.session.scalars(select(Pengguna).where(Pengguna.aktif.is_(True)).order_by(Pengguna.email)).all()
    return [p.id for p in orang if set(p.peran or ()) & IZIN[izin]]


def _tujuan(semua: tuple[KantorDemo, ...]) -> dict[int, list[_Tujuan]]:
    """Each generated office's services that accept referrals, with the office's answer time for them."""
    hasil = {}
    for k in semua:
        with dalam_tenant(k.id):
            tenant = db.session.get(Tenant, k.id)
            atur = db.session.scalar(select(PengaturanRujukan))
            for l in db.session.scalars(select(Layanan).where(Layanan.menerima_rujukan.is_(True), Layanan.aktif.is_(True))
                                        .order_by(Layanan.kode)):
                # ``penerimaan.batas_tanggapan``: per-service setting, office setting, platform default
                durasi = ((atur.batas_per_layanan or {}).get(l.kode) or atur.batas_tanggapan) if atur else None
                hasil.setdefault(k.id, []).append(_Tujuan(k, l.id, l.kode, l.nama, tenant.alamat, durasi or BATAS_TANGGAPAN_BAWAAN))
    return hasil


def _urutan_tujuan(asal: KantorDemo, tujuan: dict[int, list[_Tujuan]]) -> list[_Tujuan]:
    """Targets in order of preference: own province, a kabupaten/kota of the same province, any other."""
    provinsi = asal.kode_wilayah.split(".")[0]

    def kunci(t: _Tujuan):
        sama = t.kantor.kode_wilayah.split(".")[0] == provinsi
        return (0 if sama and t.kantor.tingkat == "provinsi" else 1 if sama else 2)

    calon = [t for kid, daftar in tujuan.items() if kid != asal.id for t in daftar]
    if not calon:
        return []
    terbaik = min(kunci(t) for t in calon)
    return [t for t in calon if kunci(t) == terbaik]


def _langkah_rujuk(k: KantorDemo) -> dict:
    """Per service id, the codes of SOP steps where the client is referred."""
    return {l.id: {d["kode"] for d in l.isi["sop"]["langkah"] if "rujuk" in (d.get("kegiatan") or "").lower()}
            for l in k.layanan}


class _Pembuat:
    def __init__(self, benih: int, pada: datetime, semua: tuple[KantorDemo, ...]):
        self.benih, self.pada, self.semua = benih, pada, semua
        self.baris: dict[str, list[dict]] = {"rujukan": [], "rujukan_masuk": [], "riwayat_rujukan": []}
        self.jam: dict[int, list[tuple]] = {}  # receiver id -> [(masuk row, tujuan, events)]

    def _riwayat(self, r, tenant_id, sisi, objek_id, jenis, status, waktu, aktor=None, catatan=None, **rincian):
        self.baris["riwayat_rujukan"].append({
            "id": acak.uuid_acak(r), "tenant_id": tenant_id, "dibuat_pada": waktu, "sisi": sisi, "objek_id": objek_id,
            "jenis": jenis, "status": status, "waktu": waktu, "aktor_id": aktor, "catatan": catatan,
            "rincian": {k: v for k, v in rincian.items() if v is not None}})

    def kantor(self, asal: KantorDemo, tujuan: dict[int, list[_Tujuan]], staf_tujuan: dict[int, list]) -> None:
        r = acak.rng(self.benih, "rujukan", asal.slug)
        pilihan = _urutan_tujuan(asal, tujuan)
        langkah_rujuk = _langkah_rujuk(asal)
        if not pilihan or not any(langkah_rujuk.values()):
            return
        jam_kantor = JamKantor(asal.jam_kerja, ZoneInfo(asal.zona_waktu))
        with dalam_tenant(asal.id):
            jumlah = db.session.query(Kasus.id).count()
            calon = []
            for lid, kode in langkah_rujuk.items():
                if kode:
                    calon += db.session.execute(
                        select(LangkahKasus.kasus_id, LangkahKasus.mulai_pada).join(Kasus, Kasus.id == LangkahKasus.kasus_id)
                        .where(Kasus.layanan_id == lid, LangkahKasus.kode.in_(sorted(kode)))
                        .order_by(LangkahKasus.mulai_pada, LangkahKasus.kasus_id)).all()
            sudah = set()
            calon = [c for c in calon if not (c[0] in sudah or sudah.add(c[0]))]  # a case is referred once
            n = min(len(calon), max(1, round(jumlah * BAGIAN)))
            baru = [c for c in calon if c[1] > self.pada - BARU]
            lama = [c for c in calon if c[1] <= self.pada - BARU]
            n_baru = min(len(baru), max(1, n // 3))
            dipilih = r.sample(baru, n_baru) + r.sample(lama, min(len(lama), n - n_baru))
            pengirim = _staf("rujukan.kirim")
            for kasus_id, mulai in sorted(dipilih, key=lambda c: (c[1], c[0])):
                kasus = db.session.scalar(select(Kasus).where(Kasus.id == kasus_id))
                kirim = jam_kantor.geser(mulai + timedelta(hours=r.randint(1, 30)))
                if kirim + JEDA_KIRIM >= self.pada or (kasus.ditutup_pada is not None and kirim >= kasus.ditutup_pada):
                    continue
                t = r.choice(pilihan)
                pj = kasus.penanggung_jawab_id if kasus.penanggung_jawab_id in pengirim else (r.choice(pengirim) if pengirim else None)
                self._satu(r, jam_kantor, asal, kasus, kirim, t, pj, staf_tujuan.get(t.kantor.id) or [None])

    def _satu(self, r, jam_kantor, asal: KantorDemo, kasus: Kasus, kirim: datetime, t: _Tujuan, pj, penanggap: list) -> None:
        rid, mid = acak.uuid_acak(r), acak.uuid_acak(r)
        nomor, sampai = nomor_tampil(rid), kirim + JEDA_KIRIM
        hari_ini = kirim.astimezone(ZoneInfo(asal.zona_waktu)).date()
        anak = klien_svc.adalah_anak(kasus.klien, hari_ini)
        bidang = sorted(BIDANG + (["keluarga"] if anak and kasus.klien.keluarga else []))
        klien = klien_dibagikan(kasus, bidang, kirim)
        wali = next((a for a in kasus.klien.keluarga if a.wali), None)
        if anak or not kasus.klien.nama:
            setuju = (wali.nama if wali else acak.nama_orang(r, r.choice("LP")), "wali" if wali else "aparat_desa")
        else:
            setuju = (kasus.klien.nama, "klien")
        cara = r.choice(sorted(CARA_PERSETUJUAN))
        alasan = r.choice(ALASAN)

        # What the receiver did, and when (office hours after arrival, before the reference time).
        status = _pilih(r, next(b for umur, b in STATUS_MENURUT_UMUR if umur is None or sampai > self.pada - umur))
        tanggap = jam_kantor.geser(sampai + timedelta(hours=r.randint(2, 40)))
        if status != "diterima_tujuan" and tanggap >= self.pada:
            status = "diterima_tujuan"
        oleh = r.choice(penanggap)

        rujukan = {
            "id": rid, "tenant_id": asal.id, "dibuat_pada": kirim, "kasus_id": kasus.id, "status": status,
            "jenis_tujuan": "layanan", "tujuan_tenant_id": t.kantor.id, "tujuan_layanan_kode": t.kode,
            "tujuan_layanan_nama": t.nama, "mitra_id": None, "pemulangan": False, "alasan": alasan,
            "dibagikan": {"klien": klien, "bidang_klien": bidang, "langkah": [], "berkas": [], "rahasia": kasus.rahasia,
                          "tujuan_nama": f"{t.nama} — {t.kantor.nama}", "tujuan_alamat": t.alamat, "tambahan": []},
            "berkas_terkirim": [], "putaran": 1, "persetujuan_nama": setuju[0], "persetujuan_hubungan": setuju[1],
            "persetujuan_cara": cara, "persetujuan_pada": kirim - timedelta(minutes=r.randint(10, 90)),
            "override_oleh_id": None, "override_alasan": None, "override_pada": None, "dibuat_oleh_id": pj,
            "dikirim_pada": kirim, "sampai_pada": sampai, "ditanggapi_pada": None, "selesai_pada": None,
            "diperbarui_pada": sampai, "urutan_laporan": 1, "laporan": {}, "surat_id": None,
        }
        ringkas = {"jenis": "persetujuan", "nama": setuju[0], "hubungan": HUBUNGAN_PERSETUJUAN[setuju[1]],
                   "cara": CARA_PERSETUJUAN[cara], "tanggal": rujukan["persetujuan_pada"].date().isoformat()}
        masuk = {
            "id": mid, "tenant_id": t.kantor.id, "dibuat_pada": sampai, "kunci_kirim": f"{asal.id}:{rid}",
            "asal_tenant_id": asal.id, "asal_rujukan_id": rid, "layanan_id": t.layanan_id, "status": "diterima_tujuan",
            "pemulangan": False, "rahasia": kasus.rahasia,
            "isi": {"klien": klien, "langkah": [], "alasan": alasan, "persetujuan": ringkas, "nomor_rujukan": nomor,
                    "tambahan": [], "nomor_register_asal": kasus.nomor_register, "berkas": []},
            "putaran": 1, "urutan_status": 1, "sampai_pada": sampai, "ditanggapi_pada": None, "ditanggapi_oleh_id": None,
            "diperbarui_pada": sampai, "tanggapan": None, "kasus_id": None, "akses_berakhir_pada": None,
        }
        # perujukan.buat_rujukan + kirim_rujukan, then the delivery (penerimaan._buat_masuk) and its report back
        self._riwayat(r, asal.id, "keluar", rid, "dibuat", "draf", kirim, pj, tujuan=rujukan["dibagikan"]["tujuan_nama"])
        self._riwayat(r, asal.id, "keluar", rid, "dikirim", "dikirim", kirim, pj, tujuan=rujukan["dibagikan"]["tujuan_nama"])
        self._riwayat(r, t.kantor.id, "masuk", mid, "sampai", "diterima_tujuan", sampai, asal=asal.nama, batas=t.durasi)
        self._riwayat(r, asal.id, "keluar", rid, "laporan_diterima_tujuan", "diterima_tujuan", sampai)
        peristiwa = []
        akses_berakhir = {"nomor_rujukan": nomor, "akses_berakhir": True, "jumlah_berkas": 0}
        if status in ("perlu_info", "ditolak"):
            kabar = tanggap + JEDA_KIRIM  # the report back, through the receiver's outbox
            masuk.update(status=status, urutan_status=2, ditanggapi_oleh_id=oleh, diperbarui_pada=tanggap)
            rujukan.update(status=status, ditanggapi_pada=kabar, diperbarui_pada=kabar, urutan_laporan=2)
            if status == "perlu_info":  # penerimaan.minta_info
                teks = r.choice(PERMINTAAN_INFO)
                masuk["tanggapan"] = {"permintaan_info": teks}
                rujukan["laporan"] = {"permintaan_info": teks}
                peristiwa.append(("jeda", tanggap))
                self._riwayat(r, t.kantor.id, "masuk", mid, "minta_info", status, tanggap, oleh, teks)
            else:  # penerimaan.tolak
                teks = r.choice(ALASAN_TOLAK)
                masuk.update(tanggapan={"alasan_tolak": teks}, ditanggapi_pada=tanggap, isi=akses_berakhir,
                             akses_berakhir_pada=tanggap)
                rujukan["laporan"] = {"alasan_tolak": teks}
                peristiwa.append(("selesai", tanggap))
                self._riwayat(r, t.kantor.id, "masuk", mid, "ditolak", status, tanggap, oleh, teks)
            self._riwayat(r, asal.id, "keluar", rid, f"laporan_{status}", status, kabar, catatan=teks)
        elif status == "ditarik":  # perujukan.tarik_rujukan, then the delivery withdraws the receiver's copy
            teks = r.choice(ALASAN_TARIK)
            sampai_tarik = tanggap + JEDA_KIRIM
            rujukan.update(status="ditarik", diperbarui_pada=tanggap, urutan_laporan=2, laporan={"alasan_tarik": teks})
            masuk.update(status="ditarik", urutan_status=2, diperbarui_pada=sampai_tarik, isi=akses_berakhir,
                         akses_berakhir_pada=sampai_tarik)
            peristiwa.append(("selesai", sampai_tarik))
            self._riwayat(r, asal.id, "keluar", rid, "ditarik", "ditarik", tanggap, pj, teks)
            self._riwayat(r, t.kantor.id, "masuk", mid, "ditarik", "ditarik", sampai_tarik, catatan=teks)
        self.baris["rujukan"].append(rujukan)
        self.baris["rujukan_masuk"].append(masuk)
        self.jam.setdefault(t.kantor.id, []).append((masuk, t, asal, peristiwa))

    def tenggat(self, kantor: KantorDemo, pengguna: list[dict]) -> dict[str, list[dict]]:
        """The receiver's answer clocks, as ``penerimaan`` starts, pauses and ends them, with the sweep's notices."""
        g = PembuatTenggat(Konteks(benih=self.benih, pada=self.pada, kantor=kantor, jumlah_kasus=0, semua_kantor=self.semua,
                               hash_kata_sandi="", baris={"pengguna": pengguna}))
        g.r = acak.rng(self.benih, "rujukan-tenggat", kantor.slug)  # not the office's own clocks' id stream
        for masuk, t, asal, peristiwa in self.jam.get(kantor.id, []):
            nomor = masuk["isi"]["nomor_rujukan"]
            jam = g.mulai(OBJEK_TENGGAT, masuk["id"], durasi=t.durasi, pada=masuk["sampai_pada"],
                          judul=f"Tanggapi rujukan {nomor} dari {asal.nama} ({t.nama})",
                          tautan=f"/t/{kantor.slug}/rujukan/masuk/{masuk['id']}", pj=None, induk_id=masuk["id"], layanan_id=None)
            for jenis, waktu in peristiwa:
                g.sapu([jam], waktu)
                if jenis == "jeda":
                    sla.atur_jeda(jam, g.kal, waktu)
                else:
                    sla.atur_selesai(jam, g.kal, waktu)
            g.sapu([jam], self.pada)
        return g.baris()


def buat(semua: tuple[KantorDemo, ...], benih: int, pada: datetime) -> dict[str, list[dict]]:
    """The referrals' rows of every office, read from the written cases (crossing offices, declared and audited)."""
    p = _Pembuat(benih, pada, semua)
    with lintas_tenant("demo: membuat rujukan antarkantor", jumlah_kantor=len(semua)):
        tujuan = _tujuan(semua)
        staf_tujuan, pengguna = {}, {}
        for k in semua:
            with dalam_tenant(k.id):
                staf_tujuan[k.id] = _staf("rujukan.tanggapi")
                pengguna[k.id] = [{"id": o.id, "aktif": o.aktif, "peran": list(o.peran or [])} for o in
                                  db.session.scalars(select(Pengguna).order_by(Pengguna.email))]
        for k in semua:
            p.kantor(k, tujuan, staf_tujuan)
        hasil = dict(p.baris)
        for k in semua:
            if k.id in p.jam:
                for nama, baris in p.tenggat(k, pengguna[k.id]).items():
                    hasil.setdefault(nama, []).extend(baris)
        db.session.rollback()  # only read: the rows are written by the caller, in bulk
    return hasil
