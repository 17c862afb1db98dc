"""The chart and the image agree: what the image reads, the chart sets; what the chart names, the image has.

The image's needs are derived, not copied: the settings from dinsos.core.config
(DEFAULTS) and every environment variable named literally in the package, the
workers and gunicorn.conf.py; the files from the Dockerfile's runtime stage;
the commands from the dinsos CLI itself. Each process of the rendered chart
(web, worker, beat, the migration job, the wait-for-migrations init container)
then builds the application from exactly the environment the kubelet would
give it, in production mode, without an instance folder. tests/deploy/
smoke_image.py runs the built image the same way (deploy/ci-image.sh, in CI).
"""
import ast
import base64
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path, PurePosixPath

import gunicorn.config
import pytest
from test_helm_chart import production_values, render

from dinsos.core import config as konfigurasi

ROOT = Path(__file__).resolve().parents[2]
VALUES = {
    "database": {"url": "postgresql://dinsos_app@db.example:5432/dinsos", "migrationUrl": "postgresql://dinsos@db.example:5432/dinsos"},
    "redis": {"url": "redis://redis.example:6379/0"},
    "app": {"baseUrl": "https://dinsos.example.go.id", "secretKey": "rahasia-chart",
            "encryptionKeys": "3rVq3cR3o8m0XWzL4dZ1dOxr4l2Nq6jK7pR0sT8uV9w="},
    "storage": {"uploadDir": "/data/unggahan", "existingClaim": "unggahan"},
    "mail": {"smtp": {"host": "smtp.example", "password": "surat"}},
}

OPERATOR_SECRET = {
    "DATABASE_URL": VALUES["database"]["url"], "DINSOS_MIGRATION_DATABASE_URL": VALUES["database"]["migrationUrl"],
    "REDIS_URL": VALUES["redis"]["url"], "DINSOS_SECRET_KEY": VALUES["app"]["secretKey"],
    "DINSOS_ENCRYPTION_KEYS": VALUES["app"]["encryptionKeys"],
    # ci/values-production.yaml takes the object store's credentials from a Secret of their own (extraEnv).
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "rahasia-s3",
}


@pytest.fixture(scope="module")
def manifests():
    return render(VALUES)[0]


def containers(manifests):
    """(label, pod spec, container) of every container of every Deployment and Job."""
    for m in manifests:
        if m["kind"] in ("Deployment", "Job"):
            pod = m["spec"]["template"]["spec"]
            for c in pod.get("initContainers", []) + pod["containers"]:
                yield f"{m['metadata']['name']}/{c['name']}", pod, c


def resolved_env(container, manifests) -> dict:
    """The environment the kubelet gives the container (besides the image's own ENV)."""
    objects = {(m["kind"], m["metadata"]["name"]): m for m in manifests}
    env = {}
    for source in container.get("envFrom", []):
        assert "configMapRef" in source, source
        env.update(objects[("ConfigMap", source["configMapRef"]["name"])]["data"])
    for entry in container.get("env", []):
        if "value" in entry:
            env[entry["name"]] = entry["value"]
        else:
            ref = entry["valueFrom"]["secretKeyRef"]
            secret = objects.get(("Secret", ref["name"]))
            if secret is None:  # made by the operator (existingSecret...), with the keys docs/operations.md lists
                data = OPERATOR_SECRET
            else:
                data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
            if ref["key"] in data:
                env[entry["name"]] = data[ref["key"]]
            else:
                assert ref.get("optional"), f"{container['name']}: {ref['name']} has no {ref['key']}"
    return env


# --- what the image reads ----------------------------------------------------


def _literal_environment_names(path: Path) -> set[str]:
    """Names read as os.environ[...], os.environ.get(...) or os.getenv(...) with a literal, and every DINSOS_*
    string constant (names handed to a helper that reads them, as the heartbeat and interval settings are)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"DINSOS_[A-Z0-9_]+", node.value):
            found.add(node.value)
            continue
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv", "environ.get", "env.get"):
            key = node.args[0] if node.args else None
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.add(key.value)
    return found


def names_the_image_reads() -> set[str]:
    names = {konfigurasi.PREFIX + key for key in konfigurasi.DEFAULTS} | {"DATABASE_URL", "REDIS_URL"}
    for folder in (ROOT / "platform" / "dinsos", ROOT / "workers"):
        for path in folder.rglob("*.py"):
            names |= _literal_environment_names(path)
    names |= _literal_environment_names(ROOT / "deploy" / "gunicorn.conf.py")
    # Gunicorn reads a few itself (FORWARDED_ALLOW_IPS, ...).
    names |= _literal_environment_names(Path(gunicorn.config.__file__))
    return names


def test_the_derivation_finds_what_the_code_reads():
    """Guard the derivation itself: names read through each mechanism are found."""
    names = names_the_image_reads()
    assert {"DINSOS_SECRET_KEY", "DATABASE_URL", "DINSOS_WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR",
            "DINSOS_WORKER_HEARTBEAT_FILE", "FORWARDED_ALLOW_IPS"} <= names
    assert "DINSOS_SECRETKEY" not in names


def test_every_variable_the_chart_sets_is_one_the_image_reads(manifests):
    reads = names_the_image_reads()
    for label, _, container in containers(manifests):
        unknown = set(resolved_env(container, manifests)) - reads
        assert not unknown, f"{label} sets {sorted(unknown)}, which nothing in the image reads (misspelt?)"


# --- each process builds the application from the chart's environment ---------


# Built in a child process: the app's extensions (the rate limiter's storage above all) are module-global,
# so an app built here from the chart's environment would point the suite's own app at redis.example.
_BANGUN = """
import json, os, sys
from dinsos.app import create_app
from dinsos.core import config as konfigurasi
KUNCI = ("SQLALCHEMY_DATABASE_URI", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENCRYPTION_KEYS", "BASE_URL",
         "DB_APP_ROLE", "UPLOAD_DIR", "SMTP_HOST", "SMTP_PASSWORD", "MIGRATION_DATABASE_URL", "STORAGE_URL")
dasar = dict(os.environ)
hasil = []
for env in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(dasar)
    os.environ.update(env)
    try:
        cfg = create_app().config
    except Exception:  # any refusal to start
        hasil.append(None)
        continue
    hasil.append({**{k: cfg.get(k) for k in KUNCI}, "embedded": konfigurasi.is_embedded(cfg)})
print(json.dumps(hasil, default=str))
"""


def _konfigurasi(tmp_path, envs: list[dict]) -> list[dict | None]:
    """The configuration each environment gives a freshly built app (None: it refuses to start), in production
    mode: nothing of this machine's DINSOS_*, FLASK_*, DATABASE_URL or REDIS_URL leaks in."""
    dasar = {k: v for k, v in os.environ.items()
             if not (k.startswith(("DINSOS_", "FLASK_")) or k in ("DATABASE_URL", "REDIS_URL"))}
    dasar["PYTHONPATH"] = os.pathsep.join([str(ROOT / "platform"), str(ROOT / "workers")])
    keluar = subprocess.run([sys.executable, "-c", _BANGUN], input=json.dumps(envs), capture_output=True, text=True,
                            env=dasar, cwd=tmp_path, timeout=240, check=True)
    return json.loads(keluar.stdout.strip().splitlines()[-1])


def test_every_process_starts_in_production_mode_from_the_chart_environment(manifests, tmp_path):
    """The app refuses to start without its secret key and encryption keys, and runs embedded without
    DATABASE_URL/REDIS_URL: so each process must get them, with the chart's values, and no instance path."""
    proses = [(label, container, resolved_env(container, manifests)) for label, _, container in containers(manifests)]
    for (label, container, env), cfg in zip(proses, _konfigurasi(tmp_path, [e for _, _, e in proses])):
        assert cfg is not None, f"{label} refuses to start"
        assert not cfg["embedded"], label
        assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://dinsos_app@db.example:5432/dinsos", label
        assert cfg["REDIS_URL"] == VALUES["redis"]["url"], label
        assert cfg["SECRET_KEY"] == VALUES["app"]["secretKey"], label
        assert cfg["ENCRYPTION_KEYS"] == VALUES["app"]["encryptionKeys"], label
        assert cfg["BASE_URL"] == VALUES["app"]["baseUrl"], label
        assert cfg["DB_APP_ROLE"] == "dinsos_app" and cfg["UPLOAD_DIR"] == "/data/unggahan", label
        assert cfg["SMTP_HOST"] == "smtp.example" and cfg["SMTP_PASSWORD"] == "surat", label
        # Production needs no instance folder: the chart sets none (test_paket.py shows none is written).
        assert "DINSOS_INSTANCE_PATH" not in env, label
        migrates = container["command"][:3] == ["dinsos", "db", "upgrade"]
        assert (cfg["MIGRATION_DATABASE_URL"] is not None) == migrates, f"{label}: only the migration job is the owner"


def test_the_settings_the_app_refuses_to_start_without_are_set_by_the_chart(manifests, tmp_path):
    """Derived by experiment: drop each variable from the web's environment; if the app then refuses to
    start or silently falls back to embedded mode or SQLite, the image needs it (and the chart sets it)."""
    web = next(c for label, _, c in containers(manifests) if label == "dinsos-web/web")
    env = resolved_env(web, manifests)
    # A fallback to SQLite writes the instance folder: here, not in the checkout.
    tanpa = [{**{k: v for k, v in env.items() if k != name}, "DINSOS_INSTANCE_PATH": str(tmp_path)} for name in env]
    needed = set()
    for name, cfg in zip(env, _konfigurasi(tmp_path, tanpa)):
        if cfg is None or cfg["embedded"] or not cfg["DATABASE_URL"].startswith("postgresql"):
            needed.add(name)
    assert {"DINSOS_SECRET_KEY", "DINSOS_ENCRYPTION_KEYS", "DATABASE_URL", "REDIS_URL"} <= needed


# --- paths and commands ---------------------------------------------------------


def runtime_stage() -> tuple[dict, set[PurePosixPath], PurePosixPath]:
    """ENV, the paths COPY'd in (from the build context) and WORKDIR of the Dockerfile's last stage."""
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    stage = [line.strip() for line in lines[max(i for i, line in enumerate(lines) if line.startswith("FROM ")):]]
    env, copied, workdir = {}, set(), PurePosixPath("/")
    for line in stage:
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "WORKDIR":
            workdir = workdir / rest.strip()
        elif word == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(rest))
        elif word == "COPY" and "--from" not in rest:
            *sources, target = shlex.split(rest)
            target = workdir / target
            copied |= {target if len(sources) == 1 and not target.as_posix().endswith("/") else target / s for s in sources}
            copied |= {target}
    return env, copied, workdir


def in_image(path: PurePosixPath, copied: set[PurePosixPath]) -> bool:
    return any(path == c or c in path.parents for c in copied)


def test_the_chart_runs_files_the_image_has(manifests):
    env, copied, workdir = runtime_stage()
    assert workdir == PurePosixPath("/app") and env["HOME"] == "/tmp"
    web = next(c for label, _, c in containers(manifests) if label == "dinsos-web/web")
    config = PurePosixPath(web["command"][web["command"].index("-c") + 1])
    assert in_image(config, copied), f"gunicorn config {config} is not in the image"
    assert (ROOT / config.relative_to(workdir)).is_file()
    # NOTES.txt and docs/operations.md load tenants from `tenants/<slug>` in the web pod's working directory.
    notes = render(VALUES)[1]
    assert "dinsos tenants load tenants/" in notes
    assert in_image(workdir / "tenants", copied) and (ROOT / "tenants").is_dir()


_BANTUAN = """
import json, sys
from click.testing import CliRunner
from dinsos.cli import main
hasil = {}
for perintah in json.load(sys.stdin):
    r = CliRunner().invoke(main, [*perintah, "--help"])
    hasil[" ".join(perintah)] = [r.exit_code, r.output]
print(json.dumps(hasil))
"""


def test_every_dinsos_command_the_chart_runs_exists(manifests, tmp_path):
    """Asked in a child process, embedded: ``--help`` builds the app, whose extensions are module-global."""
    commands = set()
    for label, _, c in containers(manifests):
        command = c["command"]
        if command[:2] == ["sh", "-c"]:
            command = shlex.split(command[2].split(";")[0].removeprefix("until "))
        if command[0] == "dinsos":
            commands.add(tuple(a for a in command[1:] if not a.startswith("-")))
    assert {("db", "upgrade"), ("db", "check"), ("worker",), ("beat",)} <= commands
    dasar = {k: v for k, v in os.environ.items()
             if not (k.startswith(("DINSOS_", "FLASK_")) or k in ("DATABASE_URL", "REDIS_URL"))}
    dasar |= {"PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT / "workers")]),
              "DINSOS_INSTANCE_PATH": str(tmp_path)}
    keluar = subprocess.run([sys.executable, "-c", _BANTUAN], input=json.dumps(sorted(commands)), capture_output=True,
                            text=True, env=dasar, cwd=tmp_path, timeout=240, check=True)
    for command, (kode, keluaran) in json.loads(keluar.stdout.strip().splitlines()[-1]).items():
        assert kode == 0, f"dinsos {command}: {keluaran}"


def test_uploads_go_to_an_object_store_or_a_shared_claim(manifests, tmp_path):
    """Without storage settings the app keeps uploads in its instance folder, inside the read-only image:
    the web and the worker must get an object store or a directory on the same mounted claim, else NOTES warn."""
    for values in (VALUES, production_values()):
        rendered, notes = render(values)
        assert "no storage for uploads" not in notes
        penyimpan = [(label, pod, c) for label, pod, c in containers(rendered)
                     if c["command"][0] == "gunicorn" or c["command"][:2] == ["dinsos", "worker"]]
        semua = _konfigurasi(tmp_path, [resolved_env(c, rendered) for _, _, c in penyimpan])
        for (label, pod, c), cfg in zip(penyimpan, semua):
            if cfg["STORAGE_URL"]:
                continue
            claims = {v["name"] for v in pod["volumes"] if "persistentVolumeClaim" in v}
            assert any(mount["mountPath"] == cfg["UPLOAD_DIR"] and mount["name"] in claims for mount in c["volumeMounts"]), label
    assert "no storage for uploads" in render()[1]


def test_nothing_is_written_outside_tmp(manifests):
    """Read-only root everywhere; /tmp is an emptyDir; every path the chart hands a process to write is under
    a mounted volume (/tmp, or the uploads claim where files are stored), and beat keeps its schedule in /tmp."""
    for label, pod, c in containers(manifests):
        assert c["securityContext"]["readOnlyRootFilesystem"] is True, label
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert "emptyDir" in volumes[mounts["/tmp"]], label
        # Uploads and letters are stored by the web and the worker; the other processes never write a file there.
        stores_files = c["command"][0] == "gunicorn" or c["command"][:2] == ["dinsos", "worker"]
        for name, value in resolved_env(c, manifests).items():
            if value.startswith("/") and (name != "DINSOS_UPLOAD_DIR" or stores_files):
                assert any(PurePosixPath(value) == PurePosixPath(m) or PurePosixPath(m) in PurePosixPath(value).parents
                           for m in mounts), f"{label}: {name}={value} is not on a writable volume"
        if c["command"][:2] == ["dinsos", "beat"]:
            assert c["workingDir"] == "/tmp", "celery beat writes its schedule file in the working directory"

