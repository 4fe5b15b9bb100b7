{{/* The release's name prefix of every object. */}}
{{- define "zonestore.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "zonestore.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of the whole release. */}}
{{- define "zonestore.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The root key's secret. */}}
{{- define "zonestore.rootSecretName" -}}
{{- if .Values.rootCredentials.existingSecret -}}
{{- .Values.rootCredentials.existingSecret -}}
{{- else -}}
{{- printf "%s-root" (include "zonestore.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Every meta replica as id=raftHost:port/apiHost:port, comma-separated (pods of the per-zone StatefulSets). */}}
{{- define "zonestore.metaPeers" -}}
{{- $root := . -}}
{{- $peers := list -}}
{{- range $z := .Values.zones -}}
{{- $host := printf "%s-meta-%s-0.%s-meta-%s.%s.svc" (include "zonestore.fullname" $root) $z.name (include "zonestore.fullname" $root) $z.name $root.Release.Namespace -}}
{{- $peers = append $peers (printf "meta-%s=%s:%d/%s:%d" $z.name $host (int $root.Values.meta.raftPort) $host (int $root.Values.meta.apiPort)) -}}
{{- end -}}
{{- join "," $peers -}}
{{- end -}}

{{/* Pins a zone's pods to its nodes when topologyZone is set. Call with (dict "zone" $z). */}}
{{- define "zonestore.zoneAffinity" -}}
{{- if .zone.topologyZone }}
nodeAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    nodeSelectorTerms:
      - matchExpressions:
          - key: topology.kubernetes.io/zone
            operator: In
            values:
              - {{ .zone.topologyZone | quote }}
{{- end }}
{{- end -}}

{{/* The health probes of every role (port 9100: /livez and /readyz). */}}
{{- define "zonestore.probes" -}}
startupProbe:
  httpGet: { path: /livez, port: health }
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: { path: /livez, port: health }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: /readyz, port: health }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/* Environment shared by every role. */}}
{{- define "zonestore.commonEnv" -}}
- name: ZONESTORE_CONFIG
  value: /etc/zonestore/zonestore.json
- name: ZONESTORE_HEALTH_PORT
  value: {{ .Values.healthPort | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- end -}}
