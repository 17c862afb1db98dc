"""Survey tokens, responses, an office's survey settings and the period reports.

Plain functions over the bound tenant; the caller commits.
"""
import re
import secrets
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from dinsos.catalogue.models import Layanan
from dinsos.core.db import db, sekarang
from dinsos.core.tenant import tenant_aktif
from dinsos.tenancy.models import Tenant

from . import ikm
from .models import JawabanSurvei, KonfigurasiSurvei, TokenSurvei

# Respondent profile: the categories of the regulation's sample questionnaire.
# The regulation asks the age in years; grouping it is the platform's choice.
KELOMPOK_UMUR = {
    "lt20": "Di bawah 20 tahun",
    "20-29": "20-29 tahun",
    "30-39": "30-39 tahun",
    "40-49": "40-49 tahun",
    "50-59": "50-59 tahun",
    "60+": "60 tahun ke atas",
}
JENIS_KELAMIN = {"L": "Laki-laki", "P": "Perempuan"}
PENDIDIKAN = {
    "sd": "SD ke bawah",
    "sltp": "SLTP",
    "slta": "SLTA",
    "diploma": "D1-D3-D4",
    "s1": "S1",
    "s2": "S2 ke atas",
}
PEKERJAAN = {
    "pns": "PNS",
    "tni": "TNI",
    "polri": "POLRI",
    "swasta": "Swasta",
    "wirausaha": "Wirausaha",
    "lainnya": "Lainnya",
}
PROFIL = {
    "kelompok_umur": ("Umur", KELOMPOK_UMUR),
    "jenis_kelamin": ("Jenis kelamin", JENIS_KELAMIN),
    "pendidikan": ("Pendidikan", PENDIDIKAN),
    "pekerjaan": ("Pekerjaan", PEKERJAAN),
}
SEMESTER = {1: "Semester I (Januari-Juni)", 2: "Semester II (Juli-Desember)"}
BATAS_KOMENTAR = 2000
_POLA_KODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")


class SurveiTidakValid(ValueError):
    """A response or a setting breaks a rule; the message is for the user."""


class TokenTidakDikenal(SurveiTidakValid):
    """No token with this code in this office."""


class TokenSudahDipakai(SurveiTidakValid):
    """The token already admitted its one response."""


def _tenant() -> Tenant:
    return db.session.get(Tenant, tenant_aktif())


# --- tokens ---------------------------------------------------------------------

def buat_token_survei(objek_jenis: str | None = None, objek_id=None) -> str:
    """Issue a one-response survey token for the bound office (e.g. for a case's final letter)."""
    kode = secrets.token_urlsafe(16)
    db.session.add(TokenSurvei(kode=kode, objek_jenis=objek_jenis, objek_id=None if objek_id is None else str(objek_id)))
    db.session.flush()
    return kode


def tautan_survei(slug: str, kode_layanan: str, token: str | None = None) -> str:
    """The public survey address of a service, with the token if there is one (for the letter's QR code)."""
    alamat = f"{current_app.config['BASE_URL'].rstrip('/')}/t/{quote(slug)}/survei/{quote(kode_layanan)}"
    return alamat + (f"?token={quote(token)}" if token else "")


def token_dari_kode(kode: str) -> TokenSurvei:
    token = db.session.scalar(select(TokenSurvei).where(TokenSurvei.kode == kode))
    if token is None:
        raise TokenTidakDikenal(
            "Token survei tidak dikenal di kantor ini. Pindai ulang kode QR pada surat Anda, "
            "atau isi survei tanpa token."
        )
    return token


# --- the office's elements and weights ----------------------------------------------

def _konfigurasi() -> KonfigurasiSurvei | None:
    return db.session.scalar(select(KonfigurasiSurvei))


def unsur_kantor() -> list[ikm.Unsur]:
    """The nine elements of the regulation, then the office's own extra ones."""
    k = _konfigurasi()
    tambahan = [ikm.Unsur(u["kode"], u["nama"], u.get("pertanyaan") or u["nama"]) for u in (k.unsur_tambahan if k else [])]
    return list(ikm.UNSUR_BAKU) + tambahan


def bobot_kantor() -> dict | None:
    """The office's weights (code -> text), or None for exactly equal weights."""
    k = _konfigurasi()
    return k.bobot if k else None


def _baris(teks: str):
    for i, baris in enumerate((teks or "").splitlines(), start=1):
        baris = baris.strip()
        if baris and not baris.startswith("#"):
            yield i, baris


def baca_unsur_tambahan(teks: str) -> list[dict]:
    """Extra elements, one per line: ``kode: Nama unsur``."""
    baku = {u.kode for u in ikm.UNSUR_BAKU}
    hasil, kode_ada = [], set()
    for i, baris in _baris(teks):
        kode, pemisah, nama = baris.partition(":")
        kode, nama = kode.strip().lower(), nama.strip()
        if not pemisah or not nama:
            raise SurveiTidakValid(f"Unsur tambahan baris {i}: tulis 'kode: Nama unsur', misalnya 'u10: Kebersihan ruang tunggu'.")
        if not _POLA_KODE.match(kode):
            raise SurveiTidakValid(f"Unsur tambahan baris {i}: kode '{kode}' hanya boleh huruf kecil, angka dan tanda hubung (paling banyak 30).")
        if kode in baku:
            raise SurveiTidakValid(f"Unsur tambahan baris {i}: kode '{kode}' sudah dipakai unsur baku u1-u9.")
        if kode in kode_ada:
            raise SurveiTidakValid(f"Unsur tambahan baris {i}: kode '{kode}' ditulis dua kali.")
        if len(nama) > 200:
            raise SurveiTidakValid(f"Unsur tambahan baris {i}: nama paling banyak 200 karakter.")
        kode_ada.add(kode)
        hasil.append({"kode": kode, "nama": nama, "pertanyaan": nama})
    return hasil


def baca_teks_bobot(teks: str) -> dict[str, str] | None:
    """Weights, one per line: ``kode = 1/9``. Empty: equal weights."""
    hasil = {}
    for i, baris in _baris(teks):
        kode, pemisah, nilai = baris.partition("=")
        kode, nilai = kode.strip().lower(), nilai.strip()
        if not pemisah or not kode or not nilai:
            raise SurveiTidakValid(f"Bobot baris {i}: tulis 'kode = bobot', misalnya 'u1 = 1/9'.")
        if kode in hasil:
            raise SurveiTidakValid(f"Bobot baris {i}: unsur '{kode}' diberi bobot dua kali.")
        hasil[kode] = nilai
    return hasil or None


def simpan_konfigurasi(teks_unsur: str, teks_bobot: str) -> KonfigurasiSurvei:
    """Validate and store the office's extra elements and weights; weights must sum to exactly 1."""
    tambahan = baca_unsur_tambahan(teks_unsur)
    bobot = baca_teks_bobot(teks_bobot)
    semua = list(ikm.UNSUR_BAKU) + [ikm.Unsur(u["kode"], u["nama"], u["pertanyaan"]) for u in tambahan]
    if bobot is not None:
        try:
            terbaca = ikm.periksa_bobot(bobot, [u.kode for u in semua], {u.kode: u.nama for u in semua})
        except ikm.BobotTidakValid as e:
            raise SurveiTidakValid(f"Bobot ditolak: {e}.") from None
        bobot = {k: f"{v.numerator}/{v.denominator}" for k, v in terbaca.items()}
    k = _konfigurasi()
    if k is None:
        k = KonfigurasiSurvei()
        db.session.add(k)
    k.unsur_tambahan, k.bobot = tambahan, bobot
    db.session.flush()
    return k


def teks_konfigurasi() -> tuple[str, str]:
    """The stored settings written back in the form's line format."""
    k = _konfigurasi()
    if k is None:
        return "", ""
    unsur = "\n".join(f"{u['kode']}: {u['nama']}" for u in k.unsur_tambahan)
    bobot = "\n".join(f"{kode} = {b}" for kode, b in (k.bobot or {}).items())
    return unsur, bobot


# --- responses ----------------------------------------------------------------------

def periode(pada: datetime, zona: str) -> tuple[int, int]:
    """(year, semester) of an instant in the office's zone; semester 1 is January-June."""
    lokal = pada.astimezone(ZoneInfo(zona))
    return lokal.year, 1 if lokal.month <= 6 else 2


def baca_nilai(isian: Mapping[str, str], unsur: list[ikm.Unsur]) -> dict[str, int]:
    """Scores from a submitted form: each element 1-4 or left blank; at least one answered."""
    nilai = {}
    for u in unsur:
        teks = (isian.get(u.kode) or "").strip()
        if not teks:
            continue
        if not teks.isdigit() or int(teks) not in ikm.SKALA:
            raise SurveiTidakValid(
                f"Jawaban unsur '{u.nama}' harus salah satu dari 1 (tidak sesuai) sampai 4 (sangat sesuai), bukan '{teks[:10]}'."
            )
        nilai[u.kode] = int(teks)
    if not nilai:
        raise SurveiTidakValid("Survei masih kosong: pilih penilaian untuk sekurang-kurangnya satu unsur.")
    return nilai


def simpan_jawaban(
    layanan: Layanan, nilai: dict[str, int], profil: Mapping[str, str | None], komentar: str | None,
    token: str | None = None, pada: datetime | None = None,
) -> JawabanSurvei:
    """Store one response; a token admits exactly one (a reused token stores nothing)."""
    for kolom, (label, pilihan) in PROFIL.items():
        isi = profil.get(kolom)
        if isi and isi not in pilihan:
            raise SurveiTidakValid(f"Pilihan {label.lower()} '{isi[:20]}' tidak dikenal.")
    komentar = (komentar or "").strip() or None
    if komentar and len(komentar) > BATAS_KOMENTAR:
        raise SurveiTidakValid(f"Komentar paling banyak {BATAS_KOMENTAR} karakter.")
    pada = pada or sekarang()
    token_id = None
    if token:
        t = token_dari_kode(token)
        # One conditional UPDATE: of two simultaneous submissions only one can claim the token.
        hasil = db.session.execute(
            update(TokenSurvei).where(TokenSurvei.id == t.id, TokenSurvei.dipakai_pada.is_(None)).values(dipakai_pada=pada)
        )
        if hasil.rowcount != 1:
            raise TokenSudahDipakai(
                "Survei untuk token ini sudah diisi. Setiap kasus hanya dapat mengisi satu survei; terima kasih atas partisipasi Anda."
            )
        token_id = t.id
    tahun, semester = periode(pada, _tenant().zona_waktu)
    jawaban = JawabanSurvei(
        layanan_id=layanan.id, token_id=token_id, tahun=tahun, semester=semester, nilai=nilai,
        komentar=komentar, dibuat_pada=pada, **{k: profil.get(k) or None for k in PROFIL},
    )
    db.session.add(jawaban)
    db.session.flush()
    return jawaban


# --- reports --------------------------------------------------------------------------

def tahun_tersedia(tahun_ini: int) -> list[int]:
    """Years with responses, and the current one, newest first."""
    ada = set(db.session.scalars(select(JawabanSurvei.tahun).distinct()))
    return sorted(ada | {tahun_ini}, reverse=True)


def rekap(tahun: int, semester: int | None = None, layanan: Layanan | None = None) -> dict:
    """The index of a period (a semester, or the whole year when ``semester`` is None).

    Returns plain data: ``unsur`` (the office's elements), ``hasil`` (the
    office's or the chosen service's IKM), ``per_layanan`` (each service's
    IKM), ``jawaban`` (the responses, oldest first) and ``profil`` (counts per
    respondent category).
    """
    unsur = unsur_kantor()
    kode = [u.kode for u in unsur]
    bobot = bobot_kantor()
    q = select(JawabanSurvei).where(JawabanSurvei.tahun == tahun)
    if semester:
        q = q.where(JawabanSurvei.semester == semester)
    if layanan is not None:
        q = q.where(JawabanSurvei.layanan_id == layanan.id)
    jawaban = db.session.scalars(q.order_by(JawabanSurvei.dibuat_pada, JawabanSurvei.id)).all()
    semua_layanan = db.session.scalars(select(Layanan).order_by(Layanan.nama)).all()
    per_layanan = []
    for l in semua_layanan if layanan is None else [layanan]:
        milik = [j.nilai for j in jawaban if j.layanan_id == l.id]
        if milik:
            per_layanan.append({"layanan": l, "hasil": ikm.hitung(milik, kode, bobot)})
    profil = {k: Counter(getattr(j, k) for j in jawaban if getattr(j, k)) for k in PROFIL}
    return {
        "unsur": unsur,
        "hasil": ikm.hitung([j.nilai for j in jawaban], kode, bobot),
        "per_layanan": per_layanan,
        "jawaban": jawaban,
        "nama_layanan": {l.id: l.nama for l in semua_layanan},
        "profil": profil,
    }
