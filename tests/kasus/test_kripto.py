"""Sensitive fields are encrypted at rest, searchable by NIK through a keyed hash, and survive a key rotation."""
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from dinsos.cases.kelola import jeda_kasus
from dinsos.cases.klien import cari_duplikat
from dinsos.cases.models import Klien
from dinsos.cases.penerimaan import terima_kasus
from dinsos.cases.perubahan import simpan
from dinsos.cases.sop import selesaikan_langkah
from dinsos.cli import main as cli
from dinsos.core import kripto
from dinsos.core.db import db
from dinsos_uji.alat_kasus import akun, di_kantor
from dinsos_uji.alat_kasus import kasus as muat

RAHASIA = ["Rizky Pratama", "1872010302100001", "Jalan Melati 7", "Sumiati Ibunya", "Bekas luka di dahi",
           "Catatan kunjungan pertama", "Menunggu jawaban Polres", "Bripka Anton"]


def _kasus_lengkap(seed):
    kantor, staf = seed
    mt, s = kantor["kota-metro"], staf["kota-metro"]
    with di_kantor(mt):
        hasil = terima_kasus("pendampingan-abh", pelapor={"jenis": "kepolisian", "nama": "Bripka Anton", "instansi": "Polres"},
                                 klien={"nama": "Rizky Pratama", "nik": "1872010302100001", "alamat": "Jalan Melati 7",
                                        "deskripsi": "Bekas luka di dahi",
                                        "keluarga": [{"nama": "Sumiati Ibunya", "hubungan": "ibu"}]},
                                 persyaratan={"surat-kepolisian": "dilihat"}, pengguna=akun(s["petugas_pelayanan"]))
        k = hasil.kasus
        selesaikan_langkah(k, versi=k.versi, kode_langkah="surat-permohonan", pengguna=akun(s["petugas_pelayanan"]),
                               isian={"nomor_surat": "B/1", "tanggal_surat": "2026-05-01"}, catatan="Catatan kunjungan pertama")
        jeda_kasus(k, versi=k.versi, jenis="menunggu_instansi", alasan="Menunggu jawaban Polres", pengguna=akun(s["kepala_bidang"]))
        simpan()
        return mt, k.id


def _isi_mentah(mesin) -> str:
    tabel = ["klien", "anggota_keluarga", "kasus", "langkah_kasus", "peristiwa_kasus", "jeda_kasus", "lampiran_kasus"]
    teks = []
    with mesin.connect() as c:
        for t in tabel:
            for baris in c.execute(text(f'SELECT * FROM "{t}"')):
                teks.extend(str(v) for v in baris)
    return "\n".join(teks)


def test_raw_columns_hold_no_plaintext(seed, mesin_pemilik):
    mt, kid = _kasus_lengkap(seed)
    mentah = _isi_mentah(mesin_pemilik)
    for nilai in RAHASIA:
        assert nilai not in mentah, nilai
    assert "gAAAAA" in mentah  # Fernet tokens are there instead
    with di_kantor(mt):
        k = muat(kid)  # and the application reads them back
        assert (k.klien.nama, k.klien.nik, k.klien.keluarga[0].nama) == ("Rizky Pratama", "1872010302100001", "Sumiati Ibunya")
        assert k.langkah[0].catatan == "Catatan kunjungan pertama" and k.pelapor_nama == "Bripka Anton"


def test_a_second_key_decrypts_after_rotation_and_nik_search_keeps_working(seed, app, mesin_pemilik, monkeypatch):
    mt, kid = _kasus_lengkap(seed)
    lama = app.extensions["dinsos_brankas"]
    kunci_baru = Fernet.generate_key()
    # Step 1 of the runbook: the new key first, the old one kept.
    monkeypatch.setitem(app.extensions, "dinsos_brankas", kripto.Brankas([kunci_baru, *lama._kunci_asli]))
    with di_kantor(mt):
        assert muat(kid).klien.nama == "Rizky Pratama"
        assert [d["alasan"] for d in cari_duplikat("1872 0103 0210 0001", None, None)] == ["NIK sama"]
    sebelum = _isi_mentah(mesin_pemilik)
    hasil = app.test_cli_runner().invoke(cli, ["keys", "rotate"])
    assert hasil.exit_code == 0, hasil.output
    assert "sidik NIK dihitung ulang" in hasil.output
    assert _isi_mentah(mesin_pemilik) != sebelum
    # Step 4: the old key dropped. Everything still reads, and the NIK is still found.
    monkeypatch.setitem(app.extensions, "dinsos_brankas", kripto.Brankas([kunci_baru]))
    with di_kantor(mt):
        k = muat(kid)
        assert (k.klien.nama, k.klien.alamat, k.jeda[0].alasan) == ("Rizky Pratama", "Jalan Melati 7", "Menunggu jawaban Polres")
        assert [d["alasan"] for d in cari_duplikat("1872010302100001", None, None)] == ["NIK sama"]
    # And without the new key nothing can be read.
    monkeypatch.setitem(app.extensions, "dinsos_brankas", lama)
    with di_kantor(mt):
        with pytest.raises(kripto.KunciTidakValid):
            db.session.scalars(select(Klien)).all()


def test_embedded_mode_generates_a_private_key_and_production_requires_one(tmp_path):
    kunci = kripto._baca_kunci({"ENCRYPTION_KEYS": None, "REDIS_URL": None}, str(tmp_path))
    berkas = Path(tmp_path) / "encryption_key"
    assert berkas.exists() and oct(berkas.stat().st_mode & 0o777) == "0o600"
    assert kripto._baca_kunci({"ENCRYPTION_KEYS": None, "REDIS_URL": None}, str(tmp_path)) == kunci
    with pytest.raises(kripto.KunciTidakValid, match="must be set"):
        kripto._baca_kunci({"ENCRYPTION_KEYS": None, "REDIS_URL": "redis://x"}, str(tmp_path))
    with pytest.raises(kripto.KunciTidakValid, match="key 2 is not a Fernet key"):
        kripto._baca_kunci({"ENCRYPTION_KEYS": Fernet.generate_key().decode() + ",bukan-kunci"}, str(tmp_path))


def test_the_nik_hash_is_keyed_and_not_the_nik():
    a = kripto.Brankas([Fernet.generate_key()])
    b = kripto.Brankas([Fernet.generate_key()])
    assert a.sidik("1872010302100001") != b.sidik("1872010302100001")
    assert "1872010302100001" not in a.sidik("1872010302100001") and len(a.sidik("x")) == 64


def test_every_sensitive_column_is_encrypted(app):
    kolom = kripto.kolom_terenkripsi(db.metadata)
    assert kolom["klien"] == ["nama", "deskripsi", "nik", "alamat"]
    assert set(kolom["anggota_keluarga"]) == {"nama", "kontak", "alamat"}
    assert set(kolom["langkah_kasus"]) == {"isian", "catatan"}
    assert set(kolom["kasus"]) == {"pelapor_nama", "pelapor_kontak"}
    assert {"peristiwa_kasus", "jeda_kasus", "lampiran_kasus"} <= set(kolom)
    assert "nik_sidik" not in kolom["klien"]  # the keyed hash stays searchable
