"""Issue 19 item 4: plain SQL as the app role cannot bind an office, cross offices or reach the platform tables.

An SQL injection anywhere runs as ``dinsos_app`` in some transaction of the app. These tests are that SQL: a
connection as the app role that knows everything except the app's secret. The app's own binding
(``dinsos_ikat`` with the secret) still works, which is how every other PostgreSQL test runs.
"""
import pytest
from sqlalchemy import create_engine, text

from dinsos.core.db import model_milik_tenant
from dinsos_uji.bantuan import buat_staf, buat_tenant

pytestmark = pytest.mark.postgres


@pytest.fixture
def dua_kantor(app):
    from dinsos.audit.services import catat_peristiwa
    from dinsos.auth.services import buat_admin_platform
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant

    a, b = buat_tenant(app, "kota-a"), buat_tenant(app, "kota-b")
    buat_staf(a, "petugas_pelayanan")
    buat_staf(b, "kepala_bidang")
    with app.app_context():
        buat_admin_platform("admin@platform.uji", "Admin", "kata-sandi-admin-1")
        for k in (a, b):
            with dalam_tenant(k.id):
                catat_peristiwa("uji_rahasia_kantor", objek_jenis="uji")
                db.session.flush()
        catat_peristiwa("uji_platform", email="admin@platform.uji")
        db.session.commit()
    return a, b


@pytest.fixture
def sql_aplikasi(app):
    """A connection as the app role, as injected SQL would have it."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as c:
        assert c.execute(text("SELECT current_user")).scalar() == app.config["DB_APP_ROLE"]
        c.rollback()
        yield c
    engine.dispose()


def _jumlah(c, tabel, where="true"):
    return c.execute(text(f'SELECT count(*) FROM "{tabel}" WHERE {where}')).scalar()


def test_set_config_alone_binds_no_office_and_opens_no_crossing(dua_kantor, sql_aplikasi):
    a, _ = dua_kantor
    c = sql_aplikasi
    pemalsuan = [
        ("app.tenant_id", str(a.id)),
        ("app.lintas_tenant", "on"),  # what crossed before migration 0012
        ("app.lingkup", "lintas"),
        ("app.lingkup", "platform"),
    ]
    for nama, nilai in pemalsuan:
        with c.begin():
            c.execute(text("SELECT set_config(:n, :v, true)"), {"n": nama, "v": nilai})
            c.execute(text("SELECT set_config('app.segel', repeat('0', 64), true)"))
            for model in model_milik_tenant():
                assert _jumlah(c, model.__tablename__) == 0, (nama, model.__tablename__)
            assert _jumlah(c, "audit_log") == 0, nama
            assert _jumlah(c, "admin_platform") == 0, nama
            assert _jumlah(c, "sesi_admin_platform") == 0, nama
            assert _jumlah(c, "draf_onboarding") == 0, nama


def test_the_app_role_cannot_read_the_keys_or_make_a_seal(dua_kantor, sql_aplikasi):
    c = sql_aplikasi
    for sql in ("SELECT * FROM rahasia.kunci_segel", "SELECT * FROM rahasia.aplikasi",
                "SELECT dinsos_segel('1', '')", "SELECT dinsos_ikat_pemilik()"):
        with pytest.raises(Exception, match="permission denied"):
            with c.begin():
                c.execute(text(sql))
    with pytest.raises(Exception, match="rahasia aplikasi tidak terdaftar"):
        with c.begin():
            c.execute(text("SELECT dinsos_ikat('tebakan', 1, 'lintas')"))


def test_a_seal_is_worth_nothing_in_the_next_transaction(app, dua_kantor, sql_aplikasi):
    a, _ = dua_kantor
    c = sql_aplikasi
    with c.begin():  # the app's own binding, as a request of office A makes it
        c.execute(text("SELECT dinsos_ikat(:r, :t, '')"), {"r": app.config["RAHASIA_IKATAN"], "t": a.id})
        segel = c.execute(text("SELECT current_setting('app.segel')")).scalar()
        assert _jumlah(c, "pengguna") == 1
    with c.begin():  # injected SQL replaying what it read
        c.execute(text("SELECT set_config('app.tenant_id', :t, true), set_config('app.lingkup', '', true),"
                       " set_config('app.segel', :s, true)"), {"t": str(a.id), "s": segel})
        assert _jumlah(c, "pengguna") == 0


def test_the_app_binding_sees_its_office_and_crossing_sees_all(app, dua_kantor, sql_aplikasi):
    a, b = dua_kantor
    c = sql_aplikasi
    r = app.config["RAHASIA_IKATAN"]
    with c.begin():
        c.execute(text("SELECT dinsos_ikat(:r, :t, '')"), {"r": r, "t": a.id})
        for model in model_milik_tenant():
            assert _jumlah(c, model.__tablename__, f"tenant_id <> {a.id}") == 0, model.__tablename__
        assert _jumlah(c, "pengguna") == 1
        # the office's own audit rows, nothing of B's or the platform's
        assert {t for (t,) in c.execute(text("SELECT DISTINCT tenant_id FROM audit_log"))} == {a.id}
        assert _jumlah(c, "admin_platform") == 0
    with c.begin():
        c.execute(text("SELECT dinsos_ikat(:r, NULL, 'lintas')"), {"r": r})
        assert _jumlah(c, "pengguna") == 2
        assert _jumlah(c, "audit_log", "tenant_id = 0") >= 1  # PLATFORM (migration 0020)


def test_no_admin_password_hash_or_email_without_the_platform_scope(dua_kantor, sql_aplikasi):
    a, _ = dua_kantor
    c = sql_aplikasi
    with c.begin():
        assert c.execute(text("SELECT email, hash_kata_sandi FROM admin_platform")).all() == []
        assert c.execute(text("SELECT rincian FROM audit_log WHERE rincian::text LIKE '%admin@platform%'")).all() == []


def test_plain_sql_cannot_write_the_platform_tables(dua_kantor, sql_aplikasi):
    a, b = dua_kantor
    c = sql_aplikasi
    with c.begin():
        assert c.execute(text("UPDATE tenants SET nama = 'dibajak'")).rowcount == 0
        assert c.execute(text("DELETE FROM tenants")).rowcount == 0
        assert c.execute(text("UPDATE admin_platform SET hash_kata_sandi = 'x'")).rowcount == 0
    for sql in (
        "INSERT INTO tenants (slug, nama, tingkat, kode_wilayah, zona_waktu, kanal_kontak, kepala_dinas, kop_surat,"
        " format_nomor, jam_kerja, hari_libur_daerah, hari_kerja_tambahan, aktif, dibuat_pada)"
        " VALUES ('palsu', 'Palsu', 'kota', '1', 'Asia/Jakarta', '[]', '{}', '{}', '{}', '{}', '[]', '[]', true, now())",
        "INSERT INTO admin_platform (email, nama, hash_kata_sandi, aktif, gagal_masuk)"
        " VALUES ('penyusup@x', 'x', 'x', true, 0)",
        "INSERT INTO draf_onboarding (slug, berkas, revisi, dibuat_pada, diubah_pada) VALUES ('x', '{}', 1, now(), now())",
    ):
        with pytest.raises(Exception, match="row-level security"):
            with c.begin():
                c.execute(text(sql))


def test_an_office_may_write_its_own_settings_but_not_who_it_is(app, dua_kantor, sql_aplikasi):
    a, b = dua_kantor
    c = sql_aplikasi
    r = app.config["RAHASIA_IKATAN"]
    with c.begin():
        c.execute(text("SELECT dinsos_ikat(:r, :t, '')"), {"r": r, "t": a.id})
        assert c.execute(text("UPDATE tenants SET maklumat = 'baru'")).rowcount == 1  # its own row only
    for kolom, nilai in (("slug", "'kota-z'"), ("provinsi_induk_id", str(b.id)), ("aktif", "false")):
        with pytest.raises(Exception, match="identitas kantor"):
            with c.begin():
                c.execute(text("SELECT dinsos_ikat(:r, :t, '')"), {"r": r, "t": a.id})
                c.execute(text(f"UPDATE tenants SET {kolom} = {nilai} WHERE id = :t"), {"t": a.id})
