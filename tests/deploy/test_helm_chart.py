"""The Helm chart renders, lints and validates, and keeps its production promises.

The chart is rendered in-process by helm-python-sdk (Helm's own Go engine
through a C library, offline, no cluster), once with the default values and
once with ci/values-production.yaml. Every manifest is checked against the
Kubernetes OpenAPI schemas that kubernetes-validate ships, in strict mode so
a misspelt field fails too.
"""

import base64
import os
import subprocess
import sys
import time
from pathlib import Path

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "dinsos"
PRODUCTION_VALUES = CHART / "ci" / "values-production.yaml"

# The floor in Chart.yaml's kubeVersion and the newest release
# kubernetes-validate 1.37 ships: a manifest must be valid on both.
KUBERNETES_VERSIONS = ("1.27.0", "1.37.0")

APP_SECRET_KEYS = {"DATABASE_URL", "REDIS_URL", "DINSOS_SECRET_KEY", "DINSOS_ENCRYPTION_KEYS"}


def render(values=None):
    """Rendered manifests as dicts, and the NOTES.txt text."""
    with helm.Chart.load(CHART) as chart:
        rendered = chart.render(values, name="dinsos", namespace="dinsos", is_install=True)
    notes = rendered.pop("dinsos/templates/NOTES.txt")
    manifests = [doc for text in rendered.values() for doc in yaml.safe_load_all(text) if doc]
    return manifests, notes


def production_values():
    return yaml.safe_load(PRODUCTION_VALUES.read_text())


@pytest.fixture(scope="module")
def default_render():
    return render()


@pytest.fixture(scope="module")
def production_render():
    return render(production_values())


@pytest.fixture(params=["default", "production"])
def manifests(request, default_render, production_render):
    return (default_render if request.param == "default" else production_render)[0]


def by_kind(manifests, kind):
    return [m for m in manifests if m["kind"] == kind]


def named(manifests, kind, suffix):
    (found,) = [m for m in by_kind(manifests, kind) if m["metadata"]["name"].endswith(suffix)]
    return found


def pod_specs(manifests):
    """(owner name, pod spec) of every Deployment and Job."""
    return [
        (m["metadata"]["name"], m["spec"]["template"]["spec"])
        for m in manifests
        if m["kind"] in ("Deployment", "Job")
    ]


def containers_of(pod_spec):
    return pod_spec.get("initContainers", []) + pod_spec["containers"]


def env_names(container):
    return {entry["name"] for entry in container.get("env", [])}


# --- the chart as a whole -------------------------------------------------


@pytest.mark.parametrize("values_file", [None, PRODUCTION_VALUES], ids=["default", "production"])
def test_chart_lints_without_warnings(values_file):
    values = yaml.safe_load(values_file.read_text()) if values_file else None
    report = helm.lint(CHART, values, strict=True)
    assert report["errors"] == []
    # Severity 2 is a warning, 3 an error; 1 ("icon is recommended") is advice.
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_is_valid_kubernetes(manifests, version):
    for manifest in manifests:
        kubernetes_validate.validate(manifest, version, strict=True)


def test_strict_validation_catches_a_misspelt_field(default_render):
    web = named(default_render[0], "Deployment", "-web")
    broken = yaml.safe_load(yaml.safe_dump(web))
    broken["spec"]["replica"] = broken["spec"].pop("replicas")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[0], strict=True)


def test_default_values_render_the_whole_platform(default_render):
    kinds = sorted((m["kind"], m["metadata"]["name"]) for m in default_render[0])
    assert kinds == [
        ("ConfigMap", "dinsos"),
        ("Deployment", "dinsos-beat"),
        ("Deployment", "dinsos-web"),
        ("Deployment", "dinsos-worker"),
        ("Job", "dinsos-migrate"),
        ("PodDisruptionBudget", "dinsos-web"),
        ("PodDisruptionBudget", "dinsos-worker"),
        ("Secret", "dinsos"),
        ("Secret", "dinsos-migrate"),
        ("Service", "dinsos-web"),
        ("ServiceAccount", "dinsos"),
    ]


def test_production_values_add_ingress_and_autoscalers(production_render):
    manifests = production_render[0]
    ingress = named(manifests, "Ingress", "dinsos")
    assert ingress["spec"]["tls"][0]["secretName"] == "dinsos-tls"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == named(manifests, "Service", "-web")["metadata"]["name"]

    for component in ("web", "worker"):
        hpa = named(manifests, "HorizontalPodAutoscaler", f"-{component}")
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"]["name"] == f"dinsos-{component}"
        # A fixed replica count would fight the autoscaler on every upgrade.
        assert "replicas" not in named(manifests, "Deployment", f"-{component}")["spec"]


# --- the beat and the migrations ------------------------------------------


def test_beat_is_a_singleton_replaced_with_recreate(manifests):
    beat = named(manifests, "Deployment", "-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert beat["spec"]["template"]["spec"]["containers"][0]["command"] == ["dinsos", "beat"]
    assert not [
        hpa
        for hpa in by_kind(manifests, "HorizontalPodAutoscaler")
        if hpa["spec"]["scaleTargetRef"]["name"] == beat["metadata"]["name"]
    ]


def test_migrations_run_as_a_pre_install_and_pre_upgrade_hook(manifests):
    job = named(manifests, "Job", "-migrate")
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    int(annotations["helm.sh/hook-weight"])
    assert "before-hook-creation" in annotations["helm.sh/hook-delete-policy"].split(",")
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    assert pod["containers"][0]["command"] == ["dinsos", "db", "upgrade"]


def test_migration_hook_does_not_need_objects_made_after_it(default_render):
    """Hooks run before the release's own objects exist, on a first install too."""
    manifests = default_render[0]
    job = named(manifests, "Job", "-migrate")
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert "envFrom" not in container
    assert "serviceAccountName" not in pod

    hook_secret = named(manifests, "Secret", "-migrate")
    secret_hook = hook_secret["metadata"]["annotations"]
    assert secret_hook["helm.sh/hook"] == job["metadata"]["annotations"]["helm.sh/hook"]
    assert int(secret_hook["helm.sh/hook-weight"]) < int(job["metadata"]["annotations"]["helm.sh/hook-weight"])
    referenced = {
        entry["valueFrom"]["secretKeyRef"]["name"]
        for entry in container["env"]
        if "valueFrom" in entry
    }
    assert referenced == {hook_secret["metadata"]["name"]}


def test_only_the_migration_job_sees_the_owner_role(manifests):
    for owner, pod in pod_specs(manifests):
        for container in containers_of(pod):
            names = env_names(container)
            assert "DATABASE_URL" in names, (owner, container["name"])
            if container["name"] == "migrate":
                assert "DINSOS_MIGRATION_DATABASE_URL" in names
            else:
                assert "DINSOS_MIGRATION_DATABASE_URL" not in names, (owner, container["name"])


def test_the_migration_url_can_live_in_its_own_secret(production_render):
    container = named(production_render[0], "Job", "-migrate")["spec"]["template"]["spec"]["containers"][0]
    (migration,) = [e for e in container["env"] if e["name"] == "DINSOS_MIGRATION_DATABASE_URL"]
    assert migration["valueFrom"]["secretKeyRef"]["name"] == "dinsos-migration"
    (app_url,) = [e for e in container["env"] if e["name"] == "DATABASE_URL"]
    assert app_url["valueFrom"]["secretKeyRef"]["name"] == "dinsos-app"


def test_pods_wait_until_the_database_is_at_the_migration_head(manifests):
    for deployment in by_kind(manifests, "Deployment"):
        (wait,) = deployment["spec"]["template"]["spec"]["initContainers"]
        assert "dinsos db check" in " ".join(wait["command"]), deployment["metadata"]["name"]


# --- every container ------------------------------------------------------


def test_no_container_runs_as_root(manifests):
    for owner, pod in pod_specs(manifests):
        pod_context = pod["securityContext"]
        assert pod_context["runAsNonRoot"] is True
        assert pod_context["runAsUser"] == 10001
        tmp_volumes = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
        for container in containers_of(pod):
            where = (owner, container["name"])
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True, where
            assert context.get("runAsUser", pod_context["runAsUser"]) != 0, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert context["readOnlyRootFilesystem"] is True, where
            # A read-only root still needs somewhere to write temporary files.
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts.get("/tmp") in tmp_volumes, where


def test_every_long_running_container_has_probes(manifests):
    for deployment in by_kind(manifests, "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            where = (deployment["metadata"]["name"], container["name"])
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                assert probe in container, where


def test_every_container_has_requests_and_limits(manifests):
    for owner, pod in pod_specs(manifests):
        for container in containers_of(pod):
            resources = container["resources"]
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources[bound]), (owner, container["name"], bound)


def test_web_probes_its_health_endpoints(manifests):
    web = named(manifests, "Deployment", "-web")["spec"]["template"]["spec"]["containers"][0]
    assert web["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert web["command"] == ["gunicorn", "-c", "/app/deploy/gunicorn.conf.py", "dinsos.wsgi:app"]


@pytest.mark.parametrize("component, variable", [("worker", "DINSOS_WORKER_HEARTBEAT_FILE"), ("beat", "DINSOS_BEAT_HEARTBEAT_FILE")])
def test_worker_and_beat_probe_their_heartbeat_file(manifests, component, variable):
    container = named(manifests, "Deployment", f"-{component}")["spec"]["template"]["spec"]["containers"][0]
    heartbeat = {e["name"]: e.get("value") for e in container["env"]}[variable]
    assert heartbeat.startswith("/tmp/")
    for probe in ("livenessProbe", "readinessProbe"):
        assert variable in container[probe]["exec"]["command"][-1]


def test_heartbeat_probe_fails_on_a_stale_file_and_passes_on_a_fresh_one(default_render, tmp_path):
    """Run the probe command the chart renders, as the kubelet would."""
    container = named(default_render[0], "Deployment", "-worker")["spec"]["template"]["spec"]["containers"][0]
    command = [sys.executable] + container["livenessProbe"]["exec"]["command"][1:]
    heartbeat = tmp_path / "worker.heartbeat"
    env = {**os.environ, "DINSOS_WORKER_HEARTBEAT_FILE": str(heartbeat)}

    assert subprocess.run(command, env=env, capture_output=True).returncode != 0  # never touched
    heartbeat.touch()
    assert subprocess.run(command, env=env).returncode == 0
    stale = time.time() - 61
    os.utime(heartbeat, (stale, stale))
    assert subprocess.run(command, env=env).returncode != 0


def test_shutdown_grace_covers_requests_and_tasks(manifests):
    web = named(manifests, "Deployment", "-web")["spec"]["template"]["spec"]
    # gunicorn's graceful_timeout is 30 s, after a 5 s preStop pause.
    assert web["terminationGracePeriodSeconds"] > 35
    assert web["containers"][0]["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"]
    worker = named(manifests, "Deployment", "-worker")["spec"]["template"]["spec"]
    assert worker["terminationGracePeriodSeconds"] >= 300


# --- secrets and configuration --------------------------------------------

SENTINELS = {
    "database": {"url": "postgresql://app:sentinel-app-pw@db/dinsos", "migrationUrl": "postgresql://owner:sentinel-owner-pw@db/dinsos"},
    "redis": {"url": "redis://:sentinel-redis-pw@redis:6379/0"},
    "app": {"baseUrl": "https://dinsos.example.go.id", "secretKey": "sentinel-secret-key", "encryptionKeys": "sentinel-fernet-key"},
    "mail": {"smtp": {"password": "sentinel-smtp-pw"}},
}


def secret_values(tree):
    """Every sentinel string in a values tree."""
    for value in tree.values():
        if isinstance(value, dict):
            yield from secret_values(value)
        elif "sentinel" in value:
            yield value


def all_text(manifests, notes):
    return yaml.safe_dump_all(manifests) + notes


def test_existing_secret_keeps_every_secret_value_out_of_the_release():
    manifests, notes = render({**SENTINELS, "existingSecret": "dinsos-app"})
    assert by_kind(manifests, "Secret") == []
    text = all_text(manifests, notes)
    for value in secret_values(SENTINELS):
        assert value not in text
        assert base64.b64encode(value.encode()).decode() not in text
    for owner, pod in pod_specs(manifests):
        for container in containers_of(pod):
            for entry in container["env"]:
                if "valueFrom" in entry:
                    assert entry["valueFrom"]["secretKeyRef"]["name"] == "dinsos-app", (owner, entry)


def test_without_existing_secret_the_chart_secret_carries_the_values():
    manifests, _ = render(SENTINELS)
    app_secret = named(manifests, "Secret", "dinsos")
    decoded = {key: base64.b64decode(value).decode() for key, value in app_secret["data"].items()}
    assert decoded == {
        "DATABASE_URL": SENTINELS["database"]["url"],
        "REDIS_URL": SENTINELS["redis"]["url"],
        "DINSOS_SECRET_KEY": "sentinel-secret-key",
        "DINSOS_ENCRYPTION_KEYS": "sentinel-fernet-key",
        "DINSOS_SMTP_PASSWORD": "sentinel-smtp-pw",
    }
    hook_secret = named(manifests, "Secret", "-migrate")
    assert base64.b64decode(hook_secret["data"]["DINSOS_MIGRATION_DATABASE_URL"]).decode() == SENTINELS["database"]["migrationUrl"]
    # Secrets travel only as Secret data, never as plain env or ConfigMap values.
    for manifest in manifests:
        if manifest["kind"] != "Secret":
            assert "sentinel" not in yaml.safe_dump(manifest), manifest["metadata"]["name"]


def test_configmap_wires_the_application_role_and_settings(production_render):
    config = named(production_render[0], "ConfigMap", "dinsos")["data"]
    assert config["DINSOS_DB_APP_ROLE"] == "dinsos_app"
    assert config["DINSOS_LOG_FORMAT"] == "json"
    assert config["DINSOS_STORAGE_URL"] == "s3://dinsos-uploads/production"
    assert config["DINSOS_SMTP_PORT"] == "587"
    assert config["DINSOS_SMTP_STARTTLS"] == "true"
    assert not APP_SECRET_KEYS & set(config)


def test_a_changed_setting_rolls_the_pods():
    before = named(render()[0], "Deployment", "-web")["spec"]["template"]["metadata"]["annotations"]
    after = named(render({"mail": {"from": "baru@dinsos.example.go.id"}})[0], "Deployment", "-web")
    assert after["spec"]["template"]["metadata"]["annotations"]["checksum/config"] != before["checksum/config"]


def test_notes_warn_only_when_secrets_are_missing(default_render, production_render):
    assert "no value for DATABASE_URL" in default_render[1]
    assert "WARNING" not in production_render[1]


# --- the values schema ----------------------------------------------------


@pytest.mark.parametrize(
    "bad, where",
    [
        ({"web": {"replicas": "2"}}, "/web/replicas"),
        ({"worker": {"replicas": 0}}, "/worker/replicas"),
        ({"beat": {"replicas": 2}}, "/beat"),
        ({"image": {"repository": ""}}, "/image/repository"),
        ({"runAsUser": 0}, "/runAsUser"),
        ({"web": {"resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": None}}}, "/web/resources"),
        ({"storage": {"existingClaim": "uploads"}}, "/storage"),
        ({"replicaCount": 3}, "replicaCount"),
    ],
    ids=["replicas-string", "replicas-zero", "beat-replicas", "no-image", "root", "no-limits", "claim-without-dir", "unknown-key"],
)
def test_bad_values_fail_the_schema(bad, where):
    with helm.Chart.load(CHART) as chart:
        with pytest.raises(helm.HelmValuesError) as refused:
            chart.validate_schema(bad)
        assert where in str(refused.value)
        with pytest.raises(helm.HelmValuesError):
            chart.render(bad, name="dinsos", namespace="dinsos")
    report = helm.lint(CHART, bad)
    assert any(where in message for message in report["errors"])


def test_production_values_pass_the_schema():
    with helm.Chart.load(CHART) as chart:
        chart.validate_schema(production_values())
