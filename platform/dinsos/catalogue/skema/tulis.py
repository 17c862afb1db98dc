"""Writing validated data back as a file of the format (the export of an office, and a draft's files).

Keys follow the schema's declaration order, the order of the format guide, so
an exported file reads like a hand-written one and loads back unchanged.
"""

import yaml
from marshmallow import Schema, fields

from .layanan import SKEMA_ATURAN, AturanWaktu


def _menurut_medan(nilai, medan):
    if isinstance(medan, fields.Nested) and isinstance(nilai, dict):
        return _menurut_skema(nilai, medan.schema)
    if isinstance(medan, fields.List) and isinstance(nilai, list):
        return [_menurut_medan(v, medan.inner) for v in nilai]
    if isinstance(medan, AturanWaktu) and isinstance(nilai, dict) and nilai.get("jenis") in SKEMA_ATURAN:
        return _menurut_skema(nilai, SKEMA_ATURAN[nilai["jenis"]]())
    return nilai


def _menurut_skema(data: dict, skema: Schema) -> dict:
    """The same mapping with its keys in the order the schema declares them (the order of the guide)."""
    hasil = {nama: _menurut_medan(data[nama], medan) for nama, medan in skema.fields.items() if nama in data}
    hasil.update((k, v) for k, v in data.items() if k not in hasil)
    return hasil


def tulis_yaml(data: dict, skema: type[Schema], kepala: str | None = None) -> str:
    """Write validated data (or its JSON form) back as a file of this format.

    Keys follow the schema's order, dates are ISO text, and reading the text
    back with :func:`periksa_berkas` gives the same data. ``kepala`` becomes a
    comment at the top. Comments of an original file are not data and do not
    come back.
    """
    teks = yaml.safe_dump(
        _menurut_skema(data, skema()), allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    if kepala:
        teks = "".join(f"# {baris}\n" for baris in kepala.splitlines()) + teks
    return teks
