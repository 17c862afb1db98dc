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
warn point, some overdue (``SAAT_LANGKAH``). The first cases of each service
cover every state and step, so even a small run shows them all; the rest
follow a plausible mix. Register numbers are issued in the order files
became complete, per office and local year, like ``documents.penomoran``,
and the office's counter is set to match.

Here each case is drawn (its state, path, durations, people) and placed in
time; ``profil.py`` holds what a service gives its cases and the walks
through its SOP, ``orang.py`` the clients, families, reporters and form
answers, and ``linimasa.py`` lays a drawn case out as timeline and rows.
"""
import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dinsos.cases.konstanta import KATEGORI_ABH, UMUR_DEWASA
from dinsos.core.kalender import DurasiTidakValid, parse_waktu
from dinsos.documents.penomoran import FORMAT_BAWAAN, ROMAWI, format_nomor
from dinsos.sla.services import kalender_tenant

from . import acak
from .konteks import JamKantor, Konteks
from .linimasa import Linimasa, Rencana
from .nama import ALASAN_JEDA, CATATAN_LANGKAH
from .orang import Orang
from .profil import KASUS_LAMBAT, SAAT_LANGKAH, Profil, boleh, dari_campuran, jalur_sop, keadaan_sasaran
from .staf import per_peran

RENTANG_HARI = 3 * 365  # closed cases spread over the three years before the reference time
ALASAN_TUTUP_AWAL = (
    "Klien meninggalkan tempat penampungan sebelum layanan selesai.",
    "Keluarga menjemput klien dan menolak layanan lanjutan.",
    "Klien dirujuk ke layanan kesehatan jiwa oleh puskesmas.",
)


class _Kasus:
    """One simulated case: its rows, and where its register number goes once numbers are issued."""

    __slots__ = ("klien", "keluarga", "kasus", "persyaratan", "langkah", "jeda", "peristiwa", "rincian_lengkap", "saat_nomor",
                 "rincian_nomor")


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
        self.zona = ZoneInfo(k.kantor.zona_waktu)
        self.jam = JamKantor(k.kantor.jam_kerja, self.zona)
        self.profil = [Profil(l) for l in k.kantor.layanan]
        self.urut_layanan = [0] * len(self.profil)
        staf = per_peran(k.baris["pengguna"])
        self.petugas = staf["petugas_pelayanan"]
        self.kabid = staf["kepala_bidang"]
        self.penangan = staf["pekerja_sosial"] + staf["fungsional_peksos"]
        self.staf = staf
        self.orang = Orang(k, r)
        self.linimasa = Linimasa(k, self.jam, staf)
        self.kal = kalender_tenant(k.kantor)
        self._menit_standar: dict = {}

    # --- one case -----------------------------------------------------------------------

    def kasus(self, i: int) -> _Kasus:
        r, k = self.r, self.k
        j = i % len(self.profil)
        p = self.profil[j]
        status, sasaran = keadaan_sasaran(r, p, self.urut_layanan[j])
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
                jalur = jalur_sop(r, p)
                kode = [a for a, _b in jalur]
                if status == "ditutup" and p.hasil_untuk(jalur) is not None and sasaran in (None, p.hasil_untuk(jalur)):
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
            if p.hasil_mungkin(jalur[:posisi]):  # closed early only with an outcome the steps done bear out
                jalur = jalur[:posisi + 1]
            else:
                tutup_awal, posisi = False, len(jalur)
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
        pecahan = dari_campuran(r.random(), SAAT_LANGKAH)
        pecahan_jeda = r.uniform(0.1, 0.9)
        klien = self.orang.klien(p, klien_id)
        c.keluarga = self.orang.keluarga(klien)
        pelapor = self.orang.pelapor(p)
        kurang = self._kurang(p) if status == "berkas_belum_lengkap" or telat_berkas else set()
        # optional documents (a copy of an ID card "if any") are often simply not there
        kurang |= {d["kode"] for d in p.dokumen if not d.get("wajib") and r.random() < 0.5}
        sela = r.uniform(0, RENTANG_HARI * 1440)
        jenis_kini = r.choice(sorted(ALASAN_JEDA)) if status == "dijeda" else None
        jenis_jeda = {n: r.choice(sorted(ALASAN_JEDA)) for n in jeda_langkah}
        jeda_kini = (jenis_kini, r.choice(ALASAN_JEDA[jenis_kini])) if jenis_kini else None
        alasan_jeda = {n: (jn, r.choice(ALASAN_JEDA[jn])) for n, jn in jenis_jeda.items()}
        catatan = {n: r.choice(CATATAN_LANGKAH) for n in range(len(jalur)) if r.random() < 0.3}
        isian = [self.orang.isian(p.langkah[a], pelapor) for a, _b in jalur]
        hasil_akhir = (r.choice(p.hasil_mungkin(jalur[:posisi]))["kode"] if tutup_awal else p.hasil_untuk(jalur)) \
            if status == "ditutup" else None
        alasan_tutup = r.choice(ALASAN_TUTUP_AWAL) if tutup_awal else None
        # a step with a disposition chain is recorded by the chain's last officer
        pelaku = [self._pelaku(p.peran_catat[a], pj) for a, _b in jalur]

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
        rc = Rencana(
            profil=p, kid=kid, klien_id=klien_id, status=status, jalur=jalur, posisi=posisi, durasi=durasi,
            jeda_langkah=jeda_langkah, alasan_jeda=alasan_jeda, telat_berkas=telat_berkas, penugasan=penugasan, pj=pj,
            kabid=kabid, petugas=petugas, kurang=kurang, pelapor=pelapor, isian=isian, catatan=catatan, pelaku=pelaku,
            hasil_akhir=hasil_akhir, alasan_tutup=alasan_tutup, tutup_awal=tutup_awal, jeda_kini=jeda_kini,
            pecahan_jeda=pecahan_jeda, awal_kini=awal_kini,
        )
        mulai = k.pada - timedelta(minutes=lama)
        for n in range(60):
            rencana = self.linimasa.tata(rc, c, mulai)
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


    def _awal_kini(self, p: Profil, kode: str, pecahan: float) -> datetime | None:
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
        # Issued when the file is complete, or when the SOP step that registers the case is done (sop.nomor_register).
        lengkap = sorted((c for c in kasus if c.saat_nomor is not None), key=lambda c: (c.saat_nomor, c.kasus["id"]))
        terakhir: dict[int, int] = {}
        for c in lengkap:
            lokal = c.saat_nomor.astimezone(self.zona)
            n = terakhir.get(lokal.year, 0) + 1
            terakhir[lokal.year] = n
            nomor = format_nomor(pola, n, lokal)
            c.kasus["nomor_register"], c.kasus["nomor_register_urut"] = nomor, n
            c.rincian_nomor["nomor_register"] = nomor
        return terakhir

    # --- the checklist and who records a step ---------------------------------------------

    def _kurang(self, p: Profil) -> set:
        wajib = [d["kode"] for d in p.dokumen if d.get("wajib")] or [p.dokumen[0]["kode"]]
        return set(self.r.sample(wajib, min(len(wajib), self.r.choice((1, 1, 2)))))


    def _pelaku(self, peran: frozenset, pj) -> dict:
        """Who records a step: the assignee when allowed, else a staff member of an allowed role."""
        if pj is not None and boleh(peran, pj):
            return pj
        calon = [o for nama in sorted(peran) for o in self.staf.get(nama, ())] or self.petugas
        return self.r.choice(calon)

