"""A fresh, migrated benchmark database on PostgreSQL (shared by the benchmarks)."""
import os
import tempfile

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAMA = "dinsos_bench"


def url(database=NAMA, **ubah) -> str:
    u = make_url(ADMIN.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg", database=database, **ubah)
    return u.render_as_string(hide_password=False)


def siapkan():
    """Create the database, migrate it as the owner; return a Flask app bound to it (as the owner)."""
    from flask_migrate import upgrade

    from dinsos import create_app

    admin = create_engine(url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{NAMA}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{NAMA}"'))
    admin.dispose()
    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp(prefix="dinsos-bench-"), "SECRET_KEY": "bench", "DATABASE_URL": url()})
    with app.app_context():
        upgrade()
    return app


# --- a kept database of demo data (load benchmarks) -----------------------------------------

PERAN_APP = "dinsos_app"
FOLDER_KEADAAN = os.environ.get("BENCH_STATE_DIR", "/var/tmp/dinsos-bench")


def _komentar(nama: str) -> str | None:
    admin = create_engine(url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        teks = c.execute(text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"), {"n": nama}).scalar()
    admin.dispose()
    return teks


def _app_pemilik(nama: str, kunci: str):
    """The app on database ``nama`` as its owner, granting the app role on upgrade."""
    from dinsos import create_app

    return create_app({"INSTANCE_PATH": tempfile.mkdtemp(prefix="dinsos-bench-"), "SECRET_KEY": "bench", "REDIS_URL": None,
                       "DATABASE_URL": url(nama), "DB_APP_ROLE": PERAN_APP, "ENCRYPTION_KEYS": kunci})


def _salin(asal: str, salinan: str, tanda: str) -> dict:
    """Copy database ``asal`` to ``salinan`` once (CREATE DATABASE ... TEMPLATE); the copy's URLs."""
    admin = create_engine(url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        if _komentar(salinan) != tanda:
            c.execute(text(f'DROP DATABASE IF EXISTS "{salinan}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{salinan}" TEMPLATE "{asal}"'))
            c.execute(text(f"COMMENT ON DATABASE \"{salinan}\" IS '{tanda}'"))
    admin.dispose()
    return {"nama": salinan, "url_pemilik": url(salinan), "url_app": url(salinan, username=PERAN_APP, password=None)}


def data_demo(jumlah_kantor: int, jumlah_kasus: int, benih: int = 1, proses: int = 2, bangun_ulang: bool = False) -> dict:
    """A database holding ``dinsos demo generate`` data of this size, built once and then reused.

    What was generated (sizes, seed) is kept as the database's comment, the
    encryption key and staff password in ``BENCH_STATE_DIR``; a database whose
    comment matches is reused, migrated to the latest schema. Returns what a server needs:
    ``url_app`` (the non-owner role, so row-level security applies),
    ``url_pemilik``, ``kunci`` (Fernet keys), ``sandi`` and ``nama``.
    """
    import json
    import secrets
    from datetime import datetime, timezone
    from pathlib import Path

    from cryptography.fernet import Fernet
    from flask_migrate import upgrade

    nama = f"dinsos_beban_{jumlah_kasus}"
    from dinsos.demo.buat import VERSI_DATA

    tanda = f"dinsos demo generate --tenants {jumlah_kantor} --cases {jumlah_kasus} --seed {benih} (data v{VERSI_DATA})"
    berkas = Path(FOLDER_KEADAAN) / f"{nama}.json"
    hasil = {"nama": nama, "url_pemilik": url(nama), "url_app": url(nama, username=PERAN_APP, password=None)}
    if not bangun_ulang and berkas.exists() and _komentar(nama) == tanda:
        keadaan = json.loads(berkas.read_text())
        salinan = os.environ.get("BENCH_SALINAN")
        if salinan:  # a branch whose migrations differ works on its own copy, leaving the kept data as it is
            hasil = _salin(nama, salinan, tanda)
        with _app_pemilik(hasil["nama"], keadaan["kunci"]).app_context():
            upgrade()  # the data stays good across migrations that add no data of their own
        return hasil | keadaan

    keadaan = {"kunci": Fernet.generate_key().decode(), "sandi": secrets.token_urlsafe(12)}
    admin = create_engine(url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{nama}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{nama}"'))
        if not c.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": PERAN_APP}).scalar():
            c.execute(text(f"CREATE ROLE {PERAN_APP} LOGIN NOSUPERUSER NOBYPASSRLS"))
    app = _app_pemilik(nama, keadaan["kunci"])
    from dinsos.demo.buat import buat_data_demo

    mulai = datetime.now(timezone.utc)
    with app.app_context():
        upgrade()
        ringkas = buat_data_demo(jumlah_kantor=jumlah_kantor, jumlah_kasus=jumlah_kasus, benih=benih,
                                 pada=mulai.replace(second=0, microsecond=0), kata_sandi=keadaan["sandi"],
                                 akar=Path(__file__).resolve().parents[1] / "tenants", proses=proses,
                                 laporan=lambda t: print("   ", t, flush=True))
    baru = create_engine(url(nama), isolation_level="AUTOCOMMIT")
    with baru.connect() as c:
        c.execute(text("VACUUM ANALYZE"))
    baru.dispose()
    keadaan["akun"] = ringkas.akun
    keadaan["dibangun_detik"] = round(ringkas.detik)
    Path(FOLDER_KEADAAN).mkdir(parents=True, exist_ok=True)
    berkas.write_text(json.dumps(keadaan))
    berkas.chmod(0o600)
    with admin.connect() as c:
        c.execute(text(f"COMMENT ON DATABASE \"{nama}\" IS '{tanda}'"))
    admin.dispose()
    return hasil | keadaan


def badan_penerimaan(kode_layanan: str, isi: dict, nama_klien: str) -> dict:
    """An intake's API body for a service version's content: every applicant-side requirement seen.

    The office's own records (``pihak: kantor``) are refused at intake, so they are left out.
    """
    wajib = {d["kode"]: "dilihat" for d in isi["penyampaian_pelayanan"]["persyaratan"]["dokumen"]
             if (d.get("pihak") or "pemohon") == "pemohon"}
    return {"layanan": kode_layanan, "pelapor": {"jenis": "kepolisian", "instansi": "Polres Uji Beban", "nama": "Bripka Uji"},
            "klien": {"nama": nama_klien, "jenis_kelamin": "L", "umur_perkiraan": 13, "kategori_ppks": 2}, "persyaratan": wajib}
