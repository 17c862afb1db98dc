"""An office folder (``tenant.yaml`` and ``services/*.yaml``) and a ``tenants/`` root of several.

Files may come from disk, an uploaded zip or an admin's draft: the rules and
messages are the same. Besides each file's own schema, the file names must
match the codes inside, and every ``provinsi_induk`` must be a province of
this batch or of the platform whose kode wilayah contains its children's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from .baca import KesalahanValidasi, periksa_berkas
from .layanan import LayananSchema
from .tenant import TenantSchema


class FolderTidakValid(ValueError):
    """Raised by :func:`baca_folder_tenant` when a folder has validation errors."""

    def __init__(self, kesalahan: list[KesalahanValidasi]):
        self.kesalahan = kesalahan
        super().__init__("\n".join(str(k) for k in kesalahan))


def _baris_kunci(teks: str, kunci: str) -> int | None:
    """Line of a top-level key, for problems found after the schema ran."""
    for nomor, baris in enumerate(teks.splitlines(), start=1):
        if re.match(rf"{kunci}\s*:", baris):
            return nomor
    return None


def _urutkan(kesalahan: list[KesalahanValidasi]) -> list[KesalahanValidasi]:
    return sorted(kesalahan, key=lambda k: (k.berkas, k.baris or 0, k.jalur))


def _teks(berkas: str, isi: bytes | str) -> tuple[str | None, list[KesalahanValidasi]]:
    if isinstance(isi, str):
        return isi, []
    try:
        return isi.decode("utf-8-sig"), []
    except UnicodeDecodeError as galat:
        return None, [
            KesalahanValidasi(
                berkas, "", f"Berkas bukan teks UTF-8 (bita ke-{galat.start + 1}); simpan ulang sebagai UTF-8."
            )
        ]


def berkas_folder(folder: str | Path) -> dict[str, bytes]:
    """The files of one office folder that the format knows, as ``{relative path: bytes}``.

    ``tenant.yaml`` and everything under ``services/``; other files are not
    part of the standard and are left out.
    """
    folder = Path(folder)
    hasil: dict[str, bytes] = {}
    if (folder / "tenant.yaml").is_file():
        hasil["tenant.yaml"] = (folder / "tenant.yaml").read_bytes()
    layanan = folder / "services"
    if layanan.is_dir():
        for berkas in sorted(layanan.rglob("*")):
            if berkas.is_file():
                hasil[berkas.relative_to(folder).as_posix()] = berkas.read_bytes()
    return hasil


def periksa_kantor(nama_folder: str, berkas: Mapping[str, bytes | str]) -> tuple[dict, list[KesalahanValidasi]]:
    """Validate one office given as files: ``{"tenant.yaml": ..., "services/<kode>.yaml": ...}``.

    The files may come from a folder (:func:`berkas_folder`), an uploaded zip
    or an admin's draft; the rules and messages are the same. Returns
    ``({"tenant": data or None, "layanan": [data, ...]}, problems)``, problems
    located relative to the office folder. The parent province is not checked
    here (see :func:`periksa_kumpulan`).
    """
    kesalahan: list[KesalahanValidasi] = []
    if "tenant.yaml" not in berkas:
        return {"tenant": None, "layanan": []}, [
            KesalahanValidasi("tenant.yaml", "", f"Berkas tenant.yaml tidak ada di folder '{nama_folder}'.")
        ]
    teks_tenant, galat = _teks("tenant.yaml", berkas["tenant.yaml"])
    kesalahan += galat
    tenant = None
    if teks_tenant is not None:
        tenant, galat = periksa_berkas(teks_tenant, TenantSchema, "tenant.yaml")
        kesalahan += galat
    if tenant is not None and tenant["slug"] != nama_folder:
        kesalahan.append(
            KesalahanValidasi(
                "tenant.yaml",
                "slug",
                f"Slug '{tenant['slug']}' harus sama dengan nama folder '{nama_folder}'.",
                _baris_kunci(teks_tenant, "slug"),
            )
        )
    layanan: list[dict] = []
    for relatif in sorted(k for k in berkas if k.startswith("services/")):
        nama = relatif[len("services/"):]
        if "/" in nama:
            kesalahan.append(
                KesalahanValidasi(relatif, "", "Berkas layanan harus langsung di folder services/; berkas ini tidak dibaca.")
            )
            continue
        if not nama.endswith(".yaml"):
            kesalahan.append(
                KesalahanValidasi(relatif, "", "Berkas layanan harus berakhiran .yaml; berkas ini tidak dibaca.")
            )
            continue
        teks, galat = _teks(relatif, berkas[relatif])
        kesalahan += galat
        if teks is None:
            continue
        data, galat = periksa_berkas(teks, LayananSchema, relatif)
        kesalahan += galat
        stem = nama[: -len(".yaml")]
        if data is not None and data["kode"] != stem:
            kesalahan.append(
                KesalahanValidasi(
                    relatif,
                    "kode",
                    f"Kode layanan '{data['kode']}' harus sama dengan nama berkas '{stem}'.",
                    _baris_kunci(teks, "kode"),
                )
            )
        if data is not None:
            layanan.append(data)
    return {"tenant": tenant, "layanan": layanan}, _urutkan(kesalahan)


def validasi_folder(folder: str | Path) -> list[KesalahanValidasi]:
    """Validate one tenant folder (``tenant.yaml`` and ``services/*.yaml``).

    ``berkas`` in each problem is relative to the folder. An empty list means
    the folder is valid on its own (its parent province is checked by
    :func:`validasi_akar`).
    """
    folder = Path(folder)
    return periksa_kantor(folder.name, berkas_folder(folder))[1]


def baca_folder_tenant(folder: str | Path) -> dict:
    """Read a valid tenant folder as ``{"tenant": {...}, "layanan": [{...}, ...]}``.

    The data is what the schemas load: plain dicts, lists, strings, ints,
    booleans and ``datetime.date`` for dates; services are sorted by file name.
    Raises :class:`FolderTidakValid` carrying every problem when the folder is
    not valid, so that a loader never sees half a folder.
    """
    folder = Path(folder)
    data, kesalahan = periksa_kantor(folder.name, berkas_folder(folder))
    if kesalahan:
        raise FolderTidakValid(kesalahan)
    return data


def _masalah_induk(data: dict, induk: dict | None, dikenal: bool) -> str | None:
    slug = data["provinsi_induk"]
    if not dikenal:
        return f"Provinsi induk '{slug}' tidak ada di folder ini dan belum terdaftar di platform."
    if induk is None:
        return f"Provinsi induk '{slug}' tidak dapat dibaca; perbaiki tenant.yaml-nya dulu."
    if induk["tingkat"] != "provinsi":
        return f"'{slug}' bertingkat {induk['tingkat']}, bukan provinsi."
    if not data["kode_wilayah"].startswith(induk["kode_wilayah"] + "."):
        return (
            f"Kode wilayah '{data['kode_wilayah']}' tidak berada di bawah kode provinsi induk "
            f"'{induk['kode_wilayah']}'."
        )
    return None


def periksa_kumpulan(
    kantor: Mapping[str, Mapping[str, bytes | str]],
    induk_terdaftar: Mapping[str, dict] | None = None,
    *,
    awalan_folder: bool = True,
) -> tuple[list[dict], list[KesalahanValidasi]]:
    """Validate several offices together, and the links between them.

    ``kantor`` maps a folder name to its files (see :func:`periksa_kantor`).
    Every ``provinsi_induk`` must be one of these offices or, failing that, one
    of ``induk_terdaftar`` (slug -> ``{"tingkat", "kode_wilayah"}``: offices
    already on the platform), at level provinsi, and a kabupaten/kota's kode
    wilayah must lie inside its province's. With ``awalan_folder`` each
    problem's ``berkas`` starts with the folder name. Returns the offices'
    data (in folder order) and the problems.
    """
    induk_terdaftar = induk_terdaftar or {}
    kesalahan: list[KesalahanValidasi] = []
    hasil: list[dict] = []
    dibaca: dict[str, tuple[dict | None, str]] = {}
    for nama in sorted(kantor):
        data, galat = periksa_kantor(nama, kantor[nama])
        awalan = f"{nama}/" if awalan_folder else ""
        kesalahan += [KesalahanValidasi(awalan + k.berkas, k.jalur, k.pesan, k.baris, k.kolom) for k in galat]
        hasil.append(data)
        dibaca[nama] = (data["tenant"], awalan)
    for nama, (data, awalan) in dibaca.items():
        if data is None or data["provinsi_induk"] is None:
            continue
        slug = data["provinsi_induk"]
        if slug in dibaca:
            pesan = _masalah_induk(data, dibaca[slug][0], True)
        else:
            pesan = _masalah_induk(data, induk_terdaftar.get(slug), slug in induk_terdaftar)
        if pesan:
            teks, _ = _teks("tenant.yaml", kantor[nama]["tenant.yaml"])
            kesalahan.append(
                KesalahanValidasi(f"{awalan}tenant.yaml", "provinsi_induk", pesan, _baris_kunci(teks or "", "provinsi_induk"))
            )
    return hasil, _urutkan(kesalahan)


def folder_kantor(akar: str | Path) -> list[Path]:
    """The office folders under a ``tenants/`` root: every visible subfolder."""
    akar = Path(akar)
    return sorted(p for p in akar.iterdir() if p.is_dir() and not p.name.startswith("."))


def validasi_akar(akar: str | Path, induk_terdaftar: Mapping[str, dict] | None = None) -> list[KesalahanValidasi]:
    """Validate every tenant folder under a ``tenants/`` root, and the links between them.

    Besides each folder's own rules: every ``provinsi_induk`` must be a tenant
    of this root (or of ``induk_terdaftar``) at level provinsi, and a
    kabupaten/kota's kode wilayah must lie inside its province's. ``berkas``
    is relative to the root.
    """
    kantor = {p.name: berkas_folder(p) for p in folder_kantor(akar)}
    return periksa_kumpulan(kantor, induk_terdaftar)[1]
