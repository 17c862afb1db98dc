"""Synthetic offices in the shape of the seed offices.

A synthetic kabupaten clones Kabupaten Magetan's standards, a synthetic kota
clones Kota Metro's; each gets an invented name, a kode wilayah its province
does not use for a real region, its own head of office, contacts and
letterhead, under one of the seed provinces. The clones are written back as
``tenant.yaml`` and service files and go through the same validation and
loader as any office (``dinsos.tenancy.muat``), so a clone is always a valid
office. Pure planning here; ``buat.py`` writes.
"""
import copy

from dinsos.catalogue.skema.layanan import LayananSchema
from dinsos.catalogue.skema.tenant import TenantSchema
from dinsos.catalogue.skema.tulis import tulis_yaml

from . import acak
from .nama import DESA, GELAR, JALAN, KODE_AREA, WILAYAH

# The seed offices that hold services, in the order they receive cases.
KANTOR_SEED = ("kabupaten-magetan", "kota-metro", "provinsi-banten")
# Which seed office a synthetic office of each level is cloned from.
TEMPLAT = {"kabupaten": "kabupaten-magetan", "kota": "kota-metro"}
PROVINSI = {"35": "provinsi-jawa-timur", "18": "provinsi-lampung", "36": "provinsi-banten"}
# The highest kabupaten and kota numbers Kemendagri gives real regions of each
# province; synthetic offices take numbers above them, so none poses as a real region.
KODE_NYATA_TERAKHIR = {"35": (29, 79), "18": (13, 72), "36": (4, 74)}
# How the template offices' own place names are written in their standards.
NAMA_TEMPAT = {"kabupaten-magetan": "Magetan", "kota-metro": "Metro"}


def _kode_tersedia() -> dict[str, dict[str, list[int]]]:
    return {pp: {"kabupaten": list(range(kab + 1, 70)), "kota": list(range(kota + 1, 100))}
            for pp, (kab, kota) in KODE_NYATA_TERAKHIR.items()}


def _nama_tempat(r, pp: str, dipakai: set) -> str:
    awal, akhir, sambung = WILAYAH[pp]
    while True:
        nama = f"{r.choice(awal)}{'' if sambung else ' '}{r.choice(akhir)}"
        if nama not in dipakai:
            dipakai.add(nama)
            return nama


def _pejabat(r, pangkat: str) -> dict:
    from datetime import date

    kelamin = r.choice("LP")
    lahir = date(r.randint(1966, 1976), r.randint(1, 12), r.randint(1, 28))
    tmt = date(lahir.year + r.randint(23, 28), r.choice((1, 3, 4, 10, 12)), 1)
    nama = acak.nama_orang(r, kelamin).upper() + ", " + r.choice(GELAR)
    return {"nama": nama, "pangkat": pangkat, "nip": acak.nip(r, lahir, tmt, kelamin)}


def _pejabat_di(data, hasil: dict) -> None:
    """Every official (a mapping with nama, pangkat and nip) in the data, by name."""
    if isinstance(data, dict):
        if {"nama", "nip", "pangkat"} <= set(data):
            hasil.setdefault(data["nama"], data)
        for v in data.values():
            _pejabat_di(v, hasil)
    elif isinstance(data, list):
        for v in data:
            _pejabat_di(v, hasil)


def _ganti(data, pengganti: list[tuple[str, str]]):
    """The same data with every string's substrings replaced, in order."""
    if isinstance(data, dict):
        return {k: _ganti(v, pengganti) for k, v in data.items()}
    if isinstance(data, list):
        return [_ganti(v, pengganti) for v in data]
    if isinstance(data, str):
        for lama, baru in pengganti:
            data = data.replace(lama, baru)
    return data


def _kanal(kanal: list[dict], basis: str, telepon: str) -> list[dict]:
    nilai = {"email": f"dinsos@{basis}.go.id", "website": f"dinsos.{basis}.go.id", "telepon": telepon,
             "fax": telepon, "instagram": f"dinsos_{basis}"}
    return [dict(k, nilai=nilai.get(k["jenis"], k.get("nilai"))) if k.get("nilai") else dict(k) for k in kanal]


def rancang_kantor(seed: dict[str, dict], jumlah: int, benih: int) -> list[dict]:
    """``jumlah`` synthetic offices as validated-data dicts ``{"tenant": ..., "layanan": [...]}``.

    ``seed`` maps a template office's slug to its loaded data (``periksa`` output).
    """
    r = acak.rng(benih, "kantor")
    tersedia = _kode_tersedia()
    dipakai: set = set()
    hasil = []
    for _ in range(jumlah):
        pilihan = [(pp, t) for pp, per in tersedia.items() for t, kode in per.items() if kode]
        if not pilihan:
            raise ValueError(f"paling banyak {len(hasil)} kantor sintetis dapat dibuat (kode wilayah habis)")
        # Mostly kabupaten, as in the provinces themselves.
        bobot = [3 if t == "kabupaten" else 1 for _pp, t in pilihan]
        pp, tingkat = r.choices(pilihan, bobot)[0]
        nomor = tersedia[pp][tingkat].pop(r.randrange(len(tersedia[pp][tingkat])))
        tempat = _nama_tempat(r, pp, dipakai)
        hasil.append(_klon(seed[TEMPLAT[tingkat]], TEMPLAT[tingkat], r, pp, tingkat, nomor, tempat))
    return hasil


def _klon(templat: dict, slug_templat: str, r, pp: str, tingkat: str, nomor: int, tempat: str) -> dict:
    lama = NAMA_TEMPAT[slug_templat]
    judul = f"{tingkat.capitalize()} {tempat}"
    basis = acak.ascii_kecil(tempat).replace(".", "")
    slug = f"{tingkat}-{basis}"
    pejabat: dict = {}
    _pejabat_di(templat, pejabat)
    pengganti = []
    for nama_lama, p in pejabat.items():
        baru = _pejabat(r, p["pangkat"])
        pengganti += [(nama_lama, baru["nama"]), (p["nip"], baru["nip"])]
    lama_tingkat = slug_templat.split("-")[0]
    pengganti += [(f"{lama_tingkat.capitalize()} {lama}", judul), (f"{lama_tingkat.upper()} {lama.upper()}", judul.upper()),
                  (lama.upper(), tempat.upper()), (lama, tempat), (lama.lower(), basis)]
    data = _ganti(copy.deepcopy(templat), pengganti)
    telepon = f"({r.choice(KODE_AREA[pp])}) {r.randint(300000, 899999)}"
    t = data["tenant"]
    t.update(
        slug=slug, nama=f"Dinas Sosial {judul}", tingkat=tingkat, provinsi_induk=PROVINSI[pp],
        kode_wilayah=f"{pp}.{nomor:02d}", alamat=f"{r.choice(JALAN)} No. {r.randint(1, 120)}, {r.choice(DESA)}, {tempat}",
        kanal_kontak=_kanal(t["kanal_kontak"], basis, telepon),
    )
    t["kop_surat"] = {"baris": [f"PEMERINTAH {judul.upper()}", "DINAS SOSIAL",
                                f"{t['alamat']} · Telepon {telepon} · Email dinsos@{basis}.go.id"]}
    return data


def sebagai_berkas(data: dict) -> dict[str, str]:
    """An office's data as the files of its folder, for the loader's validation."""
    kepala = "Kantor demo sintetis (dinsos demo generate), bukan kantor nyata."
    berkas = {"tenant.yaml": tulis_yaml(data["tenant"], TenantSchema, kepala)}
    for isi in data["layanan"]:
        berkas[f"services/{isi['kode']}.yaml"] = tulis_yaml(isi, LayananSchema, kepala)
    return berkas
