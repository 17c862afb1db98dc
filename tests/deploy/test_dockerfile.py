"""The production image and the web server it runs.

There is no Docker engine where these tests run, so the Dockerfile is read
statically: stages, user, what is copied, what the container starts. The
gunicorn configuration the image starts with is exercised for real: gunicorn
loads it and serves a small WSGI app with it.
"""

import fnmatch
import json
import os
import re
import runpy
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"

SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE|CREDENTIAL|ENCRYPTION|DATABASE_URL|REDIS_URL|STORAGE_URL")


def instructions(text):
    """(INSTRUCTION, arguments) per logical line; continuations joined, comments dropped."""
    result, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        result.append((keyword.upper(), arguments.strip()))
        pending = ""
    return result


def stages(text):
    """The instructions of each build stage, keyed by the stage's FROM arguments."""
    found = []
    for keyword, arguments in instructions(text):
        if keyword == "FROM":
            found.append((arguments, []))
        elif found:
            found[-1][1].append((keyword, arguments))
    return found


def global_args(text):
    """ARG defaults declared before the first FROM."""
    defaults = {}
    for keyword, arguments in instructions(text):
        if keyword == "FROM":
            break
        if keyword == "ARG" and "=" in arguments:
            name, _, value = arguments.partition("=")
            defaults[name] = value
    return defaults


@pytest.fixture(scope="module")
def dockerfile():
    return DOCKERFILE.read_text()


@pytest.fixture(scope="module")
def runtime(dockerfile):
    return stages(dockerfile)[-1][1]


def of(stage, keyword):
    return [arguments for kw, arguments in stage if kw == keyword]


def test_builds_in_stages_and_runs_on_python_311_slim(dockerfile):
    all_stages = stages(dockerfile)
    assert len(all_stages) >= 2
    builder_from, builder = all_stages[0]
    assert builder_from.endswith(" AS builder")
    assert any("pyproject.toml" in copy for copy in of(builder, "COPY"))
    assert any("pip wheel" in run for run in of(builder, "RUN"))

    runtime_from = all_stages[-1][0].split()[0]
    image = re.sub(r"\$\{(\w+)\}", lambda m: global_args(dockerfile)[m.group(1)], runtime_from)
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", image), image
    assert any(copy.startswith("--from=builder ") for copy in of(all_stages[-1][1], "COPY"))


def test_runtime_has_weasyprint_libraries_and_no_build_tools(runtime):
    installed = " ".join(of(runtime, "RUN"))
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fontconfig"):
        assert package in installed.split()
    assert re.search(r"\bfonts-\S+", installed)
    for tool in ("gcc", "build-essential", "libpq", "-dev ", "git "):
        assert tool not in installed + " "
    assert "--no-install-recommends" in installed
    assert "rm -rf /var/lib/apt/lists/*" in installed


def test_runs_as_a_numeric_non_root_user(runtime):
    users = of(runtime, "USER")
    assert users, "the runtime stage must switch user"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit() and int(uid) == 10001
    assert not gid or (gid.isdigit() and int(gid) != 0)
    # Kubernetes can only verify runAsNonRoot against a numeric USER, and the
    # account the image creates must be the same one.
    assert any("--uid 10001" in run for run in of(runtime, "RUN"))
    last_user = max(i for i, (kw, _) in enumerate(runtime) if kw == "USER")
    assert not [kw for kw, _ in runtime[last_user:] if kw == "RUN"]


def test_nothing_is_fetched_with_add(dockerfile):
    for keyword, arguments in instructions(dockerfile):
        if keyword == "ADD":
            assert not re.search(r"(https?|ftp)://|git@", arguments), arguments


def test_no_secret_is_baked_into_the_image(dockerfile):
    for keyword, arguments in instructions(dockerfile):
        if keyword in ("ENV", "ARG", "LABEL"):
            for assignment in shlex.split(arguments):
                name = assignment.partition("=")[0]
                assert not SECRET_NAME.search(name.upper()), f"{keyword} {assignment}"
        if keyword in ("COPY", "ADD"):
            assert ".env" not in arguments.split()


def test_image_carries_standards_and_server_config_and_the_package_its_migrations(runtime):
    assert of(runtime, "WORKDIR")[-1] == "/app"
    copies = [copy.split() for copy in of(runtime, "COPY")]
    assert ["tenants/", "tenants/"] in copies
    # The migrations ship inside the installed package (tests/deploy/test_paket.py), found from there in any folder.
    assert not [c for c in copies if "migrations/" in c]
    assert ["deploy/gunicorn.conf.py", "deploy/gunicorn.conf.py"] in copies
    assert of(runtime, "EXPOSE") == ["8000"]
    # The cluster's probes check health; a Docker HEALTHCHECK would be a
    # second, unwatched copy of them.
    assert of(runtime, "HEALTHCHECK") == ["NONE"]


def test_default_command_is_gunicorn_with_the_config(runtime):
    (cmd,) = of(runtime, "CMD")
    command = json.loads(cmd)  # exec form: gunicorn is PID 1 and receives SIGTERM
    assert command == ["gunicorn", "-c", "/app/deploy/gunicorn.conf.py", "dinsos.wsgi:app"]
    assert GUNICORN_CONF.is_file()


def ignored(patterns, path):
    """Whether .dockerignore patterns (last match wins, ! re-includes) exclude path or a parent."""
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        bare = pattern.removeprefix("**/")
        for candidate in candidates:
            if fnmatch.fnmatchcase(candidate, pattern) or (
                pattern != bare and fnmatch.fnmatchcase(candidate.rsplit("/", 1)[-1], bare)
            ):
                excluded = not negate
    return excluded


def test_dockerignore_keeps_junk_out_and_sources_in(dockerfile):
    patterns = [
        line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    for junk in (".git", ".venv", "tests", "instance", ".env", ".pytest_cache", "platform/dinsos/__pycache__", "dev.db"):
        assert ignored(patterns, junk), junk
    for _, stage in stages(dockerfile):
        for copy in of(stage, "COPY"):
            if copy.startswith("--from="):
                continue
            for source in copy.split()[:-1]:
                assert not ignored(patterns, source), source


# --- the gunicorn configuration -------------------------------------------


def load_conf(monkeypatch, **env):
    for name in ("DINSOS_WEB_CONCURRENCY", "DINSOS_WEB_THREADS", "DINSOS_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_worker_count_comes_from_the_environment(monkeypatch):
    conf = load_conf(monkeypatch, DINSOS_WEB_CONCURRENCY="5", DINSOS_WEB_THREADS="4")
    assert conf["workers"] == 5
    assert conf["threads"] == 4
    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["worker_tmp_dir"] == "/dev/shm"
    assert conf["preload_app"] is False
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["graceful_timeout"] > 0
    assert conf["accesslog"] == "-"


def test_default_worker_count_follows_the_cpus_and_is_capped(monkeypatch):
    conf = load_conf(monkeypatch)
    default_workers = conf["_default_workers"]
    default_workers.__globals__["_cpu_quota"] = lambda: 1
    assert default_workers() == 3
    default_workers.__globals__["_cpu_quota"] = lambda: 64
    assert default_workers() == conf["MAX_DEFAULT_WORKERS"]


def test_tenant_slug_comes_from_the_tenant_path(monkeypatch):
    tenant_slug = load_conf(monkeypatch)["tenant_slug"]
    assert tenant_slug("/t/kota-metro/standar-pelayanan") == "kota-metro"
    assert tenant_slug("/t/kabupaten-magetan") == "kabupaten-magetan"
    assert tenant_slug("/api/t/kota-metro/kasus/") == "kota-metro"
    assert tenant_slug("/api/openapi.json") is None
    assert tenant_slug("/t//x") is None


TOY_APP = '''
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Request-ID", "req-42")])
    return [b"ok"]
'''


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_serves_with_the_config_logs_json_and_stops_on_sigterm(tmp_path):
    (tmp_path / "toy.py").write_text(TOY_APP)
    metrics = tmp_path / "prometheus"
    metrics.mkdir()
    (metrics / "counter_999.db").write_bytes(b"left by an earlier run")
    port = free_port()
    env = {**os.environ, "DINSOS_LOG_FORMAT": "json", "PROMETHEUS_MULTIPROC_DIR": str(metrics), "DINSOS_WEB_CONCURRENCY": "2"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}", "--chdir", str(tmp_path), "toy:app"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/t/kota-metro/cari?nama=Siti+Aminah", timeout=2) as response:
                    assert response.read() == b"ok"
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert not (metrics / "counter_999.db").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=40)
    assert server.returncode == 0, stderr

    access = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    (request,) = [entry for entry in access if entry.get("path") == "/t/kota-metro/cari"]
    assert request["tenant"] == "kota-metro"
    assert request["request_id"] == "req-42"
    assert request["status"] == 200
    assert request["method"] == "GET"
    errors = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert any("Booting worker" in entry["message"] for entry in errors)
    assert any("Shutting down" in entry["message"] for entry in errors)
    # The query string carried a name: it must not reach any log line.
    assert "Siti" not in stdout + stderr


@pytest.mark.slow
def test_a_crlf_in_the_path_cannot_forge_a_text_access_log_line(tmp_path):
    """Issue 19 item 6: gunicorn's plain-text access log writes a decoded path's CR/LF as escapes."""
    (tmp_path / "toy.py").write_text(TOY_APP)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DINSOS_LOG_FORMAT"} | {"DINSOS_WEB_CONCURRENCY": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}", "--chdir", str(tmp_path), "toy:app"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                    s.sendall(b"GET /t/x%0d%0aPALSU%20200%200%20request_id=admin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    assert b"200 OK" in s.recv(1000)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, _stderr = server.communicate(timeout=40)
    baris = [b for b in stdout.splitlines() if b.strip()]
    assert not any(b.startswith("PALSU") for b in baris), stdout
    assert any(b.startswith("GET /t/x\\r\\nPALSU 200 0 request_id=admin 200") for b in baris), stdout
