"""Tenant isolation: the ORM wall and, on PostgreSQL, the row-level security wall.

Later capabilities add their tables to the same checks automatically: every
tenant-owned model is covered by ``model_milik_tenant()``.
"""
import pytest
from sqlalchemy import create_engine, func, select, text

from dinsos.auth.models import Pengguna
from dinsos.core.db import db, model_milik_tenant
from dinsos.core.tenant import PelanggaranTenant, TenantTidakTerikat, dalam_tenant, lintas_tenant
from dinsos_uji.bantuan import buat_staf, buat_tenant


@pytest.fixture
def dua_kantor_berisi(app):
    a, b = buat_tenant(app, "kota-a"), buat_tenant(app, "kota-b")
    buat_staf(a, "petugas_pelayanan")
    buat_staf(b, "petugas_pelayanan")
    buat_staf(b, "kepala_bidang")
    return a, b


def test_queries_see_only_the_bound_office(app, dua_kantor_berisi):
    a, b = dua_kantor_berisi
    with app.app_context():
        with dalam_tenant(a.id):
            assert {p.tenant_id for p in db.session.scalars(select(Pengguna))} == {a.id}
            assert db.session.scalar(select(func.count()).select_from(Pengguna)) == 1
        with dalam_tenant(b.id):
            assert db.session.scalar(select(func.count()).select_from(Pengguna)) == 2


def test_unbound_queries_on_tenant_tables_fail_closed(app, dua_kantor_berisi):
    with app.app_context():
        for model in model_milik_tenant():
            with pytest.raises(TenantTidakTerikat):
                db.session.scalars(select(model)).all()


def test_writing_into_another_office_is_refused(app, dua_kantor_berisi):
    a, b = dua_kantor_berisi
    with app.app_context():
        with lintas_tenant("uji", catat=False):
            milik_b = db.session.scalar(select(Pengguna).where(Pengguna.tenant_id == b.id))
        with dalam_tenant(a.id):
            milik_b.nama = "diubah dari A"
            with pytest.raises(PelanggaranTenant):
                db.session.flush()
            db.session.rollback()
            db.session.add(Pengguna(tenant_id=b.id, email="x@b", nama="x", peran=["petugas_pelayanan"], hash_kata_sandi="x"))
            with pytest.raises(PelanggaranTenant):
                db.session.flush()
            db.session.rollback()


def test_bulk_update_and_delete_are_scoped_too(app, dua_kantor_berisi):
    from sqlalchemy import delete, update

    a, b = dua_kantor_berisi
    with app.app_context():
        with dalam_tenant(a.id):
            db.session.execute(update(Pengguna).values(nama="semua"))
            db.session.execute(delete(Pengguna).where(Pengguna.email.like("kepala_bidang%")))
            db.session.commit()
        with dalam_tenant(b.id):
            nama = set(db.session.scalars(select(Pengguna.nama)))
            assert "semua" not in nama and db.session.scalar(select(func.count()).select_from(Pengguna)) == 2


def test_crossing_offices_is_declared_and_audited(app, dua_kantor_berisi):
    from dinsos.audit.models import CatatanAudit

    with app.app_context():
        with lintas_tenant("pengawasan provinsi: uji", objek="rujukan"):
            assert db.session.scalar(select(func.count()).select_from(Pengguna)) == 3
        db.session.commit()
        with lintas_tenant("uji: membaca log audit", catat=False):
            catatan = db.session.scalars(select(CatatanAudit).where(CatatanAudit.tindakan == "lintas_tenant")).all()
        assert [c.lintas_tenant for c in catatan] == ["pengawasan provinsi: uji"]


@pytest.mark.postgres
def test_row_level_security_is_forced_on_every_tenant_table(app, mesin_pemilik):
    from dinsos.core.rls import tabel_dengan_rls

    with mesin_pemilik.connect() as c:
        berlaku = tabel_dengan_rls(c)
    for model in model_milik_tenant():
        assert model.__tablename__ in berlaku


@pytest.mark.postgres
def test_raw_sql_as_the_app_role_sees_only_the_bound_office(app, dua_kantor_berisi):
    """Even bypassing the ORM, the database itself keeps tenants apart."""
    a, b = dua_kantor_berisi
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as c:
            with c.begin():
                assert c.execute(text("SELECT current_user")).scalar() == app.config["DB_APP_ROLE"]
            for model in model_milik_tenant():
                tabel = model.__tablename__
                with c.begin():  # bound as the app binds (plain set_config binds nothing: test_segel.py)
                    c.execute(text("SELECT dinsos_ikat(:r, :t, '')"), {"r": app.config["RAHASIA_IKATAN"], "t": a.id})
                    lain = c.execute(text(f'SELECT count(*) FROM "{tabel}" WHERE tenant_id <> :a'), {"a": a.id}).scalar()
                    assert lain == 0, tabel
            with c.begin():  # no tenant set: nothing visible
                assert c.execute(text("SELECT count(*) FROM pengguna")).scalar() == 0
            with pytest.raises(Exception, match="row-level security"):
                with c.begin():
                    c.execute(text("SELECT dinsos_ikat(:r, :t, '')"), {"r": app.config["RAHASIA_IKATAN"], "t": a.id})
                    c.execute(
                        text("INSERT INTO pengguna (tenant_id, id, email, nama, peran, hash_kata_sandi, aktif, gagal_masuk, dibuat_pada)"
                             " VALUES (:b, gen_random_uuid(), 'x@b', 'x', '[]', 'x', true, 0, now())"),
                        {"b": b.id},
                    )
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_audit_log_cannot_be_rewritten_by_the_app_role(app, dua_kantor_berisi):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as c:
            with pytest.raises(Exception, match="permission denied"):
                with c.begin():
                    c.execute(text("DELETE FROM audit_log"))
    finally:
        engine.dispose()
