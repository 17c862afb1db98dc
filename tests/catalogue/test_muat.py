"""The loader: idempotent, all or nothing, a changed service becomes a new version."""
import re
import shutil

import pytest
from sqlalchemy import select

from dinsos.catalogue.models import Layanan, VersiLayanan
from dinsos.cli import main as cli
from dinsos.core.db import db
from dinsos.core.tenant import lintas_tenant
from dinsos.tenancy.models import Tenant
from dinsos.tenancy.muat import GagalMuat, muat_akar

MAGETAN = "kabupaten-magetan/services/pengiriman-anjal-at.yaml"


def ubah(berkas, lama, baru):
    teks = berkas.read_text(encoding="utf-8")
    assert lama in teks, lama
    posisi = teks.index(lama)
    berkas.write_text(teks.replace(lama, baru, 1), encoding="utf-8")
    return teks.count("\n", 0, posisi) + 1


def muat(app, path):
    with app.app_context():
        return muat_akar(path)


def versi_magetan(app):
    with app.app_context(), lintas_tenant("uji", catat=False):
        layanan = db.session.scalar(select(Layanan).where(Layanan.kode == "pengiriman-anjal-at"))
        semua = db.session.scalars(
            select(VersiLayanan).where(VersiLayanan.layanan_id == layanan.id).order_by(VersiLayanan.versi)
        ).all()
        return layanan.versi_terbaru, [(v.id, v.versi, v.sidik, v.isi, v.dibuat_pada) for v in semua]


def test_memuat_akar_seed_membuat_kantor_dan_layanannya(app, akar):
    laporan = muat(app, akar)
    assert "kabupaten-magetan: dibuat" in laporan
    assert "  pengiriman-anjal-at: versi 1 disimpan" in laporan
    with app.app_context(), lintas_tenant("uji", catat=False):
        kantor = {t.slug: t for t in db.session.scalars(select(Tenant))}
        assert set(kantor) == {"kota-metro", "kabupaten-magetan", "provinsi-banten", "provinsi-lampung",
                               "provinsi-jawa-timur"}
        assert kantor["kota-metro"].provinsi_induk.slug == "provinsi-lampung"
        assert kantor["kabupaten-magetan"].provinsi_induk.slug == "provinsi-jawa-timur"
        layanan = {(l.tenant_id, l.kode) for l in db.session.scalars(select(Layanan))}
        assert layanan == {
            (kantor["kota-metro"].id, "pendampingan-abh"),
            (kantor["kota-metro"].id, "penanganan-ppks-terlantar"),
            (kantor["kabupaten-magetan"].id, "pengiriman-anjal-at"),
            (kantor["provinsi-banten"].id, "rehabilitasi-anak-terlantar-panti"),
        }


def test_memuat_dua_kali_tidak_mengubah_apa_pun(app, akar, potret):
    muat(app, akar)
    sebelum = potret()
    laporan = muat(app, akar)
    assert potret() == sebelum  # not even an audit row
    assert all("tidak berubah" in baris for baris in laporan)


def test_mengubah_satu_langkah_membuat_versi_2_dan_versi_1_utuh(app, akar, potret):
    muat(app, akar)
    _, [v1] = versi_magetan(app)
    ubah(akar / MAGETAN, "kelengkapan: Form Assesment\n", "kelengkapan: Form Asesmen Lengkap\n")
    laporan = muat(app, akar)
    assert "  pengiriman-anjal-at: versi 2 disimpan" in laporan
    assert "  pendampingan-abh: versi 1 tidak berubah" in laporan
    terbaru, [lama, baru] = versi_magetan(app)
    assert terbaru == 2
    assert lama == v1  # same row, same content: a case started under version 1 stays on it
    assert baru[1] == 2 and baru[0] != v1[0]
    [langkah] = [l for l in baru[3]["sop"]["langkah"] if l["kode"] == "asesmen"]
    assert langkah["kelengkapan"] == "Form Asesmen Lengkap"
    [langkah_lama] = [l for l in lama[3]["sop"]["langkah"] if l["kode"] == "asesmen"]
    assert langkah_lama["kelengkapan"] == "Form Assesment"
    sebelum = potret()
    muat(app, akar)
    assert potret() == sebelum


def test_versi_baru_diaudit(app, akar):
    from dinsos.audit.models import CatatanAudit

    muat(app, akar)
    with app.app_context(), lintas_tenant("uji: log audit setiap kantor", catat=False):
        tindakan = db.session.scalars(select(CatatanAudit.tindakan)).all()
    assert tindakan.count("standar_pelayanan_dimuat") == 4
    assert tindakan.count("profil_kantor_dimuat") == 5


# The refusals the issue lists: (edit to the Magetan service, path, words of the reason)
PENOLAKAN = {
    "tipe-salah": (("menerima_rujukan: false", "menerima_rujukan: tidak"), "menerima_rujukan", "true atau false"),
    "komponen-hilang": (("  biaya:\n    gratis: true\n    uraian: Tidak dipungut biaya / Gratis\n", ""),
                        "penyampaian_pelayanan.biaya", "Komponen wajib 'Biaya/tarif' tidak ada"),
    "pelaksana-tak-dikenal": (("pelaksana: [pendamping_rehsos, klien]", "pelaksana: [pendamping_rehsos, satpam]"),
                              "sop.langkah[3].pelaksana[1]", "Pelaksana 'satpam' tidak dikenal"),
    "langkah-tak-ada": (("berikutnya: laporan-sosial", "berikutnya: laporan-sosial-akhir"),
                        "sop.langkah[3].berikutnya", "'laporan-sosial-akhir' tidak ada"),
    "waktu-tak-terbaca": (("waktu: 1 jam", "waktu: sejam"), "sop.langkah[3].waktu", "'sejam' tidak dapat dibaca"),
}


@pytest.mark.parametrize("kasus", list(PENOLAKAN))
def test_berkas_salah_ditolak_dan_basis_data_tidak_berubah(app, akar, potret, kasus):
    (lama, baru), jalur, alasan = PENOLAKAN[kasus]
    muat(app, akar)
    # A valid change elsewhere in the same load must not go in either.
    ubah(akar / "kota-metro/services/pendampingan-abh.yaml", "tinjauan_berkala: 1 bulan", "tinjauan_berkala: 2 minggu")
    baris = ubah(akar / MAGETAN, lama, baru)
    sebelum = potret()
    with pytest.raises(GagalMuat) as info:
        muat(app, akar)
    assert potret() == sebelum
    [galat] = [k for k in info.value.kesalahan if k.jalur == jalur]
    assert galat.berkas == MAGETAN and alasan in galat.pesan
    if kasus != "komponen-hilang":  # a missing key has no line of its own
        assert galat.baris == baris
        assert str(galat).startswith(f"{MAGETAN}:{baris}: {jalur}: ")


def test_berkas_salah_pada_basis_data_kosong_tidak_memuat_apa_pun(app, akar, potret):
    sebelum = potret()
    ubah(akar / MAGETAN, "waktu: 1 jam", "waktu: sejam")
    with pytest.raises(GagalMuat):
        muat(app, akar)
    assert potret() == sebelum


def test_satu_folder_kantor_diperiksa_terhadap_induk_yang_terdaftar(app, akar, potret):
    sebelum = potret()
    with pytest.raises(GagalMuat) as info:
        muat(app, akar / "kabupaten-magetan")
    [galat] = info.value.kesalahan
    assert (galat.berkas, galat.jalur) == ("tenant.yaml", "provinsi_induk")
    assert "'provinsi-jawa-timur' tidak ada di folder ini dan belum terdaftar di platform" in galat.pesan
    assert potret() == sebelum
    muat(app, akar / "provinsi-jawa-timur")
    laporan = muat(app, akar / "kabupaten-magetan")
    assert laporan[0] == "kabupaten-magetan: dibuat"
    with app.app_context():
        magetan = db.session.scalar(select(Tenant).where(Tenant.slug == "kabupaten-magetan"))
        assert magetan.provinsi_induk.slug == "provinsi-jawa-timur"


def test_satu_folder_kantor_menyebut_berkas_relatif_terhadap_folder_itu(app, akar):
    muat(app, akar / "provinsi-jawa-timur")
    baris = ubah(akar / MAGETAN, "waktu: 1 jam", "waktu: sejam")
    with pytest.raises(GagalMuat) as info:
        muat(app, akar / "kabupaten-magetan")
    assert [str(k) for k in info.value.kesalahan] == [
        f"services/pengiriman-anjal-at.yaml:{baris}: sop.langkah[3].waktu: Standar waktu 'sejam' tidak dapat dibaca; "
        "tulis misalnya '15 menit', '1 jam', '2 hari kerja', '7 hari kalender', '3x24 jam', '1 bulan' "
        "atau '1 (satu) tahun'."
    ]


def test_induk_di_basis_data_cukup_untuk_akar_tanpa_provinsinya(app, akar):
    muat(app, akar / "provinsi-jawa-timur")
    shutil.rmtree(akar / "provinsi-jawa-timur")
    muat(app, akar)  # kabupaten-magetan names a province that is only in the database


def test_induk_terdaftar_harus_provinsi_yang_memuat_kode_wilayah(app, akar):
    muat(app, akar / "provinsi-banten")
    ubah(akar / "kabupaten-magetan/tenant.yaml", "provinsi_induk: provinsi-jawa-timur", "provinsi_induk: provinsi-banten")
    with pytest.raises(GagalMuat) as info:
        muat(app, akar / "kabupaten-magetan")
    [galat] = info.value.kesalahan
    assert "'35.20' tidak berada di bawah kode provinsi induk '36'" in galat.pesan


def test_folder_tanpa_kantor_ditolak(app, tmp_path):
    with pytest.raises(GagalMuat) as info:
        muat(app, tmp_path)
    assert "Tidak ada folder kantor" in str(info.value)


def test_berkas_bukan_utf8_ditolak_dengan_tempatnya(app, akar):
    (akar / "provinsi-banten/services/rusak.yaml").write_bytes(b"kode: \xff\xfe\n")
    with pytest.raises(GagalMuat) as info:
        muat(app, akar)
    [galat] = info.value.kesalahan
    assert galat.berkas == "provinsi-banten/services/rusak.yaml" and "UTF-8" in galat.pesan


def test_perintah_cli_memuat_dan_melaporkan_kesalahan_berformat_berkas_baris_jalur(app, akar, potret):
    runner = app.test_cli_runner()
    hasil = runner.invoke(cli, ["tenants", "load", str(akar)])
    assert hasil.exit_code == 0, hasil.output
    assert "kota-metro: dibuat" in hasil.output
    sebelum = potret()
    baris = ubah(akar / MAGETAN, "waktu: 1 jam", "waktu: sejam")
    hasil = runner.invoke(cli, ["tenants", "load", str(akar)])
    assert hasil.exit_code != 0
    assert re.search(rf"{re.escape(MAGETAN)}:{baris}: sop\.langkah\[3\]\.waktu: Standar waktu 'sejam' tidak dapat dibaca",
                     hasil.output)
    assert "tidak ada yang dimuat" in hasil.output
    assert potret() == sebelum
