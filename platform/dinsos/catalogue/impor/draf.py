"""A draft service file from an import: the dict and its YAML with provenance comments."""
from __future__ import annotations

import re
from datetime import date

import yaml

from dinsos.catalogue.impor.teks import HasilImpor, dokumen_dari_teks, pelaksana_dari_teks


def _pasang(d: dict, jalur: str, nilai) -> None:
    *atas, akhir = jalur.split(".")
    for k in atas:
        d = d.setdefault(k, {})
    d[akhir] = nilai


def kode_dari_nama(nama: str | None) -> str:
    kata = re.findall(r"[a-z0-9]+", (nama or "layanan-impor").lower())
    return "-".join(kata[:6]) or "layanan-impor"


def draf_layanan(hasil: HasilImpor) -> dict:
    """The proposals as a service dict in the standard's shape (missing parts left for review)."""
    d: dict = {}
    langkah = []
    for u in hasil.usulan:
        if u.jalur.startswith("sop.langkah["):
            langkah.append(dict(u.nilai))
        else:
            _pasang(d, u.jalur, u.nilai)
    nama = d.get("nama") or (d.get("penyampaian_pelayanan", {}).get("produk") or {}).get("uraian")
    layanan: dict = {"kode": kode_dari_nama(nama), "nama": nama, "kategori_ppks": d.get("kategori_ppks", []), "menerima_rujukan": False}
    kep = d.get("keputusan", {})
    layanan["keputusan"] = {k: kep.get(k) for k in ("nomor", "tanggal", "ditetapkan_di", "penandatangan")}
    layanan["penyampaian_pelayanan"] = d.get("penyampaian_pelayanan", {})
    layanan["penyampaian_pelayanan"].setdefault("persyaratan", {}).setdefault("kriteria", [])
    layanan["pengelolaan_pelayanan"] = d.get("pengelolaan_pelayanan", {})
    sop = {"nama": nama, "nomor_dokumen": None, **d.get("sop", {})}
    if not langkah:
        # No SOP table in the text: one step per procedure item, for the admin to refine.
        for i, p in enumerate(layanan["penyampaian_pelayanan"].get("prosedur") or []):
            kode = f"langkah-{i + 1}"
            langkah.append({"kode": kode, "kegiatan": p, "pelaksana": pelaksana_dari_teks(p) or ["petugas_pelayanan"],
                            "kelengkapan": None, "waktu": None, "output": None,
                            "dokumen_keluaran": dokumen_dari_teks(p)})
        for a, b in zip(langkah, langkah[1:]):
            a["berikutnya"] = b["kode"]
        if langkah:
            langkah[-1]["berikutnya"] = None
    sop["langkah"] = langkah
    sop["hasil_akhir"] = [{"kode": "selesai", "nama": "Layanan selesai"}]
    layanan["sop"] = sop
    layanan["catatan_ocr"] = list(hasil.catatan_ocr)
    return layanan


def _rentang(baris: tuple[int, ...]) -> str:
    if not baris:
        return "-"
    return f"{baris[0]}" if len(baris) == 1 else f"{baris[0]}-{baris[-1]}"


def yaml_draf(hasil: HasilImpor, sumber: str, hari_ini: date | None = None) -> str:
    """YAML of the draft service, headed by comments saying it was imported and from which lines."""
    layanan = draf_layanan(hasil)
    kepala = [
        f"# Diimpor otomatis dari teks keputusan ({sumber}) pada {(hari_ini or date.today()).isoformat()}.",
        "# Setiap nilai adalah usulan: periksa terhadap sumber sebelum diterbitkan.",
        "# Baris sumber per nilai:",
    ]
    kepala += [f"#   {u.jalur}: baris {_rentang(u.baris)}" + (f" ({u.catatan})" if u.catatan else "")
               for u in hasil.usulan]
    kepala += ["# Bukan dari sumber: menerima_rujukan, sop.hasil_akhir"
               + ("" if any(u.jalur.startswith("sop.langkah[") for u in hasil.usulan)
                  else ", sop.langkah (disusun dari butir prosedur)") + "."]
    if hasil.tak_terpakai:
        kepala.append(f"# Baris yang tidak dapat ditempatkan: {', '.join(str(n) for n, _ in hasil.tak_terpakai)}.")
    tubuh = yaml.safe_dump(layanan, allow_unicode=True, sort_keys=False, width=10_000)
    return "\n".join(kepala) + "\n" + tubuh
