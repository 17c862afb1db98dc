"""Field types and schema helpers with Indonesian messages, shared by ``tenant.yaml`` and the service files.

Marshmallow's own types accept too much for a hand-written file ("3" as a
number, "ya" as a boolean) and speak English; these refuse such values and
say what is wrong. ``Dasar`` is the base of every schema: unknown keys are
refused, so a misspelt key is reported instead of ignored.
"""

import re

from marshmallow import RAISE, Schema, fields, validate

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

PESAN_DASAR = {
    "required": "Wajib diisi: kunci ini tidak ada.",
    "null": "Tidak boleh kosong (null).",
    "validator_failed": "Nilai tidak sah.",
}


class Teks(fields.String):
    """A non-blank string."""

    default_error_messages = {
        **PESAN_DASAR,
        "invalid": "Harus berupa teks.",
        "kosong": "Teks tidak boleh kosong.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        hasil = super()._deserialize(value, attr, data, **kwargs)
        if not hasil.strip():
            raise self.make_error("kosong")
        return hasil


class Bilangan(fields.Integer):
    """A whole number; "3" or 2.5 are refused."""

    default_error_messages = {
        **PESAN_DASAR,
        "invalid": "Harus berupa bilangan bulat.",
        "too_large": "Bilangan terlalu besar.",
    }

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        # marshmallow's strict mode still accepts numeric strings and booleans
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._validated(value)


class YaTidak(fields.Boolean):
    """A YAML true/false; "ya" or 1 are refused so that a typo is not read as a choice."""

    default_error_messages = {**PESAN_DASAR, "invalid": "Harus berupa true atau false."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Tanggal(fields.Date):
    """A calendar date written YYYY-MM-DD."""

    default_error_messages = {
        **PESAN_DASAR,
        "invalid": "Tanggal '{input}' tidak ada atau tidak berformat YYYY-MM-DD.",
        "format": "Tanggal '{input}' tidak dapat ditulis sebagai YYYY-MM-DD.",
    }

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class Daftar(fields.List):
    """A YAML list."""

    default_error_messages = {**PESAN_DASAR, "invalid": "Harus berupa daftar (list)."}


class Bersarang(fields.Nested):
    """A YAML mapping checked by another schema."""

    default_error_messages = {**PESAN_DASAR, "type": "Harus berupa pemetaan (kunci: nilai)."}


def salah_satu(nilai: tuple[str, ...], apa: str) -> validate.OneOf:
    return validate.OneOf(nilai, error=f"{apa} '{{input}}' tidak dikenal; pilih salah satu dari: {{choices}}.")


def tidak_kosong(apa: str) -> validate.Length:
    return validate.Length(min=1, error=f"{apa} tidak boleh kosong; isi minimal satu butir.")


def pesan_komponen(label: str) -> dict[str, str]:
    return {"required": f"Komponen wajib '{label}' tidak ada.", "null": f"Komponen '{label}' tidak boleh kosong."}


def pola_slug(apa: str) -> validate.Regexp:
    return validate.Regexp(SLUG, error=f"{apa} '{{input}}' harus huruf kecil, angka dan tanda '-', mis. 'serah-terima'.")


class Dasar(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {
        "unknown": "Kunci tidak dikenal di sini (periksa ejaan).",
        "type": "Harus berupa pemetaan (kunci: nilai).",
    }


def kode_ganda(butir: list, jalur: str, apa: str) -> dict:
    """Errors for repeated ``kode`` values in a raw list of mappings."""
    kesalahan: dict = {}
    pertama: dict[str, int] = {}
    for i, isi in enumerate(butir if isinstance(butir, list) else []):
        kode = isi.get("kode") if isinstance(isi, dict) else None
        if not isinstance(kode, str):
            continue
        if kode in pertama:
            kesalahan[i] = {"kode": [f"{apa} '{kode}' sudah dipakai di {jalur}[{pertama[kode]}]."]}
        else:
            pertama[kode] = i
    return kesalahan
