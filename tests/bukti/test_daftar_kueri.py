"""The case lists cost a fixed number of queries, whatever the page size (no query per row)."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, select

from dinsos_uji import bantuan

ROOT = Path(__file__).resolve().parents[2]
SANDI = "sandi-daftar-123"


@pytest.fixture
def kantor_demo(app):
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant
    from dinsos.demo.buat import buat_data_demo
    from dinsos.tenancy.models import Tenant

    with app.app_context():
        hasil = buat_data_demo(jumlah_kantor=2, jumlah_kasus=120, benih=4, pada=datetime.now(timezone.utc),
                               kata_sandi=SANDI, akar=ROOT / "tenants")
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-metro"))
        with dalam_tenant(tenant.id):
            # the front office: not allowed to see every identity, so confidential rows need their handlers
            petugas = db.session.scalar(select(Pengguna).where(Pengguna.email == hasil.akun["kota-metro"]["petugas_pelayanan"]))
            token, email = buat_token(petugas, "uji"), petugas.email
            db.session.commit()
    return {"token": token, "email": email}


class _Penghitung:
    def __init__(self, app):
        from dinsos.core.db import db

        with app.app_context():
            self.engine = db.engine
        self.n, self.sql = 0, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hitung)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hitung)

    def _hitung(self, conn, cursor, statement, *args):
        self.n += 1
        self.sql.append(" ".join(statement.split()))


def test_the_case_list_api_and_page_read_the_same_number_of_rows_per_page_size(app, kantor_demo, tanpa_tembolok):
    klien = app.test_client()
    kepala = {"Authorization": f"Bearer {kantor_demo['token']}"}
    hitung = {}
    for batas in (5, 50):
        klien.get(f"/api/t/kota-metro/kasus/?batas={batas}", headers=kepala)  # warm: first-use queries
        with _Penghitung(app) as p:
            r = klien.get(f"/api/t/kota-metro/kasus/?batas={batas}", headers=kepala)
        assert r.status_code == 200 and len(r.json["data"]) == batas
        assert any(b["rahasia"] for b in r.json["data"]) and any("***" in b["klien"] for b in r.json["data"])
        hitung[batas] = p.n
        # The page is read from the (tenant_id, dibuat_pada, id) index alone: joining the clients into it makes
        # PostgreSQL, misled by both tables' row-level security, sort every case of the office first.
        halaman_kasus = [q for q in p.sql if q.startswith("SELECT kasus.")]
        assert len(halaman_kasus) == 1 and " JOIN " not in halaman_kasus[0], halaman_kasus
    # the office found and bound for row-level security in one, token and user, the page, its clients, their handlers
    assert hitung[5] == hitung[50] <= 5, hitung

    halaman = app.test_client()
    assert bantuan.masuk(halaman, "kota-metro", kantor_demo["email"], SANDI).status_code == 302
    halaman.get("/t/kota-metro/kasus/")
    with _Penghitung(app) as pertama:
        assert halaman.get("/t/kota-metro/kasus/").status_code == 200
    with _Penghitung(app) as sendiri:
        assert halaman.get("/t/kota-metro/kasus/?status=ditutup").status_code == 200
    assert pertama.n == sendiri.n <= 20, (pertama.n, sendiri.n)
