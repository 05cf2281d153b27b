{{- define "cdo.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cdo.selectorLabels" -}}
app.kubernetes.io/name: cloud-data-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
Labels of the `helm test` Pod: its own name, so that no selector of the operator's (the
Deployment, the PodDisruptionBudget, the metrics Service, the NetworkPolicy) picks it up.
*/}}
{{- define "cdo.testSelectorLabels" -}}
app.kubernetes.io/name: cloud-data-operator-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: helm-test
{{- end -}}

{{- define "cdo.labels" -}}
{{ include "cdo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The metrics port's name: its protocol first, as service meshes and kube-prometheus read it. */}}
{{- define "cdo.metricsPortName" -}}
{{- if .Values.metrics.secure }}https-metrics{{ else }}http-metrics{{ end -}}
{{- end -}}

{{/* "region=url,…" from a map (keys sorted, so the output is stable). */}}
{{- define "cdo.endpoints" -}}
{{- $out := list -}}
{{- range $region, $url := . -}}
{{- $out = append $out (printf "%s=%s" $region $url) -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}

{{/* Checks a default-credentials value: namespace/name, in a watched namespace. */}}
{{- define "cdo.checkCredentials" -}}
{{- $v := index . 0 -}}{{- $which := index . 1 -}}{{- $watch := index . 2 -}}
{{- if $v -}}
{{- if not (regexMatch "^[a-z0-9-]+/[a-z0-9.-]+$" $v) -}}
{{- fail (printf "defaultCredentials.%s must be namespace/name, got %q" $which $v) -}}
{{- end -}}
{{- if and $watch (not (has (first (splitList "/" $v)) $watch)) -}}
{{- fail (printf "defaultCredentials.%s: the operator only reads Secrets in watchNamespaces %v; %q is outside them" $which $watch $v) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
What the operator needs in each namespace it watches (a ClusterRole when it watches all).
RBAC cannot limit `patch` to metadata: the operator patches finalizers (JSON patch) and its
annotations (merge patch) and never `spec`; status goes to the /status subresource. It has no
create, update or delete on the resources themselves.
*/}}
{{- define "cdo.watchRules" -}}
- apiGroups: [kakaocloud.cdo.dev]
  resources: [hadoopecoclusters]
  verbs: [get, list, watch, patch]
- apiGroups: [kakaocloud.cdo.dev]
  resources: [hadoopecoclusters/status]
  verbs: [patch]
- apiGroups: [ncloud.cdo.dev]
  resources: [kafkaclusters, kafkaconfiggroups]
  verbs: [get, list, watch, patch]
- apiGroups: [ncloud.cdo.dev]
  resources: [kafkaclusters/status, kafkaconfiggroups/status]
  verbs: [patch]
# Cloud credentials and passwords the resources reference. get: a referenced Secret, read when
# a reconcile needs it. list, watch: the Secrets' metadata only (names and resourceVersions, to
# know which exist and when one changes); RBAC authorizes a metadata-only request like a full
# one, so these verbs cannot be narrower, but the operator never asks for other Secrets' data.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end -}}

{{/* The operator's /readyz through its Service (what `helm test` and NOTES.txt use). */}}
{{- define "cdo.readyzURL" -}}
{{- printf "http://%s-metrics.%s.svc:8080/readyz" (include "cdo.fullname" .) .Release.Namespace -}}
{{- end -}}

{{/* The operator image, also run by the `helm test` Pod (it has node, so no other image is pulled). */}}
{{- define "cdo.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
