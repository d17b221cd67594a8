{{/* Names and labels, as `helm create` makes them. */}}
{{- define "flotilla.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "flotilla.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "flotilla.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "flotilla.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "flotilla.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flotilla.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "flotilla.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flotilla.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "flotilla.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The Secret the chart makes for values given inline (URLs, a trial secret key). */}}
{{- define "flotilla.secretName" -}}
{{ include "flotilla.fullname" . }}-env
{{- end }}

{{- define "flotilla.needsOwnSecret" -}}
{{- if or (and .Values.postgres.url (not .Values.postgres.existingSecret)) (and .Values.redis.url (not .Values.redis.existingSecret)) (and .Values.secretKey.value (not .Values.secretKey.existingSecret)) }}true{{ end }}
{{- end }}

{{/*
A secretKeyRef to an existing Secret, or to the chart's own Secret for a value given inline.
Fails the render naming the value to set when neither is given.
*/}}
{{- define "flotilla.secretRef" -}}
{{- $ := index . 0 }}{{ $source := index . 1 }}{{ $key := index . 2 }}{{ $what := index . 3 }}
{{- if $source.existingSecret }}
secretKeyRef:
  name: {{ $source.existingSecret }}
  key: {{ $source.existingSecretKey }}
{{- else if (index $source $key) }}
secretKeyRef:
  name: {{ include "flotilla.secretName" $ }}
  key: {{ $source.existingSecretKey }}
{{- else }}
{{- fail (printf "set %s" $what) }}
{{- end }}
{{- end }}

{{/* Environment shared by the web, the worker and the migration. */}}
{{- define "flotilla.env" -}}
- name: DATABASE_URL
  valueFrom:
    {{- include "flotilla.secretRef" (list . .Values.postgres "url" "postgres.url or postgres.existingSecret") | trim | nindent 4 }}
- name: REDIS_URL
  valueFrom:
    {{- include "flotilla.secretRef" (list . .Values.redis "url" "redis.url or redis.existingSecret") | trim | nindent 4 }}
- name: FLOTILLA_SECRET_KEY
  valueFrom:
    {{- include "flotilla.secretRef" (list . .Values.secretKey "value" "secretKey.existingSecret (openssl rand -base64 32)") | trim | nindent 4 }}
{{- if .Values.metrics.existingSecret }}
- name: FLOTILLA_METRICS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.metrics.existingSecret }}
      key: {{ .Values.metrics.existingSecretKey }}
{{- end }}
- name: FLOTILLA_LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: FLOTILLA_LOG_FORMAT
  value: json
{{- with .Values.config.publicUrl }}
- name: FLOTILLA_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "flotilla.metricsAnnotations" -}}
{{- $ := index . 0 }}{{ $port := index . 1 }}{{ $path := index . 2 }}
{{- if $.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ $port | quote }}
prometheus.io/path: {{ $path | quote }}
{{- end }}
{{- end }}
