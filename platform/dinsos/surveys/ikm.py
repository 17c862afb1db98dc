"""The community satisfaction index (IKM) of PermenPAN-RB 14/2017, as pure arithmetic.

NRR of an element = sum of its scores / number of answers to it (a
respondent who left it blank is not counted for it). SKM = sum(NRR_i * w_i)
with weights 1/n each by default: exact fractions, because the regulation's
printed 0.11 makes an all-4 survey score 99 instead of 100. IKM = SKM x 25 on
25-100, rounded half-up to 2 decimals before it is graded.

No database, no Flask: plain data in, plain data out.
"""
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction


@dataclass(frozen=True)
class Unsur:
    """A survey element: its code, its name and the question asked."""

    kode: str
    nama: str
    pertanyaan: str


UNSUR_BAKU: tuple[Unsur, ...] = (
    Unsur("u1", "Persyaratan", "Kesesuaian persyaratan pelayanan dengan jenis pelayanannya"),
    Unsur("u2", "Sistem, mekanisme dan prosedur", "Kemudahan sistem, mekanisme dan prosedur pelayanan"),
    Unsur("u3", "Waktu penyelesaian", "Kecepatan waktu penyelesaian pelayanan"),
    Unsur("u4", "Biaya/tarif", "Kewajaran biaya/tarif pelayanan"),
    Unsur("u5", "Produk spesifikasi jenis pelayanan", "Kesesuaian produk pelayanan dengan yang tercantum dalam standar pelayanan"),
    Unsur("u6", "Kompetensi pelaksana", "Kompetensi/kemampuan petugas dalam memberikan pelayanan"),
    Unsur("u7", "Perilaku pelaksana", "Kesopanan dan keramahan petugas dalam memberikan pelayanan"),
    Unsur("u8", "Penanganan pengaduan, saran dan masukan", "Penanganan pengaduan, saran dan masukan pengguna layanan"),
    Unsur("u9", "Sarana dan prasarana", "Kualitas sarana dan prasarana pelayanan"),
)

SKALA = {1: "Tidak sesuai", 2: "Kurang sesuai", 3: "Sesuai", 4: "Sangat sesuai"}
KONVERSI = 25  # SKM (1-4) x 25 = IKM (25-100)

# (lowest IKM of the grade, grade, service performance), from the highest grade down.
MUTU = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)


class BobotTidakValid(ValueError):
    """Weights that are malformed, not positive, not one per element, or not summing to 1."""


def baca_bobot(nilai) -> Fraction:
    """A weight as an exact fraction, from "1/9", "0.125", "12.5%", a Fraction or an int."""
    if isinstance(nilai, bool):
        raise BobotTidakValid(f"bobot '{nilai}' bukan bilangan")
    if isinstance(nilai, (int, Fraction)):
        return Fraction(nilai)
    teks = str(nilai).strip().replace(",", ".")
    try:
        if teks.endswith("%"):
            return Fraction(Decimal(teks[:-1].strip())) / 100
        if "/" in teks:
            pembilang, penyebut = teks.split("/", 1)
            return Fraction(int(pembilang.strip()), int(penyebut.strip()))
        return Fraction(Decimal(teks))
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise BobotTidakValid(
            f"bobot '{nilai}' tidak dapat dibaca; tulis sebagai pecahan (1/9), desimal (0.125) atau persen (12.5%)"
        ) from None


def bobot_sama(kode_unsur: Sequence[str]) -> dict[str, Fraction]:
    """Equal weights, exactly 1/n each."""
    if not kode_unsur:
        raise BobotTidakValid("tidak ada unsur survei")
    return {k: Fraction(1, len(kode_unsur)) for k in kode_unsur}


def periksa_bobot(bobot: Mapping[str, object], kode_unsur: Sequence[str], nama: Mapping[str, str] | None = None) -> dict[str, Fraction]:
    """Weights read and checked: one positive weight per element, summing to exactly 1."""
    nama = nama or {}
    hasil = {}
    asing = [k for k in bobot if k not in kode_unsur]
    if asing:
        raise BobotTidakValid(f"bobot untuk unsur '{asing[0]}' yang tidak ada dalam survei")
    for kode in kode_unsur:
        label = nama.get(kode, kode)
        if kode not in bobot:
            raise BobotTidakValid(f"unsur '{label}' belum diberi bobot; setiap unsur harus punya bobot")
        try:
            b = baca_bobot(bobot[kode])
        except BobotTidakValid as e:
            raise BobotTidakValid(f"unsur '{label}': {e}") from None
        if b <= 0:
            raise BobotTidakValid(f"bobot unsur '{label}' harus lebih dari 0, bukan {bobot[kode]}")
        hasil[kode] = b
    total = sum(hasil.values())
    if total != 1:
        raise BobotTidakValid(
            f"jumlah bobot harus tepat 1, sedangkan jumlahnya {_teks_pecahan(total)}; "
            "tulis bobot sebagai pecahan (misalnya 1/9) agar jumlahnya tepat"
        )
    return hasil


def _teks_pecahan(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x.numerator}/{x.denominator} (≈ {float(x):.4f})"


def bulatkan(x: Fraction, desimal: int = 2) -> Decimal:
    """Round an exact value half-up to ``desimal`` places, without passing through a float."""
    skala = 10 ** desimal
    dikali = x * skala
    # Half-up away from zero, on exact rationals.
    bulat = math.floor(abs(dikali) + Fraction(1, 2)) * (1 if dikali >= 0 else -1)
    return (Decimal(bulat) / Decimal(skala)).quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)


def rentang_mutu() -> list[tuple[str, str, Decimal, Decimal]]:
    """(grade, performance, lowest IKM, highest IKM) of each grade, as the regulation prints them."""
    hasil, atas = [], Decimal("100.00")
    for batas, huruf, kinerja in MUTU:
        hasil.append((huruf, kinerja, batas, atas))
        atas = batas - Decimal("0.01")
    return hasil


def mutu(ikm: Decimal) -> tuple[str, str]:
    """Grade and performance label of an IKM already rounded to 2 decimals."""
    ikm = Decimal(ikm)
    if ikm != ikm.quantize(Decimal("0.01")):
        raise ValueError(f"IKM {ikm} harus dibulatkan ke 2 desimal sebelum diberi mutu")
    if ikm > 100:
        raise ValueError(f"IKM {ikm} di luar rentang 25-100")
    for batas, huruf, kinerja in MUTU:
        if ikm >= batas:
            return huruf, kinerja
    raise ValueError(f"IKM {ikm} di luar rentang 25-100")


@dataclass(frozen=True)
class HasilIkm:
    """The index of a set of responses."""

    responden: int
    jumlah_jawaban: dict[str, int]
    jumlah_nilai: dict[str, int]
    nrr: dict[str, Fraction | None]
    bobot: dict[str, Fraction]
    skm: Fraction | None
    ikm: Decimal | None
    huruf: str | None
    kinerja: str | None
    nrr_tertimbang: dict[str, Fraction | None] = field(default_factory=dict)


def _nilai_sah(kode: str, n) -> int | None:
    if n is None:
        return None
    if isinstance(n, bool) or not isinstance(n, int) or n not in SKALA:
        raise ValueError(f"nilai unsur {kode} harus 1-4, bukan {n!r}")
    return n


def hitung(jawaban: Iterable[Mapping[str, int | None]], kode_unsur: Sequence[str], bobot: Mapping[str, object] | None = None) -> HasilIkm:
    """The IKM of a set of responses, each a mapping element code -> score 1-4 (or None/absent).

    An element nobody answered has no NRR; the other elements' weights are
    then scaled up so they still sum to 1 (with every element answered the
    divisor is exactly 1).
    """
    bobot_ = periksa_bobot(bobot, kode_unsur) if bobot is not None else bobot_sama(kode_unsur)
    jumlah = {k: 0 for k in kode_unsur}
    total = {k: 0 for k in kode_unsur}
    responden = 0
    for satu in jawaban:
        responden += 1
        for k in kode_unsur:
            n = _nilai_sah(k, satu.get(k))
            if n is not None:
                jumlah[k] += 1
                total[k] += n
    nrr = {k: Fraction(total[k], jumlah[k]) if jumlah[k] else None for k in kode_unsur}
    tertimbang = {k: nrr[k] * bobot_[k] if nrr[k] is not None else None for k in kode_unsur}
    bobot_terjawab = sum(bobot_[k] for k in kode_unsur if nrr[k] is not None)
    if not bobot_terjawab:
        return HasilIkm(responden, jumlah, total, nrr, bobot_, None, None, None, None, tertimbang)
    skm = sum(v for v in tertimbang.values() if v is not None) / bobot_terjawab
    ikm = bulatkan(skm * KONVERSI)
    huruf, kinerja = mutu(ikm)
    return HasilIkm(responden, jumlah, total, nrr, bobot_, skm, ikm, huruf, kinerja, tertimbang)
