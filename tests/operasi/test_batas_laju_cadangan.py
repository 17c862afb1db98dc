"""With the rate-limit store (Redis) unreachable, only the limited pages (login, public forms) are limited.

Issue 24: the in-memory fallback applied one limit to every endpoint, and staff
uploads got 176 x 429 during a Redis outage. Run in a process of its own: the
limiter is one object per process, and here its store is a Redis address
nothing listens on.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from dinsos_uji.server import port_bebas

ROOT = Path(__file__).resolve().parents[2]

SKRIP = r'''
import json, sys
from cryptography.fernet import Fernet
from flask_migrate import upgrade
from dinsos import create_app
from dinsos_uji import bantuan

app = create_app({"INSTANCE_PATH": sys.argv[2], "DATABASE_URL": "sqlite:///" + sys.argv[2] + "/uji.sqlite",
                  "SECRET_KEY": "uji", "ENCRYPTION_KEYS": Fernet.generate_key().decode(), "TESTING": True,
                  "REDIS_URL": None, "RATELIMIT_STORAGE_URI": sys.argv[1], "LOGIN_RATE_LIMIT": "5 per minute"})
with app.app_context():
    upgrade()
kantor = bantuan.buat_tenant(app, "kota-a")
pid, email = bantuan.buat_staf(kantor, "petugas_pelayanan")
from dinsos.auth.models import Pengguna
from dinsos.auth.services import buat_token
from dinsos.core.db import db
from dinsos.core.tenant import dalam_tenant
with app.app_context(), dalam_tenant(kantor.id):
    token = buat_token(db.session.get(Pengguna, (kantor.id, pid)), "uji")
    db.session.commit()
kepala = {"Authorization": f"Bearer {token}"}
klien = app.test_client()
kerja = [klien.get("/api/t/kota-a/saya", headers=kepala).status_code for _ in range(120)]
kerja += [klien.get("/api/t/kota-a/kasus/", headers=kepala).status_code for _ in range(30)]
masuk = [bantuan.masuk(app.test_client(), "kota-a", email, "salah-sandi-1").status_code for _ in range(7)]
print(json.dumps({"kerja": kerja, "masuk": masuk}))
'''


def test_with_redis_down_staff_work_is_not_throttled_and_login_keeps_its_own_limit(tmp_path):
    mati = f"redis://127.0.0.1:{port_bebas()}/0"  # nothing listens here
    # The subprocess imports the app and the test helpers as pytest does (pyproject's pythonpath); the outer
    # environment's services are left out: its only store is the dead Redis address.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DINSOS_", "DATABASE_URL", "REDIS_URL"))}
    env["PYTHONPATH"] = os.pathsep.join(str(ROOT / d) for d in ("platform", "workers", "tests"))
    hasil = subprocess.run([sys.executable, "-c", SKRIP, mati, str(tmp_path)], capture_output=True,
                           text=True, timeout=300, cwd=ROOT, env=env)
    assert hasil.returncode == 0, hasil.stderr[-3000:]
    data = json.loads(hasil.stdout.strip().splitlines()[-1])
    assert set(data["kerja"]) == {200}, sorted(set(data["kerja"]))  # 150 requests, none throttled
    assert data["masuk"][:5] == [401] * 5 and set(data["masuk"][5:]) == {429}, data["masuk"]
