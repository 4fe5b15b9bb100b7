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

{{/* Environment shared by every role (internal TLS included, so `zonestore status` in a pod uses it too). */}}
{{- define "zonestore.commonEnv" -}}
- name: ZONESTORE_CONFIG
  value: /etc/zonestore/zonestore.json
- name: ZONESTORE_HEALTH_PORT
  value: {{ .Values.healthPort | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- include "zonestore.internalTlsEnv" . }}
{{- end -}}

{{/* The internal mutual-TLS certificate's secret (ca.crt, tls.crt, tls.key). */}}
{{- define "zonestore.internalTlsSecretName" -}}
{{- if .Values.internalTls.existingSecret -}}
{{- .Values.internalTls.existingSecret -}}
{{- else -}}
{{- printf "%s-internal-tls" (include "zonestore.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The KMS root key's secret (root.key). */}}
{{- define "zonestore.kmsSecretName" -}}
{{- if .Values.kms.existingSecret -}}
{{- .Values.kms.existingSecret -}}
{{- else -}}
{{- printf "%s-kms" (include "zonestore.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Environment of every role for internal gRPC: the mounted certificate, or plaintext when asked. */}}
{{- define "zonestore.internalTlsEnv" -}}
{{- if .Values.internalTls.insecure }}
- name: ZONESTORE_INSECURE_INTERNAL
  value: "true"
{{- else }}
- name: ZONESTORE_TLS_CA
  value: /etc/zonestore/internal-tls/ca.crt
- name: ZONESTORE_TLS_CERT
  value: /etc/zonestore/internal-tls/tls.crt
- name: ZONESTORE_TLS_KEY
  value: /etc/zonestore/internal-tls/tls.key
{{- end }}
{{- end -}}

{{/* Its volume mount (a container's volumeMounts item), if any. */}}
{{- define "zonestore.internalTlsMount" -}}
{{- if not .Values.internalTls.insecure }}
- { name: internal-tls, mountPath: /etc/zonestore/internal-tls, readOnly: true }
{{- end }}
{{- end -}}

{{/* Its volume (a pod's volumes item), if any: readable by the pod's group (fsGroup) only. */}}
{{- define "zonestore.internalTlsVolume" -}}
{{- if not .Values.internalTls.insecure }}
- name: internal-tls
  secret:
    secretName: {{ include "zonestore.internalTlsSecretName" . }}
    defaultMode: 288  # 0o440: YAML 1.1 (Helm) and 1.2 read a decimal alike
{{- end }}
{{- end -}}
