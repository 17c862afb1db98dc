"""Extension points: named registries that capabilities fill during set-up (dinsos.core.registri)."""
import pytest

from dinsos.core import jejak
from dinsos.core.berkala import TUGAS_BERKALA
from dinsos.core.outbox import PENGOLAH_OUTBOX
from dinsos.core.registri import Registri
from dinsos.core.tenant import lintas_tenant


def _satu(muatan):
    pass


def _lain(muatan):
    pass


def test_the_same_entry_again_is_allowed_and_another_one_refused():
    r = Registri("uji")
    assert r.daftar("a", _satu) is _satu
    r.daftar("a", _satu)  # every app build registers again
    with pytest.raises(ValueError, match=r"uji: 'a' is already registered \(.*_satu\)"):
        r.daftar("a", _lain)
    assert r.ganti("a", _lain) is _satu and r["a"] is _lain  # replaced only on purpose
    with pytest.raises(ValueError, match="empty key"):
        r.daftar("", _satu)
    assert list(r) == ["a"] and "a" in r and r.get("b") is None


def test_building_the_app_wires_every_capability_into_cores_registries(app):
    # Nothing is registered by importing a module for its side effects: each capability's pasang does it.
    assert {"notifikasi.email", "notifikasi.whatsapp", "rujukan.teruskan", "rujukan.kabari", "rujukan.hapus_berkas",
            "rujukan.eskalasi_provinsi", "rujukan.pengingat"} <= set(PENGOLAH_OUTBOX)
    assert {"relay_outbox", "sapu_tenggat"} <= set(TUGAS_BERKALA)
    assert "audit" in jejak.PENCATAT_AUDIT
    from dinsos.cases.views import LABEL_PERISTIWA
    from dinsos.sla.views import JENIS_TENGGAT

    assert str(LABEL_PERISTIWA["rujukan_dikirim"]) == "Rujukan dikirim"
    assert str(JENIS_TENGGAT["rujukan_masuk"]) == "Tanggapan rujukan masuk"


def test_building_the_app_twice_registers_nothing_twice(app, tmp_path):
    from dinsos import create_app

    sebelum = {nama: dict(r.items()) for nama, r in (("o", PENGOLAH_OUTBOX), ("b", TUGAS_BERKALA))}
    create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "uji", "DATABASE_URL": "sqlite://", "REDIS_URL": None})
    assert {nama: dict(r.items()) for nama, r in (("o", PENGOLAH_OUTBOX), ("b", TUGAS_BERKALA))} == sebelum


def test_a_tenant_crossing_with_no_audit_log_registered_is_refused(app, monkeypatch):
    monkeypatch.setattr(jejak, "PENCATAT_AUDIT", Registri("pencatat audit"))
    with app.app_context(), pytest.raises(jejak.AuditTidakTerpasang, match="lintas_tenant"):
        with lintas_tenant("uji tanpa audit"):
            pass
