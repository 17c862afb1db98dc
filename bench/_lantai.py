"""The framework's floor: a bare Flask app answering one constant JSON list.

``gunicorn -c deploy/gunicorn.conf.py _lantai:app`` (with bench/ on the path)
serves, at ``/lantai``, the body found in the file ``BENCH_LANTAI_JSON``: the
case-list API's own answer of the same run, so both move the same bytes
through the same server and serialiser. Nothing else: no database, no
session, no tenant; whatever the platform costs on top of this is its own.

With ``BENCH_LANTAI_DB`` (a database URL) it also serves the database's share
of that cost: ``/api/t/<slug>/kasus/`` sends, with plain psycopg, the very
statements the case-list API sends for the same request (the office found and
bound for row-level security, the token and its user, one page of cases,
their clients' names, in one transaction) and answers the same constant body.
No ORM, no authentication logic, no decryption, no serialising of rows: what
no implementation of the list that checks its caller on every request can do
without.
"""
import hashlib
import json
import os

from flask import Flask, jsonify, request

from dinsos.core.config import rahasia_ikatan

app = Flask(__name__)
with open(os.environ["BENCH_LANTAI_JSON"], encoding="utf-8") as berkas:
    ISI = json.load(berkas)


@app.get("/lantai")
def lantai():
    return jsonify(ISI)


# The bench's apps all run with SECRET_KEY "bench" (bench/_db.py), so the binding's secret is known here too.
KANTOR = "SELECT id, dinsos_ikat(%s, id, '') FROM tenants WHERE slug = %s AND aktif IS true"
RAHASIA = rahasia_ikatan("bench")
TOKEN = ("SELECT token_api.id, token_api.terakhir_dipakai, pengguna.id, pengguna.peran FROM token_api "
         "JOIN pengguna ON pengguna.tenant_id = token_api.tenant_id AND pengguna.id = token_api.pengguna_id "
         "AND pengguna.tenant_id = %(t)s WHERE token_api.sidik = %(s)s AND token_api.dicabut_pada IS NULL "
         "AND pengguna.aktif IS true AND token_api.tenant_id = %(t)s")
HALAMAN = ("SELECT layanan_id, versi_layanan_id, klien_id, status, langkah_kode, nomor_register, nomor_register_urut, rahasia, "
           "pelapor_jenis, pelapor_instansi, surat_nomor, surat_tanggal, dibuat_oleh_id, penanggung_jawab_id, diterima_pada, "
           "berkas_lengkap_pada, jam_mulai_pada, hasil_akhir, ditutup_pada, diperbarui_pada, versi, tenant_id, id, dibuat_pada "
           "FROM kasus WHERE tenant_id = %s ORDER BY dibuat_pada DESC, id DESC LIMIT 26")
KLIEN = "SELECT tenant_id, id, nama, tanpa_identitas FROM klien WHERE tenant_id = %s AND id = ANY(%s)"

_sambungan = None


def _db():
    """One connection per worker process, opened after gunicorn forks it."""
    global _sambungan
    if _sambungan is None:
        import psycopg

        _sambungan = psycopg.connect(os.environ["BENCH_LANTAI_DB"].replace("postgresql+psycopg://", "postgresql://", 1))
    return _sambungan


if os.environ.get("BENCH_LANTAI_DB"):
    @app.get("/api/t/<slug>/kasus/")
    def kueri_daftar(slug):
        sidik = hashlib.sha256(request.headers.get("Authorization", "").removeprefix("Bearer ").encode()).hexdigest()
        with _db().transaction(force_rollback=True), _db().cursor() as c:
            tid = c.execute(KANTOR, (RAHASIA, slug)).fetchone()[0]
            if c.execute(TOKEN, {"t": tid, "s": sidik}).fetchone() is None:
                return jsonify(galat="token"), 401
            klien = [baris[2] for baris in c.execute(HALAMAN, (tid,)).fetchall()]
            c.execute(KLIEN, (tid, klien)).fetchall()
        return jsonify(ISI)
