{{/*
Names and labels. Objects are named <fullname>-<service>; fullname is the release name unless
fullnameOverride says otherwise.
*/}}
{{- define "cafe.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end }}

{{- define "cafe.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* The six services, in the order they are rendered. */}}
{{- define "cafe.services" -}}
gateway order payment barista delivery mypage
{{- end }}

{{/*
What the chart knows about each service: its store, whether it consumes Kafka (and with which
group), and the settings only it reads. Called with (dict "root" $ "svc" "order").
*/}}
{{- define "cafe.facts" -}}
{{- $svc := .svc -}}
{{- if eq $svc "gateway" }}
postgres: gateway
redis: true
kafka: false
signsTokens: true
{{- else if eq $svc "order" }}
postgres: order
kafka: true
group: order-saga
{{- else if eq $svc "payment" }}
postgres: payment
kafka: true
group: payment-refunds
{{- else if eq $svc "barista" }}
mongo: barista
kafka: true
group: barista
topic: cafe.orders
{{- else if eq $svc "delivery" }}
mongo: delivery
kafka: true
group: delivery
{{- else if eq $svc "mypage" }}
redis: true
kafka: true
group: {{ .root.Values.mypage.consumerGroup }}
{{- end }}
{{- end }}

{{- define "cafe.name" -}}
{{ include "cafe.fullname" .root }}-{{ .svc }}
{{- end }}

{{- define "cafe.labels" -}}
helm.sh/chart: {{ include "cafe.chart" .root }}
app.kubernetes.io/name: cafe
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: cafe
{{- if .svc }}
app.kubernetes.io/component: {{ .svc }}
{{- end }}
{{- end }}

{{- define "cafe.selectorLabels" -}}
app.kubernetes.io/name: cafe
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .svc }}
{{- end }}

{{/* A service's ServiceAccount: its own ({{fullname}}-{{svc}}), or the one named in serviceAccount.name for all. Called with (dict "root" $ "svc" "order"). */}}
{{- define "cafe.serviceAccountName" -}}
{{- if .root.Values.serviceAccount.name -}}
{{- .root.Values.serviceAccount.name -}}
{{- else if .root.Values.serviceAccount.create -}}
{{- include "cafe.name" . -}}
{{- else -}}
default
{{- end -}}
{{- end }}

{{- define "cafe.secretName" -}}
{{- default (printf "%s-secrets" (include "cafe.fullname" .)) .Values.secrets.existingSecret -}}
{{- end }}

{{/* repository:tag, or repository@digest when the service has a digest (what was built, immutably). */}}
{{- define "cafe.image" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .svc -}}
{{- $tag := default $root.Values.image.tag $values.image.tag | toString -}}
{{- $ref := printf ":%s" $tag -}}
{{- with $values.image.digest -}}
{{- $ref = printf "@%s" . -}}
{{- end -}}
{{- if $root.Values.image.registry -}}
{{ trimSuffix "/" $root.Values.image.registry }}/{{ $values.image.repository }}{{ $ref }}
{{- else -}}
{{ $values.image.repository }}{{ $ref }}
{{- end -}}
{{- end }}

{{/* Kubernetes waits this long after the preStop pause began before it kills the pod. */}}
{{- define "cafe.gracePeriod" -}}
{{- $s := .Values.shutdown -}}
{{- add (int $s.preStopSeconds) (div (add (int $s.delayMs) (int $s.timeoutMs) 999) 1000) (int $s.extraGraceSeconds) -}}
{{- end }}

{{/* Is the service's replica count left to an autoscaler (HPA or KEDA)? */}}
{{- define "cafe.scaledByKeda" -}}
{{- if and .root.Values.keda.enabled (has .svc (list "barista" "delivery" "mypage")) -}}true{{- end -}}
{{- end }}

{{- define "cafe.autoscaled" -}}
{{- $values := index .root.Values .svc -}}
{{- if or $values.autoscaling.enabled (include "cafe.scaledByKeda" .) -}}true{{- end -}}
{{- end }}

{{/* The connection URLs that go into the Secret, passwords URL-encoded. */}}
{{- define "cafe.userinfo" -}}
{{- if .username -}}
{{ urlquery .username }}{{ if .password }}:{{ urlquery .password }}{{ end }}@
{{- else if .password -}}
:{{ urlquery .password }}@
{{- end -}}
{{- end }}

{{- define "cafe.pgUrl" -}}
{{- $pg := .root.Values.postgresql -}}
postgresql://{{ include "cafe.userinfo" $pg }}{{ $pg.host }}:{{ $pg.port }}/{{ index $pg.databases .svc }}{{ if $pg.options }}?{{ $pg.options }}{{ end }}
{{- end }}

{{- define "cafe.mongoUrl" -}}
{{- $m := .root.Values.mongodb -}}
mongodb://{{ include "cafe.userinfo" $m }}{{ $m.hosts }}/{{ index $m.databases .svc }}{{ if $m.options }}?{{ $m.options }}{{ end }}
{{- end }}

{{- define "cafe.redisUrl" -}}
{{- $r := .Values.redis -}}
{{ if $r.tls }}rediss{{ else }}redis{{ end }}://{{ include "cafe.userinfo" $r }}{{ $r.host }}:{{ $r.port }}
{{- end }}

{{/* Checks no schema can express: the chart refuses to render rather than run a broken setup. */}}
{{- define "cafe.validate" -}}
{{- if .Values.samplePlaceholders -}}
{{- fail "values-eks.yaml holds example account ids, endpoints and ARNs (123456789012, cafemsk.a1b2c3, ...): give your own after it with -f (charts/README.md, step 7) and set samplePlaceholders: false there" -}}
{{- end -}}
{{- if not (or .Values.secrets.existingSecret .Values.config.identityProvider.jwksUrl (and .Values.secrets.jwt.publicKey .Values.secrets.jwt.privateKey)) -}}
{{- fail "secrets.jwt.publicKey and secrets.jwt.privateKey are required: the gateway signs tokens with the private key and every service checks them with the public one (charts/README.md, step 4: openssl genpkey ...). Or set secrets.existingSecret (with jwt-public-key and jwt-private-key), or config.identityProvider.jwksUrl for an identity provider such as Cognito" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not (has .Values.ingress.scheme (list "internet-facing" "internal"))) -}}
{{- fail "ingress.scheme must be chosen: internet-facing (the ALB takes traffic from the internet) or internal (from the VPC only)" -}}
{{- end -}}
{{- if and (eq .Values.kafka.securityProtocol "SASL_SSL") (not .Values.kafka.saslMechanism) -}}
{{- fail "kafka.saslMechanism is required with kafka.securityProtocol SASL_SSL: AWS_MSK_IAM (the pods' IAM role) or SCRAM-SHA-512 (secrets.kafka.username and .password)" -}}
{{- end -}}
{{- if and .Values.kafka.saslMechanism (ne .Values.kafka.securityProtocol "SASL_SSL") -}}
{{- fail (printf "kafka.saslMechanism %s needs kafka.securityProtocol SASL_SSL" .Values.kafka.saslMechanism) -}}
{{- end -}}
{{- if and (hasPrefix "SCRAM" (.Values.kafka.saslMechanism | default "")) (not .Values.secrets.existingSecret) (not (and .Values.secrets.kafka.username .Values.secrets.kafka.password)) -}}
{{- fail (printf "secrets.kafka.username and .password are required with kafka.saslMechanism %s (or secrets.existingSecret with kafka-sasl-username and kafka-sasl-password)" .Values.kafka.saslMechanism) -}}
{{- end -}}
{{- if and (not .Values.secrets.existingSecret) .Values.secrets.jwt.privateKey (not .Values.secrets.jwt.publicKey) -}}
{{- fail "secrets.jwt.publicKey is required with secrets.jwt.privateKey: every service verifies tokens with the public key" -}}
{{- end -}}
{{- if and .Values.trustStore.enabled (not .Values.trustStore.secretName) -}}
{{- fail "trustStore.secretName is required when trustStore.enabled is true" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (ge (int .Values.ingress.deregistrationDelaySeconds) (int (include "cafe.gracePeriod" .))) -}}
{{- fail (printf "ingress.deregistrationDelaySeconds (%v) must be below the pods' grace period (%s s): the ALB would still send requests to stopped pods" .Values.ingress.deregistrationDelaySeconds (include "cafe.gracePeriod" .)) -}}
{{- end -}}
{{- range $svc := splitList " " (include "cafe.services" .) -}}
{{- $a := (index $.Values $svc).autoscaling -}}
{{- if gt (int $a.minReplicas) (int $a.maxReplicas) -}}
{{- fail (printf "%s.autoscaling.minReplicas (%v) is above %s.autoscaling.maxReplicas (%v)" $svc $a.minReplicas $svc $a.maxReplicas) -}}
{{- end -}}
{{- end -}}
{{- if .Values.keda.enabled -}}
{{- range $svc := list "barista" "delivery" "mypage" -}}
{{- $k := index $.Values.keda $svc -}}
{{- if gt (int $k.maxReplicas) (int $.Values.kafka.topicPartitions) -}}
{{- fail (printf "keda.%s.maxReplicas (%v) is above kafka.topicPartitions (%v): the extra consumers would get no partition" $svc $k.maxReplicas $.Values.kafka.topicPartitions) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end }}
