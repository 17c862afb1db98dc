"""Client records: checking their data, finding likely duplicates, age and name masking.

Plain functions over the bound office; no request needed.
"""
import difflib
import re
import unicodedata
from datetime import date

from sqlalchemy import select

from dinsos.core.db import db
from dinsos.core.kripto import brankas
from dinsos.wilayah import SUMBER, cari_kode

from .konstanta import HUBUNGAN_KELUARGA, JENIS_KELAMIN, KATEGORI_PPKS, UMUR_DEWASA
from .models import AnggotaKeluarga, Klien
from .nik import NikTidakValid, normalkan, periksa_nik

# Names this close (difflib ratio on normalised names) with the same birth date are likely the same person.
AMBANG_NAMA_MIRIP = 0.85
_KODE_WILAYAH = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_GELAR = re.compile(r"\b(bin|binti|bapak|bpk|ibu|sdr|sdri|an)\b\.?")


class DataKlienTidakValid(ValueError):
    """Client data refused; ``kesalahan`` maps field names to Indonesian messages."""

    def __init__(self, kesalahan: dict):
        super().__init__("; ".join(f"{k}: {v}" for k, v in kesalahan.items()))
        self.kesalahan = kesalahan


def _teks(nilai, maks: int = 500) -> str | None:
    if nilai is None:
        return None
    teks = str(nilai).strip()
    return teks[:maks] or None


def _tanggal(nilai) -> date | None:
    if nilai in (None, ""):
        return None
    if isinstance(nilai, date):
        return nilai
    return date.fromisoformat(str(nilai).strip())


def periksa_data_klien(data: dict, hari_ini: date) -> dict:
    """Validate and normalise new client data; raises ``DataKlienTidakValid`` naming each bad field.

    ``data``: nama or tanpa_identitas (then deskripsi is required), nik,
    tanggal_lahir or umur_perkiraan, jenis_kelamin (L/P), alamat, kode_wilayah,
    kategori_ppks (1-26), keluarga: [{nama, hubungan, wali, kontak, alamat}].
    """
    k: dict = {}
    bersih: dict = {}
    tanpa_identitas = bool(data.get("tanpa_identitas"))
    nama = _teks(data.get("nama"), 200)
    deskripsi = _teks(data.get("deskripsi"), 5000)
    if not nama and not tanpa_identitas:
        k["nama"] = "Nama klien wajib diisi, atau tandai 'tanpa identitas' dan isi deskripsinya."
    if tanpa_identitas and not nama and not deskripsi:
        k["deskripsi"] = "Klien tanpa identitas wajib diberi deskripsi (ciri-ciri, tempat ditemukan)."
    bersih.update(nama=nama, tanpa_identitas=tanpa_identitas and not nama, deskripsi=deskripsi)

    kelamin = _teks(data.get("jenis_kelamin"), 1)
    if kelamin and kelamin not in JENIS_KELAMIN:
        k["jenis_kelamin"] = "Jenis kelamin harus L (laki-laki) atau P (perempuan)."
        kelamin = None
    bersih["jenis_kelamin"] = kelamin

    try:
        lahir = _tanggal(data.get("tanggal_lahir"))
    except ValueError:
        k["tanggal_lahir"] = "Tanggal lahir tidak valid; tulis TTTT-BB-HH."
        lahir = None
    if lahir and lahir > hari_ini:
        k["tanggal_lahir"] = "Tanggal lahir tidak boleh di masa depan."
    bersih["tanggal_lahir"] = lahir

    umur = data.get("umur_perkiraan")
    if umur in (None, ""):
        umur = None
    else:
        try:
            umur = int(umur)
            if not 0 <= umur <= 120:
                raise ValueError
        except (TypeError, ValueError):
            k["umur_perkiraan"] = "Perkiraan umur harus bilangan 0 sampai 120 (tahun)."
            umur = None
    bersih["umur_perkiraan"] = None if lahir else umur
    bersih["umur_perkiraan_pada"] = hari_ini if bersih["umur_perkiraan"] is not None else None

    nik = normalkan(_teks(data.get("nik"), 40) or "")
    bersih["nik"] = None
    if nik:
        try:
            info = periksa_nik(nik, jenis_kelamin=kelamin, tanggal_lahir=lahir, hari_ini=hari_ini)
            bersih["nik"] = info.nik
        except NikTidakValid as e:
            k["nik"] = str(e)

    bersih["alamat"] = _teks(data.get("alamat"), 1000)
    wilayah = _teks(data.get("kode_wilayah"), 20)
    if wilayah and not _KODE_WILAYAH.match(wilayah):
        k["kode_wilayah"] = "Kode wilayah ditulis PP, PP.KK, PP.KK.CC atau PP.KK.CC.DDDD (kode Kemendagri), mis. 35.20."
    elif wilayah and cari_kode(wilayah) is None:
        k["kode_wilayah"] = f"Kode wilayah '{wilayah}' tidak ada dalam data wilayah Kemendagri ({SUMBER})."
    bersih["kode_wilayah"] = wilayah

    kategori = data.get("kategori_ppks")
    if kategori in (None, ""):
        kategori = None
    else:
        try:
            kategori = int(kategori)
        except (TypeError, ValueError):
            kategori = -1
        if kategori not in KATEGORI_PPKS:
            k["kategori_ppks"] = "Kategori PPKS harus nomor 1 sampai 26 (Permensos 8/2012)."
            kategori = None
    bersih["kategori_ppks"] = kategori

    keluarga = []
    for i, anggota in enumerate(data.get("keluarga") or []):
        nama_a = _teks(anggota.get("nama"), 200)
        hubungan = _teks(anggota.get("hubungan"), 40)
        if not nama_a and not hubungan:
            continue
        if not nama_a:
            k[f"keluarga.{i}.nama"] = f"Anggota keluarga ke-{i + 1}: nama wajib diisi."
        if hubungan not in HUBUNGAN_KELUARGA:
            k[f"keluarga.{i}.hubungan"] = (
                f"Anggota keluarga ke-{i + 1}: hubungan harus salah satu dari {', '.join(HUBUNGAN_KELUARGA)}."
            )
        keluarga.append({
            "nama": nama_a, "hubungan": hubungan, "wali": bool(anggota.get("wali")) or hubungan == "wali",
            "kontak": _teks(anggota.get("kontak"), 100), "alamat": _teks(anggota.get("alamat"), 1000),
        })
    bersih["keluarga"] = keluarga
    if k:
        raise DataKlienTidakValid(k)
    return bersih


def buat_klien(bersih: dict) -> Klien:
    """Add a client from data already checked by ``periksa_data_klien``."""
    kolom = {k: v for k, v in bersih.items() if k != "keluarga"}
    klien = Klien(**kolom, nik_sidik=brankas().sidik(bersih["nik"]) if bersih["nik"] else None)
    for anggota in bersih["keluarga"]:
        klien.keluarga.append(AnggotaKeluarga(**anggota))
    db.session.add(klien)
    db.session.flush()
    return klien


def normalkan_nama(nama: str | None) -> str:
    """Lower case, no accents, punctuation or honorifics, single spaces: for comparing names."""
    teks = unicodedata.normalize("NFKD", nama or "").encode("ascii", "ignore").decode().lower()
    teks = re.sub(r"[^a-z\s]", " ", teks)
    teks = _GELAR.sub(" ", teks)
    return " ".join(teks.split())


def cari_duplikat(nik: str | None, nama: str | None, tanggal_lahir: date | None) -> list[dict]:
    """Clients of this office that are probably the same person: same NIK, or a close name and the same birth date.

    A warning for the user, never a block. Returns [{klien_id, alasan}].
    """
    hasil: dict = {}
    if nik:
        for kid in db.session.scalars(select(Klien.id).where(Klien.nik_sidik.in_(brankas().sidik_kandidat(normalkan(nik))))):
            hasil[kid] = "NIK sama"
    if nama and tanggal_lahir:
        dicari = normalkan_nama(nama)
        for lain in db.session.scalars(select(Klien).where(Klien.tanggal_lahir == tanggal_lahir)):
            if lain.id in hasil or not lain.nama:
                continue
            rasio = difflib.SequenceMatcher(None, dicari, normalkan_nama(lain.nama)).ratio()
            if rasio >= AMBANG_NAMA_MIRIP:
                hasil[lain.id] = f"nama mirip ({rasio:.0%}) dan tanggal lahir sama"
    return [{"klien_id": kid, "alasan": alasan} for kid, alasan in hasil.items()]


def umur(klien: Klien, pada: date) -> int | None:
    """Age in whole years at ``pada``, from the birth date or the estimate moved on by the years since."""
    if klien.tanggal_lahir:
        lahir = klien.tanggal_lahir
        return pada.year - lahir.year - ((pada.month, pada.day) < (lahir.month, lahir.day))
    if klien.umur_perkiraan is not None:
        sejak = klien.umur_perkiraan_pada or pada
        return klien.umur_perkiraan + max(0, pada.year - sejak.year - ((pada.month, pada.day) < (sejak.month, sejak.day)))
    return None


def adalah_anak(klien: Klien, pada: date) -> bool:
    u = umur(klien, pada)
    return u is not None and u < UMUR_DEWASA


def samarkan_nama(nama: str | None) -> str:
    """A name reduced to initials, e.g. 'Andi Budi' -> 'A*** B***'."""
    kata = (nama or "").split()
    return " ".join(k[0].upper() + "***" for k in kata) or "***"


TANPA_IDENTITAS = "Tanpa identitas"


def nama_klien(klien: Klien) -> str:
    return klien.nama or TANPA_IDENTITAS


def putar_kunci_semua() -> tuple[int, int]:
    """After a key rotation: re-encrypt every sensitive value and recompute NIK hashes with the first key.

    Returns (values re-encrypted, NIK hashes recomputed). Commits.
    """
    from dinsos.core.kripto import putar_nilai
    from dinsos.core.tenant import lintas_tenant

    with lintas_tenant("rotasi kunci enkripsi"):
        jumlah = putar_nilai(db.session, db.metadata)
        nik = 0
        for k in db.session.scalars(select(Klien).where(Klien.nik.is_not(None))):
            k.nik_sidik = brankas().sidik(normalkan(k.nik))
            nik += 1
        db.session.commit()
    return jumlah, nik
