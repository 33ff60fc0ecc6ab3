//! `scalelens check` on large manifests is linear in their size: 1, 10 and 50 MB of ordinary
//! multi-document YAML (Deployments, Services, HPAs, KEDA ScaledObjects, AIBrix
//! PodAutoscalers with quoted values, comments with non-ASCII text, the shapes `kubectl get -o
//! yaml` and Helm output have) run through `core::pipeline` as `check` runs it, with no demand.
//!
//! Prints MB/s per size and each size's time per MB relative to 1 MB, measured in the same run
//! with the sizes interleaved (1, 10, 50, 1, 10, 50, ...), so machine noise hits them alike: a
//! linear checker stays near 1.0x; the quadratic position lookups this replaced were over 10x at
//! 10 MB. Asserts only that every document was read (the numbers must mean something).

// A benchmark is test code: a panic is a failed run (the crate's lints hold the library).
#![allow(clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use scalelens_core::pipeline::{self, DemandInput, PipelineInput, PipelineOptions};

/// One manifest of the generated file: a Deployment, its Service and one autoscaler of a
/// family chosen by `i`; about 2.3 KB.
fn manifest(i: usize) -> String {
    let name = format!("llm-{i:06}");
    // The metadata and target of the HPA and the PodAutoscaler, which write them alike.
    let scaled = format!(
        r#"metadata:
  name: {name}
  namespace: serving
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: 1
  maxReplicas: 8
"#
    );
    let autoscaler = match i % 3 {
        0 => format!(
            r#"apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
{scaled}  metrics:
    - type: Pods
      pods:
        metric:
          name: vllm:num_requests_waiting
        target:
          type: AverageValue
          averageValue: "5"
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Percent
          value: 50
          periodSeconds: 60
"#
        ),
        1 => format!(
            r#"apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {name}
  namespace: serving
spec:
  scaleTargetRef:
    name: {name}
  minReplicaCount: 1
  maxReplicaCount: 8
  pollingInterval: 15
  cooldownPeriod: 300
  triggers:
    - type: prometheus
      metadata:
        serverAddress: "http://prometheus.monitoring.svc:9090"
        query: 'sum(vllm:num_requests_running{{model_name="{name}"}})'
        threshold: "10"
"#
        ),
        _ => format!(
            r#"apiVersion: autoscaling.aibrix.ai/v1alpha1
kind: PodAutoscaler
{scaled}  metricsSources:
    - metricSourceType: pod
      protocolType: http
      port: "8000"
      path: /metrics
      targetMetric: kv_cache_usage_perc
      targetValue: "0.5"
  scalingStrategy: KPA
"#
        ),
    };
    format!(
        r#"# {name}: modèle servi par vLLM — équipe «inférence»
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: serving
  labels:
    app.kubernetes.io/name: "{name}"
    model.aibrix.ai/name: "{name}"
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: "{name}"
  template:
    metadata:
      labels:
        app.kubernetes.io/name: "{name}"
    spec:
      containers:
        - name: vllm-openai
          image: "vllm/vllm-openai:v0.9.2"
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--port", "8000"]
          ports:
            - containerPort: 8000
              protocol: TCP
          resources:
            limits:
              nvidia.com/gpu: "1"
              memory: 32Gi
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: serving
spec:
  selector:
    app.kubernetes.io/name: "{name}"
  ports:
    - port: 8000
      targetPort: 8000
---
{autoscaler}---
"#
    )
}

/// Manifests until the text reaches `bytes`; the text and its number of autoscalers.
fn corpus(bytes: usize) -> (String, usize) {
    let mut text = String::with_capacity(bytes + 4096);
    let mut n = 0;
    while text.len() < bytes {
        text.push_str(&manifest(n));
        n += 1;
    }
    (text, n)
}

/// One `check`: the number of autoscalers read.
fn check(text: &str) -> usize {
    let out = pipeline::run(&PipelineInput {
        yaml: text,
        demand: DemandInput::None,
        options: PipelineOptions::default(),
    });
    out.autoscalers.len()
}

fn main() {
    const MB: usize = 1_000_000;
    let sizes = [1, 10, 50];
    let corpora: Vec<(usize, String, usize)> = sizes
        .iter()
        .map(|&mb| {
            let (text, n) = corpus(mb * MB);
            (mb, text, n)
        })
        .collect();
    for (mb, text, n) in &corpora {
        assert_eq!(check(text), *n, "{mb} MB: every autoscaler is read");
    }
    // Interleaved rounds; the 1 MB size runs 10 times per round so each size costs about the
    // same wall time per round.
    let rounds = 5;
    let mut per_mb: Vec<Vec<f64>> = vec![Vec::new(); corpora.len()];
    for _ in 0..rounds {
        for (k, (mb, text, _)) in corpora.iter().enumerate() {
            let reps = (50 / mb).clamp(1, 10);
            let start = Instant::now();
            for _ in 0..reps {
                std::hint::black_box(check(text));
            }
            let took: Duration = start.elapsed() / reps as u32;
            per_mb[k].push(took.as_secs_f64() / text.len() as f64 * MB as f64);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let base = median(&mut per_mb[0].clone());
    println!("yaml_check: `check` (core::pipeline, no demand) on generated manifests, median of {rounds} interleaved rounds");
    println!(
        "{:>8} {:>10} {:>12} {:>10} {:>14}",
        "size", "documents", "time", "MB/s", "time/MB vs 1MB"
    );
    for (k, (_, text, n)) in corpora.iter().enumerate() {
        let s = median(&mut per_mb[k]);
        let secs = s * text.len() as f64 / MB as f64;
        println!(
            "{:>6.1}MB {:>10} {:>10.0}ms {:>10.1} {:>13.2}x",
            text.len() as f64 / MB as f64,
            n * 3,
            secs * 1000.0,
            1.0 / s,
            s / base
        );
    }
}
