"""Checks of single values written in the format: a time standard, a time zone, a NIP, a number format, office hours.

Each raises marshmallow's ``ValidationError`` with an Indonesian message, so a
schema field can use it as its ``validate``. A time standard is read by the
working calendar's own parser (``parse_waktu``): one grammar for the validator
and the deadline engine.
"""

import datetime as dt
import re
import string
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError

from dinsos.core.kalender import parse_waktu

from .kosakata import PLACEHOLDER_NOMOR

_NIP = re.compile(r"^(\d{8}) (\d{6}) ([12]) (\d{3})$")
_JAM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def cek_waktu(teks: str) -> None:
    """A time standard must be one duration the SLA calendar can count (one parser for both)."""
    try:
        parse_waktu(teks)
    except ValueError as galat:
        pesan = str(galat)
        pesan = f"Standar {pesan}" if pesan.startswith("waktu") else pesan[:1].upper() + pesan[1:]
        raise ValidationError(pesan + ".") from None


def cek_zona_waktu(nama: str) -> None:
    try:
        ZoneInfo(nama)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"Zona waktu '{nama}' tidak dikenal; gunakan nama IANA seperti Asia/Jakarta, "
            "Asia/Makassar atau Asia/Jayapura."
        ) from None


def cek_nip(nip: str) -> None:
    cocok = _NIP.match(nip)
    bentuk = "NIP harus 18 digit dengan format 'YYYYMMDD YYYYMM S NNN' (mis. '19680420 199303 1 009')."
    if cocok is None:
        raise ValidationError(f"{bentuk} Tertulis: '{nip}'.")
    lahir, tmt = cocok[1], cocok[2]
    try:
        dt.datetime.strptime(lahir, "%Y%m%d")
        dt.datetime.strptime(tmt, "%Y%m")
    except ValueError:
        raise ValidationError(f"NIP '{nip}' memuat tanggal lahir atau TMT yang tidak ada.") from None


def cek_format_nomor(pola: str) -> None:
    try:
        nama = [bagian[1] for bagian in string.Formatter().parse(pola) if bagian[1] is not None]
    except ValueError:
        raise ValidationError(f"Format nomor '{pola}' memiliki kurung kurawal yang tidak berpasangan.") from None
    asing = [n for n in nama if n not in PLACEHOLDER_NOMOR]
    if asing:
        raise ValidationError(
            f"Format nomor '{pola}' memakai penanda tidak dikenal {{{asing[0]}}}; "
            "yang dikenal: {n}, {mm}, {yyyy}, {romawi}."
        )
    if "n" not in nama:
        raise ValidationError(f"Format nomor '{pola}' harus memuat nomor urut {{n}}.")


def cek_jam(teks: str) -> None:
    cocok = _JAM.match(teks)
    if cocok is None:
        raise ValidationError(f"Jam kerja '{teks}' harus berbentuk 'JJ:MM-JJ:MM', mis. '07:30-16:00'.")
    mulai = (int(cocok[1]), int(cocok[2]))
    selesai = (int(cocok[3]), int(cocok[4]))
    if selesai <= mulai:
        raise ValidationError(f"Jam kerja '{teks}': jam selesai harus sesudah jam mulai.")
