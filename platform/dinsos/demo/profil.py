"""What the case simulation draws from a service: its profile, a walk through its SOP, the state a case is in.

``Profil`` holds what one service version gives every case (steps, their
nominal times and roles, the pace of the service, the states its first cases
cover); ``jalur_sop`` walks its SOP, ``keadaan_sasaran`` draws the state a
case is drawn for, ``dari_campuran`` turns one uniform draw into a value of a mixture.
"""
from dinsos.cases.akses import peran_untuk_langkah
from dinsos.cases.konstanta import KATEGORI_ABH, MULAI_BAWAAN, PENANGGUNG_JAWAB
from dinsos.core.kalender import DurasiTidakValid, parse_waktu

from .konteks import LayananDemo

CAMPURAN_STATUS = (("ditutup", 0.58), ("berjalan", 0.25), ("dijeda", 0.05), ("berkas_belum_lengkap", 0.12))
MENIT_SATUAN = {"menit": 1, "jam": 60, "hari_kerja": 1440, "jam_kalender": 60, "hari": 1440, "minggu": 10080,
                "bulan": 43200, "tahun": 525600}
# Open cases: how far into its time standard the current step is (fraction of it, weight). Most are within
# their time, some past the warn point (0.75, ``SLA_WARN_FRACTION``), some overdue: the stuck ones stay open.
SAAT_LANGKAH = (((0.05, 0.75), 0.74), ((0.75, 1.0), 0.13), ((1.0, 2.0), 0.13))
# A service whose step standards add up to more than its own time limit is worked faster than the steps'
# standards (Magetan: four "1 hari" steps in a 2-working-day service): the usual case takes this fraction of
# the limit; a slow case (KASUS_LAMBAT of them) runs at the steps' own standards and misses it.
PORSI_BATAS = 0.3
KASUS_LAMBAT = 0.12


def menit_nominal(definisi: dict, aturan: dict, terakhir: bool) -> float:
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


class Profil:
    """What the simulation needs of one service version, computed once."""

    def __init__(self, layanan: LayananDemo):
        isi = layanan.isi
        self.layanan = layanan
        self.langkah = {l["kode"]: l for l in isi["sop"]["langkah"]}
        self.pertama = isi["sop"]["langkah"][0]["kode"]
        aturan = isi["penyampaian_pelayanan"]["jangka_waktu"]["aturan"]
        self.mulai_jam = aturan.get("mulai", MULAI_BAWAAN)
        self.nominal = {k: menit_nominal(d, aturan, d.get("berikutnya") is None and not d.get("cabang"))
                        for k, d in self.langkah.items()}
        self.peran = {k: peran_untuk_langkah(d) for k, d in self.langkah.items()}
        self.peran_catat = {k: peran_untuk_langkah({"pelaksana": d["disposisi"][-1:]}) if d.get("disposisi") else self.peran[k]
                            for k, d in self.langkah.items()}
        self.tempo = self._tempo(aturan)
        self.dokumen = [d for d in isi["penyampaian_pelayanan"]["persyaratan"]["dokumen"] if d.get("pihak", "pemohon") == "pemohon"]
        # Outcomes the generated record can bear out (``cases.tindakan.periksa_hasil_akhir``): case acts are not
        # generated, so an outcome that needs one (Metro's ABH diversion or court decision) is never drawn.
        self.hasil = [h for h in isi["sop"]["hasil_akhir"]
                      if all("langkah" in s for s in (h.get("wajib_semua") or []) + (h.get("wajib_salah_satu") or []))]
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

    def hasil_mungkin(self, jalur: list) -> list[dict]:
        """The outcomes whose required steps (``wajib_semua``, ``wajib_salah_satu``) the path went through."""
        kode = {a for a, _b in jalur}
        return [h for h in self.hasil if all(s["langkah"] in kode for s in h.get("wajib_semua") or [])
                and (not h.get("wajib_salah_satu") or any(s["langkah"] in kode for s in h["wajib_salah_satu"]))]

    def hasil_untuk(self, jalur: list) -> str | None:
        """The outcome a path ends in: among those it bears out, the one whose name shares most words with the last
        step's activity (None when it bears out none)."""
        calon = self.hasil_mungkin(jalur)
        if len(calon) <= 1:
            return calon[0]["kode"] if calon else None
        kata = set(self.langkah[jalur[-1][0]]["kegiatan"].lower().split())
        return max(calon, key=lambda h: len(kata & set(h["nama"].lower().split())))["kode"]


def dari_campuran(u: float, campuran) -> float:
    """A value of a mixture of uniform ranges ``((low, high), weight)`` from one uniform draw ``u`` in [0, 1)."""
    for (bawah, atas), bobot in campuran:
        if u < bobot:
            return bawah + (atas - bawah) * u / bobot
        u -= bobot
    (bawah, atas), _bobot = campuran[-1]
    return atas


def jalur_sop(r, p: Profil) -> list[tuple[str, str | None]]:
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
        if d.get("boleh_selesai") and not lanjut:
            maju.append(None)  # a step the SOP may end at (Metro's return home) ends it or takes its branch
        tujuan = r.choice(maju) if maju else None
        jalur.append((kode, tujuan if tujuan and tujuan != lanjut else None))
        kode = tujuan
    return jalur


def keadaan_sasaran(r, p: Profil, urut: int):
    """The state a case is drawn for: (status, step or outcome code)."""
    if urut < len(p.target):
        return p.target[urut]
    x, batas = r.random(), 0.0
    for status, bobot in CAMPURAN_STATUS:
        batas += bobot
        if x < batas:
            return status, None
    return "ditutup", None



def boleh(peran: frozenset, orang: dict) -> bool:
    """Whether a staff member (a generated row) may do a step open to ``peran``."""
    return bool(set(orang["peran"]) & peran) or PENANGGUNG_JAWAB in peran
