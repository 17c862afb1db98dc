"""Demo cases: clients, requirement checklists, SOP step runs, pauses and the timeline, as the platform writes them.

Each case is simulated forward from its intake through its service's SOP
(following a branch where the SOP has one) on the office's opening hours,
with step durations around the SOP's time standards (under a tenth of the
steps run late; a service whose step standards add up to more than its own
time limit is worked faster, except in its slow cases). Its intake time is
chosen so that, at the reference time, it is in the state it was drawn for:
still waiting for documents, at a given step (running or paused), or closed
with one of the SOP's outcomes. An open case's current step began so that
it is a drawn fraction into its time standard, measured on the working
calendar as the deadline engine measures it: most within it, some past the
warn point, some overdue (``SAAT_LANGKAH``). The first
cases of each service cover every state and step, so even a small run shows
them all; the rest follow a plausible mix. Register numbers are issued in
the order files became complete, per office and local year, like
``documents.penomoran``, and the office's counter is set to match.
"""
import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dinsos.cases.akses import peran_untuk_langkah
from dinsos.cases.konstanta import KATEGORI_ABH, MULAI_BAWAAN, PENANGGUNG_JAWAB, UMUR_DEWASA
from dinsos.cases.nik import PROVINSI as KODE_PROVINSI
from dinsos.core.kripto import brankas
from dinsos.documents.penomoran import FORMAT_BAWAAN, ROMAWI, format_nomor
from dinsos.sla.kalender import DurasiTidakValid, parse_waktu
from dinsos.sla.services import kalender_tenant

from . import acak
from .konteks import JamKantor, Konteks, LayananDemo
from .nama import (
    ALASAN_JEDA, CATATAN_LANGKAH, CATATAN_PERKEMBANGAN, DESA, JALAN, NOMOR_SURAT_POLISI,
)
from .staf import per_peran

RENTANG_HARI = 3 * 365  # closed cases spread over the three years before the reference time
CAMPURAN_STATUS = (("ditutup", 0.58), ("berjalan", 0.25), ("dijeda", 0.05), ("berkas_belum_lengkap", 0.12))
MENIT_SATUAN = {"menit": 1, "jam": 60, "hari_kerja": 1440, "jam_kalender": 60, "hari": 1440, "minggu": 10080,
                "bulan": 43200, "tahun": 525600}
# Ages of clients by PPKS category (years, inclusive); other categories are adults.
UMUR_KATEGORI = {1: (0, 4), 2: (5, 17), 3: (12, 17), 4: (6, 17), 5: (4, 17), 6: (3, 17), 7: (5, 17), 8: (60, 85)}
PANGKAT_POLISI = ("Bripka", "Brigpol", "Aipda", "Aiptu", "Ipda")
# Open cases: how far into its time standard the current step is (fraction of it, weight). Most are within
# their time, some past the warn point (0.75, ``SLA_WARN_FRACTION``), some overdue: the stuck ones stay open.
SAAT_LANGKAH = (((0.05, 0.75), 0.74), ((0.75, 1.0), 0.13), ((1.0, 2.0), 0.13))
# A service whose step standards add up to more than its own time limit is worked faster than the steps'
# standards (Magetan: four "1 hari" steps in a 2-working-day service): the usual case takes this fraction of
# the limit; a slow case (KASUS_LAMBAT of them) runs at the steps' own standards and misses it.
PORSI_BATAS = 0.3
KASUS_LAMBAT = 0.12
ALASAN_TUTUP_AWAL = (
    "Klien meninggalkan tempat penampungan sebelum layanan selesai.",
    "Keluarga menjemput klien dan menolak layanan lanjutan.",
    "Klien dirujuk ke layanan kesehatan jiwa oleh puskesmas.",
)


def _menit_nominal(definisi: dict, aturan: dict, terakhir: bool) -> float:
    """A step's time standard in minutes; a step without one takes days, the open-ended last step months."""
    waktu = definisi.get("waktu")
    if waktu:
        try:
            d = parse_waktu(waktu)
            return d.jumlah * MENIT_SATUAN[d.satuan]
        except DurasiTidakValid:
            pass
    panjang = any(i["jenis"] == "teks_panjang" for i in definisi.get("isian") or [])
    if terakhir and panjang:
        if aturan.get("jenis") == "kalender":
            return 0.8 * aturan["jumlah"] * MENIT_SATUAN.get(aturan["satuan"], 1440)
        return 60 * 1440
    return 2 * 1440


class _Profil:
    """What the simulation needs of one service version, computed once."""

    def __init__(self, layanan: LayananDemo):
        isi = layanan.isi
        self.layanan = layanan
        self.langkah = {l["kode"]: l for l in isi["sop"]["langkah"]}
        self.pertama = isi["sop"]["langkah"][0]["kode"]
        aturan = isi["penyampaian_pelayanan"]["jangka_waktu"]["aturan"]
        self.mulai_jam = aturan.get("mulai", MULAI_BAWAAN)
        self.nominal = {k: _menit_nominal(d, aturan, d.get("berikutnya") is None and not d.get("cabang"))
                        for k, d in self.langkah.items()}
        self.peran = {k: peran_untuk_langkah(d) for k, d in self.langkah.items()}
        self.tempo = self._tempo(aturan)
        self.dokumen = isi["penyampaian_pelayanan"]["persyaratan"]["dokumen"]
        self.hasil = isi["sop"]["hasil_akhir"]
        self.kategori = list(isi.get("kategori_ppks") or []) or [24]
        self.abh = KATEGORI_ABH in self.kategori
        kode = list(self.langkah)
        self.target = ([("berkas_belum_lengkap", None)] + [("berjalan", k) for k in kode]
                       + [("dijeda", k) for k in kode] + [("ditutup", h["kode"]) for h in self.hasil])

    def _tempo(self, aturan: dict) -> float:
        """How much faster than their standards the steps of a usual case run (1: at their standards)."""
        if aturan.get("jenis") != "hari_kerja":
            return 1.0
        total, kode, dilihat = 0.0, self.pertama, set()
        while kode and kode not in dilihat:  # the main path: each step's ``berikutnya``
            dilihat.add(kode)
            total += self.nominal[kode]
            kode = self.langkah[kode].get("berikutnya")
        return min(1.0, PORSI_BATAS * aturan["maksimal"] * MENIT_SATUAN["hari_kerja"] / total)

    def hasil_untuk(self, jalur: list) -> str:
        """The outcome a path ends in: the outcome whose name shares most words with the last step's activity."""
        if len(self.hasil) == 1:
            return self.hasil[0]["kode"]
        kata = set(self.langkah[jalur[-1][0]]["kegiatan"].lower().split())
        return max(self.hasil, key=lambda h: len(kata & set(h["nama"].lower().split())))["kode"]


def _dari_campuran(u: float, campuran) -> float:
    """A value of a mixture of uniform ranges ``((low, high), weight)`` from one uniform draw ``u`` in [0, 1)."""
    for (bawah, atas), bobot in campuran:
        if u < bobot:
            return bawah + (atas - bawah) * u / bobot
        u -= bobot
    (bawah, atas), _bobot = campuran[-1]
    return atas


def _jalur(r, p: _Profil) -> list[tuple[str, str | None]]:
    """A walk through the SOP: [(step code, branch taken from it or None)]. A branch back is taken rarely, once."""
    jalur, ulang, kode = [], set(), p.pertama
    while kode:
        d = p.langkah[kode]
        lanjut = d.get("berikutnya")
        cabang = [c["ke"] for c in d.get("cabang") or []]
        sudah = {k for k, _c in jalur} | {kode}
        balik = [c for c in cabang if c in sudah and c not in ulang]
        if balik and r.random() < 0.08:
            ulang.add(balik[0])
            jalur.append((kode, balik[0]))
            kode = balik[0]
            continue
        maju = ([lanjut] if lanjut else []) + [c for c in cabang if c not in sudah]
        tujuan = r.choice(maju) if maju else None
        jalur.append((kode, tujuan if tujuan and tujuan != lanjut else None))
        kode = tujuan
    return jalur


def _sasaran(r, p: _Profil, urut: int):
    """The state a case is drawn for: (status, step or outcome code)."""
    if urut < len(p.target):
        return p.target[urut]
    x, batas = r.random(), 0.0
    for status, bobot in CAMPURAN_STATUS:
        batas += bobot
        if x < batas:
            return status, None
    return "ditutup", None


class _Kasus:
    """One simulated case: its rows, and where its register number goes once numbers are issued."""

    __slots__ = ("klien", "keluarga", "kasus", "persyaratan", "langkah", "jeda", "peristiwa", "rincian_lengkap")


def buat(k: Konteks) -> dict[str, list[dict]]:
    r = acak.rng(k.benih, "kasus", k.kantor.slug)
    g = _Generator(k, r)
    kasus = [g.kasus(i) for i in range(k.jumlah_kasus)]
    tahun_terakhir = g.beri_nomor(kasus)
    hasil: dict[str, list[dict]] = {t: [] for t in ("klien", "anggota_keluarga", "kasus", "persyaratan_kasus",
                                                     "langkah_kasus", "jeda_kasus", "peristiwa_kasus", "urutan_nomor")}
    for c in kasus:
        hasil["klien"].append(c.klien)
        hasil["anggota_keluarga"] += c.keluarga
        hasil["kasus"].append(c.kasus)
        hasil["persyaratan_kasus"] += c.persyaratan
        hasil["langkah_kasus"] += c.langkah
        hasil["jeda_kasus"] += c.jeda
        hasil["peristiwa_kasus"] += c.peristiwa
    for tahun, terakhir in sorted(tahun_terakhir.items()):
        hasil["urutan_nomor"].append({"id": acak.uuid_acak(r), "tenant_id": k.kantor.id, "dibuat_pada": k.pada,
                                      "jenis": "register", "tahun": tahun, "terakhir": terakhir})
    return hasil


class _Generator:
    def __init__(self, k: Konteks, r):
        self.k, self.r = k, r
        self.tid = k.kantor.id
        self.zona = ZoneInfo(k.kantor.zona_waktu)
        self.jam = JamKantor(k.kantor.jam_kerja, self.zona)
        self.profil = [_Profil(l) for l in k.kantor.layanan]
        self.urut_layanan = [0] * len(self.profil)
        staf = per_peran(k.baris["pengguna"])
        self.petugas = staf["petugas_pelayanan"]
        self.kabid = staf["kepala_bidang"]
        self.penangan = staf["pekerja_sosial"] + staf["fungsional_peksos"]
        self.staf = staf
        self.tempat = k.kantor.nama.removeprefix("Dinas Sosial ").split(" ", 1)[-1]
        self.alamat = [f"{r.choice(JALAN)} No. {r.randint(1, 150)}, RT {r.randint(1, 12):03d}/RW {r.randint(1, 8):03d}, "
                       f"{r.choice(DESA)}" for _ in range(400)]
        self.wilayah = k.kantor.kode_wilayah if "." in k.kantor.kode_wilayah else f"{k.kantor.kode_wilayah}.{r.randint(1, 4):02d}"
        self.pengirim = [o.nama for o in k.semua_kantor
                         if o.tingkat != "provinsi" and o.kode_wilayah.startswith(k.kantor.kode_wilayah + ".")] or [
            f"Dinas Sosial Kabupaten {self.tempat}"]
        self.sidik = brankas().sidik
        self.kal = kalender_tenant(k.kantor)
        self._menit_standar: dict = {}

    # --- one case -----------------------------------------------------------------------

    def kasus(self, i: int) -> _Kasus:
        r, k = self.r, self.k
        j = i % len(self.profil)
        p = self.profil[j]
        status, sasaran = _sasaran(r, p, self.urut_layanan[j])
        self.urut_layanan[j] += 1
        c = _Kasus()
        c.keluarga, c.persyaratan, c.langkah, c.jeda, c.peristiwa = [], [], [], [], []
        c.rincian_lengkap = None
        kid, klien_id = acak.uuid_acak(r), acak.uuid_acak(r)

        # the path and the step the case is at
        if status == "berkas_belum_lengkap":
            jalur, posisi = [], 0
        else:
            for _ in range(30):
                jalur = _jalur(r, p)
                kode = [a for a, _b in jalur]
                if status == "ditutup" and (sasaran is None or p.hasil_untuk(jalur) == sasaran):
                    break
                if status != "ditutup" and (sasaran is None or sasaran in kode):
                    break
            if status == "ditutup":
                posisi = len(jalur)
            else:
                posisi = kode.index(sasaran) if sasaran in kode else r.randrange(len(jalur))
        tutup_awal = status == "ditutup" and r.random() < 0.03
        if tutup_awal:
            posisi = r.randrange(len(jalur))
            jalur = jalur[:posisi + 1]
        # Drawn from the case's own source, so the office's stream (who takes it in, what it is) stays as it was.
        tempo = 1.0 if acak.rng(self.k.benih, "tempo-kasus", str(kid)).random() < KASUS_LAMBAT else p.tempo
        durasi = [p.nominal[a] * tempo * math.exp(r.gauss(-0.45, 0.6)) for a, _b in jalur]
        jeda_langkah = {n: (r.random(), r.uniform(1, 10) * 1440) for n in range(len(jalur)) if r.random() < 0.05}
        telat_berkas = r.uniform(30, 7 * 1440) if status != "berkas_belum_lengkap" and r.random() < 0.15 else None
        # the head of division assigns the case while its first step runs
        penugasan = r.uniform(0.1, 0.8) if r.random() < 0.9 else None
        pj = r.choice(self.penangan) if penugasan is not None else None
        kabid = r.choice(self.kabid)
        petugas = r.choice(self.petugas)
        pecahan = _dari_campuran(r.random(), SAAT_LANGKAH)
        pecahan_jeda = r.uniform(0.1, 0.9)
        klien = self._klien(p, klien_id)
        c.keluarga = self._keluarga(klien)
        pelapor = self._pelapor(p)
        kurang = self._kurang(p) if status == "berkas_belum_lengkap" or telat_berkas else set()
        # optional documents (a copy of an ID card "if any") are often simply not there
        kurang |= {d["kode"] for d in p.dokumen if not d.get("wajib") and r.random() < 0.5}
        sela = r.uniform(0, RENTANG_HARI * 1440)
        jenis_kini = r.choice(sorted(ALASAN_JEDA)) if status == "dijeda" else None
        jenis_jeda = {n: r.choice(sorted(ALASAN_JEDA)) for n in jeda_langkah}
        jeda_kini = (jenis_kini, r.choice(ALASAN_JEDA[jenis_kini])) if jenis_kini else None
        alasan_jeda = {n: (jn, r.choice(ALASAN_JEDA[jn])) for n, jn in jenis_jeda.items()}
        catatan = {n: r.choice(CATATAN_LANGKAH) for n in range(len(jalur)) if r.random() < 0.3}
        isian = [self._isian(p.langkah[a], pelapor) for a, _b in jalur]
        hasil_akhir = (r.choice(p.hasil)["kode"] if tutup_awal else p.hasil_untuk(jalur)) if status == "ditutup" else None
        alasan_tutup = r.choice(ALASAN_TUTUP_AWAL) if tutup_awal else None
        pelaku = [self._pelaku(p.peran[a], pj) for a, _b in jalur]

        # how long the case has run by the reference time, then its intake time
        awal_kini = None
        if status == "berkas_belum_lengkap":
            lama = r.uniform(60, 45 * 1440)
        else:
            lama = (telat_berkas or 0) + sum(durasi[:posisi]) + sum(d for n, (_f, d) in jeda_langkah.items() if n < posisi)
            awal_kini = None if status == "ditutup" else self._awal_kini(p, jalur[posisi][0], pecahan)
            if status == "ditutup":
                lama += sela
            elif awal_kini is not None:
                lama += (k.pada - awal_kini).total_seconds() / 60
            else:
                lama += pecahan * p.nominal[jalur[posisi][0]]
        mulai = k.pada - timedelta(minutes=lama)
        for n in range(60):
            rencana = self._simulasi(
                p, c, kid, klien_id, status, jalur, posisi, durasi, jeda_langkah, alasan_jeda, telat_berkas, penugasan, pj,
                kabid, petugas, kurang, pelapor, isian, catatan, pelaku, hasil_akhir, alasan_tutup, tutup_awal, jeda_kini,
                pecahan_jeda, mulai, awal_kini,
            )
            if awal_kini is not None and n < 5 and c.langkah[-1]["mulai_pada"] > awal_kini:
                # Office hours pushed the steps before it: its current step began later than meant; start earlier.
                mulai -= c.langkah[-1]["mulai_pada"] - awal_kini + timedelta(minutes=15)
            elif rencana > k.pada:
                mulai -= rencana - k.pada + timedelta(days=1)
            else:
                break
        else:
            raise RuntimeError(f"kasus demo {kid} tidak dapat ditempatkan sebelum waktu acuan")
        tanggal = mulai.astimezone(self.zona).date()
        anak = klien["_umur"] < UMUR_DEWASA
        del klien["_umur"]
        klien["dibuat_pada"] = c.kasus["diterima_pada"]
        for a in c.keluarga:
            a["dibuat_pada"] = klien["dibuat_pada"]
        c.klien = klien
        c.kasus["rahasia"] = anak or klien["kategori_ppks"] == KATEGORI_ABH or p.abh
        if pelapor["surat_nomor"]:
            c.kasus["surat_tanggal"] = tanggal - timedelta(days=r.randint(0, 3))
        c.kasus["surat_nomor"] = pelapor["surat_nomor"] and pelapor["surat_nomor"].format(
            n=r.randint(10, 999), romawi=ROMAWI[tanggal.month], yyyy=tanggal.year)
        return c

    def _simulasi(self, p, c, kid, klien_id, status, jalur, posisi, durasi, jeda_langkah, alasan_jeda, telat_berkas,
                  penugasan, pj, kabid, petugas, kurang, pelapor, isian, catatan, pelaku, hasil_akhir, alasan_tutup,
                  tutup_awal, jeda_kini, pecahan_jeda, mulai, awal_kini) -> datetime:
        """Lay the case out in time from intake ``mulai``; returns the instant that must not pass the reference time.

        An open case's step before the current one runs on to ``awal_kini`` when it would end sooner, so the
        current step begins when it was meant to.
        """
        geser, tid = self.jam.geser, self.tid
        r_id = acak.rng(self.k.benih, "id-kasus", str(kid))  # ids stable across the retries of this case
        ev = []  # (time, order within the same time, kind, actor, details, note)
        t0 = geser(mulai)
        status_awal = {d["kode"]: "belum" if d["kode"] in kurang else "dilihat" for d in p.dokumen}
        ev.append((t0, 0, "penerimaan", petugas["id"], {"layanan": p.layanan.kode, "versi": p.layanan.versi,
                                                        "pelapor": pelapor["jenis"], "persyaratan": dict(status_awal)}, None))
        jam_mulai = None
        if p.mulai_jam == "penerimaan":
            jam_mulai = t0
            ev.append((t0, 1, "jam_mulai", None, {"aturan": "penerimaan"}, None))
        kasus = {
            "id": kid, "tenant_id": tid, "dibuat_pada": t0, "layanan_id": p.layanan.id, "versi_layanan_id": p.layanan.versi_id,
            "klien_id": klien_id, "status": status, "langkah_kode": p.pertama, "nomor_register": None, "nomor_register_urut": None,
            "rahasia": False, "pelapor_jenis": pelapor["jenis"], "pelapor_nama": pelapor["nama"],
            "pelapor_instansi": pelapor["instansi"], "pelapor_kontak": pelapor["kontak"], "surat_nomor": None,
            "surat_tanggal": None, "dibuat_oleh_id": petugas["id"], "penanggung_jawab_id": None, "diterima_pada": t0,
            "berkas_lengkap_pada": None, "jam_mulai_pada": jam_mulai, "hasil_akhir": None, "ditutup_pada": None,
            "diperbarui_pada": t0, "versi": 1,
        }
        status_kini = dict(status_awal)
        ubah_syarat = {}
        batas = t0
        c.langkah, c.jeda = [], []
        if status != "berkas_belum_lengkap":
            tc = geser(t0 + timedelta(minutes=telat_berkas)) if telat_berkas else t0
            if telat_berkas:
                kurang = {kode for kode in kurang if any(d["kode"] == kode and d.get("wajib") for d in p.dokumen)}
                for kode in sorted(kurang):
                    status_kini[kode] = "dilihat"
                ubah_syarat = {kode: tc for kode in kurang}
                ev.append((tc, 0, "persyaratan_diubah", petugas["id"], {"perubahan": {kode: ["belum", "dilihat"] for kode in sorted(kurang)}}, None))
            c.rincian_lengkap = {"nomor_register": None}
            ev.append((tc, 1, "berkas_lengkap", petugas["id"], c.rincian_lengkap, None))
            kasus["berkas_lengkap_pada"] = tc
            if jam_mulai is None:
                kasus["jam_mulai_pada"] = tc
                ev.append((tc, 2, "jam_mulai", None, {"aturan": p.mulai_jam}, None))
            t, aktor, pj_kini = tc, petugas["id"], None
            for n, (kode, cabang) in enumerate(jalur[:posisi + 1] if status != "ditutup" or tutup_awal else jalur):
                d = p.langkah[kode]
                pj_langkah = pj_kini if pj_kini and self._boleh(p.peran[kode], pj_kini) else None
                rincian = {"langkah": kode, "urutan": n + 1, "waktu": d.get("waktu")}
                if n == 0 and penugasan is not None:
                    # while the first step runs (a closed case cannot be assigned; a step already done keeps no assignee)
                    if n == posisi and status != "ditutup":
                        sampai = self.k.pada - t
                    else:
                        sampai = timedelta(minutes=durasi[0] * (0.5 if tutup_awal and posisi == 0 else 1))
                    ta = t + max(sampai, timedelta(0)) * penugasan
                    ev.append((ta, 0, "ditugaskan", kabid["id"], {"ke": str(pj["id"])}, None))
                    pj_kini = pj
                    kasus["penanggung_jawab_id"] = pj["id"]
                    if self._boleh(p.peran[kode], pj):
                        pj_langkah = pj
                if pj_langkah is not None:
                    rincian["penanggung_jawab"] = str(pj_langkah["id"])
                ev.append((t, 4, "langkah_mulai", aktor, {x: v for x, v in rincian.items() if v is not None}, None))
                baris = {
                    "id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": t, "kasus_id": kid, "urutan": n + 1, "kode": kode,
                    "status": "berjalan", "mulai_pada": t, "selesai_pada": None, "waktu": d.get("waktu"),
                    "penanggung_jawab_id": pj_langkah and pj_langkah["id"], "dikerjakan_oleh_id": None, "isian": None,
                    "catatan": None, "cabang_ke": None, "dokumen_keluaran": d.get("dokumen_keluaran"), "surat_id": None,
                }
                c.langkah.append(baris)
                kasus["langkah_kode"] = kode
                if n == posisi and status in ("berjalan", "dijeda"):
                    batas = t
                    if status == "dijeda":
                        js = t + (self.k.pada - t) * pecahan_jeda if self.k.pada > t else t
                        c.jeda.append({"id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": js, "kasus_id": kid,
                                       "jenis": jeda_kini[0], "alasan": jeda_kini[1], "mulai": js, "selesai": None})
                        ev.append((js, 0, "dijeda", pj_kini["id"] if pj_kini else kabid["id"],
                                   {"jenis_jeda": jeda_kini[0], "langkah": kode}, jeda_kini[1]))
                        batas = js
                    break
                lama = durasi[n]
                if tutup_awal and n == posisi:
                    lama *= 0.5
                akhir = t + timedelta(minutes=lama)
                if n in jeda_langkah and not (tutup_awal and n == posisi):
                    pecah, lama_jeda = jeda_langkah[n]
                    js = t + timedelta(minutes=lama * pecah)
                    je = geser(js + timedelta(minutes=lama_jeda))
                    jenis, alasan = alasan_jeda[n]
                    c.jeda.append({"id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": js, "kasus_id": kid,
                                   "jenis": jenis, "alasan": alasan, "mulai": js, "selesai": je})
                    oleh = pj_kini["id"] if pj_kini else kabid["id"]
                    ev.append((js, 0, "dijeda", oleh, {"jenis_jeda": jenis, "langkah": kode}, alasan))
                    ev.append((je, 0, "dilanjutkan", oleh, {"durasi_menit": int((je - js).total_seconds() // 60)}, None))
                    akhir = je + (akhir - js)
                akhir = geser(akhir)
                if awal_kini is not None and n == posisi - 1 and akhir < awal_kini:
                    akhir = awal_kini
                if tutup_awal and n == posisi:
                    baris.update(status="dihentikan", selesai_pada=akhir)
                    kasus.update(status="ditutup", langkah_kode=None, hasil_akhir=hasil_akhir, ditutup_pada=akhir)
                    ev.append((akhir, 5, "ditutup", kabid["id"], {"hasil_akhir": hasil_akhir, "langkah_dihentikan": kode},
                               alasan_tutup))
                    batas = akhir
                    break
                oleh = pelaku[n] if pj_kini is None or not self._boleh(p.peran[kode], pj_kini) else pj_kini
                baris.update(status="selesai", selesai_pada=akhir, dikerjakan_oleh_id=oleh["id"], isian=isian[n],
                             catatan=catatan.get(n), cabang_ke=cabang)
                menit = int((akhir - t).total_seconds() // 60)
                if n in jeda_langkah:
                    menit -= int(jeda_langkah[n][1])
                ev.append((akhir, 3, "langkah_selesai", oleh["id"], {x: v for x, v in {
                    "langkah": kode, "urutan": n + 1, "durasi_menit": max(menit, 0), "waktu": d.get("waktu"), "cabang": cabang,
                    "dokumen_keluaran": d.get("dokumen_keluaran")}.items() if v is not None}, catatan.get(n)))
                t, aktor, batas = akhir, oleh["id"], akhir
            if status == "ditutup" and not tutup_awal:
                oleh = pj_kini or kabid
                kasus.update(langkah_kode=None, hasil_akhir=hasil_akhir, ditutup_pada=t)
                ev.append((t, 5, "ditutup", oleh["id"], {"hasil_akhir": hasil_akhir}, None))
                batas = t
        ev.sort(key=lambda e: (e[0], e[1]))
        c.peristiwa = [{"id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": w, "kasus_id": kid, "urutan": n + 1,
                        "jenis": jenis, "waktu": w, "aktor_id": aktor, "rincian": rincian, "catatan": catatan_}
                       for n, (w, _u, jenis, aktor, rincian, catatan_) in enumerate(ev)]
        kasus["diperbarui_pada"] = ev[-1][0]
        kasus["versi"] = len(ev) + 1
        c.kasus = kasus
        c.persyaratan = [{
            "id": acak.uuid_acak(r_id), "tenant_id": tid, "dibuat_pada": t0, "kasus_id": kid, "urutan": n, "kode": d["kode"],
            "nama": d["nama"][:500], "wajib": bool(d.get("wajib")), "status": status_kini[d["kode"]], "lampiran_id": None,
            "diubah_oleh_id": petugas["id"], "diubah_pada": ubah_syarat.get(d["kode"], t0),
        } for n, d in enumerate(p.dokumen)]
        return batas

    def _awal_kini(self, p: _Profil, kode: str, pecahan: float) -> datetime | None:
        """When an open case's current step began, to be ``pecahan`` into its time standard at the reference time.

        Measured as the deadline engine measures it (working time on the office's calendar); None for a
        step without a time standard of its own.
        """
        waktu = p.langkah[kode].get("waktu")
        if not waktu:
            return None
        kunci = (p.layanan.id, kode)
        standar = self._menit_standar.get(kunci)
        if standar is None:
            try:
                d = parse_waktu(waktu)
            except DurasiTidakValid:
                return None
            jatuh_tempo = self.kal.tambah(self.k.pada, d)
            standar = self._menit_standar[kunci] = (
                (d.waktu_kalender, (jatuh_tempo - self.k.pada).total_seconds() // 60) if d.waktu_kalender
                else (False, self.kal.menit_kerja_antara(self.k.pada, jatuh_tempo)))
        kalender, menit = standar
        if kalender:
            return self.k.pada - timedelta(minutes=pecahan * menit)
        return self.kal.kurangi_menit_kerja(self.k.pada, round(pecahan * menit))

    # --- numbers -------------------------------------------------------------------------

    def beri_nomor(self, kasus: list[_Kasus]) -> dict[int, int]:
        """Register numbers in the order files became complete, per local year; returns the last number of each year."""
        pola = (self.k.kantor.format_nomor or {}).get("register") or FORMAT_BAWAAN["register"]
        lengkap = sorted((c for c in kasus if c.kasus["berkas_lengkap_pada"] is not None),
                         key=lambda c: (c.kasus["berkas_lengkap_pada"], c.kasus["id"]))
        terakhir: dict[int, int] = {}
        for c in lengkap:
            lokal = c.kasus["berkas_lengkap_pada"].astimezone(self.zona)
            n = terakhir.get(lokal.year, 0) + 1
            terakhir[lokal.year] = n
            nomor = format_nomor(pola, n, lokal)
            c.kasus["nomor_register"], c.kasus["nomor_register_urut"] = nomor, n
            c.rincian_lengkap["nomor_register"] = nomor
        return terakhir

    # --- people and papers ---------------------------------------------------------------

    def _klien(self, p: _Profil, klien_id) -> dict:
        r = self.r
        kategori = r.choice(p.kategori)
        lo, hi = UMUR_KATEGORI.get(kategori, (18, 64))
        umur = r.randint(lo, hi)
        kelamin = "L" if r.random() < 0.62 else "P"
        pada = self.k.pada.astimezone(self.zona).date()
        tanpa_identitas = r.random() < (0.12 if kategori in (2, 4, 11) else 0.02)
        tahu_lahir = not tanpa_identitas and r.random() < 0.75
        lahir = acak.tanggal_lahir(r, umur, pada) if tahu_lahir else None
        punya_nik = lahir is not None and r.random() < (0.45 if umur < UMUR_DEWASA else 0.7)
        if punya_nik:
            wilayah = self.wilayah if r.random() < 0.85 else f"{r.choice(sorted(KODE_PROVINSI))}.{r.randint(1, 20):02d}"
            nik = acak.nik(r, f"{wilayah}.{r.randint(1, 20):02d}", lahir, kelamin)
        else:
            nik = None
        nama = None if tanpa_identitas else acak.nama_orang(r, kelamin)
        baris = {
            "id": klien_id, "tenant_id": self.tid, "dibuat_pada": None, "nama": nama, "tanpa_identitas": tanpa_identitas,
            "deskripsi": (f"{'Anak' if umur < UMUR_DEWASA else 'Orang'} {'laki-laki' if kelamin == 'L' else 'perempuan'}, "
                          f"perkiraan umur {umur} tahun, ditemukan di {r.choice(('terminal', 'pasar', 'stasiun', 'perempatan jalan'))}")
            if tanpa_identitas else None,
            "nik": nik, "nik_sidik": self.sidik(nik) if nik else None, "tanggal_lahir": lahir,
            "umur_perkiraan": None if lahir else umur, "umur_perkiraan_pada": None if lahir else pada,
            "jenis_kelamin": kelamin, "alamat": None if tanpa_identitas else r.choice(self.alamat),
            "kode_wilayah": f"{self.wilayah}.{r.randint(1, 20):02d}", "kategori_ppks": kategori, "foto_kunci": None,
            "foto_jenis": None, "_umur": umur,
        }
        return baris

    def _keluarga(self, klien: dict) -> list[dict]:
        """Parents of most children with a known name (one of them the guardian); a relative of some adults."""
        r = self.r
        if klien["tanpa_identitas"]:
            return []
        anak = klien["_umur"] < UMUR_DEWASA
        if anak and r.random() < 0.7:
            anggota = [("ibu", "P"), ("ayah", "L")][: r.choice((1, 2, 2))]
        elif not anak and r.random() < 0.3:
            anggota = [r.choice((("saudara", r.choice("LP")), ("anak", r.choice("LP")), ("pasangan", "P" if klien["jenis_kelamin"] == "L" else "L")))]
        else:
            return []
        marga = klien["nama"].split()[-1] if klien["nama"] and len(klien["nama"].split()) > 1 else None
        hasil = []
        for n, (hubungan, kelamin) in enumerate(anggota):
            nama = acak.nama_orang(r, kelamin)
            if hubungan == "ayah" and marga and r.random() < 0.3:
                nama = f"{nama.split()[0]} {marga}"
            hasil.append({"id": acak.uuid_acak(r), "tenant_id": self.tid, "dibuat_pada": None, "klien_id": klien["id"],
                          "nama": nama, "hubungan": hubungan, "wali": anak and n == 0,
                          "kontak": acak.telepon(r) if r.random() < 0.6 else None,
                          "alamat": klien["alamat"] if r.random() < 0.8 else r.choice(self.alamat)})
        return hasil

    def _pelapor(self, p: _Profil) -> dict:
        r = self.r
        if self.k.kantor.tingkat == "provinsi":
            jenis = "dinas_lain"
        elif p.abh:
            jenis = "kepolisian"
        else:
            jenis = r.choices(("kepolisian", "satpol_pp", "kelurahan", "masyarakat"), (40, 25, 15, 20))[0]
        kelamin = r.choice("LP")
        nama = acak.nama_orang(r, kelamin)
        instansi, surat = {
            "kepolisian": (f"Polres {self.tempat}", NOMOR_SURAT_POLISI),
            "satpol_pp": (f"Satpol PP {self.tempat}", "300/{n}/Satpol-PP/{yyyy}"),
            "kelurahan": (f"Kelurahan {r.choice(DESA)}", "470/{n}/Kel/{yyyy}"),
            "dinas_lain": (r.choice(self.pengirim), "460/{n}/Dinsos/{yyyy}"),
            "masyarakat": (None, None),
        }[jenis]
        if jenis == "kepolisian":
            nama = f"{r.choice(PANGKAT_POLISI)} {nama}"
        return {"jenis": jenis, "nama": nama, "instansi": instansi, "kontak": acak.telepon(r), "surat_nomor": surat}

    def _kurang(self, p: _Profil) -> set:
        wajib = [d["kode"] for d in p.dokumen if d.get("wajib")] or [p.dokumen[0]["kode"]]
        return set(self.r.sample(wajib, min(len(wajib), self.r.choice((1, 1, 2)))))

    def _isian(self, definisi: dict, pelapor: dict) -> dict | None:
        r, jawaban = self.r, {}
        for f in definisi.get("isian") or []:
            jenis = f["jenis"]
            if jenis == "pilihan":
                jawaban[f["nama"]] = r.choice(f["pilihan"])
            elif jenis == "ya_tidak":
                jawaban[f["nama"]] = r.random() < 0.4
            elif jenis == "tanggal":
                jawaban[f["nama"]] = (self.k.pada - timedelta(days=r.randint(1, 900))).date().isoformat()
            elif jenis == "teks_panjang":
                jawaban[f["nama"]] = r.choice(CATATAN_PERKEMBANGAN)
            else:
                jawaban[f["nama"]] = NOMOR_SURAT_POLISI.format(n=r.randint(10, 999), romawi=r.choice(ROMAWI[1:]),
                                                               yyyy=self.k.pada.year - r.randint(0, 2))
        return jawaban

    def _boleh(self, peran: frozenset, orang: dict) -> bool:
        return bool(set(orang["peran"]) & peran) or PENANGGUNG_JAWAB in peran

    def _pelaku(self, peran: frozenset, pj) -> dict:
        """Who records a step: the assignee when allowed, else a staff member of an allowed role."""
        if pj is not None and self._boleh(peran, pj):
            return pj
        calon = [o for nama in sorted(peran) for o in self.staf.get(nama, ())] or self.petugas
        return self.r.choice(calon)

