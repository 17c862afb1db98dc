"""Reading one YAML text of the format: parse it safely, validate it, and locate every problem by line.

``periksa_berkas`` is the one entry for a file's text, ``periksa_data`` for
data that came from a web form. YAML dates stay text until the schema reads
them and aliases are refused; PyYAML's usual English complaints get an
Indonesian explanation.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import yaml
from marshmallow import Schema, ValidationError


class _Pemuat(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so an impossible date such as
    2025-02-30 reaches the schema (and gets a located message) instead of
    crashing the YAML parser.

    Aliases are refused: a standard never needs them, and nested aliases
    ("billion laughs") would make a small upload expand without bound.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            tanda = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", tanda)
        return super().compose_node(parent, index)


_Pemuat.yaml_implicit_resolvers = {
    awal: [(tag, pola) for tag, pola in daftar if tag != "tag:yaml.org,2002:timestamp"]
    for awal, daftar in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class KesalahanValidasi:
    """One problem in a tenant folder: which file, where in it, and what is wrong."""

    berkas: str
    jalur: str
    pesan: str
    baris: int | None = None
    kolom: int | None = None

    def __str__(self) -> str:
        tempat = self.berkas if self.baris is None else f"{self.berkas}:{self.baris}"
        return f"{tempat}: {self.jalur}: {self.pesan}" if self.jalur else f"{tempat}: {self.pesan}"


# PyYAML reports problems in English; the usual ones get an Indonesian
# explanation, the parser's own words follow in brackets.
_MASALAH_YAML = (
    ("mapping values are not allowed", "tanda ':' tidak boleh di sini; beri tanda kutip pada teks yang memuat ': '"),
    ("could not find expected ':'", "tanda ':' yang diharapkan tidak ditemukan"),
    ("found character '\\t'", "karakter tab tidak boleh dipakai; gunakan spasi untuk indentasi"),
    ("expected <block end>", "indentasi tidak konsisten"),
    ("expected ',' or ']'", "daftar dalam kurung siku [...] tidak ditutup dengan benar"),
    ("expected ',' or '}'", "pemetaan dalam kurung kurawal {...} tidak ditutup dengan benar"),
    ("found unexpected end of stream", "berkas berakhir di tengah teks bertanda kutip"),
    ("aliases (*name) are not allowed", "alias YAML (*nama) tidak dipakai di berkas standar; tulis isinya langsung"),
)


def _jelaskan_masalah_yaml(masalah: str) -> str:
    for awal, penjelasan in _MASALAH_YAML:
        if masalah.startswith(awal):
            return f"{penjelasan} (parser: {masalah})"
    return f"parser: {masalah}"


def _peta_baris(node, jalur: tuple, peta: dict, ganda: list) -> None:
    """Record the 1-based line of every key and list item, and duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        dilihat: set = set()
        for kunci, nilai in node.value:
            nama = kunci.value
            lokasi = jalur + (nama,)
            if nama in dilihat:
                ganda.append((lokasi, kunci.start_mark.line + 1))
            dilihat.add(nama)
            peta[lokasi] = kunci.start_mark.line + 1
            _peta_baris(nilai, lokasi, peta, ganda)
    elif isinstance(node, yaml.SequenceNode):
        for i, butir in enumerate(node.value):
            peta[jalur + (i,)] = butir.start_mark.line + 1
            _peta_baris(butir, jalur + (i,), peta, ganda)


def _tulis_jalur(jalur: tuple) -> str:
    teks = ""
    for bagian in jalur:
        teks += f"[{bagian}]" if isinstance(bagian, int) else (f".{bagian}" if teks else str(bagian))
    return teks


def _ratakan(pesan, jalur: tuple = ()):
    if isinstance(pesan, dict):
        for kunci, isi in pesan.items():
            yield from _ratakan(isi, jalur if kunci == "_schema" else jalur + (kunci,))
    elif isinstance(pesan, list):
        for isi in pesan:
            if isinstance(isi, (dict, list)):
                yield from _ratakan(isi, jalur)
            else:
                yield jalur, str(isi)
    else:
        yield jalur, str(pesan)


def _baris_untuk(jalur: tuple, peta: dict) -> int | None:
    for panjang in range(len(jalur), 0, -1):
        if jalur[:panjang] in peta:
            return peta[jalur[:panjang]]
    return None


def periksa_data(data: dict, skema: type[Schema]) -> tuple[dict | None, list[tuple[tuple, str]]]:
    """Validate data that did not come from a file (a web form): the data, or ``(path, message)`` pairs."""
    try:
        return skema().load(data), []
    except ValidationError as galat:
        return None, list(_ratakan(galat.messages))


def periksa_berkas(teks: str, skema: type[Schema], berkas: str) -> tuple[dict | None, list[KesalahanValidasi]]:
    """Parse one YAML text and validate it with ``skema``.

    Returns the loaded data (None when invalid) and the problems found, each
    located by file, path and line.
    """
    pemuat = _Pemuat(teks)
    try:
        node = pemuat.get_single_node()
        mentah = pemuat.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as galat:
        tanda = galat.problem_mark or galat.context_mark
        baris, kolom = (tanda.line + 1, tanda.column + 1) if tanda else (None, None)
        masalah = galat.problem or galat.context or "tidak dikenal"
        tempat = f" di baris {baris}, kolom {kolom}" if baris else ""
        pesan = f"Sintaks YAML salah{tempat}: {_jelaskan_masalah_yaml(masalah)}."
        return None, [KesalahanValidasi(berkas, "", pesan, baris, kolom)]
    except yaml.YAMLError as galat:
        return None, [KesalahanValidasi(berkas, "", f"Sintaks YAML salah: {galat}.")]
    except RecursionError:
        return None, [KesalahanValidasi(berkas, "", "Struktur YAML bersarang terlalu dalam; periksa indentasi dan kurung.")]
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits (int_max_str_digits): say where it is.
        baris = _baris_pola(teks, r"\d{%d}" % (sys.get_int_max_str_digits() + 1))
        return None, [KesalahanValidasi(berkas, "", "Bilangan terlalu panjang (lebih dari "
                                        f"{sys.get_int_max_str_digits():,} digit)".replace(",", ".")
                                        + "; tulis sebagai teks bertanda kutip atau hapus.", baris)]
    finally:
        pemuat.dispose()
    if not isinstance(mentah, dict):
        return None, [KesalahanValidasi(berkas, "", "Isi berkas harus berupa pemetaan (kunci: nilai), bukan kosong atau daftar.", 1)]
    peta: dict = {}
    ganda: list = []
    _peta_baris(node, (), peta, ganda)
    kesalahan = [
        KesalahanValidasi(berkas, _tulis_jalur(jalur), "Kunci ini ditulis lebih dari sekali.", baris)
        for jalur, baris in ganda
    ]
    nul = list(_jalur_nul(mentah))
    if nul:  # a "\0" escape: no database column stores it, so nothing past here may see it
        return None, kesalahan + [
            KesalahanValidasi(berkas, _tulis_jalur(jalur), "Teks memuat karakter NUL (\\0); hapus karakter itu.", _baris_untuk(jalur, peta))
            for jalur in nul
        ]
    try:
        data = skema().load(mentah)
    except ValidationError as galat:
        data = None
        kesalahan += [
            KesalahanValidasi(berkas, _tulis_jalur(jalur), pesan, _baris_untuk(jalur, peta))
            for jalur, pesan in _ratakan(galat.messages)
        ]
    return (None if kesalahan else data), kesalahan


def _jalur_nul(isi, jalur: tuple = ()):
    """The paths of the keys and texts holding NUL in loaded YAML."""
    if isinstance(isi, dict):
        for kunci, nilai in isi.items():
            if isinstance(kunci, str) and "\x00" in kunci:
                yield jalur + (kunci,)
            else:
                yield from _jalur_nul(nilai, jalur + (kunci,))
    elif isinstance(isi, list):
        for i, nilai in enumerate(isi):
            yield from _jalur_nul(nilai, jalur + (i,))
    elif isinstance(isi, str) and "\x00" in isi:
        yield jalur


def _baris_pola(teks: str, pola: str) -> int | None:
    for nomor, baris in enumerate(teks.splitlines(), start=1):
        if re.search(pola, baris):
            return nomor
    return None
