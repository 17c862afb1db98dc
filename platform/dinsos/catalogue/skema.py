"""The file format of an office's Standar Pelayanan, and its validator.

A tenant folder holds ``tenant.yaml`` (the office) and ``services/<kode>.yaml``
(one Standar Pelayanan each: the decree, the 14 components of PermenPAN-RB
15/2014 and the SOP). ``docs/format-standar-pelayanan.md`` describes the keys.

Everything here is pure: paths and plain data in, plain data and a list of
:class:`KesalahanValidasi` out. Nothing touches the database, so the loader,
the admin upload page and the tests all use the same rules and messages.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from dinsos.sla.kalender import parse_waktu

# --- vocabularies -----------------------------------------------------------

AKTOR = (
    "pelapor",
    "klien",
    "mitra",
    "petugas_pelayanan",
    "pekerja_sosial",
    "pendamping_rehsos",
    "fungsional_peksos",
    "kepala_bidang",
    "kepala_dinas",
)

JENIS_KANAL = (
    "ruang_pelayanan",
    "email",
    "telepon",
    "fax",
    "sms",
    "whatsapp",
    "website",
    "instagram",
    "kotak_saran",
    "tatap_muka",
    "sp4n_lapor",
)

DOKUMEN_KELUARAN = (
    "berita_acara_serah_terima",
    "nomor_register",
    "surat_tugas",
    "form_asesmen",
    "laporan_sosial",
    "form_rujukan",
    "rekomendasi_penanganan",
    "surat_pengantar",
    "tanda_terima",
)

TINGKAT = ("provinsi", "kabupaten", "kota")
HARI = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
JENIS_ISIAN = ("teks", "teks_panjang", "tanggal", "ya_tidak", "pilihan")
MULAI_JAM = ("berkas_lengkap", "penerimaan")
SATUAN_KALENDER = ("hari", "minggu", "bulan", "tahun")
PLACEHOLDER_NOMOR = ("n", "mm", "yyyy", "romawi")
JUMLAH_JENIS_PPKS = 26  # Permensos 8/2012, kept by Permensos 5/2019

# The official component names, in the order the regulation lists them; the
# public page and the error messages use these labels.
KOMPONEN_PENYAMPAIAN = {
    "persyaratan": "Persyaratan",
    "prosedur": "Sistem, mekanisme, dan prosedur",
    "jangka_waktu": "Jangka waktu penyelesaian",
    "biaya": "Biaya/tarif",
    "produk": "Produk pelayanan",
    "pengaduan": "Penanganan pengaduan, saran, dan masukan",
}
KOMPONEN_PENGELOLAAN = {
    "dasar_hukum": "Dasar hukum",
    "sarana_prasarana": "Sarana, prasarana, dan/atau fasilitas",
    "kompetensi_pelaksana": "Kompetensi pelaksana",
    "pengawasan_internal": "Pengawasan internal",
    "jumlah_pelaksana": "Jumlah pelaksana",
    "jaminan_pelayanan": "Jaminan pelayanan",
    "jaminan_keamanan_keselamatan": "Jaminan keamanan dan keselamatan pelayanan",
    "evaluasi_kinerja": "Evaluasi kinerja pelaksana",
}

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NAMA_ISIAN = re.compile(r"^[a-z][a-z0-9_]*$")
_NIP = re.compile(r"^(\d{8}) (\d{6}) ([12]) (\d{3})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOMOR_TELEPON = re.compile(r"^\+?[\d\s()\-]{6,}$")
_JAM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
_KANAL_BERNOMOR = ("telepon", "fax", "sms", "whatsapp")


# --- time standards ---------------------------------------------------------


def _cek_waktu(teks: str) -> None:
    """A time standard must be one duration the SLA calendar can count (one parser for both)."""
    try:
        parse_waktu(teks)
    except ValueError as galat:
        pesan = str(galat)
        pesan = f"Standar {pesan}" if pesan.startswith("waktu") else pesan[:1].upper() + pesan[1:]
        raise ValidationError(pesan + ".") from None


def _cek_zona_waktu(nama: str) -> None:
    try:
        ZoneInfo(nama)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"Zona waktu '{nama}' tidak dikenal; gunakan nama IANA seperti Asia/Jakarta, "
            "Asia/Makassar atau Asia/Jayapura."
        ) from None


def _cek_nip(nip: str) -> None:
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


def _cek_format_nomor(pola: str) -> None:
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


def _cek_jam(teks: str) -> None:
    cocok = _JAM.match(teks)
    if cocok is None:
        raise ValidationError(f"Jam kerja '{teks}' harus berbentuk 'JJ:MM-JJ:MM', mis. '07:30-16:00'.")
    mulai = (int(cocok[1]), int(cocok[2]))
    selesai = (int(cocok[3]), int(cocok[4]))
    if selesai <= mulai:
        raise ValidationError(f"Jam kerja '{teks}': jam selesai harus sesudah jam mulai.")


# --- fields with Indonesian messages ----------------------------------------

_PESAN_DASAR = {
    "required": "Wajib diisi: kunci ini tidak ada.",
    "null": "Tidak boleh kosong (null).",
    "validator_failed": "Nilai tidak sah.",
}


class Teks(fields.String):
    """A non-blank string."""

    default_error_messages = {
        **_PESAN_DASAR,
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
        **_PESAN_DASAR,
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

    default_error_messages = {**_PESAN_DASAR, "invalid": "Harus berupa true atau false."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Tanggal(fields.Date):
    """A calendar date written YYYY-MM-DD."""

    default_error_messages = {
        **_PESAN_DASAR,
        "invalid": "Tanggal '{input}' tidak ada atau tidak berformat YYYY-MM-DD.",
        "format": "Tanggal '{input}' tidak dapat ditulis sebagai YYYY-MM-DD.",
    }

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class Daftar(fields.List):
    """A YAML list."""

    default_error_messages = {**_PESAN_DASAR, "invalid": "Harus berupa daftar (list)."}


class Bersarang(fields.Nested):
    """A YAML mapping checked by another schema."""

    default_error_messages = {**_PESAN_DASAR, "type": "Harus berupa pemetaan (kunci: nilai)."}


def _pilihan(nilai: tuple[str, ...], apa: str) -> validate.OneOf:
    return validate.OneOf(nilai, error=f"{apa} '{{input}}' tidak dikenal; pilih salah satu dari: {{choices}}.")


def _tidak_kosong(apa: str) -> validate.Length:
    return validate.Length(min=1, error=f"{apa} tidak boleh kosong; isi minimal satu butir.")


def _komponen(label: str) -> dict[str, str]:
    return {"required": f"Komponen wajib '{label}' tidak ada.", "null": f"Komponen '{label}' tidak boleh kosong."}


def _slug(apa: str) -> validate.Regexp:
    return validate.Regexp(_SLUG, error=f"{apa} '{{input}}' harus huruf kecil, angka dan tanda '-', mis. 'serah-terima'.")


class _Dasar(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {
        "unknown": "Kunci tidak dikenal di sini (periksa ejaan).",
        "type": "Harus berupa pemetaan (kunci: nilai).",
    }


def _unik(butir: list, jalur: str, apa: str) -> dict:
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


# --- tenant.yaml ------------------------------------------------------------


class KanalSchema(_Dasar):
    """A contact or complaint channel; ``nilai`` may be null when the source gives no address."""

    jenis = Teks(required=True, validate=_pilihan(JENIS_KANAL, "Jenis kanal"))
    nilai = Teks(required=True, allow_none=True)
    label = Teks()

    @validates_schema
    def _cek_nilai(self, data, **kwargs):
        jenis, nilai = data["jenis"], data["nilai"]
        if nilai is None:
            if not data.get("label"):
                raise ValidationError({"label": ["Kanal tanpa nilai harus diberi label yang menjelaskannya."]})
            return
        if jenis == "email" and not _EMAIL.match(nilai):
            raise ValidationError({"nilai": [f"Alamat email '{nilai}' tidak sah."]})
        if jenis in _KANAL_BERNOMOR and not _NOMOR_TELEPON.match(nilai):
            raise ValidationError({"nilai": [f"Nomor {jenis} '{nilai}' hanya boleh berisi angka, spasi, +, - dan ()."]})


class PejabatSchema(_Dasar):
    nama = Teks(required=True)
    pangkat = Teks(required=True)
    nip = Teks(required=True, validate=_cek_nip)


class PenandatanganSchema(PejabatSchema):
    jabatan = Teks(required=True)


class KopSuratSchema(_Dasar):
    baris = Daftar(Teks(), required=True, validate=_tidak_kosong("Kop surat"))


class FormatNomorSchema(_Dasar):
    register = Teks(required=True, validate=_cek_format_nomor)
    surat = Teks(required=True, validate=_cek_format_nomor)


class JamKerjaSchema(_Dasar):
    senin = Teks(validate=_cek_jam)
    selasa = Teks(validate=_cek_jam)
    rabu = Teks(validate=_cek_jam)
    kamis = Teks(validate=_cek_jam)
    jumat = Teks(validate=_cek_jam)
    sabtu = Teks(validate=_cek_jam)
    minggu = Teks(validate=_cek_jam)

    @validates_schema
    def _cek_ada(self, data, **kwargs):
        if not data:
            raise ValidationError("Jam kerja harus memuat minimal satu hari.")


class TanggalKeteranganSchema(_Dasar):
    tanggal = Tanggal(required=True)
    keterangan = Teks(required=True)


class TenantSchema(_Dasar):
    """``tenant.yaml``: one office."""

    slug = Teks(required=True, validate=_slug("Slug"))
    nama = Teks(required=True)
    tingkat = Teks(required=True, validate=_pilihan(TINGKAT, "Tingkat"))
    provinsi_induk = Teks(required=True, allow_none=True, validate=_slug("Slug provinsi induk"))
    kode_wilayah = Teks(
        required=True,
        error_messages={
            "invalid": "Kode wilayah harus ditulis dalam tanda kutip, mis. '18.72' (tanpa kutip YAML membacanya sebagai angka)."
        },
    )
    zona_waktu = Teks(required=True, validate=_cek_zona_waktu)
    alamat = Teks(required=True, allow_none=True)
    kanal_kontak = Daftar(Bersarang(KanalSchema), required=True)
    kepala_dinas = Bersarang(PejabatSchema, required=True, allow_none=True)
    kop_surat = Bersarang(KopSuratSchema, required=True)
    format_nomor = Bersarang(FormatNomorSchema, required=True)
    jam_kerja = Bersarang(JamKerjaSchema, required=True)
    hari_libur_daerah = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)
    hari_kerja_tambahan = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)
    maklumat = Teks(required=True, allow_none=True)

    @validates_schema
    def _cek_wilayah(self, data, **kwargs):
        tingkat, induk, kode = data["tingkat"], data["provinsi_induk"], data["kode_wilayah"]
        kesalahan: dict = {}
        if tingkat == "provinsi" and induk is not None:
            kesalahan["provinsi_induk"] = ["Tenant tingkat provinsi tidak punya provinsi induk; tulis null."]
        if tingkat != "provinsi" and induk is None:
            kesalahan["provinsi_induk"] = [f"Tenant tingkat {tingkat} harus menyebut slug provinsi induknya."]
        if tingkat == "provinsi":
            if not re.fullmatch(r"\d{2}", kode):
                kesalahan["kode_wilayah"] = [f"Kode wilayah provinsi '{kode}' harus dua digit, mis. '36'."]
        else:
            cocok = re.fullmatch(r"\d{2}\.(\d{2})", kode)
            nomor = int(cocok[1]) if cocok else -1
            sah = 1 <= nomor <= 69 if tingkat == "kabupaten" else 71 <= nomor <= 99
            if not sah:
                rentang = "01-69" if tingkat == "kabupaten" else "71-99"
                kesalahan["kode_wilayah"] = [
                    f"Kode wilayah {tingkat} '{kode}' harus berbentuk PP.KK dengan KK {rentang}, mis. '18.72'."
                ]
        if kesalahan:
            raise ValidationError(kesalahan)


class PengaturanKantorSchema(_Dasar):
    """What an office's own admin may change: contact channels and office hours.

    The same pieces as ``tenant.yaml``; the decree-based standard is not here.
    """

    kanal_kontak = Daftar(Bersarang(KanalSchema), required=True)
    jam_kerja = Bersarang(JamKerjaSchema, required=True)
    hari_libur_daerah = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)
    hari_kerja_tambahan = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)


# --- services/<kode>.yaml ---------------------------------------------------


class DokumenSchema(_Dasar):
    kode = Teks(required=True, validate=_slug("Kode dokumen"))
    nama = Teks(required=True)
    penerbit = Teks(required=True, allow_none=True)
    wajib = YaTidak(required=True)
    keterangan = Teks()


class PersyaratanSchema(_Dasar):
    dokumen = Daftar(Bersarang(DokumenSchema), required=True)
    kriteria = Daftar(Teks(), required=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_isi(self, data, asli, **kwargs):
        galat: dict = {}
        ganda = _unik(asli.get("dokumen"), "dokumen", "Kode dokumen")
        if ganda:
            galat["dokumen"] = ganda
        if "dokumen" in data and "kriteria" in data and not (data["dokumen"] or data["kriteria"]):
            galat["_schema"] = ["Persyaratan harus memuat minimal satu dokumen atau satu kriteria."]
        if galat:
            raise ValidationError(galat)


class AturanHariKerjaSchema(_Dasar):
    jenis = Teks(required=True)
    minimal = Bilangan(required=True, validate=validate.Range(min=1, error="Harus minimal 1 hari kerja."))
    maksimal = Bilangan(required=True, validate=validate.Range(min=1, error="Harus minimal 1 hari kerja."))
    mulai = Teks(required=True, validate=_pilihan(MULAI_JAM, "Awal hitungan"))

    @validates_schema
    def _cek_urutan(self, data, **kwargs):
        if data["maksimal"] < data["minimal"]:
            raise ValidationError({"maksimal": ["Batas maksimal tidak boleh lebih kecil dari minimal."]})


class AturanKalenderSchema(_Dasar):
    jenis = Teks(required=True)
    jumlah = Bilangan(required=True, validate=validate.Range(min=1, error="Jumlah harus lebih dari nol."))
    satuan = Teks(required=True, validate=_pilihan(SATUAN_KALENDER, "Satuan"))
    mulai = Teks(required=True, validate=_pilihan(MULAI_JAM, "Awal hitungan"))


class AturanTerbukaSchema(_Dasar):
    jenis = Teks(required=True)
    selesai_saat = Teks(required=True)
    tinjauan_berkala = Teks(required=True, validate=_cek_waktu)


_SKEMA_ATURAN = {
    "hari_kerja": AturanHariKerjaSchema,
    "kalender": AturanKalenderSchema,
    "terbuka": AturanTerbukaSchema,
}


class AturanWaktu(fields.Field):
    """The clock rule of a time limit; its keys depend on ``jenis``."""

    default_error_messages = {**_PESAN_DASAR, "type": "Aturan waktu harus berupa pemetaan (kunci: nilai)."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise self.make_error("type")
        skema = _SKEMA_ATURAN.get(value.get("jenis"))
        if skema is None:
            raise ValidationError(
                {"jenis": [f"Jenis aturan waktu '{value.get('jenis')}' tidak dikenal; pilih hari_kerja, kalender atau terbuka."]}
            )
        return skema().load(value)


class JangkaWaktuSchema(_Dasar):
    uraian = Teks(required=True)
    aturan = AturanWaktu(required=True)


class BiayaSchema(_Dasar):
    gratis = YaTidak(required=True)
    uraian = Teks(required=True)


class ProdukSchema(_Dasar):
    uraian = Teks(required=True)


class TindakLanjutSchema(_Dasar):
    kode = Teks(required=True, validate=_slug("Kode tindak lanjut"))
    nama = Teks(required=True)
    waktu = Teks(validate=_cek_waktu)


class PengaduanSchema(_Dasar):
    sarana = Daftar(Bersarang(KanalSchema), required=True, validate=_tidak_kosong("Sarana pengaduan"))
    tindak_lanjut = Daftar(Bersarang(TindakLanjutSchema), required=True, validate=_tidak_kosong("Tindak lanjut"))

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_kode(self, data, asli, **kwargs):
        kesalahan = _unik(asli.get("tindak_lanjut"), "tindak_lanjut", "Kode tindak lanjut")
        if kesalahan:
            raise ValidationError({"tindak_lanjut": kesalahan})


def _daftar_komponen(label: str) -> Daftar:
    return Daftar(Teks(), required=True, validate=_tidak_kosong(f"Komponen '{label}'"), error_messages=_komponen(label))


def _bagian(skema: type[Schema], label: str) -> Bersarang:
    return Bersarang(skema, required=True, error_messages=_komponen(label))


class PenyampaianSchema(_Dasar):
    """The six public service-delivery components."""

    persyaratan = _bagian(PersyaratanSchema, KOMPONEN_PENYAMPAIAN["persyaratan"])
    prosedur = _daftar_komponen(KOMPONEN_PENYAMPAIAN["prosedur"])
    jangka_waktu = _bagian(JangkaWaktuSchema, KOMPONEN_PENYAMPAIAN["jangka_waktu"])
    biaya = _bagian(BiayaSchema, KOMPONEN_PENYAMPAIAN["biaya"])
    produk = _bagian(ProdukSchema, KOMPONEN_PENYAMPAIAN["produk"])
    pengaduan = _bagian(PengaduanSchema, KOMPONEN_PENYAMPAIAN["pengaduan"])


class JumlahPelaksanaSchema(_Dasar):
    uraian = Teks(required=True)
    jumlah = Bilangan(
        required=True, allow_none=True, validate=validate.Range(min=1, error="Jumlah pelaksana harus lebih dari nol.")
    )


class PengelolaanSchema(_Dasar):
    """The eight internal (manufacturing) components."""

    dasar_hukum = _daftar_komponen(KOMPONEN_PENGELOLAAN["dasar_hukum"])
    sarana_prasarana = _daftar_komponen(KOMPONEN_PENGELOLAAN["sarana_prasarana"])
    kompetensi_pelaksana = _daftar_komponen(KOMPONEN_PENGELOLAAN["kompetensi_pelaksana"])
    pengawasan_internal = _daftar_komponen(KOMPONEN_PENGELOLAAN["pengawasan_internal"])
    jumlah_pelaksana = _bagian(JumlahPelaksanaSchema, KOMPONEN_PENGELOLAAN["jumlah_pelaksana"])
    jaminan_pelayanan = _daftar_komponen(KOMPONEN_PENGELOLAAN["jaminan_pelayanan"])
    jaminan_keamanan_keselamatan = _daftar_komponen(KOMPONEN_PENGELOLAAN["jaminan_keamanan_keselamatan"])
    evaluasi_kinerja = _daftar_komponen(KOMPONEN_PENGELOLAAN["evaluasi_kinerja"])


class IsianSchema(_Dasar):
    nama = Teks(
        required=True,
        validate=validate.Regexp(_NAMA_ISIAN, error="Nama isian '{input}' harus huruf kecil, angka dan '_', mis. 'tanggal_kunjungan'."),
    )
    label = Teks(required=True)
    jenis = Teks(required=True, validate=_pilihan(JENIS_ISIAN, "Jenis isian"))
    pilihan = Daftar(Teks(), validate=_tidak_kosong("Daftar pilihan"))
    wajib = YaTidak(required=True)

    @validates_schema
    def _cek_pilihan(self, data, **kwargs):
        if data["jenis"] == "pilihan" and "pilihan" not in data:
            raise ValidationError({"pilihan": ["Isian berjenis 'pilihan' harus memuat daftar pilihan."]})
        if data["jenis"] != "pilihan" and "pilihan" in data:
            raise ValidationError({"pilihan": ["Daftar pilihan hanya untuk isian berjenis 'pilihan'."]})


class CabangSchema(_Dasar):
    kondisi = Teks(required=True)
    ke = Teks(required=True, validate=_slug("Kode langkah tujuan"))


class LangkahSchema(_Dasar):
    """One SOP step: who does what, with which form, within what time, producing what."""

    kode = Teks(required=True, validate=_slug("Kode langkah"))
    kegiatan = Teks(required=True)
    pelaksana = Daftar(
        Teks(validate=_pilihan(AKTOR, "Pelaksana")), required=True, validate=_tidak_kosong("Pelaksana")
    )
    kelengkapan = Teks(required=True, allow_none=True)
    waktu = Teks(required=True, allow_none=True, validate=_cek_waktu)
    output = Teks(required=True, allow_none=True)
    dokumen_keluaran = Teks(required=True, allow_none=True, validate=_pilihan(DOKUMEN_KELUARAN, "Dokumen keluaran"))
    isian = Daftar(Bersarang(IsianSchema), load_default=list)
    berikutnya = Teks(required=True, allow_none=True)
    cabang = Daftar(Bersarang(CabangSchema), load_default=list)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_isian(self, data, asli, **kwargs):
        kesalahan: dict = {}
        dipakai: dict[str, int] = {}
        for i, isian in enumerate(asli.get("isian") or []):
            nama = isian.get("nama") if isinstance(isian, dict) else None
            if isinstance(nama, str) and nama in dipakai:
                kesalahan[i] = {"nama": [f"Nama isian '{nama}' sudah dipakai di isian[{dipakai[nama]}]."]}
            elif isinstance(nama, str):
                dipakai[nama] = i
        if kesalahan:
            raise ValidationError({"isian": kesalahan})


class HasilAkhirSchema(_Dasar):
    kode = Teks(required=True, validate=_slug("Kode hasil akhir"))
    nama = Teks(required=True)


class SopSchema(_Dasar):
    """The SOP: header data (optional, as in the SOP-AP form) and its steps.

    The first step in ``langkah`` is where a case starts. ``berikutnya`` is the
    usual next step and ``cabang`` lists conditional alternatives; a step with
    neither is a last step.
    """

    nama = Teks(required=True)
    nomor_dokumen = Teks(required=True, allow_none=True)
    tanggal_terbit = Tanggal()
    disahkan_oleh = Bersarang(PenandatanganSchema)
    dasar_hukum = Daftar(Teks())
    kualifikasi_pelaksana = Daftar(Teks())
    keterkaitan = Daftar(Teks())
    peralatan_perlengkapan = Daftar(Teks())
    peringatan = Daftar(Teks())
    pencatatan_pendataan = Daftar(Teks())
    langkah = Daftar(Bersarang(LangkahSchema), required=True, validate=_tidak_kosong("Langkah SOP"))
    hasil_akhir = Daftar(Bersarang(HasilAkhirSchema), required=True, validate=_tidak_kosong("Hasil akhir"))

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_alur(self, data, asli, **kwargs):
        # Checked on the raw input so that indexes match the file even when a
        # step also has field errors.
        langkah = asli.get("langkah") if isinstance(asli.get("langkah"), list) else []
        kesalahan = _unik(langkah, "sop.langkah", "Kode langkah")
        ada = {isi["kode"] for isi in langkah if isinstance(isi, dict) and isinstance(isi.get("kode"), str)}
        ada_akhir = False
        for i, isi in enumerate(langkah):
            if not isinstance(isi, dict):
                continue
            berikutnya, cabang = isi.get("berikutnya"), isi.get("cabang") or []
            if berikutnya is None and not cabang:
                ada_akhir = True
            if isinstance(berikutnya, str):
                if berikutnya == isi.get("kode"):
                    kesalahan.setdefault(i, {})["berikutnya"] = [
                        f"Langkah '{berikutnya}' menunjuk dirinya sendiri; ulangi langkah lewat cabang."
                    ]
                elif berikutnya not in ada:
                    kesalahan.setdefault(i, {})["berikutnya"] = [
                        f"Langkah berikutnya '{berikutnya}' tidak ada di sop.langkah."
                    ]
            for j, cab in enumerate(cabang if isinstance(cabang, list) else []):
                ke = cab.get("ke") if isinstance(cab, dict) else None
                if isinstance(ke, str) and ke not in ada:
                    kesalahan.setdefault(i, {}).setdefault("cabang", {})[j] = {
                        "ke": [f"Cabang menuju langkah '{ke}' yang tidak ada di sop.langkah."]
                    }
        galat: dict = {}
        if kesalahan:
            galat["langkah"] = kesalahan
        if langkah and not ada_akhir:
            galat.setdefault("langkah", {}).setdefault("_schema", []).append(
                "SOP tidak punya langkah terakhir (berikutnya: null tanpa cabang)."
            )
        hasil = _unik(asli.get("hasil_akhir"), "sop.hasil_akhir", "Kode hasil akhir")
        if hasil:
            galat["hasil_akhir"] = hasil
        if galat:
            raise ValidationError(galat)


class KeputusanSchema(_Dasar):
    """The decree that set the standard; a field is null where the source does not give it."""

    nomor = Teks(required=True, allow_none=True)
    tanggal = Tanggal(required=True, allow_none=True)
    ditetapkan_di = Teks(required=True, allow_none=True)
    penandatangan = Bersarang(PenandatanganSchema, required=True, allow_none=True)


class LayananSchema(_Dasar):
    """``services/<kode>.yaml``: one Standar Pelayanan."""

    kode = Teks(required=True, validate=_slug("Kode layanan"))
    nama = Teks(required=True)
    kategori_ppks = Daftar(
        Bilangan(
            validate=validate.Range(
                min=1, max=JUMLAH_JENIS_PPKS, error=f"Kategori PPKS harus nomor urut 1-{JUMLAH_JENIS_PPKS}."
            )
        ),
        required=True,
        validate=_tidak_kosong("Kategori PPKS"),
    )
    menerima_rujukan = YaTidak(required=True)
    keputusan = Bersarang(KeputusanSchema, required=True)
    penyampaian_pelayanan = Bersarang(PenyampaianSchema, required=True, error_messages=_komponen("Penyampaian pelayanan (service delivery)"))
    pengelolaan_pelayanan = Bersarang(PengelolaanSchema, required=True, error_messages=_komponen("Pengelolaan pelayanan (manufacturing)"))
    sop = Bersarang(SopSchema, required=True)
    catatan_ocr = Daftar(Teks(), load_default=list)


# --- reading files ------------------------------------------------------------


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


class FolderTidakValid(ValueError):
    """Raised by :func:`baca_folder_tenant` when a folder has validation errors."""

    def __init__(self, kesalahan: list[KesalahanValidasi]):
        self.kesalahan = kesalahan
        super().__init__("\n".join(str(k) for k in kesalahan))


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


# --- writing files --------------------------------------------------------------


def _menurut_medan(nilai, medan):
    if isinstance(medan, fields.Nested) and isinstance(nilai, dict):
        return _menurut_skema(nilai, medan.schema)
    if isinstance(medan, fields.List) and isinstance(nilai, list):
        return [_menurut_medan(v, medan.inner) for v in nilai]
    if isinstance(medan, AturanWaktu) and isinstance(nilai, dict) and nilai.get("jenis") in _SKEMA_ATURAN:
        return _menurut_skema(nilai, _SKEMA_ATURAN[nilai["jenis"]]())
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
