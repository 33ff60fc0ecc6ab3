#!/usr/bin/env bash
# Seeds for the fuzz targets: the repository's own fixtures (tests/testdata,
# gateway/tests/testdata, the filter's envoy.yaml configuration) and hand-written hostile
# inputs, in each target's input layout (fuzz/src/lib.rs). Writes fuzz/seeds/<target>/
# (git-ignored). The checked-in corpora (fuzz/corpus/<target>/) are these plus what fuzzing
# found, minimised by edges only (`-use_counters=0`) and cut to a few hundred bytes per input
# so all of them together stay near 550 KB (the YAML targets keep the most; `pipeline` keeps
# only inputs with a demand):
#
#   fuzz/seed.sh; t=samples_csv; cp fuzz/seeds/$t/* fuzz/corpus/$t/
#   cargo +nightly fuzz run -O $t -- -max_total_time=600 -max_len=65536   # grow it
#   cargo +nightly fuzz cmin -O $t -- -use_counters=0 -max_len=768         # shrink it
#
# max_len used: config 512, pipeline 1024, samples_prometheus_json and gateway_sse 1024,
# demand_csv and gateway_config 512, the others 768.
#
# Inputs that still crash a target are not seeds (the run would stop at once): they are
# regression tests (tests/tests/fuzz_regressions.rs) and join the seeds once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
data=tests/testdata
out=fuzz/seeds
rm -rf "$out"

# put TARGET NAME: stdin into $out/TARGET/NAME.
put() {
  mkdir -p "$out/$1"
  cat >"$out/$1/$2"
}
# chunked TARGET NAME KNOB: a chunked-body seed, `[knob, 0x00] ++ stdin` (no cut points).
chunked() {
  { printf "\\x$3\\x00"; cat; } | put "$1" "$2"
}
# repeat N TEXT: TEXT N times.
repeat() {
  local i
  for ((i = 0; i < $1; i++)); do printf '%s' "$2"; done
}

# ---- config: every YAML fixture, and hostile YAML below the known limits ---------------------
for f in $(find "$data/config" "$data/analysis" "$data/timelines" examples "$data/cli" \
  "$data/bench" -name '*.yaml' | sort); do
  put config "$(echo "${f#"$data"/}" | tr / _)" <"$f"
done
{ echo 'x: &a [1, 2, 3]'; echo 'y: &b [*a, *a, *a]'; echo 'z: [*b, *b, *b]'; } | put config alias-small.yaml
{ repeat 40 '- '; echo x; } | put config block-depth-40.yaml
{ repeat 40 '['; repeat 40 ']'; echo; } | put config flow-depth-40.yaml
{ printf 'metadata:\n  name: "é"\n'; for i in $(seq 200); do echo "k$i: \"v$i\""; done; } | put config quoted-nonascii.yaml
printf 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  minReplicas: {{ .Values.min }}\n{{- if .Values.x }}\n' | put config helm.yaml
printf '\xef\xbb\xbfapiVersion: v1\r\nkind: ConfigMap\r\n\x00\t---\n---\n...\n' | put config bom-crlf-nul.yaml
printf 'spec:\n  maxReplicas: 18446744073709551616\n  minReplicas: 1e400\n  targetCPUUtilizationPercentage: .nan\n' | put config huge-numbers.yaml

# ---- samples importers ----------------------------------------------------------------------
for f in "$data"/samples/*.csv examples/*/*.csv "$data"/analysis/*/samples.csv \
  "$data"/timelines/_demand/*.csv "$data"/cli/*.csv; do
  put samples_csv "$(echo "${f#"$data"/}" | tr / _)" <"$f"
done
printf '\xef\xbb\xbftime,value,pod\n0,1,a\n0,2,b\n15,NaN,a\n15,inf,b\n15,-3,a\n' | put samples_csv bom-nan-dup.csv
printf 'time,value\n0,1\n1700000000,2\n1700000015,3\n' | put samples_csv stray-epoch.csv
printf 'sep=;\nTime;"a b";"c,d"\n2025-01-01 00:00:00;1;2\n2025-01-01 00:00:15;;3\n' | put samples_csv grafana-sep.csv
printf 'Series,Time,Value\n"x{pod=""a""}",1700000000000,1e308\n"x{pod=""b""}",1700000000000,1e308\n' | put samples_csv grafana-long-huge.csv
for f in "$data"/samples/*.json examples/*/*.json; do
  put samples_prometheus_json "$(basename "$f")" <"$f"
done
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x","pod":"\\ud800"},"values":[[0,"1"],[1700000000,"NaN"],[1700000015,"+Inf"],[1e300,"2"]]}]}}' | put samples_prometheus_json hostile-times.json
printf '{"status":"error","errorType":"bad_data","error":"\\u0000"}' | put samples_prometheus_json error.json
{ printf '{"status":"success","data":{"resultType":"matrix","result":'; repeat 60 '['; repeat 60 ']'; printf '}}'; } | put samples_prometheus_json deep.json
for f in "$data"/samples/*.prom; do
  put samples_exposition "$(basename "$f")" <"$f"
done
printf '# TYPE x counter\nx_total{pod="a\\"b\\\\"} 5 0\nx_total{pod="a\\"b\\\\"} 3 1700000000000\nx_total{pod="c"} +Inf\nx_total NaN\n# EOF\n' | put samples_exposition counter-reset.prom
printf '# HELP x h\n# TYPE x gauge\n# UNIT x seconds\nx{le="0.5",quantile="1"} 1e308 9223372036854775807\nx 1e308 -9223372036854775808\n' | put samples_exposition huge.prom

# ---- demand CSV -----------------------------------------------------------------------------
for f in "$data"/timelines/_demand/*.csv examples/demand/*.csv examples/*/demand*.csv "$data"/cli/*.csv; do
  put demand_csv "$(echo "${f#"$data"/}" | tr / _)" <"$f"
done
printf 'value,time\n1,0001-01-01T00:00:00Z\n2,9999-12-31T23:59:60.999+23:59\n' | put demand_csv rfc3339-range.csv
printf '\xef\xbb\xbftime,value\r\n0,1\r\n999999999999.999,1e308\r\n' | put demand_csv bom-huge.csv
printf '# c\n"time" , "demand"\n\n0.0004,0\n0.0006,1\n' | put demand_csv quoted-rounding.csv

# ---- pipeline: YAML, 0xFF, demand -----------------------------------------------------------
pair() { # NAME YAML DEMAND
  { cat "$2"; printf '\xff'; cat "$3"; } | put pipeline "$1"
}
for d in "$data"/analysis/*/; do
  n=$(basename "$d")
  if [ -f "$d/samples.csv" ]; then pair "$n" "$d/autoscaler.yaml" "$d/samples.csv"; fi
done
ex="examples/seed-kpa-gpu-cache"
pair seed-demand "$ex/autoscaler.yaml" "$ex/demand.csv"
pair seed-fraction "$ex/autoscaler.yaml" "$ex/samples-fraction.csv"
pair seed-percent-json "$ex/autoscaler.yaml" "$ex/samples-percent.prom.json"
for f in "$data"/timelines/*/autoscaler.yaml examples/*/autoscaler.yaml; do
  n=$(basename "$(dirname "$f")")
  pair "timeline-$n" "$f" "examples/demand/requests.csv"
done
pair exposition "examples/keda-activation/autoscaler.yaml" "$data/samples/exposition-scrapes.prom"

# ---- gateway bodies: [knob, 0x00] ++ body ---------------------------------------------------
gw=gateway/tests/testdata
chunked gateway_request_body chat-request.json 00 <"$gw/chat-request.json"
printf '{"messages":[{"content":"\\ud83d\\ude00\\u00e9\\n"}],"stream_options":{"include_usage":true},"model":"meta-llama/Llama-3.1-8B-Instruct","stream":true}' | chunked gateway_request_body escapes.json 41
{ printf '{"model":"'; repeat 140 'm'; printf '","stream":false}'; } | chunked gateway_request_body long-model.json 00
{ repeat 130 '{"a":'; printf '1'; repeat 130 '}'; } | chunked gateway_request_body deep.json 80
{ printf '{"prompt":"'; repeat 1100 'x'; printf '","model":"m","stream":true}'; } | chunked gateway_request_body past-limit.json 00
printf '[{"model":"m"}]' | chunked gateway_request_body not-object.json 00
chunked gateway_response_body vllm-chat-response.json 00 <"$gw/vllm-chat-response.json"
printf '{"usage":{"prompt_tokens":18446744073709551615,"completion_tokens":1e2,"total_tokens":-1},"error":{}}' | chunked gateway_response_body bad-counts.json 41
printf '{"choices":[{"text":"\\u0000"},{"delta":{"reasoning_content":"r"}}],"usage":{"prompt_tokens":3,"completion_tokens":2}} ' | chunked gateway_response_body completions.json c0
printf '{"usage":{"prompt_tokens":0.5e1}}\x00' | chunked gateway_response_body trailing.json 00
for f in "$gw"/*.sse; do
  chunked gateway_sse "$(basename "$f")" 07 <"$f"
done
printf 'data: a\r\rdata:b\rdata\r\n\r\n:c\nevent: x\nid: 1\nretry: 5\ndataa: y\ndata: [DONE]\n\n' | chunked gateway_sse cr-fields.sse 40
{ printf 'data: {"choices":[{"delta":{"content":"'; repeat 300 'z'; printf '"}}]}\n\n'; } | chunked gateway_sse oversize.sse 05
printf 'data: {"error":{"message":"boom"}}\n\ndata: {"usage":{"prompt_tokens":1}\n\ndata: {"choices":[{"delta":{"content":"x"}}]}\n' | chunked gateway_sse error-cut.sse 07

# ---- gateway configuration ------------------------------------------------------------------
printf '%s' '{"target":{"concurrency_per_pod":8},"models":["llama-3-8b"]}' | put gateway_config envoy.json
printf '%s' '{"stable_window":"1h","panic_window_percentage":1,"panic_threshold_percentage":1000,"target":{"tokens_per_second_per_pod":0.01,"utilization_percentage":100},"max_scale_up_rate":1.5,"max_scale_down_rate":1e300,"routes":["/v1/","/x?y"],"models":["a.b/c","a_b_c"],"max_body_bytes":16777216,"max_sse_event_bytes":256,"debug_headers":true,"cluster_label":"c-1","max_endpoints":256}' | put gateway_config all-fields.json
printf '{\n  "stabel_window": "60s",\n  "target": {"concurrency_per_pod": 1e400},\n  "models": ["\\ud800", "other", ""]\n}' | put gateway_config errors.json
{ printf '{"models":['; for i in $(seq 33); do printf '"m%d",' "$i"; done; printf '"x"]}'; } | put gateway_config many-models.json
