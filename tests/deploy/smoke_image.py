"""Run the built image as the Helm chart runs it, then smoke-test it from outside.

    python tests/deploy/smoke_image.py localhost/dinsos:ci      (as root; deploy/ci-image.sh calls it)

Nothing here restates the chart: it is rendered (helm-python-sdk, as in
test_helm_chart.py) with this machine's PostgreSQL and Redis as values, and
each process takes its command, working directory, user and environment from
the rendered Job and Deployments: the ConfigMap and the chart's Secrets are
resolved as the kubelet would. Each process gets what the pod gets: the
image's root filesystem read-only, its own tmpfs on /tmp (the emptyDir),
uid 10001, its own PID namespace. `podman run` hangs in this sandbox, so the
runner is unshare + chroot on the image mounted by buildah; the host's network
is shared, so the one deviation from the chart is the web's port
(GUNICORN_CMD_ARGS, read after gunicorn.conf.py), since 8000 may be taken.

Then, from outside: /readyz, a login, an intake over the API, a letter PDF
rendered in the container (with text, so fonts are there), a referral
Magetan -> Banten delivered by the containerised worker, and the worker's and
beat's heartbeat probes run as the chart runs them. Any failure exits non-zero;
every process started is stopped and the working container removed.
"""
import base64
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import helm_python as helm
import psycopg
import pypdf
import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "dinsos"
BUILDAH = ["buildah", "--storage-driver", os.environ.get("STORAGE_DRIVER", "vfs")]
PG = os.environ.get("CI_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# A Redis db no test uses: the containerised worker must not take the tests' tasks, nor they its.
REDIS = os.environ.get("CI_IMAGE_REDIS_URL", "redis://127.0.0.1:6379/14")
DATABASE = "dinsos_image_ci"
APP_ROLE = "dinsos_image_app"
PASSWORD = "rahasia-image-123"
STAFF = {  # (office, role): e-mail
    ("kabupaten-magetan", "petugas_pelayanan"): "sri@magetan.example",
    ("kabupaten-magetan", "pekerja_sosial"): "budi@magetan.example",
    ("provinsi-banten", "pekerja_sosial"): "dedi@banten.example",
}


def log(text: str) -> None:
    print(f"[image] {text}", flush=True)


# --- the chart, rendered --------------------------------------------------


def render_chart(values: dict) -> list[dict]:
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(values, name="dinsos", namespace="dinsos", is_install=True)
    rendered.pop("dinsos/templates/NOTES.txt", None)
    return [doc for text in rendered.values() for doc in yaml.safe_load_all(text) if doc]


def pod_of(manifests: list[dict], kind: str, name: str) -> dict:
    (found,) = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    return found["spec"]["template"]["spec"]


def container_env(container: dict, manifests: list[dict], image_env: dict) -> dict:
    """The environment the kubelet gives this container: the image's, then envFrom, then env."""
    objects = {(m["kind"], m["metadata"]["name"]): m for m in manifests}
    env = dict(image_env)
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(objects[("ConfigMap", source["configMapRef"]["name"])]["data"])
        else:
            secret = objects[("Secret", source["secretRef"]["name"])]
            env.update({k: base64.b64decode(v).decode() for k, v in secret.get("data", {}).items()})
    for entry in container.get("env", []):
        if "value" in entry:
            env[entry["name"]] = entry["value"]
            continue
        ref = entry["valueFrom"]["secretKeyRef"]
        data = objects[("Secret", ref["name"])].get("data", {})
        if ref["key"] in data:
            env[entry["name"]] = base64.b64decode(data[ref["key"]]).decode()
        elif not ref.get("optional"):
            raise SystemExit(f"{container['name']}: secret {ref['name']} has no key {ref['key']}")
    return env


# --- the image, run as a pod runs it -------------------------------------


class Image:
    """The image mounted read-only-to-be; each process in its own mount and PID namespace."""

    def __init__(self, ref: str):
        config = json.loads(subprocess.check_output([*BUILDAH, "inspect", "--type", "image", ref]))["OCIv1"]["config"]
        self.env = dict(item.split("=", 1) for item in config.get("Env") or [])
        self.workdir = config.get("WorkingDir") or "/"
        self.name = f"dinsos-smoke-{os.getpid()}"
        subprocess.check_call([*BUILDAH, "from", "--quiet", "--pull-never", "--name", self.name, ref], stdout=subprocess.DEVNULL)
        self.rootfs = subprocess.check_output([*BUILDAH, "mount", self.name], text=True).strip()
        self.processes: list[tuple[str, subprocess.Popen, str]] = []
        self.claims: dict[str, str] = {}

    def _command(self, container: dict, pod: dict, env: dict, command: list[str], mountpoint: str) -> list[str]:
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] and security["runAsNonRoot"], container["name"]
        uid = security.get("runAsUser", pod["securityContext"]["runAsUser"])
        gid = security.get("runAsGroup", pod["securityContext"]["runAsGroup"])
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        mounts = []
        for mount in container.get("volumeMounts", []):
            volume = volumes[mount["name"]]
            if "emptyDir" in volume:  # a fresh tmpfs of the same size limit, this process's own
                size = volume["emptyDir"]["sizeLimit"].replace("Mi", "m").replace("Gi", "g")
                mounts.append(f"tmpfs:{mount['mountPath']}:{size}")
            elif "persistentVolumeClaim" in volume:  # a shared (ReadWriteMany) claim: one host folder for every pod
                mounts.append(f"bind:{self.claim(volume['persistentVolumeClaim']['claimName'])}:{mount['mountPath']}")
            else:
                raise SystemExit(f"{container['name']}: the runner does not know volume {volume}")
        workdir = container.get("workingDir") or self.workdir
        # The volumes first (their mount points made as the kubelet makes them), then the root read-only.
        setup = """set -e; root="$2"; mount --bind "$1" "$root"; shift 2
while [ "$1" != -- ]; do
  IFS=: read -r kind a b <<< "$1"
  if [ "$kind" = tmpfs ]; then mkdir -p "$root$a"; mount -t tmpfs -o size="$b",mode=1777 tmpfs "$root$a"
  else mkdir -p "$root$b"; mount --bind "$a" "$root$b"; fi
  shift
done
shift; mount -o remount,bind,ro "$root"; mount --rbind /dev "$root/dev"; mount -t proc proc "$root/proc"
exec chroot --userspec="$1" "$root" "${@:2}"
"""
        return ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
                "bash", "-c", setup, "runner", self.rootfs, mountpoint, *mounts, "--", f"{uid}:{gid}",
                "/usr/bin/env", "-i", f"--chdir={workdir}", *(f"{k}={v}" for k, v in env.items()), *command]

    def claim(self, name: str) -> str:
        if name not in self.claims:
            folder = tempfile.mkdtemp(prefix=f"dinsos-smoke-claim-{name}-")
            os.chown(folder, 10001, 10001)  # fsGroup would make it the pods' group
            self.claims[name] = folder
        return self.claims[name]

    def start(self, label: str, container: dict, pod: dict, env: dict, command=None, log_to=None) -> subprocess.Popen:
        mountpoint = tempfile.mkdtemp(prefix="dinsos-smoke-")
        argv = self._command(container, pod, env, command or container["command"] + container.get("args", []), mountpoint)
        proc = subprocess.Popen(argv, stdout=log_to or subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        self.processes.append((label, proc, mountpoint))
        return proc

    def run(self, label, container, pod, env, command=None, timeout=300) -> str:
        """A one-off process (a `kubectl exec` or the Job); fails the run on a non-zero exit."""
        started = time.monotonic()
        proc = self.start(label, container, pod, env, command)
        out, _ = proc.communicate(timeout=timeout)
        log(f"{label}: exit {proc.returncode} in {time.monotonic() - started:.1f} s")
        if proc.returncode:
            raise SystemExit(f"{label} failed:\n{out}")
        return out

    def pid_in_pod(self, proc: subprocess.Popen) -> int:
        """Host PID of the pod's first process (unshare's child)."""
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        return int(children[0])

    def probe(self, label, proc, container, pod, env) -> bool:
        """Run the container's exec liveness probe inside its pod, as the kubelet does."""
        security = container["securityContext"]
        uid = security.get("runAsUser", pod["securityContext"]["runAsUser"])
        command = container["livenessProbe"]["exec"]["command"]
        argv = ["nsenter", "-t", str(self.pid_in_pod(proc)), "-m", "-p", "-r", "-w", "-S", str(uid), "-G", str(uid),
                "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), *command]
        return subprocess.run(argv, capture_output=True, timeout=30).returncode == 0

    def stop(self):
        # Killing unshare kills the pod's first process (--kill-child), and with it its whole PID namespace.
        for label, proc, mountpoint in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            Path(mountpoint).rmdir()
        for folder in self.claims.values():
            shutil.rmtree(folder)
        subprocess.run([*BUILDAH, "umount", self.name], capture_output=True)
        subprocess.run([*BUILDAH, "rm", self.name], capture_output=True)


# --- HTTP from outside ------------------------------------------------------


class Client:
    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def call(self, method: str, path: str, *, json_body=None, form=None, files=None) -> tuple[int, bytes, dict]:
        headers, data = {}, None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if json_body is not None:
            headers["Content-Type"], data = "application/json", json.dumps(json_body).encode()
        elif files is not None:
            boundary = uuid.uuid4().hex
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in (form or {}).items()]
            for field, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                             f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
            headers["Content-Type"], data = f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()
        elif form is not None:
            headers["Content-Type"], data = "application/x-www-form-urlencoded", urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def json(self, method, path, expect, **kw) -> dict:
        status, body, _ = self.call(method, path, **kw)
        if status != expect:
            raise SystemExit(f"{method} {path}: {status}, expected {expect}: {body[:2000]!r}")
        return json.loads(body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def a_pdf(text: str) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def wait_until(what: str, check, timeout: float, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the run ----------------------------------------------------------------


def fresh_database() -> tuple[str, str]:
    """(owner URL, app role URL) of a new, empty database."""
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    url = urllib.parse.urlsplit(PG)
    owner = url._replace(path="/" + DATABASE)
    app = owner._replace(netloc=f"{APP_ROLE}@{url.hostname}:{url.port or 5432}")  # trust auth here, as in CI
    return owner.geturl(), app.geturl()


def smoke(base: str, tokens: dict) -> None:
    status, body, _ = Client(base).call("GET", "/readyz")
    assert status == 200, (status, body)

    # A login through the form, as a person does it.
    web = Client(base)
    page = web.call("GET", "/t/kabupaten-magetan/masuk")[1].decode()
    csrf = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)[1]
    status, _, headers = web.call("POST", "/t/kabupaten-magetan/masuk", form={
        "email": STAFF[("kabupaten-magetan", "petugas_pelayanan")], "kata_sandi": PASSWORD, "csrf_token": csrf})
    assert status == 302 and "/masuk" not in headers.get("Location", ""), (status, headers)
    status, body, _ = web.call("GET", "/t/kabupaten-magetan/kasus/")
    assert status == 200, status
    log("login: ok")

    sri = Client(base, tokens[("kabupaten-magetan", "petugas_pelayanan")])
    budi = Client(base, tokens[("kabupaten-magetan", "pekerja_sosial")])
    dedi = Client(base, tokens[("provinsi-banten", "pekerja_sosial")])
    api = "/api/t/kabupaten-magetan/kasus"
    # An intake with one requirement missing, so the office owes the applicant a letter.
    kasus = sri.json("POST", api + "/", 201, json_body={
        "layanan": "pengiriman-anjal-at",
        "pelapor": {"jenis": "kepolisian", "instansi": "Polres Magetan"},
        "klien": {"nama": "Rina Lestari", "tanggal_lahir": "2014-03-02", "jenis_kelamin": "P", "alamat": "Dusun Krajan, Magetan",
                  "kode_wilayah": "35.20.01.2001", "kategori_ppks": 2,
                  "keluarga": [{"nama": "Sumarni", "hubungan": "ibu", "wali": True, "kontak": "0812000111"}]},
        "persyaratan": {"surat-keterangan-kepolisian": "dilihat"}})
    kid = kasus["id"]
    assert kasus["status"] == "berkas_belum_lengkap", kasus
    log(f"intake over the API: case {kid}")

    status, pdf, _ = sri.call("POST", f"{api}/{kid}/pemberitahuan-kekurangan")
    assert status == 201 and pdf.startswith(b"%PDF"), (status, pdf[:200])
    text = " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Magetan" in text, f"the letter has no text (fonts missing?): {text[:300]!r}"
    log(f"letter PDF rendered in the container: {len(pdf)} bytes, {len(text)} characters of text")

    versi = sri.json("GET", f"{api}/{kid}", 200)["versi"]
    sri.json("POST", f"{api}/{kid}/lampiran", 201, form={"versi": versi, "persyaratan": "surat-keterangan-kehilangan"},
             files={"berkas": ("kehilangan.pdf", a_pdf("kehilangan"))})
    # Magetan's front office finds the complete file correct before any step runs.
    versi = sri.json("GET", f"{api}/{kid}", 200)["versi"]
    sri.json("POST", f"{api}/{kid}/verifikasi", 200, json_body={"versi": versi, "benar": True})
    dokumen = ("surat-permohonan", "surat-persetujuan")  # what Banten's panti asks the referring office for
    lampiran = {}
    for kode in dokumen:
        versi = budi.json("GET", f"{api}/{kid}", 200)["versi"]
        lampiran[kode] = budi.json("POST", f"{api}/{kid}/lampiran", 201, form={"versi": versi},
                                   files={"berkas": (f"{kode}.pdf", a_pdf(kode))})["id"]
    rinci = sri.json("GET", f"{api}/{kid}", 200)
    assert rinci["status"] == "berjalan", rinci["status"]
    sri.json("POST", f"{api}/{kid}/langkah", 200, json_body={"versi": rinci["versi"], "langkah": "serah-terima", "catatan": "Diserahkan Polres"})

    rujukan = budi.json("POST", "/api/t/kabupaten-magetan/rujukan/keluar", 201, json_body={
        "kasus_id": kid, "tujuan": {"jenis": "layanan", "kantor": "provinsi-banten", "layanan": "rehabilitasi-anak-terlantar-panti"},
        "alasan": "Anak terlantar", "bidang_klien": ["nama", "tanggal_lahir"],
        "berkas": [{"sumber": "lampiran", "id": str(i), "dokumen_kode": k} for k, i in lampiran.items()],
        "persetujuan": {"nama": "Sumarni", "hubungan": "orang_tua", "cara": "tertulis", "tanggal": "2026-05-04"}})
    assert rujukan["status"] == "dikirim", rujukan
    started = time.monotonic()

    def delivered():
        masuk = dedi.json("GET", "/api/t/provinsi-banten/rujukan/masuk", 200)["data"]
        return masuk if masuk and masuk[0]["status"] == "diterima_tujuan" else None

    [masuk] = wait_until("the worker to deliver the referral to Banten", delivered, 90)
    assert masuk["asal"] == "Dinas Sosial Kabupaten Magetan", masuk
    log(f"referral Magetan -> Banten delivered by the worker in {time.monotonic() - started:.1f} s")


def main(image_ref: str) -> None:
    owner_url, app_url = fresh_database()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    manifests = render_chart({
        "image": {"repository": image_ref.rsplit(":", 1)[0], "tag": image_ref.rsplit(":", 1)[1]},
        "database": {"url": app_url, "migrationUrl": owner_url, "appRole": APP_ROLE},
        "redis": {"url": REDIS},
        "app": {"baseUrl": base, "secretKey": secrets.token_urlsafe(32), "logFormat": "text",
                "encryptionKeys": base64.urlsafe_b64encode(os.urandom(32)).decode()},
        # Uploads on a shared claim, as a cluster without an object store keeps them (the web stores, the worker reads).
        "storage": {"uploadDir": "/data/unggahan", "existingClaim": "dinsos-unggahan-ci"},
        "web": {"concurrency": 2},
    })
    pods = {name: pod_of(manifests, kind, f"dinsos-{name}") for kind, name in
            [("Job", "migrate"), ("Deployment", "web"), ("Deployment", "worker"), ("Deployment", "beat")]}
    image = Image(image_ref)
    try:
        specs = {}
        for name, pod in pods.items():
            (container,) = pod["containers"]
            specs[name] = (container, pod, container_env(container, manifests, image.env))
        migrate, web, worker, beat = (specs[n] for n in ("migrate", "web", "worker", "beat"))

        image.run("migrate job (dinsos db upgrade, as the owner)", *migrate)
        image.run("dinsos db create-app-role (as the owner)", *migrate, command=["dinsos", "db", "create-app-role"])
        logs = {n: tempfile.TemporaryFile("w+") for n in ("web", "worker", "beat")}
        container, pod, env = web
        started = time.monotonic()
        web_proc = image.start("web", container, pod, {**env, "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}"},
                               log_to=logs["web"])
        worker_proc = image.start("worker", *worker, log_to=logs["worker"])
        beat_proc = image.start("beat", *beat, log_to=logs["beat"])
        try:
            def ready():
                for name, proc in (("web", web_proc), ("worker", worker_proc), ("beat", beat_proc)):
                    if proc.poll() is not None:
                        raise SystemExit(f"{name} exited with {proc.returncode}")
                try:
                    return Client(base).call("GET", "/readyz")[0] == 200
                except OSError:
                    return False

            wait_until("/readyz to answer 200", ready, 120, every=0.25)
            log(f"time to start: web answered /readyz 200 {time.monotonic() - started:.1f} s after gunicorn was started")

            # As NOTES.txt tells operators: `kubectl exec deploy/dinsos-web -- dinsos ...`, i.e. as the app role.
            image.run("dinsos tenants load tenants", *web, command=["dinsos", "tenants", "load", "tenants"])

            def account(office_role_email):
                (office, role), email = office_role_email
                image.run(f"dinsos users create {email}", *web, command=[
                    "dinsos", "users", "create", "--tenant", office, "--email", email, "--name", f"Staf {role}", "--role", role,
                    "--password", PASSWORD])
                return (office, role), image.run(f"dinsos users token {email}", *web, command=[
                    "dinsos", "users", "token", "--tenant", office, "--email", email]).strip().splitlines()[-1]

            with ThreadPoolExecutor(len(STAFF)) as pool:  # one `kubectl exec` per account, side by side
                tokens = dict(pool.map(account, STAFF.items()))
            for name, proc, (container, pod, env) in (("worker", worker_proc, worker), ("beat", beat_proc, beat)):
                wait_until(f"the {name}'s liveness probe", lambda: image.probe(name, proc, container, pod, env), 120, every=2)
                log(f"{name}: liveness probe (heartbeat file in /tmp) passes")
            smoke(base, tokens)
        except BaseException:
            for name, handle in logs.items():
                handle.seek(0)
                print(f"----- {name} log (last 60 lines)", *handle.read().splitlines()[-60:], sep="\n", file=sys.stderr)
            raise
    finally:
        image.stop()
    log("smoke test passed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    if shutil.which("unshare") is None or os.geteuid() != 0:
        raise SystemExit("needs root and unshare (util-linux)")
    main(sys.argv[1])
