"""Register numbers: the office's own format, per year, unique and gapless even under concurrency."""
import threading
from datetime import datetime, timezone

import pytest

from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant
from dinsos.documents.penomoran import nomor_berikutnya
from dinsos_uji.bantuan import buat_tenant


def _ambil(app, tenant_id, pada, jenis="register"):
    with app.app_context(), dalam_tenant(tenant_id):
        hasil = nomor_berikutnya(jenis, pada)
        db.session.commit()
        return hasil


def test_numbers_follow_the_office_format_in_its_local_month_and_year(app):
    metro = buat_tenant(app, "kota-metro", format_nomor={"register": "460/{n}/KPTS/D-5/{mm}/{yyyy}"})
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in WIB: a new year's sequence.
    assert _ambil(app, metro.id, datetime(2026, 12, 31, 10, tzinfo=timezone.utc)) == (1, "460/1/KPTS/D-5/12/2026")
    assert _ambil(app, metro.id, datetime(2026, 12, 31, 11, tzinfo=timezone.utc)) == (2, "460/2/KPTS/D-5/12/2026")
    assert _ambil(app, metro.id, datetime(2026, 12, 31, 18, tzinfo=timezone.utc)) == (1, "460/1/KPTS/D-5/01/2027")


def test_each_office_and_kind_has_its_own_sequence(app):
    a, b = buat_tenant(app, "kota-a"), buat_tenant(app, "kota-b")
    pada = datetime(2026, 5, 4, 3, tzinfo=timezone.utc)
    assert _ambil(app, a.id, pada)[0] == 1
    assert _ambil(app, a.id, pada)[0] == 2
    assert _ambil(app, b.id, pada)[0] == 1
    assert _ambil(app, a.id, pada, "surat") == (1, "1/V/2026")


def test_a_rolled_back_number_is_given_again(app):
    a = buat_tenant(app, "kota-a")
    pada = datetime(2026, 5, 4, 3, tzinfo=timezone.utc)
    with app.app_context(), dalam_tenant(a.id):
        assert nomor_berikutnya("register", pada)[0] == 1
        db.session.rollback()
    assert _ambil(app, a.id, pada)[0] == 1


@pytest.mark.postgres
def test_twenty_parallel_intakes_get_twenty_distinct_gapless_numbers(app):
    a = buat_tenant(app, "kota-a")
    pada = datetime(2026, 5, 4, 3, tzinfo=timezone.utc)
    hasil, galat = [], []
    mulai = threading.Barrier(20)

    def kerja():
        try:
            mulai.wait()
            hasil.append(_ambil(app, a.id, pada)[0])
        except Exception as e:  # collected and asserted below
            galat.append(e)

    benang = [threading.Thread(target=kerja) for _ in range(20)]
    for t in benang:
        t.start()
    for t in benang:
        t.join()
    assert not galat
    assert sorted(hasil) == list(range(1, 21))
