{{/*
Names. The full name is cut to 52 characters so that "<fullname>-migrate"
and the other suffixed names stay within Kubernetes' 63.
*/}}
{{- define "dinsos.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 52 | trimSuffix "-" }}
{{- end }}

{{- define "dinsos.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Labels. Called with (dict "ctx" $ "component" "web"); component may be
left out for objects every process shares.
*/}}
{{- define "dinsos.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dinsos.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{- define "dinsos.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "dinsos.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: dinsos
{{- end }}

{{- define "dinsos.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{- define "dinsos.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default (include "dinsos.fullname" .) .Values.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.serviceAccount.name }}
{{- end -}}
{{- end }}

{{/*
Secrets. The application's keys live in existingSecret or in the chart's
own Secret. The migration job runs before that Secret exists on a first
install, so without existingSecret it reads a hook Secret "<fullname>-migrate"
created just before it and deleted once it succeeds.
*/}}
{{- define "dinsos.secretName" -}}
{{ default (include "dinsos.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "dinsos.migrateHookSecretName" -}}
{{ include "dinsos.fullname" . }}-migrate
{{- end }}

{{- define "dinsos.migrateJobSecretName" -}}
{{ default (include "dinsos.migrateHookSecretName" .) .Values.existingSecret }}
{{- end }}

{{- define "dinsos.migrationUrlSecretName" -}}
{{ .Values.database.migrationExistingSecret | default .Values.existingSecret | default (include "dinsos.migrateHookSecretName" .) }}
{{- end }}

{{/* The application's secret values, as YAML; only the keys that are set. */}}
{{- define "dinsos.secretData" -}}
{{- $data := dict }}
{{- with .Values.database.url }}{{ $_ := set $data "DATABASE_URL" . }}{{ end }}
{{- with .Values.redis.url }}{{ $_ := set $data "REDIS_URL" . }}{{ end }}
{{- with .Values.app.secretKey }}{{ $_ := set $data "DINSOS_SECRET_KEY" . }}{{ end }}
{{- with .Values.app.encryptionKeys }}{{ $_ := set $data "DINSOS_ENCRYPTION_KEYS" . }}{{ end }}
{{- with .Values.mail.smtp.password }}{{ $_ := set $data "DINSOS_SMTP_PASSWORD" . }}{{ end }}
{{- toYaml $data }}
{{- end }}

{{/* Non-secret settings, as YAML; every value a string. */}}
{{- define "dinsos.configData" -}}
{{- $data := dict "DINSOS_BASE_URL" .Values.app.baseUrl "DINSOS_DB_APP_ROLE" .Values.database.appRole "DINSOS_LOG_FORMAT" .Values.app.logFormat }}
{{- with .Values.mail.from }}{{ $_ := set $data "DINSOS_MAIL_FROM" . }}{{ end }}
{{- with .Values.mail.smtp }}
{{- if .host }}
{{- $_ := set $data "DINSOS_SMTP_HOST" .host }}
{{- $_ := set $data "DINSOS_SMTP_PORT" (toString .port) }}
{{- $_ := set $data "DINSOS_SMTP_STARTTLS" (toString .starttls) }}
{{- with .user }}{{ $_ := set $data "DINSOS_SMTP_USER" . }}{{ end }}
{{- end }}
{{- end }}
{{- with .Values.storage.url }}{{ $_ := set $data "DINSOS_STORAGE_URL" . }}{{ end }}
{{- with .Values.storage.uploadDir }}{{ $_ := set $data "DINSOS_UPLOAD_DIR" . }}{{ end }}
{{- range $key, $value := .Values.app.extraConfig }}{{ $_ := set $data $key (toString $value) }}{{ end }}
{{- toYaml $data }}
{{- end }}

{{/*
Secret environment variables, by reference. Called with
(dict "ctx" $ "secretName" "..."). The four the application cannot start
without are required, so a missing key stops the pod at creation with the
key's name in its events instead of starting it half configured.
*/}}
{{- define "dinsos.secretEnv" -}}
{{- range list "DATABASE_URL" "REDIS_URL" "DINSOS_SECRET_KEY" "DINSOS_ENCRYPTION_KEYS" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $.secretName }}
      key: {{ . }}
{{- end }}
- name: DINSOS_SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: DINSOS_SMTP_PASSWORD
      optional: true
{{- with .ctx.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "dinsos.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.runAsUser }}
runAsGroup: {{ .Values.runAsUser }}
fsGroup: {{ .Values.runAsUser }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "dinsos.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.runAsUser }}
runAsGroup: {{ .Values.runAsUser }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
{{- end }}

{{/* Pod settings every process shares. */}}
{{- define "dinsos.podCommon" -}}
serviceAccountName: {{ include "dinsos.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- include "dinsos.podSecurityContext" . | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Pod template annotations: a changed ConfigMap or chart-made Secret rolls the
pods, since environment variables are read only at start.
*/}}
{{- define "dinsos.podAnnotations" -}}
checksum/config: {{ include "dinsos.configData" .ctx | sha256sum }}
{{- if not .ctx.Values.existingSecret }}
checksum/secret: {{ include "dinsos.secretData" .ctx | sha256sum }}
{{- end }}
{{- with .annotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Waits until the database is at the migration head. The migration hook runs
first on every helm install and upgrade; this guards pods started any other
way (a rollout restart, an autoscaler, a GitOps tool that skips hooks) from
serving an older schema. `dinsos db check` exits 0 only at the head.
*/}}
{{- define "dinsos.waitForMigrations" -}}
{{- if .Values.migrations.waitForHead.enabled }}
initContainers:
  - name: wait-for-migrations
    image: {{ include "dinsos.image" . }}
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    command:
      - sh
      - -c
      - until dinsos db check; do echo "database is not at the migration head yet, waiting"; sleep 5; done
    envFrom:
      - configMapRef:
          name: {{ include "dinsos.fullname" . }}
    env:
      {{- include "dinsos.secretEnv" (dict "ctx" . "secretName" (include "dinsos.secretName" .)) | trim | nindent 6 }}
    securityContext:
      {{- include "dinsos.containerSecurityContext" . | nindent 6 }}
    resources:
      {{- toYaml .Values.migrations.waitForHead.resources | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
{{- end }}
{{- end }}

{{/*
Liveness and readiness of a process without an HTTP port: the file it
touches on every heartbeat must be younger than maxAge seconds. Called with
(dict "env" "DINSOS_WORKER_HEARTBEAT_FILE" "maxAge" 60).
*/}}
{{- define "dinsos.heartbeatCommand" -}}
exec:
  command:
    - python
    - -c
    - {{ printf "import os, sys, time; sys.exit(time.time() - os.stat(os.environ['%s']).st_mtime > %d)" .env (int .maxAge) | quote }}
{{- end }}

{{- define "dinsos.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}
