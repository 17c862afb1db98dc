"""The schema of ``tenant.yaml``: one office, its contacts, head, letterhead, number formats and office hours.

``PengaturanKantorSchema`` is the part of it an office's own admin may change
on the settings page (contact channels and office hours); the rest comes from
the decree and changes only through onboarding.
"""

import re

from marshmallow import ValidationError, validates_schema

from .asal import PenandaAsalSchema, cek_penanda
from .cek import cek_format_nomor, cek_jam, cek_nip, cek_zona_waktu
from .kosakata import JENIS_KANAL, TINGKAT
from .medan import Bersarang, Daftar, Dasar, Tanggal, Teks, pola_slug, salah_satu, tidak_kosong

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOMOR_TELEPON = re.compile(r"^\+?[\d\s()\-]{6,}$")
_KANAL_BERNOMOR = ("telepon", "fax", "sms", "whatsapp")


class KanalSchema(Dasar):
    """A contact or complaint channel; ``nilai`` may be null when the source gives no address."""

    jenis = Teks(required=True, validate=salah_satu(JENIS_KANAL, "Jenis kanal"))
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


class PejabatSchema(Dasar):
    nama = Teks(required=True)
    pangkat = Teks(required=True)
    nip = Teks(required=True, validate=cek_nip)


class PenandatanganSchema(PejabatSchema):
    jabatan = Teks(required=True)


class KopSuratSchema(Dasar):
    baris = Daftar(Teks(), required=True, validate=tidak_kosong("Kop surat"))


class FormatNomorSchema(Dasar):
    register = Teks(required=True, validate=cek_format_nomor)
    surat = Teks(required=True, validate=cek_format_nomor)


class JamKerjaSchema(Dasar):
    senin = Teks(validate=cek_jam)
    selasa = Teks(validate=cek_jam)
    rabu = Teks(validate=cek_jam)
    kamis = Teks(validate=cek_jam)
    jumat = Teks(validate=cek_jam)
    sabtu = Teks(validate=cek_jam)
    minggu = Teks(validate=cek_jam)

    @validates_schema
    def _cek_ada(self, data, **kwargs):
        if not data:
            raise ValidationError("Jam kerja harus memuat minimal satu hari.")


class TanggalKeteranganSchema(Dasar):
    tanggal = Tanggal(required=True)
    keterangan = Teks(required=True)


class TenantSchema(Dasar):
    """``tenant.yaml``: one office."""

    slug = Teks(required=True, validate=pola_slug("Slug"))
    nama = Teks(required=True)
    tingkat = Teks(required=True, validate=salah_satu(TINGKAT, "Tingkat"))
    provinsi_induk = Teks(required=True, allow_none=True, validate=pola_slug("Slug provinsi induk"))
    kode_wilayah = Teks(
        required=True,
        error_messages={
            "invalid": "Kode wilayah harus ditulis dalam tanda kutip, mis. '18.72' (tanpa kutip YAML membacanya sebagai angka)."
        },
    )
    zona_waktu = Teks(required=True, validate=cek_zona_waktu)
    alamat = Teks(required=True, allow_none=True)
    kanal_kontak = Daftar(Bersarang(KanalSchema), required=True)
    kepala_dinas = Bersarang(PejabatSchema, required=True, allow_none=True)
    kop_surat = Bersarang(KopSuratSchema, required=True)
    format_nomor = Bersarang(FormatNomorSchema, required=True)
    jam_kerja = Bersarang(JamKerjaSchema, required=True)
    hari_libur_daerah = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)
    hari_kerja_tambahan = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)
    maklumat = Teks(required=True, allow_none=True)
    penanda_asal = Daftar(Bersarang(PenandaAsalSchema), load_default=list)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_asal(self, data, asli, **kwargs):
        cek_penanda(asli)

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


class PengaturanKantorSchema(Dasar):
    """What an office's own admin may change: contact channels and office hours.

    The same pieces as ``tenant.yaml``; the decree-based standard is not here.
    """

    kanal_kontak = Daftar(Bersarang(KanalSchema), required=True)
    jam_kerja = Bersarang(JamKerjaSchema, required=True)
    hari_libur_daerah = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)
    hari_kerja_tambahan = Daftar(Bersarang(TanggalKeteranganSchema), load_default=list)
