"""A write whose commit went through is answered as saved, even when the database is lost right after (issue 24).

The fault run saw an upload that committed answer 500 because the connection
died during clean-up: the client then retries and saves it twice. The API
builds its answer before the commit; here every statement after the commit fails.
"""
import io

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from dinsos.cases import api as kasus_api
from dinsos.cases.models import Kasus, LampiranKasus
from dinsos.core.db import db
from dinsos_uji.alat_kasus import PDF, di_kantor, token_api

API = "/api/t/kabupaten-magetan/kasus"
PENERIMAAN = {
    "layanan": "pengiriman-anjal-at",
    "pelapor": {"jenis": "kepolisian", "instansi": "Polres Magetan"},
    "klien": {"tanpa_identitas": True, "deskripsi": "Anak di terminal", "umur_perkiraan": 12, "jenis_kelamin": "L"},
    "persyaratan": {"surat-keterangan-kepolisian": "dilihat"},
}


class _PutusSetelahCommit:
    """After the next commit of the case API (its ``simpan``), every statement fails as on a lost connection."""

    def __init__(self, app, monkeypatch):
        self.app, self.aktif = app, False
        asli = kasus_api.simpan

        def simpan():
            asli()
            self.aktif = True

        monkeypatch.setattr(kasus_api, "simpan", simpan)
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._putus)

    def _putus(self, *args, **kwargs):
        if self.aktif:
            raise OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))

    def pulih(self):
        self.aktif = False
        event.remove(self.engine, "before_cursor_execute", self._putus)


def _hitung(kantor, model) -> int:
    with di_kantor(kantor):
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
        return n


@pytest.mark.parametrize("apa", ["penerimaan", "unggahan"])
def test_a_committed_write_is_answered_as_saved_when_the_connection_dies_after_the_commit(app, seed, klien, monkeypatch, apa):
    kantor, staf = seed
    mg = kantor["kabupaten-magetan"]
    sri = token_api(staf["kabupaten-magetan"]["petugas_pelayanan"])
    kasus = klien.post(API + "/", json=PENERIMAAN, headers=sri).json
    sebelum = (_hitung(mg, Kasus), _hitung(mg, LampiranKasus))
    putus = _PutusSetelahCommit(app, monkeypatch)
    try:
        if apa == "penerimaan":
            r = klien.post(API + "/", json=PENERIMAAN, headers=sri)
        else:
            r = klien.post(f"{API}/{kasus['id']}/lampiran", headers=sri, content_type="multipart/form-data",
                           data={"versi": kasus["versi"], "persyaratan": "surat-keterangan-kehilangan",
                                 "berkas": (io.BytesIO(PDF), "x.pdf")})
        assert putus.aktif  # the commit went through and the database was then lost
    finally:
        putus.pulih()
    assert r.status_code == 201, (r.status_code, r.get_data(as_text=True)[:300])
    setelah = (_hitung(mg, Kasus), _hitung(mg, LampiranKasus))
    if apa == "penerimaan":
        assert setelah[0] == sebelum[0] + 1 and r.json["id"] and r.json["status"] == "berkas_belum_lengkap"
    else:
        assert setelah[1] == sebelum[1] + 1 and r.json["versi_kasus"] > kasus["versi"]
