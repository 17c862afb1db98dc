"""The demo data generator: deterministic from its seed, plausible, and usable through the pages."""
import os
import re
import subprocess
import sys
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from dinsos_uji import bantuan
from dinsos_uji.bantuan import token_csrf

ROOT = Path(__file__).resolve().parents[2]
PADA = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
SANDI = "sandi-demo-uji-1"


def _app_baru(folder: Path):
    """A fresh embedded app with its own migrated SQLite database."""
    from flask_migrate import upgrade

    from dinsos import create_app

    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "uji", "REDIS_URL": None, "TESTING": True,
                      "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}", "ENCRYPTION_KEYS": Fernet.generate_key().decode()})
    with app.app_context():
        upgrade()
    return app


def _buat(app, benih, kantor=5, kasus=120):
    from dinsos.demo.buat import buat_data_demo

    with app.app_context():
        return buat_data_demo(jumlah_kantor=kantor, jumlah_kasus=kasus, benih=benih, pada=PADA, kata_sandi=SANDI,
                              akar=ROOT / "tenants")


def test_same_seed_gives_the_same_data_and_another_seed_other_data(tmp_path):
    pertama = _buat(_app_baru(tmp_path / "a"), benih=11)
    kedua = _buat(_app_baru(tmp_path / "b"), benih=11)  # other database, other keys and ids: same data
    lain = _buat(_app_baru(tmp_path / "c"), benih=12)
    assert pertama.sidik == kedua.sidik
    assert pertama.jumlah == kedua.jumlah and pertama.kantor == kedua.kantor
    assert lain.sidik != pertama.sidik and lain.kantor[3:] != pertama.kantor[3:]


def test_the_data_covers_every_service_step_and_state_and_holds_together(tmp_path):
    from dinsos.cases.models import Kasus, Klien, LangkahKasus, PeristiwaKasus
    from dinsos.cases.nik import periksa_nik
    from dinsos.catalogue.models import Layanan, VersiLayanan
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant
    from dinsos.documents.models import UrutanNomor
    from dinsos.surveys.models import JawabanSurvei
    from dinsos.tenancy.models import Tenant

    app = _app_baru(tmp_path)
    hasil = _buat(app, benih=3, kantor=5, kasus=300)
    with app.app_context(), lintas_tenant("uji", catat=False):
        assert hasil.kantor[:3] == ["kabupaten-magetan", "kota-metro", "provinsi-banten"]
        klon = db.session.scalars(select(Tenant).where(Tenant.slug.in_(hasil.kantor[3:]))).all()
        assert len(klon) == 2
        for t in klon:
            induk = db.session.get(Tenant, t.provinsi_induk_id)
            assert t.tingkat in ("kabupaten", "kota") and t.kode_wilayah.startswith(induk.kode_wilayah + ".")
            # cloned standards name their own office, not the template's
            isi = str([v.isi for v in db.session.scalars(select(VersiLayanan).where(VersiLayanan.tenant_id == t.id))])
            assert "Magetan" not in isi and "Kota Metro" not in isi and t.nama.split()[-1] in isi

        for layanan in db.session.scalars(select(Layanan).where(Layanan.tenant_id.in_([t.id for t in klon] + [
                db.session.scalar(select(Tenant.id).where(Tenant.slug == s)) for s in hasil.kantor[:3]]))):
            versi = db.session.scalar(select(VersiLayanan).where(VersiLayanan.layanan_id == layanan.id))
            kasus = db.session.scalars(select(Kasus).where(Kasus.layanan_id == layanan.id)).all()
            status = Counter(k.status for k in kasus)
            assert set(status) == {"berkas_belum_lengkap", "berjalan", "dijeda", "ditutup"}, (layanan.kode, status)
            langkah = {k.langkah_kode for k in kasus if k.status == "berjalan"}
            assert langkah == {l["kode"] for l in versi.isi["sop"]["langkah"]}, layanan.kode
            # every outcome but those that need a recorded case act (Metro's ABH diversion and court decisions): acts
            # are not generated, and the live check refuses such an outcome without one
            assert {k.hasil_akhir for k in kasus if k.status == "ditutup"} == {
                h["kode"] for h in versi.isi["sop"]["hasil_akhir"]
                if all("langkah" in s for s in (h.get("wajib_semua") or []) + (h.get("wajib_salah_satu") or []))}

        semua = db.session.scalars(select(Kasus)).all()
        register = {v.id: next(d["kode"] for d in v.isi["sop"]["langkah"] if d.get("dokumen_keluaran") == "nomor_register")
                    for v in db.session.scalars(select(VersiLayanan)) if v.saat_nomor_register == "langkah"}
        saat = {}
        for k in semua:
            waktu = [p.waktu for p in db.session.scalars(select(PeristiwaKasus).where(PeristiwaKasus.kasus_id == k.id)
                                                         .order_by(PeristiwaKasus.urutan))]
            assert waktu == sorted(waktu) and waktu[0] == k.diterima_pada and max(waktu) <= PADA
            berjalan = [l for l in db.session.scalars(select(LangkahKasus).where(LangkahKasus.kasus_id == k.id)) if l.status == "berjalan"]
            assert len(berjalan) == (1 if k.status in ("berjalan", "dijeda") else 0)
            # numbered when the file is complete, or (sop.nomor_register: langkah, Magetan) when its register step is done
            saat[k.id] = k.berkas_lengkap_pada
            if register.get(k.versi_layanan_id):
                saat[k.id] = next((l.selesai_pada for l in k.langkah if l.kode == register[k.versi_layanan_id]
                                   and l.status == "selesai"), None)
            assert (k.nomor_register is None) == (saat[k.id] is None)
        # register numbers: gapless per office and year, and the counter continues after them
        for t in db.session.scalars(select(Tenant)):
            urut = Counter()
            for k in semua:
                if k.tenant_id == t.id and k.nomor_register_urut:
                    urut[saat[k.id].year] += 1
            for tahun, n in urut.items():
                assert sorted(k.nomor_register_urut for k in semua if k.tenant_id == t.id and k.nomor_register_urut
                              and saat[k.id].year == tahun) == list(range(1, n + 1))
                assert db.session.scalar(select(UrutanNomor.terakhir).where(UrutanNomor.tenant_id == t.id, UrutanNomor.tahun == tahun)) == n

        klien = db.session.scalars(select(Klien).where(Klien.nik.is_not(None))).all()
        assert len(klien) > 30
        for k in klien:  # the NIK agrees with the birth date and sex, and is found again through its keyed hash
            periksa_nik(k.nik, jenis_kelamin=k.jenis_kelamin, tanggal_lahir=k.tanggal_lahir, hari_ini=PADA.date())
        from dinsos.core.kripto import brankas

        assert klien[0].nik_sidik == brankas().sidik(klien[0].nik)
        assert db.session.scalar(select(func.count()).select_from(JawabanSurvei)) > 0
        nama = Counter(k.nama for k in db.session.scalars(select(Klien)) if k.nama)
        assert len(nama) > 100  # varied names, not one repeated


def test_generate_through_the_cli_then_staff_work_with_the_pages(app, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    env.update(PYTHONPATH=os.pathsep.join(str(ROOT / d) for d in ("platform", "workers")),
               DATABASE_URL=app.config["DATABASE_URL"], DINSOS_INSTANCE_PATH=str(tmp_path),
               DINSOS_SECRET_KEY="uji-rahasia", DINSOS_ENCRYPTION_KEYS=app.config["ENCRYPTION_KEYS"])
    proses = subprocess.run(
        [sys.executable, "-m", "dinsos.cli", "demo", "generate", "--tenants", "4", "--cases", "120", "--seed", "5",
         "--password", SANDI, "--tenants-path", str(ROOT / "tenants")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=240,
    )
    assert proses.returncode == 0, proses.stderr[-3000:]
    keluaran = proses.stdout
    assert "kasus: 120" in keluaran and re.search(r"sidik data: [0-9a-f]{64}", keluaran)
    email = re.search(r"/t/kota-metro/masuk  ->  .*kepala_bidang: (\S+@kota-metro\.demo)", keluaran)[1]
    petugas = re.search(r"/t/kota-metro/masuk  ->  petugas_pelayanan: (\S+@kota-metro\.demo)", keluaran)[1]

    kabid = app.test_client()
    r = bantuan.masuk(kabid, "kota-metro", email, SANDI)
    assert r.status_code == 302
    daftar = kabid.get("/t/kota-metro/kasus/")
    assert daftar.status_code == 200
    ids = re.findall(r'/kasus/([0-9a-f-]{36})"', daftar.get_data(as_text=True))
    assert len(ids) == 25 and "rel=\"next\"" in daftar.get_data(as_text=True)  # 30 cases: a full first page
    for kid in ids:
        halaman = kabid.get(f"/t/kota-metro/kasus/{kid}")
        assert halaman.status_code == 200, kid
        assert "Lini masa" in halaman.get_data(as_text=True)
    for alamat in ("/t/kota-metro/dasbor", "/t/kota-metro/pengaduan/", "/t/kota-metro/ikm", "/t/kota-metro/kasus/saya"):
        assert kabid.get(alamat).status_code == 200, alamat

    # The front office sees confidential (children's, ABH) clients masked in the list, and can take in a new case.
    depan = app.test_client()
    assert bantuan.masuk(depan, "kota-metro", petugas, SANDI).status_code == 302
    teks = depan.get("/t/kota-metro/kasus/?status=ditutup").get_data(as_text=True)
    assert re.search(r"<td>[A-Z]\*\*\*( [A-Z]\*\*\*)* <span class=\"lencana\"", teks)
    form = depan.get("/t/kota-metro/kasus/baru/pendampingan-abh").get_data(as_text=True)
    r = depan.post("/t/kota-metro/kasus/baru/pendampingan-abh", content_type="multipart/form-data", data={
        "csrf_token": token_csrf(form), "pelapor_jenis": "kepolisian", "pelapor_instansi": "Polres Metro",
        "nama": "Raka Pratama", "jenis_kelamin": "L", "umur_perkiraan": "15", "kategori_ppks": "3",
        "klien_pilihan": "baru", "status_0": "dilihat", "keluarga-0-nama": "", "keluarga-0-hubungan": "",
    })
    assert r.status_code == 302, r.get_data(as_text=True)[-2000:]
    kid = uuid.UUID(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    from dinsos.cases.models import Kasus
    from dinsos.core.db import db
    from dinsos.core.tenant import lintas_tenant

    with app.app_context(), lintas_tenant("uji", catat=False):
        baru = db.session.get(Kasus, (db.session.scalar(select(Kasus.tenant_id).where(Kasus.id == kid)), kid))
        sebelumnya = db.session.scalars(select(Kasus.nomor_register_urut).where(
            Kasus.tenant_id == baru.tenant_id, Kasus.id != baru.id, Kasus.nomor_register.like(f"%/{baru.berkas_lengkap_pada.year}"))).all()
        # the register number continues the generated sequence of the year instead of clashing with it
        assert baru.nomor_register_urut == max(sebelumnya) + 1
