"""The schema of ``services/<kode>.yaml``: one Standar Pelayanan, its decree, 14 components and SOP.

The six service-delivery components (requirements, procedure, time limit,
cost, product, complaints), the eight internal ones, and the SOP whose steps
cases follow. Cross-field rules (unique codes, a reachable last step, branches
to existing steps) are checked on the raw input, so that their indexes match
the file even when a step also has field errors.
"""

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .asal import PenandaAsalSchema, cek_penanda
from .cek import cek_waktu
from .kosakata import (
    AKTOR,
    ARAH_SERAH_TERIMA,
    DOKUMEN_KELUARAN,
    JENIS_ISIAN,
    JUMLAH_JENIS_PPKS,
    KOMPONEN_PENGELOLAAN,
    KOMPONEN_PENYAMPAIAN,
    MEDAN_KLIEN,
    MULAI_JAM,
    PIHAK_PERSYARATAN,
    SAAT_NOMOR_REGISTER,
    SATUAN_KALENDER,
    SEJAK_AWAL,
)
from .medan import (
    PESAN_DASAR,
    Bersarang,
    Bilangan,
    Daftar,
    Dasar,
    Tanggal,
    Teks,
    YaTidak,
    kode_ganda,
    pesan_komponen,
    pola_slug,
    salah_satu,
    tidak_kosong,
)
from .tenant import KanalSchema, PenandatanganSchema

_NAMA_ISIAN = re.compile(r"^[a-z][a-z0-9_]*$")


class DokumenSchema(Dasar):
    kode = Teks(required=True, validate=pola_slug("Kode dokumen"))
    nama = Teks(required=True)
    penerbit = Teks(required=True, allow_none=True)
    wajib = YaTidak(required=True)
    keterangan = Teks()
    # Absent = pemohon. No load_default: a version's stored content stays as written.
    pihak = Teks(validate=salah_satu(PIHAK_PERSYARATAN, "Pihak persyaratan"))


class PersyaratanSchema(Dasar):
    dokumen = Daftar(Bersarang(DokumenSchema), required=True)
    kriteria = Daftar(Teks(), required=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_isi(self, data, asli, **kwargs):
        galat: dict = {}
        ganda = kode_ganda(asli.get("dokumen"), "dokumen", "Kode dokumen")
        if ganda:
            galat["dokumen"] = ganda
        if "dokumen" in data and "kriteria" in data and not (data["dokumen"] or data["kriteria"]):
            galat["_schema"] = ["Persyaratan harus memuat minimal satu dokumen atau satu kriteria."]
        if galat:
            raise ValidationError(galat)


class AturanHariKerjaSchema(Dasar):
    jenis = Teks(required=True)
    minimal = Bilangan(required=True, validate=validate.Range(min=1, error="Harus minimal 1 hari kerja."))
    maksimal = Bilangan(required=True, validate=validate.Range(min=1, error="Harus minimal 1 hari kerja."))
    mulai = Teks(required=True, validate=salah_satu(MULAI_JAM, "Awal hitungan"))

    @validates_schema
    def _cek_urutan(self, data, **kwargs):
        if data["maksimal"] < data["minimal"]:
            raise ValidationError({"maksimal": ["Batas maksimal tidak boleh lebih kecil dari minimal."]})


class AturanKalenderSchema(Dasar):
    jenis = Teks(required=True)
    jumlah = Bilangan(required=True, validate=validate.Range(min=1, error="Jumlah harus lebih dari nol."))
    satuan = Teks(required=True, validate=salah_satu(SATUAN_KALENDER, "Satuan"))
    mulai = Teks(required=True, validate=salah_satu(MULAI_JAM, "Awal hitungan"))


class AturanTerbukaSchema(Dasar):
    jenis = Teks(required=True)
    selesai_saat = Teks(required=True)
    tinjauan_berkala = Teks(required=True, validate=cek_waktu)


SKEMA_ATURAN = {
    "hari_kerja": AturanHariKerjaSchema,
    "kalender": AturanKalenderSchema,
    "terbuka": AturanTerbukaSchema,
}


class AturanWaktu(fields.Field):
    """The clock rule of a time limit; its keys depend on ``jenis``."""

    default_error_messages = {**PESAN_DASAR, "type": "Aturan waktu harus berupa pemetaan (kunci: nilai)."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise self.make_error("type")
        skema = SKEMA_ATURAN.get(value.get("jenis"))
        if skema is None:
            raise ValidationError(
                {"jenis": [f"Jenis aturan waktu '{value.get('jenis')}' tidak dikenal; pilih hari_kerja, kalender atau terbuka."]}
            )
        return skema().load(value)


class JangkaWaktuSchema(Dasar):
    uraian = Teks(required=True)
    aturan = AturanWaktu(required=True)


class BiayaSchema(Dasar):
    gratis = YaTidak(required=True)
    uraian = Teks(required=True)


class ProdukSchema(Dasar):
    uraian = Teks(required=True)


class TindakLanjutSchema(Dasar):
    kode = Teks(required=True, validate=pola_slug("Kode tindak lanjut"))
    nama = Teks(required=True)
    waktu = Teks(validate=cek_waktu)


class PengaduanSchema(Dasar):
    sarana = Daftar(Bersarang(KanalSchema), required=True, validate=tidak_kosong("Sarana pengaduan"))
    tindak_lanjut = Daftar(Bersarang(TindakLanjutSchema), required=True, validate=tidak_kosong("Tindak lanjut"))

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_kode(self, data, asli, **kwargs):
        kesalahan = kode_ganda(asli.get("tindak_lanjut"), "tindak_lanjut", "Kode tindak lanjut")
        if kesalahan:
            raise ValidationError({"tindak_lanjut": kesalahan})


def _daftar_komponen(label: str) -> Daftar:
    # null: the decree does not have this component (shown as "tidak tercantum dalam keputusan")
    return Daftar(Teks(), required=True, allow_none=True, validate=tidak_kosong(f"Komponen '{label}'"),
                  error_messages=pesan_komponen(label))


def _bagian(skema: type[Schema], label: str, *, dipakai_kasus: bool = False) -> Bersarang:
    """A component given as a mapping; null when the decree lacks it, unless cases run on it."""
    pesan = pesan_komponen(label)
    if dipakai_kasus:
        pesan["null"] = (f"Komponen '{label}' tidak boleh null: kasus memakainya. Bila keputusan tidak memuatnya, "
                         "isi nilainya dan tandai di penanda_asal (asal: platform).")
    return Bersarang(skema, required=True, allow_none=not dipakai_kasus, error_messages=pesan)


class PenyampaianSchema(Dasar):
    """The six public service-delivery components."""

    persyaratan = _bagian(PersyaratanSchema, KOMPONEN_PENYAMPAIAN["persyaratan"], dipakai_kasus=True)
    prosedur = _daftar_komponen(KOMPONEN_PENYAMPAIAN["prosedur"])
    jangka_waktu = _bagian(JangkaWaktuSchema, KOMPONEN_PENYAMPAIAN["jangka_waktu"], dipakai_kasus=True)
    biaya = _bagian(BiayaSchema, KOMPONEN_PENYAMPAIAN["biaya"])
    produk = _bagian(ProdukSchema, KOMPONEN_PENYAMPAIAN["produk"])
    pengaduan = _bagian(PengaduanSchema, KOMPONEN_PENYAMPAIAN["pengaduan"], dipakai_kasus=True)


class JumlahPelaksanaSchema(Dasar):
    uraian = Teks(required=True)
    jumlah = Bilangan(
        required=True, allow_none=True, validate=validate.Range(min=1, error="Jumlah pelaksana harus lebih dari nol.")
    )


class PengelolaanSchema(Dasar):
    """The eight internal (manufacturing) components."""

    dasar_hukum = _daftar_komponen(KOMPONEN_PENGELOLAAN["dasar_hukum"])
    sarana_prasarana = _daftar_komponen(KOMPONEN_PENGELOLAAN["sarana_prasarana"])
    kompetensi_pelaksana = _daftar_komponen(KOMPONEN_PENGELOLAAN["kompetensi_pelaksana"])
    pengawasan_internal = _daftar_komponen(KOMPONEN_PENGELOLAAN["pengawasan_internal"])
    jumlah_pelaksana = _bagian(JumlahPelaksanaSchema, KOMPONEN_PENGELOLAAN["jumlah_pelaksana"])
    jaminan_pelayanan = _daftar_komponen(KOMPONEN_PENGELOLAAN["jaminan_pelayanan"])
    jaminan_keamanan_keselamatan = _daftar_komponen(KOMPONEN_PENGELOLAAN["jaminan_keamanan_keselamatan"])
    evaluasi_kinerja = _daftar_komponen(KOMPONEN_PENGELOLAAN["evaluasi_kinerja"])


class IsianSchema(Dasar):
    nama = Teks(
        required=True,
        validate=validate.Regexp(_NAMA_ISIAN, error="Nama isian '{input}' harus huruf kecil, angka dan '_', mis. 'tanggal_kunjungan'."),
    )
    label = Teks(required=True)
    jenis = Teks(required=True, validate=salah_satu(JENIS_ISIAN, "Jenis isian"))
    pilihan = Daftar(Teks(), validate=tidak_kosong("Daftar pilihan"))
    wajib = YaTidak(required=True)

    @validates_schema
    def _cek_pilihan(self, data, **kwargs):
        if data["jenis"] == "pilihan" and "pilihan" not in data:
            raise ValidationError({"pilihan": ["Isian berjenis 'pilihan' harus memuat daftar pilihan."]})
        if data["jenis"] != "pilihan" and "pilihan" in data:
            raise ValidationError({"pilihan": ["Daftar pilihan hanya untuk isian berjenis 'pilihan'."]})


class CabangSchema(Dasar):
    kondisi = Teks(required=True)
    ke = Teks(required=True, validate=pola_slug("Kode langkah tujuan"))


class LangkahSchema(Dasar):
    """One SOP step: who does what, with which form, within what time, producing what."""

    kode = Teks(required=True, validate=pola_slug("Kode langkah"))
    kegiatan = Teks(required=True)
    pelaksana = Daftar(
        Teks(validate=salah_satu(AKTOR, "Pelaksana")), required=True, validate=tidak_kosong("Pelaksana")
    )
    kelengkapan = Teks(required=True, allow_none=True)
    waktu = Teks(required=True, allow_none=True, validate=cek_waktu)
    output = Teks(required=True, allow_none=True)
    dokumen_keluaran = Teks(required=True, allow_none=True, validate=salah_satu(DOKUMEN_KELUARAN, "Dokumen keluaran"))
    isian = Daftar(Bersarang(IsianSchema), load_default=list)
    berikutnya = Teks(required=True, allow_none=True)
    cabang = Daftar(Bersarang(CabangSchema), load_default=list)
    # A chain of acts by different officers, in order (Magetan step 3: Kepala
    # Dinas -> Kepala Bidang -> Fungsional); the last one records the step.
    disposisi = Daftar(Teks(validate=salah_satu(AKTOR, "Pelaksana disposisi")))
    arah = Teks(validate=salah_satu(ARAH_SERAH_TERIMA, "Arah serah terima"))
    # A last step (berikutnya: null) whose branches are optional: the case may also end here.
    boleh_selesai = YaTidak()

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_isian(self, data, asli, **kwargs):
        kesalahan: dict = {}
        galat: dict = {}
        rantai = asli.get("disposisi")
        if isinstance(rantai, list):
            pelaksana = asli.get("pelaksana") if isinstance(asli.get("pelaksana"), list) else []
            asing = [a for a in rantai if a not in pelaksana]
            if len(rantai) < 2:
                galat["disposisi"] = ["Disposisi adalah rantai minimal dua pelaksana berurutan."]
            elif asing:
                galat["disposisi"] = [f"Pelaksana disposisi {', '.join(map(str, asing))} bukan pelaksana langkah ini."]
            elif len(set(rantai)) != len(rantai):
                galat["disposisi"] = ["Satu pelaksana hanya sekali dalam rantai disposisi."]
        dipakai: dict[str, int] = {}
        for i, isian in enumerate(asli.get("isian") or []):
            nama = isian.get("nama") if isinstance(isian, dict) else None
            if isinstance(nama, str) and nama in dipakai:
                kesalahan[i] = {"nama": [f"Nama isian '{nama}' sudah dipakai di isian[{dipakai[nama]}]."]}
            elif isinstance(nama, str):
                dipakai[nama] = i
        if kesalahan:
            galat["isian"] = kesalahan
        if galat:
            raise ValidationError(galat)


class SyaratHasilSchema(Dasar):
    """One way a closing outcome is reached: a step run done, or a case act recorded (with given answers)."""

    langkah = Teks(validate=pola_slug("Kode langkah"))
    tindakan = Teks(validate=pola_slug("Kode tindakan"))
    isian = fields.Dict(keys=fields.String(), values=fields.String())

    @validates_schema
    def _cek_satu(self, data, **kwargs):
        if ("langkah" in data) == ("tindakan" in data):
            raise ValidationError(["Syarat hasil akhir menyebut tepat satu: 'langkah' atau 'tindakan'."])
        if "isian" in data and "tindakan" not in data:
            raise ValidationError({"isian": ["Isian syarat hanya untuk syarat berupa 'tindakan'."]})


class HasilAkhirSchema(Dasar):
    kode = Teks(required=True, validate=pola_slug("Kode hasil akhir"))
    nama = Teks(required=True)
    # What must have happened in the case before it may close with this outcome: all of
    # ``wajib_semua`` and at least one of ``wajib_salah_satu`` (a closing must agree with the branches taken).
    wajib_semua = Daftar(Bersarang(SyaratHasilSchema))
    wajib_salah_satu = Daftar(Bersarang(SyaratHasilSchema))


class TenggatTindakanSchema(Dasar):
    """A case act's own clock: how long, from when (the intake or another act), and on what basis."""

    durasi = Teks(required=True, validate=cek_waktu)
    sejak = Teks(required=True)
    dasar = Teks(required=True)


class TindakanSchema(Dasar):
    """A case act: work recorded on an open case beside its SOP steps, at any time while it runs.

    A deliverable (a social report, a request letter) carries a ``tenggat``; an
    act may issue a letter (``dokumen_keluaran``), may be recorded many times
    (``berulang``: a shelter log), may need other acts first (``setelah``) and
    may update the client from one of its answers (``perbarui_klien``).
    """

    kode = Teks(required=True, validate=pola_slug("Kode tindakan"))
    nama = Teks(required=True)
    kelompok = Teks()
    pelaksana = Daftar(Teks(validate=salah_satu(AKTOR, "Pelaksana")), required=True, validate=tidak_kosong("Pelaksana"))
    isian = Daftar(Bersarang(IsianSchema), load_default=list)
    dokumen_keluaran = Teks(allow_none=True, load_default=None, validate=salah_satu(DOKUMEN_KELUARAN, "Dokumen keluaran"))
    berulang = YaTidak(load_default=False)
    tenggat = Bersarang(TenggatTindakanSchema)
    setelah = Daftar(Teks(validate=pola_slug("Kode tindakan")), load_default=list)
    perbarui_klien = fields.Dict(keys=fields.String(validate=salah_satu(MEDAN_KLIEN, "Data klien")), values=fields.String())

    @validates_schema(skip_on_field_errors=True)
    def _cek(self, data, **kwargs):
        nama = {i["nama"] for i in data.get("isian") or []}
        salah = [v for v in (data.get("perbarui_klien") or {}).values() if v not in nama]
        if salah:
            raise ValidationError({"perbarui_klien": [f"Isian '{salah[0]}' tidak ada pada tindakan ini."]})
        if data.get("dokumen_keluaran") == "nomor_register":
            raise ValidationError({"dokumen_keluaran": ["Nomor register diterbitkan oleh penerimaan, bukan oleh tindakan."]})


class VerifikasiBerkasSchema(Dasar):
    """Who verifies that the file is complete and correct before any step runs."""

    pelaksana = Daftar(
        Teks(validate=salah_satu(AKTOR, "Pelaksana")), required=True, validate=tidak_kosong("Pelaksana verifikasi")
    )


class SopSchema(Dasar):
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
    # Absent = berkas_lengkap (the number comes with the complete file).
    nomor_register = Teks(validate=salah_satu(SAAT_NOMOR_REGISTER, "Saat nomor register diberikan"))
    # Absent = the complete checklist is enough; present = a verifier rules "lengkap dan benar" first.
    verifikasi_berkas = Bersarang(VerifikasiBerkasSchema)
    langkah = Daftar(Bersarang(LangkahSchema), required=True, validate=tidak_kosong("Langkah SOP"))
    hasil_akhir = Daftar(Bersarang(HasilAkhirSchema), required=True, validate=tidak_kosong("Hasil akhir"))
    tindakan = Daftar(Bersarang(TindakanSchema))

    @validates_schema(skip_on_field_errors=True)
    def _cek_tindakan(self, data, **kwargs):
        """Acts' codes are unique and name steps or acts that exist; outcome conditions name them too."""
        tindakan = data.get("tindakan") or []
        kesalahan = kode_ganda(tindakan, "sop.tindakan", "Kode tindakan")
        ada = {t["kode"] for t in tindakan}
        langkah = {l["kode"] for l in data["langkah"]}
        for i, t in enumerate(tindakan):
            sejak = (t.get("tenggat") or {}).get("sejak")
            if sejak and sejak not in SEJAK_AWAL and (sejak not in ada or sejak == t["kode"]):
                kesalahan.setdefault(i, {})["tenggat"] = {"sejak": [
                    f"Awal hitungan '{sejak}' harus {' atau '.join(SEJAK_AWAL)}, atau kode tindakan lain di sop.tindakan."]}
            for kode in t["setelah"]:
                if kode not in ada or kode == t["kode"]:
                    kesalahan.setdefault(i, {})["setelah"] = [f"Tindakan '{kode}' tidak ada di sop.tindakan."]
        galat: dict = {"tindakan": kesalahan} if kesalahan else {}
        for i, h in enumerate(data["hasil_akhir"]):
            for kunci in ("wajib_semua", "wajib_salah_satu"):
                for j, s in enumerate(h.get(kunci) or []):
                    if s.get("langkah") and s["langkah"] not in langkah:
                        galat.setdefault("hasil_akhir", {}).setdefault(i, {}).setdefault(kunci, {})[j] = {
                            "langkah": [f"Langkah '{s['langkah']}' tidak ada di sop.langkah."]}
                    if s.get("tindakan") and s["tindakan"] not in ada:
                        galat.setdefault("hasil_akhir", {}).setdefault(i, {}).setdefault(kunci, {})[j] = {
                            "tindakan": [f"Tindakan '{s['tindakan']}' tidak ada di sop.tindakan."]}
        if galat:
            raise ValidationError(galat)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_alur(self, data, asli, **kwargs):
        # Checked on the raw input so that indexes match the file even when a
        # step also has field errors.
        langkah = asli.get("langkah") if isinstance(asli.get("langkah"), list) else []
        kesalahan = kode_ganda(langkah, "sop.langkah", "Kode langkah")
        ada = {isi["kode"] for isi in langkah if isinstance(isi, dict) and isinstance(isi.get("kode"), str)}
        ada_akhir = False
        for i, isi in enumerate(langkah):
            if not isinstance(isi, dict):
                continue
            berikutnya, cabang = isi.get("berikutnya"), isi.get("cabang") or []
            if berikutnya is None and (not cabang or isi.get("boleh_selesai") is True):
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
        register = [isi for isi in langkah if isinstance(isi, dict) and isi.get("dokumen_keluaran") == "nomor_register"]
        if asli.get("nomor_register") == "langkah" and len(register) != 1:
            galat["nomor_register"] = [
                "Nomor register diberikan pada langkah: tepat satu langkah harus ber-dokumen_keluaran "
                f"'nomor_register' (ada {len(register)})."
            ]
        hasil = kode_ganda(asli.get("hasil_akhir"), "sop.hasil_akhir", "Kode hasil akhir")
        if hasil:
            galat["hasil_akhir"] = hasil
        if galat:
            raise ValidationError(galat)


class KeputusanSchema(Dasar):
    """The decree that set the standard; a field is null where the source does not give it."""

    nomor = Teks(required=True, allow_none=True)
    tanggal = Tanggal(required=True, allow_none=True)
    ditetapkan_di = Teks(required=True, allow_none=True)
    penandatangan = Bersarang(PenandatanganSchema, required=True, allow_none=True)


class LayananSchema(Dasar):
    """``services/<kode>.yaml``: one Standar Pelayanan."""

    kode = Teks(required=True, validate=pola_slug("Kode layanan"))
    nama = Teks(required=True)
    kategori_ppks = Daftar(
        Bilangan(
            validate=validate.Range(
                min=1, max=JUMLAH_JENIS_PPKS, error=f"Kategori PPKS harus nomor urut 1-{JUMLAH_JENIS_PPKS}."
            )
        ),
        required=True,
        validate=tidak_kosong("Kategori PPKS"),
    )
    menerima_rujukan = YaTidak(required=True)
    keputusan = Bersarang(KeputusanSchema, required=True)
    penyampaian_pelayanan = Bersarang(PenyampaianSchema, required=True, error_messages=pesan_komponen("Penyampaian pelayanan (service delivery)"))
    pengelolaan_pelayanan = Bersarang(PengelolaanSchema, required=True, error_messages=pesan_komponen("Pengelolaan pelayanan (manufacturing)"))
    sop = Bersarang(SopSchema, required=True)
    catatan_ocr = Daftar(Teks(), load_default=list)
    penanda_asal = Daftar(Bersarang(PenandaAsalSchema), load_default=list)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cek_asal(self, data, asli, **kwargs):
        cek_penanda(asli)
