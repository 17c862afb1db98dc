"""Each validation rule of the Standar Pelayanan format, on small broken copies of the real files."""

import shutil
from pathlib import Path

import pytest
import yaml

from dinsos.catalogue.skema.folder import FolderTidakValid, baca_folder_tenant, validasi_akar, validasi_folder
from dinsos.catalogue.skema.kosakata import KOMPONEN_PENGELOLAAN, KOMPONEN_PENYAMPAIAN
from dinsos.core.kalender import parse_waktu

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
LAYANAN = "services/pengiriman-anjal-at.yaml"


@pytest.fixture
def akar(tmp_path):
    """A private copy of the whole tenants/ root."""
    salinan = tmp_path / "tenants"
    shutil.copytree(TENANTS, salinan)
    return salinan


@pytest.fixture
def magetan(akar):
    return akar / "kabupaten-magetan"


def ubah(berkas: Path, lama: str, baru: str, ke: int = 1) -> int:
    """Replace the ``ke``-th occurrence of ``lama`` and return its 1-based line."""
    teks = berkas.read_text(encoding="utf-8")
    posisi = -1
    for _ in range(ke):
        posisi = teks.index(lama, posisi + 1)
    berkas.write_text(teks[:posisi] + baru + teks[posisi + len(lama):], encoding="utf-8")
    return teks.count("\n", 0, posisi) + 1


def satu(kesalahan, berkas, jalur):
    cocok = [k for k in kesalahan if k.berkas == berkas and k.jalur == jalur]
    assert cocok, f"tidak ada kesalahan {berkas}: {jalur}; yang ada: {[str(k) for k in kesalahan]}"
    return cocok[0]


def test_salinan_asli_valid(akar):
    assert validasi_akar(akar) == []


def test_sintaks_yaml_salah_menyebut_baris_dan_kolom(magetan):
    baris = ubah(magetan / LAYANAN, "kategori_ppks: [2, 4]", "kategori_ppks: [2, 4")
    [galat] = validasi_folder(magetan)
    assert galat.berkas == LAYANAN
    assert "Sintaks YAML" in galat.pesan and "kurung siku" in galat.pesan
    assert galat.baris is not None and galat.baris >= baris
    assert galat.kolom is not None
    assert f"baris {galat.baris}, kolom {galat.kolom}" in galat.pesan


def test_tipe_salah(magetan):
    baris = ubah(magetan / LAYANAN, "kategori_ppks: [2, 4]", "kategori_ppks: dua")
    baris_jumlah = ubah(magetan / LAYANAN, "jumlah: 3", "jumlah: tiga")
    kesalahan = validasi_folder(magetan)
    galat = satu(kesalahan, LAYANAN, "kategori_ppks")
    assert "daftar" in galat.pesan and galat.baris == baris
    galat = satu(kesalahan, LAYANAN, "pengelolaan_pelayanan.jumlah_pelaksana.jumlah")
    assert "bilangan bulat" in galat.pesan and galat.baris == baris_jumlah


_KOMPONEN = [("penyampaian_pelayanan", k, v) for k, v in KOMPONEN_PENYAMPAIAN.items()] + [
    ("pengelolaan_pelayanan", k, v) for k, v in KOMPONEN_PENGELOLAAN.items()
]


@pytest.mark.parametrize(("bagian", "komponen", "label"), _KOMPONEN, ids=[k for _, k, _ in _KOMPONEN])
def test_komponen_wajib_tidak_ada(magetan, bagian, komponen, label):
    assert len(_KOMPONEN) == 14
    berkas = magetan / LAYANAN
    data = yaml.safe_load(berkas.read_text(encoding="utf-8"))
    del data[bagian][komponen]
    berkas.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    galat = satu(validasi_folder(magetan), LAYANAN, f"{bagian}.{komponen}")
    assert f"Komponen wajib '{label}' tidak ada" in galat.pesan
    assert galat.baris is not None  # points at the section that lacks it


def test_komponen_kosong_ditolak(magetan):
    ubah(magetan / LAYANAN, "  pengawasan_internal:\n    - Pengawasan internal dilaksanakan oleh atasan langsung\n",
         "  pengawasan_internal: []\n")
    galat = satu(validasi_folder(magetan), LAYANAN, "pengelolaan_pelayanan.pengawasan_internal")
    assert "tidak boleh kosong" in galat.pesan


def test_pelaksana_tidak_dikenal(magetan):
    baris = ubah(magetan / LAYANAN, "[kepala_dinas, kepala_bidang, fungsional_peksos]", "[kepala_dinas, kabid, fungsional_peksos]")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah[2].pelaksana[1]")
    assert "Pelaksana 'kabid' tidak dikenal" in galat.pesan
    assert galat.baris == baris


def test_berikutnya_menunjuk_langkah_yang_tidak_ada(magetan):
    baris = ubah(magetan / LAYANAN, "berikutnya: penugasan", "berikutnya: penugasan-kadis")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah[1].berikutnya")
    assert "'penugasan-kadis' tidak ada" in galat.pesan
    assert galat.baris == baris


def test_cabang_menuju_langkah_yang_tidak_ada(magetan):
    baris = ubah(magetan / LAYANAN, "ke: form-rujukan", "ke: form-rujukan-ulang")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah[4].cabang[0].ke")
    assert "'form-rujukan-ulang' yang tidak ada" in galat.pesan
    assert galat.baris == baris


def test_berikutnya_menunjuk_diri_sendiri(magetan):
    ubah(magetan / LAYANAN, "berikutnya: register-kasus", "berikutnya: serah-terima")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah[0].berikutnya")
    assert "dirinya sendiri" in galat.pesan


def test_sop_tanpa_langkah_terakhir(magetan):
    ubah(magetan / LAYANAN, "arah: keluar\n      berikutnya: null", "arah: keluar\n      berikutnya: serah-terima")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah")
    assert "langkah terakhir" in galat.pesan


def test_kode_langkah_ganda(magetan):
    baris = ubah(magetan / LAYANAN, "- kode: asesmen", "- kode: penugasan")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah[3].kode")
    assert "'penugasan' sudah dipakai di sop.langkah[2]" in galat.pesan
    assert galat.baris == baris


@pytest.mark.parametrize(("waktu", "kata"), [("sejam", "tidak dapat dibaca"), ("-1 jam", "negatif"),
                                              ("0 menit", "lebih dari nol"), ("1 (dua) jam", "tidak sama dengan tulisan")])
def test_waktu_tidak_dapat_dibaca(magetan, waktu, kata):
    baris = ubah(magetan / LAYANAN, "waktu: 1 jam", f"waktu: {waktu}")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah[3].waktu")
    assert kata in galat.pesan
    assert galat.baris == baris


def test_tinjauan_berkala_harus_waktu(akar):
    folder = akar / "kota-metro"
    ubah(folder / "services/pendampingan-abh.yaml", "tinjauan_berkala: 1 bulan", "tinjauan_berkala: bulanan")
    galat = satu(validasi_folder(folder), "services/pendampingan-abh.yaml",
                 "penyampaian_pelayanan.jangka_waktu.aturan.tinjauan_berkala")
    assert "tidak dapat dibaca" in galat.pesan


def test_jenis_aturan_waktu_tidak_dikenal(magetan):
    ubah(magetan / LAYANAN, "jenis: hari_kerja", "jenis: hari_libur")
    galat = satu(validasi_folder(magetan), LAYANAN, "penyampaian_pelayanan.jangka_waktu.aturan.jenis")
    assert "'hari_libur' tidak dikenal" in galat.pesan


def test_zona_waktu_tidak_dikenal(magetan):
    baris = ubah(magetan / "tenant.yaml", "zona_waktu: Asia/Jakarta", "zona_waktu: Asia/Magetan")
    galat = satu(validasi_folder(magetan), "tenant.yaml", "zona_waktu")
    assert "Zona waktu 'Asia/Magetan' tidak dikenal" in galat.pesan
    assert galat.baris == baris


def test_tanggal_mustahil(magetan):
    baris = ubah(magetan / LAYANAN, "tanggal: 2023-06-05", "tanggal: 2023-02-30")
    ubah(magetan / "tenant.yaml", "hari_libur_daerah: []",
         "hari_libur_daerah:\n  - tanggal: 2025-13-01\n    keterangan: Hari Jadi")
    kesalahan = validasi_folder(magetan)
    galat = satu(kesalahan, LAYANAN, "keputusan.tanggal")
    assert "'2023-02-30' tidak ada" in galat.pesan and galat.baris == baris
    galat = satu(kesalahan, "tenant.yaml", "hari_libur_daerah[0].tanggal")
    assert "'2025-13-01' tidak ada" in galat.pesan


def test_kunci_tidak_dikenal(magetan):
    baris = ubah(magetan / LAYANAN, "menerima_rujukan: false", "menerima_rujukan: false\nmenerima_rujukn: true")
    galat = satu(validasi_folder(magetan), LAYANAN, "menerima_rujukn")
    assert "tidak dikenal" in galat.pesan and galat.baris == baris + 1


def test_kunci_ganda(magetan):
    ubah(magetan / LAYANAN, "menerima_rujukan: false", "menerima_rujukan: false\nmenerima_rujukan: true")
    galat = satu(validasi_folder(magetan), LAYANAN, "menerima_rujukan")
    assert "lebih dari sekali" in galat.pesan


def test_nip_salah(magetan):
    ubah(magetan / "tenant.yaml", "nip: 19721221 199302 1 002", "nip: 19721221199302 1 002")
    galat = satu(validasi_folder(magetan), "tenant.yaml", "kepala_dinas.nip")
    assert "18 digit" in galat.pesan


def test_email_kanal_salah(magetan):
    ubah(magetan / LAYANAN, "nilai: dinsos@magetan.go.id", "nilai: dinsos magetan.go.id")
    galat = satu(validasi_folder(magetan), LAYANAN, "penyampaian_pelayanan.pengaduan.sarana[1].nilai")
    assert "email" in galat.pesan


def test_kode_wilayah_tanpa_kutip(magetan):
    ubah(magetan / "tenant.yaml", 'kode_wilayah: "35.20"', "kode_wilayah: 35.20")
    galat = satu(validasi_folder(magetan), "tenant.yaml", "kode_wilayah")
    assert "tanda kutip" in galat.pesan


def test_kode_wilayah_kabupaten_di_rentang_kota(magetan):
    ubah(magetan / "tenant.yaml", 'kode_wilayah: "35.20"', 'kode_wilayah: "35.75"')
    galat = satu(validasi_folder(magetan), "tenant.yaml", "kode_wilayah")
    assert "01-69" in galat.pesan


def test_format_nomor_tanpa_nomor_urut(magetan):
    ubah(magetan / "tenant.yaml", 'register: "460/{n}/403.107/{yyyy}"', 'register: "460/{urut}/403.107/{yyyy}"')
    galat = satu(validasi_folder(magetan), "tenant.yaml", "format_nomor.register")
    assert "{urut}" in galat.pesan


def test_isian_pilihan_tanpa_daftar(akar):
    folder = akar / "kota-metro"
    berkas = "services/penanganan-ppks-terlantar.yaml"
    ubah(folder / berkas, "          pilihan: [Kepolisian, Satpol PP, Kelurahan, Masyarakat]\n", "")
    galat = satu(validasi_folder(folder), berkas, "sop.langkah[0].isian[0].pilihan")
    assert "daftar pilihan" in galat.pesan


def test_slug_harus_sama_dengan_nama_folder(akar):
    (akar / "kabupaten-magetan").rename(akar / "kab-magetan")
    galat = satu(validasi_akar(akar), "kab-magetan/tenant.yaml", "slug")
    assert "nama folder 'kab-magetan'" in galat.pesan and galat.baris is not None


def test_kode_layanan_harus_sama_dengan_nama_berkas(magetan):
    (magetan / LAYANAN).rename(magetan / "services/anjal.yaml")
    galat = satu(validasi_folder(magetan), "services/anjal.yaml", "kode")
    assert "nama berkas 'anjal'" in galat.pesan


def test_berkas_layanan_bukan_yaml(magetan):
    (magetan / LAYANAN).rename(magetan / "services/pengiriman-anjal-at.yml")
    galat = satu(validasi_folder(magetan), "services/pengiriman-anjal-at.yml", "")
    assert ".yaml" in galat.pesan


def test_provinsi_induk_harus_ada_di_akar(akar):
    shutil.rmtree(akar / "provinsi-jawa-timur")
    galat = satu(validasi_akar(akar), "kabupaten-magetan/tenant.yaml", "provinsi_induk")
    assert "'provinsi-jawa-timur' tidak ada" in galat.pesan and galat.baris is not None


def test_provinsi_induk_harus_bertingkat_provinsi(akar):
    ubah(akar / "kabupaten-magetan/tenant.yaml", "provinsi_induk: provinsi-jawa-timur", "provinsi_induk: kota-metro")
    galat = satu(validasi_akar(akar), "kabupaten-magetan/tenant.yaml", "provinsi_induk")
    assert "bukan provinsi" in galat.pesan


def test_kode_wilayah_harus_di_bawah_provinsi_induk(akar):
    ubah(akar / "kabupaten-magetan/tenant.yaml", "provinsi_induk: provinsi-jawa-timur", "provinsi_induk: provinsi-banten")
    galat = satu(validasi_akar(akar), "kabupaten-magetan/tenant.yaml", "provinsi_induk")
    assert "'35.20' tidak berada di bawah" in galat.pesan


def test_provinsi_tidak_punya_induk(akar):
    ubah(akar / "provinsi-banten/tenant.yaml", "provinsi_induk: null", "provinsi_induk: provinsi-lampung")
    galat = satu(validasi_folder(akar / "provinsi-banten"), "tenant.yaml", "provinsi_induk")
    assert "tidak punya provinsi induk" in galat.pesan


def test_baca_folder_tenant_menolak_folder_rusak_dengan_semua_kesalahan(magetan):
    ubah(magetan / LAYANAN, "waktu: 1 jam", "waktu: sejam")
    ubah(magetan / "tenant.yaml", "zona_waktu: Asia/Jakarta", "zona_waktu: WIB")
    with pytest.raises(FolderTidakValid) as info:
        baca_folder_tenant(magetan)
    assert {(k.berkas, k.jalur) for k in info.value.kesalahan} == {
        (LAYANAN, "sop.langkah[3].waktu"),
        ("tenant.yaml", "zona_waktu"),
    }
    assert f"{LAYANAN}:" in str(info.value)


def test_baca_folder_tenant_mengembalikan_data_polos(magetan):
    data = baca_folder_tenant(magetan)
    assert data["tenant"]["slug"] == "kabupaten-magetan"
    [layanan] = data["layanan"]
    assert layanan["kode"] == "pengiriman-anjal-at"
    assert layanan["keputusan"]["tanggal"].isoformat() == "2023-06-05"
    assert data["tenant"]["hari_kerja_tambahan"] == []


@pytest.mark.parametrize(("teks", "satuan"), [
    ("1 hari", "hari_kerja"),  # in an SOP a bare "hari" is a working day
    ("7 hari kalender", "hari"),
    ("3x24 jam", "jam_kalender"),
])
def test_waktu_dibaca_oleh_parser_kalender_sla(magetan, teks, satuan):
    """The schema accepts exactly what the SLA calendar can count, with the calendar's meaning."""
    ubah(magetan / LAYANAN, "waktu: 1 jam", f"waktu: {teks}")
    assert validasi_folder(magetan) == []
    [langkah] = [l for l in baca_folder_tenant(magetan)["layanan"][0]["sop"]["langkah"] if l["kode"] == "asesmen"]
    assert parse_waktu(langkah["waktu"]).satuan == satuan


def test_rentang_waktu_ditolak_di_langkah(magetan):
    baris = ubah(magetan / LAYANAN, "waktu: 1 jam", "waktu: 1-2 hari kerja")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.langkah[3].waktu")
    assert galat.pesan.startswith("Standar waktu '1-2 hari kerja' adalah rentang")
    assert galat.baris == baris


def test_alias_yaml_ditolak_dengan_baris(magetan):
    baris = ubah(magetan / LAYANAN, "kategori_ppks: [2, 4]", "kategori_ppks: &k [2, 4]\ncatatan: *k")
    [galat] = validasi_folder(magetan)
    assert galat.berkas == LAYANAN and galat.baris == baris + 1
    assert "alias YAML" in galat.pesan


def test_sarang_terlalu_dalam_ditolak_tanpa_galat_python(magetan):
    (magetan / LAYANAN).write_text("kode: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    [galat] = validasi_folder(magetan)
    assert "bersarang terlalu dalam" in galat.pesan


def test_berkas_di_subfolder_services_ditolak(magetan):
    (magetan / "services/lama").mkdir()
    shutil.copy(magetan / LAYANAN, magetan / "services/lama/pengiriman-anjal-at.yaml")
    galat = satu(validasi_folder(magetan), "services/lama/pengiriman-anjal-at.yaml", "")
    assert "langsung di folder services/" in galat.pesan


def test_periksa_kantor_dari_berkas_di_memori_sama_dengan_dari_folder(magetan):
    from dinsos.catalogue.skema.folder import berkas_folder, periksa_kantor

    ubah(magetan / LAYANAN, "waktu: 1 jam", "waktu: sejam")
    berkas = {nama: isi.decode() for nama, isi in berkas_folder(magetan).items()}
    assert periksa_kantor("kabupaten-magetan", berkas)[1] == validasi_folder(magetan)


def test_nomor_register_pada_langkah_perlu_tepat_satu_langkah_register(magetan):
    ubah(magetan / LAYANAN, "dokumen_keluaran: nomor_register", "dokumen_keluaran: null")
    galat = satu(validasi_folder(magetan), LAYANAN, "sop.nomor_register")
    assert "tepat satu langkah" in galat.pesan and "(ada 0)" in galat.pesan


@pytest.mark.parametrize(("lama", "baru", "jalur", "kata"), [
    ("nomor_register: langkah", "nomor_register: saat_lengkap", "sop.nomor_register", "Saat nomor register diberikan"),
    ("pihak: kantor", "pihak: dinas", "penyampaian_pelayanan.persyaratan.dokumen[2].pihak", "Pihak persyaratan"),
])
def test_nilai_saat_nomor_register_dan_pihak_persyaratan_diperiksa(magetan, lama, baru, jalur, kata):
    ubah(magetan / LAYANAN, lama, baru)
    galat = satu(validasi_folder(magetan), LAYANAN, jalur)
    assert kata in galat.pesan


@pytest.mark.parametrize(("lama", "baru", "jalur", "kata"), [
    ("disposisi: [kepala_dinas, kepala_bidang, fungsional_peksos]", "disposisi: [kepala_dinas, kepala_bidang, pelapor]",
     "sop.langkah[2].disposisi", "pelaksana langkah ini"),
    ("disposisi: [kepala_dinas, kepala_bidang, fungsional_peksos]", "disposisi: [kepala_dinas]",
     "sop.langkah[2].disposisi", "minimal dua"),
    ("arah: keluar", "arah: ke-balai", "sop.langkah[8].arah", "Arah serah terima"),
])
def test_disposisi_dan_arah_diperiksa(magetan, lama, baru, jalur, kata):
    ubah(magetan / LAYANAN, lama, baru)
    galat = satu(validasi_folder(magetan), LAYANAN, jalur)
    assert kata in galat.pesan
