"""API fuzzing: schemathesis generates requests from /api/openapi.json and checks every answer.

The app runs in-process (WSGI) on demo data, with a valid bearer token of a
kepala bidang (who may read, take in and work cases). Office and case ids
in the paths are real half of the time, so the fuzzing reaches the case code
and not only the 404 of an unknown office. Requests that fit the document
and requests that break it (negative mode) are both sent.

Checks: schemathesis' defaults (no 5xx; status, content type, headers and
body as the document declares; data breaking the document refused), with
one adjustment and one addition. Rules a JSON schema cannot state (a page
cursor must be one the API issued, a NIK's date must exist, a new client or
an existing one but not both, the requirement codes of that service) make
the API answer 422 to some schema-valid data, so 422 counts as an accepted
answer to valid data, provided it says which field is wrong: every 422 must
carry ``errors`` naming at least one field, and every 4xx a message.
The example count is bounded and derandomised, so a run takes about a
minute and fails the same way twice.
"""
from datetime import datetime, timezone
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from sqlalchemy import select

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SLUG = "kabupaten-magetan"


@pytest.fixture
def data_api(app):
    """Demo data in three offices, and a token of Magetan's first kepala bidang."""
    from dinsos.auth.models import Pengguna
    from dinsos.auth.services import buat_token
    from dinsos.cases.models import Kasus
    from dinsos.core.db import db
    from dinsos.core.tenant import dalam_tenant
    from dinsos.demo.buat import buat_data_demo
    from dinsos.tenancy.models import Tenant

    with app.app_context():
        hasil = buat_data_demo(jumlah_kantor=3, jumlah_kasus=90, benih=2, pada=datetime.now(timezone.utc),
                               kata_sandi="sandi-fuzz-123", akar=ROOT / "tenants")
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with dalam_tenant(tenant.id):
            kabid = db.session.scalar(select(Pengguna).where(Pengguna.email == hasil.akun[SLUG]["kepala_bidang"]))
            token = buat_token(kabid, "fuzz")
            kasus = [str(k) for k in db.session.scalars(select(Kasus.id).order_by(Kasus.dibuat_pada))]
            db.session.commit()
    return {"token": token, "kasus": kasus}


CONTOH_PER_OPERASI = 50
# Text the API can store has no NUL and no unpaired surrogate (PostgreSQL and UTF-8 refuse them; the document says
# so in its description): the generator of valid data keeps to that, and the odd-bytes test below sends them on purpose.
KONFIGURASI = SchemathesisConfig.from_dict({
    "generation": {"allow-x00": False, "codec": "utf-8"},
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}},
})


def _lapisan(isi) -> list:
    """The leaf messages of a marshmallow-shaped errors object."""
    if isinstance(isi, dict):
        return [m for v in isi.values() for m in _lapisan(v)]
    return list(isi) if isinstance(isi, list) else [isi]


def kesalahan_menyebut_tempat(ctx, response, case):
    """A refusal says what is wrong (a message) and, for invalid data, where (the fields)."""
    if 400 <= response.status_code < 500:
        isi = response.json()
        assert isinstance(isi, dict) and str(isi.get("message") or "").strip(), f"{response.status_code} without a message"
        if response.status_code == 422:
            assert isi.get("errors") and _lapisan(isi["errors"]), f"422 without the fields at fault: {isi}"
    return True


def _uji_operasi(operasi, mode, data_api) -> str | None:
    """Run one operation's generated requests; the first failure's report, or None."""

    @settings(max_examples=CONTOH_PER_OPERASI, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(case=operasi.as_strategy(generation_mode=mode))
    def uji(case):
        jalur = case.path_parameters or {}
        # Half the requests go to a real office and case, so the fuzzing reaches the case code.
        if "slug" in jalur and len(str(jalur.get("kasus_id", jalur["slug"]))) % 2 == 0:
            jalur["slug"] = SLUG
            if "kasus_id" in jalur:
                jalur["kasus_id"] = data_api["kasus"][len(str(jalur["kasus_id"])) % len(data_api["kasus"])]
        case.call_and_validate(headers={"Authorization": f"Bearer {data_api['token']}"},
                               additional_checks=[kesalahan_menyebut_tempat])

    try:
        uji()
    except Unsatisfiable:  # every value of this operation's parameters fits the document: no negative case exists
        return None
    except (Exception, BaseExceptionGroup) as e:  # the failure report names the request (as curl) and the check that failed
        return f"{operasi.method.upper()} {operasi.path} ({mode.value}):\n{e}"
    return None


def test_api_answers_every_generated_request_as_documented(app, data_api):
    skema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=KONFIGURASI)
    operasi = [hasil.ok() for hasil in skema.get_all_operations()]
    assert len(operasi) >= 8
    gagal = [g for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) for op in operasi
             if (g := _uji_operasi(op, mode, data_api))]
    assert not gagal, "\n\n".join(gagal)


# --- odd bytes (issue 19, item 5): the generated requests again, each with one string made unstorable ---------------

ANEH = ["\x00", "a\x00", "\x00b\x00"]
ANEH_BADAN = ANEH + ["\ud800", "x\udfff"]


def _daun_teks(isi, jalur=()):
    """Paths to the string leaves of a JSON-like value."""
    if isinstance(isi, dict):
        return [j for k, v in isi.items() for j in _daun_teks(v, jalur + (k,))]
    if isinstance(isi, list):
        return [j for i, v in enumerate(isi) for j in _daun_teks(v, jalur + (i,))]
    return [jalur] if isinstance(isi, str) else []


def _ganti(isi, jalur, nilai):
    tempat = isi
    for bagian in jalur[:-1]:
        tempat = tempat[bagian]
    tempat[jalur[-1]] = nilai


def _uji_aneh(operasi, data_api) -> str | None:
    from hypothesis import strategies as st

    @settings(max_examples=CONTOH_PER_OPERASI // 2, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operasi.as_strategy(generation_mode=GenerationMode.POSITIVE), pilih=st.data())
    def uji(case, pilih):
        jalur = case.path_parameters or {}
        if "slug" in jalur:
            jalur["slug"] = SLUG
        if "kasus_id" in jalur:
            jalur["kasus_id"] = data_api["kasus"][0]
        tempat = [("path", k) for k, v in jalur.items() if isinstance(v, str)]
        tempat += [("query", k) for k, v in (case.query or {}).items() if isinstance(v, str)]
        tempat += [("body", j) for j in _daun_teks(case.body) if j]
        if not tempat:
            return
        bagian, kunci = pilih.draw(st.sampled_from(tempat))
        json_ = bagian == "body" and "json" in (case.media_type or "")  # only JSON can carry a lone surrogate (as \\ud800)
        aneh = pilih.draw(st.sampled_from(ANEH_BADAN if json_ else ANEH))
        if bagian == "path":
            jalur[kunci] = jalur[kunci] + aneh
        elif bagian == "query":
            case.query[kunci] = case.query[kunci] + aneh
        else:
            _ganti(case.body, kunci, aneh)
        r = case.call(headers={"Authorization": f"Bearer {data_api['token']}"})
        assert r.status_code < 500, f"{bagian} {kunci!r} = {aneh!r}: {r.status_code}"
        if r.status_code == 400:  # in the language asked for: a generated ?lang=en gets the English message
            pesan = r.json()["message"]
            assert ("karakter NUL" if (case.query or {}).get("lang") != "en" else "contains a NUL") in pesan, r.json()

    try:
        uji()
    except (Exception, BaseExceptionGroup) as e:
        return f"{operasi.method.upper()} {operasi.path} (odd bytes):\n{e}"
    return None


def test_api_refuses_odd_bytes_in_every_generated_request(app, data_api):
    skema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=KONFIGURASI)
    operasi = [hasil.ok() for hasil in skema.get_all_operations()]
    gagal = [g for op in operasi if (g := _uji_aneh(op, data_api))]
    assert not gagal, "\n\n".join(gagal)
