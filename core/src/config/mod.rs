//! Reading autoscaler YAML into the normalized [`crate::model`].
//!
//! **Invariant:** parsing never fails and never panics: it returns every autoscaler it could
//! read and a list of diagnostics, each with the `line:column` of the offending field.
//!
//! Dispatch is on `apiVersion` / `kind`:
//! - `autoscaling.aibrix.ai/v1alpha1` `PodAutoscaler` ([`aibrix`]);
//! - `autoscaling/{v1,v2,v2beta1,v2beta2}` `HorizontalPodAutoscaler` ([`hpa`]);
//! - `keda.sh/v1alpha1` `ScaledObject` ([`keda`]);
//! - `serving.knative.dev/v1` `Service` / `Configuration` / `Revision`, with the
//!   `config-autoscaler` ConfigMap when present ([`knative`]);
//! - `serving.kserve.io` `InferenceService` / `LLMInferenceService`: the autoscalers KServe
//!   creates from them, read as their family ([`kserve`]);
//! - `apps/v1` `Deployment` / `StatefulSet`: `spec.replicas` becomes the
//!   [`Autoscaler::initial_replicas`] of the autoscaler that targets it.
//!
//! Other documents are skipped with an `ignored-document` note. [`read`] holds the typed field
//! readers; [`Parsed::select`] picks the autoscaler to replay by name.
//!
//! Checks that read one field live in the family readers. Those that combine several (scale to
//! zero against `config-autoscaler`, windows against the controller's cadence, a target against
//! the metric's bound and the tolerance) live in [`crate::analysis`], and [`parse_with`] runs
//! [`crate::analysis::check_static`] for every autoscaler it reads, so every front end gets them
//! without wiring. The KEDA query check runs in the trigger reader, where the query's span is
//! known.

use std::collections::HashMap;

use crate::codes::Code;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::model::{AibrixVersion, Autoscaler, Family};
use crate::span::{LineIndex, Param, Span, Spanned};
use crate::yaml::{self, Node, NodeKind};

pub mod aibrix;
mod aibrix_gen_a;
pub mod cursor;
pub mod feature_gates;
pub mod helm;
pub mod hpa;
pub mod hpa_migrate;
pub mod hpa_v1;
pub mod keda;
pub mod keda_scaler;
pub mod knative;
pub mod kserve;
pub(crate) mod label_selector;
pub(crate) mod query_selector;
pub mod read;
pub(crate) mod rules;
pub mod scalar_span;

use cursor::Cursor;
use read::Cx;

/// Everything read from one input file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub autoscalers: Vec<Autoscaler>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// `diags` without those that point inside another autoscaler of this input than `chosen`
    /// (a multi-document file's other autoscalers are not about the one replayed).
    pub fn only_about(&self, chosen: &Autoscaler, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diags
            .into_iter()
            .filter(|d| !self.is_about_another(chosen, d))
            .collect()
    }

    /// Whether `d` points inside another autoscaler of this input than `chosen` (what
    /// [`Parsed::only_about`] leaves out).
    pub fn is_about_another(&self, chosen: &Autoscaler, d: &Diagnostic) -> bool {
        let Some(span) = d.span else { return false };
        self.autoscaler_at(span)
            .is_some_and(|a| !std::ptr::eq(a, chosen))
    }

    /// The autoscaler whose document holds `span`. Autoscalers are in input order and their
    /// documents do not overlap, so a binary search finds it: per diagnostic O(log n), not a
    /// scan of every autoscaler (a 50 MB input has tens of thousands of both).
    fn autoscaler_at(&self, span: Span) -> Option<&Autoscaler> {
        let after = self
            .autoscalers
            .partition_point(|a| a.span.start <= span.start);
        let a = self.autoscalers.get(after.checked_sub(1)?)?;
        (span.end <= a.span.end).then_some(a)
    }

    /// Choose the autoscaler to replay: by `metadata.name` when `name` is given, else the
    /// first one (with a `multiple-autoscalers` note when there are several). An unknown
    /// name gives `None` and an `unknown-autoscaler` error listing the names.
    pub fn select(&self, name: Option<&str>) -> (Option<&Autoscaler>, Option<Diagnostic>) {
        // The first few names; a file with thousands of autoscalers says how many more.
        let names = || {
            let mut list = self
                .autoscalers
                .iter()
                .take(MAX_LISTED_NAMES)
                .map(|a| format!("{} ({})", a.name, a.kind))
                .collect::<Vec<_>>()
                .join(", ");
            if let Some(more) = self.autoscalers.len().checked_sub(MAX_LISTED_NAMES) {
                if more > 0 {
                    list.push_str(&format!(" and {more} more"));
                }
            }
            list
        };
        match name {
            Some(n) => match self.autoscalers.iter().find(|a| a.name == n) {
                Some(a) => (Some(a), None),
                None => (
                    None,
                    Some(Diagnostic::error(
                        Code::UnknownAutoscaler,
                        if self.autoscalers.is_empty() {
                            format!("no autoscaler named `{n}`: the input has none")
                        } else {
                            format!("no autoscaler named `{n}`; the input has: {}", names())
                        },
                    )),
                ),
            },
            None => {
                let first = self.autoscalers.first();
                let note = first.filter(|_| self.autoscalers.len() > 1).map(|a| {
                    Diagnostic::note(
                        Code::MultipleAutoscalers,
                        format!(
                            "the input has {} autoscalers ({}); replaying the first, `{}`; name one to choose",
                            self.autoscalers.len(),
                            names(),
                            a.name
                        ),
                    )
                    .at(a.name_span)
                });
                (first, note)
            }
        }
    }

    /// True if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }
}

/// Autoscaler names listed in a message (`multiple-autoscalers`, `unknown-autoscaler`).
const MAX_LISTED_NAMES: usize = 10;

/// One YAML document with its `apiVersion`, `kind` and metadata read.
pub struct Doc<'a> {
    pub root: &'a Node,
    pub api_version: Spanned<String>,
    pub kind: Spanned<String>,
    pub name: Spanned<String>,
    pub namespace: Option<String>,
}

impl Doc<'_> {
    /// `group` of `group/version` (empty for the core group `v1`).
    pub fn group(&self) -> &str {
        match self.api_version.value.rsplit_once('/') {
            Some((g, _)) => g,
            None => "",
        }
    }

    pub fn version(&self) -> &str {
        match self.api_version.value.rsplit_once('/') {
            Some((_, v)) => v,
            None => &self.api_version.value,
        }
    }

    /// A fresh autoscaler shell with the document's identity; the family fills the rest.
    pub fn autoscaler(
        &self,
        family: Family,
        min: Param<u32>,
        max: Param<u32>,
        algorithm: crate::model::Algorithm,
    ) -> Autoscaler {
        Autoscaler {
            family,
            api_version: self.api_version.value.clone(),
            kind: self.kind.value.clone(),
            name: self.name.value.clone(),
            namespace: self.namespace.clone(),
            span: self.root.span,
            name_span: self.name.span,
            target: None,
            min_replicas: min,
            max_replicas: max,
            initial_replicas: None,
            metrics: Vec::new(),
            algorithm,
            via: None,
        }
    }

    /// Span of the `key` entry's key in the root mapping, or of `kind`.
    pub fn key_span(&self, key: &str) -> Span {
        self.root
            .entry(key)
            .map(|(k, _)| k.span)
            .unwrap_or(self.kind.span)
    }
}

/// The documents with each list replaced by its items, every item a document of its own:
/// `kubectl get ... -o yaml` writes `apiVersion: v1`, `kind: List` with whole objects as
/// `items`, and the API's own typed lists (`kind: HorizontalPodAutoscalerList`, as `kubectl get
/// --raw` or a client dump returns them) leave each item's `apiVersion` and `kind` to the list's,
/// which an item then takes (spanned at the list's). One level: a list inside a list's items
/// stays a document.
fn list_items(docs: Vec<yaml::Document>) -> Vec<yaml::Document> {
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let kind = d.root.get("kind").and_then(Node::as_str).unwrap_or("");
        let items = d.root.get("items").and_then(Node::as_sequence);
        let (Some(items), Some(item_kind)) = (items, kind.strip_suffix("List")) else {
            out.push(d);
            continue;
        };
        let api_version = d.root.entry("apiVersion");
        let kind_entry = d.root.entry("kind");
        for item in items {
            let root = match (item.as_mapping(), item_kind, api_version, kind_entry) {
                // A typed list: the item takes the list's apiVersion and kind where it has none.
                (Some(entries), k, Some(av), Some((kk, kv)))
                    if !k.is_empty()
                        && (item.get("apiVersion").is_none() || item.get("kind").is_none()) =>
                {
                    let mut e: Vec<(Spanned<String>, Node)> = Vec::with_capacity(entries.len() + 2);
                    if item.get("apiVersion").is_none() {
                        e.push((av.0.clone(), av.1.clone()));
                    }
                    if item.get("kind").is_none() {
                        let text: std::sync::Arc<str> = std::sync::Arc::from(k);
                        let node = Node {
                            kind: yaml::NodeKind::Scalar {
                                text,
                                quoted: false,
                            },
                            span: kv.span,
                        };
                        e.push((kk.clone(), node));
                    }
                    e.extend(entries.iter().cloned());
                    Node {
                        kind: yaml::NodeKind::Mapping(e.into()),
                        span: item.span,
                    }
                }
                _ => item.clone(),
            };
            out.push(yaml::Document { root });
        }
    }
    out
}

/// `metadata.annotations` and `metadata.labels` (and those of a `spec.template`, where Knative
/// reads its annotations) are maps of strings in every object (`ObjectMeta`): a bare number or boolean there is rejected by kubectl ("cannot unmarshal
/// number into Go struct field ObjectMeta.metadata.annotations of type string"), though the
/// readers take it as written. One `unquoted-string` warning each, whose fix quotes it.
fn metadata_strings(cx: &mut Cx, doc: &Doc) {
    let metas = [
        ("metadata", doc.root.get("metadata")),
        (
            "spec.template.metadata",
            doc.root.path(&["spec", "template", "metadata"]),
        ),
    ];
    for ((at, meta), field) in metas
        .iter()
        .flat_map(|m| [(m, "annotations"), (m, "labels")])
    {
        let Some(map) = meta.and_then(|m| m.get(field)).and_then(Node::as_mapping) else {
            continue;
        };
        for (k, v) in map {
            let path = format!("{at}.{field}[{}]", k.value);
            read::unquoted_string(
                cx,
                v,
                &path,
                "(a map of strings in every object)",
                "kubectl",
            );
        }
    }
}

/// The replica count a dumped object's `status` reports (`kubectl get -o yaml` keeps it):
/// an HPA's `status.currentReplicas`, a Knative Revision's `status.actualReplicas`, an AIBrix
/// PodAutoscaler's `status.actualScale`. Only a plain integer in `0..=i32::MAX` counts; the
/// status is not checked otherwise (the API server writes it, not the user).
fn status_replicas(doc: &Doc) -> Option<Param<u32>> {
    let key = match (doc.group(), doc.kind.value.as_str()) {
        ("autoscaling", "HorizontalPodAutoscaler") => "currentReplicas",
        ("serving.knative.dev", "Revision") => "actualReplicas",
        ("autoscaling.aibrix.ai", "PodAutoscaler") => "actualScale",
        _ => return None,
    };
    let v = doc.root.path(&["status", key])?;
    let NodeKind::Scalar {
        text,
        quoted: false,
    } = &v.kind
    else {
        return None;
    };
    let n = text
        .parse::<u32>()
        .ok()
        .filter(|&n| i32::try_from(n).is_ok())?;
    Some(Param::yaml(n, v.span))
}

fn read_doc(root: &Node) -> Option<Doc<'_>> {
    root.as_mapping()?;
    let sv = |key: &str| {
        root.get(key)
            .and_then(|n| n.as_str().map(|s| Spanned::new(s.to_string(), n.span)))
    };
    let api_version = sv("apiVersion")?;
    let kind = sv("kind")?;
    let meta = root.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(|n| n.as_str().map(|s| Spanned::new(s.to_string(), n.span)))
        .unwrap_or_else(|| Spanned::new(String::from("<unnamed>"), kind.span));
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    Some(Doc {
        root,
        api_version,
        kind,
        name,
        namespace,
    })
}

/// A workload's `spec.replicas` (Deployment / StatefulSet).
struct Workload {
    kind: String,
    name: String,
    replicas: Option<Param<u32>>,
}

/// How to read the input: which upstream versions to assume where the YAML alone does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// The AIBrix controller generation that reads `PodAutoscaler`s (default v0.7.0).
    pub aibrix_version: AibrixVersion,
    /// Bounds on the YAML stream (nesting, aliases, document size and count).
    pub yaml_limits: yaml::Limits,
    /// The KServe deployment mode of an `InferenceService` that does not write one (`None`:
    /// the shipped `inferenceservice-config` default, Knative, with a note).
    pub kserve_mode: Option<crate::upstream::kserve::DeploymentMode>,
    /// The Kubernetes feature gates the cluster sets (default: the replayed release's).
    pub feature_gates: feature_gates::FeatureGates,
    /// The scrape interval PromQL ranges are measured against (`promql-rate-window`; default:
    /// Prometheus' default `global.scrape_interval`, assumed and said so).
    pub scrape_interval: crate::analysis::ScrapeInterval,
}

/// Parse a (multi-document) YAML input with the default [`ParseOptions`].
pub fn parse(source: &str) -> Parsed {
    parse_with(source, &ParseOptions::default())
}

/// Parse a (multi-document) YAML input.
pub fn parse_with(source: &str, options: &ParseOptions) -> Parsed {
    let mut cx = Cx {
        scrape_interval: options.scrape_interval,
        ..Cx::default()
    };
    let index = LineIndex::new(source);
    let stream = yaml::parse_stream(&index, &options.yaml_limits);
    let helm = helm::first_action(&index);
    for e in &stream.errors {
        cx.push(yaml_error(e, helm.as_ref()));
    }
    for d in &stream.duplicates {
        cx.push(duplicate_key(d));
    }
    if stream.errors.is_empty() {
        if let Some((span, action)) = &helm {
            cx.push(
                Diagnostic::warning(
                    Code::HelmTemplate,
                    format!("`{action}` is a Helm template action: this file is a chart template, and Scalelens reads the text between the braces as the value"),
                )
                .at(*span)
                .with_help("render the chart first: `helm template <release> <chart> > rendered.yaml`, then check rendered.yaml"),
            );
        }
    }
    let docs = list_items(stream.documents);

    // Pass 1: workloads and the Knative config-autoscaler ConfigMap.
    let mut workloads = Vec::new();
    let mut kn_config: Option<knative::Config> = None;
    let read: Vec<Option<Doc>> = docs.iter().map(|d| read_doc(&d.root)).collect();
    for doc in read.iter().flatten() {
        match (doc.api_version.value.as_str(), doc.kind.value.as_str()) {
            ("apps/v1", "Deployment" | "StatefulSet") => {
                let replicas = doc
                    .root
                    .get("spec")
                    .filter(|s| s.as_mapping().is_some())
                    .and_then(|spec| {
                        Cursor::new(spec, "spec").count_in(
                            &mut cx,
                            "replicas",
                            0,
                            i64::from(i32::MAX),
                        )
                    });
                workloads.push(Workload {
                    kind: doc.kind.value.clone(),
                    name: doc.name.value.clone(),
                    replicas,
                });
            }
            ("v1", "ConfigMap") if doc.name.value == "config-autoscaler" => {
                kn_config = Some(knative::read_config_map(&mut cx, doc));
            }
            _ => {}
        }
    }

    // Pass 2: autoscalers.
    let mut autoscalers = Vec::new();
    // Autoscaler documents that could not be read, with the first reason.
    let mut unread: Vec<String> = Vec::new();
    // The replicas a dumped object's `status` says were running (by autoscaler index).
    let mut observed: Vec<(usize, Param<u32>)> = Vec::new();
    for (source_doc, doc) in docs.iter().zip(&read) {
        let Some(doc) = doc else {
            let root = &source_doc.root;
            let at = root.span;
            if root.as_mapping().is_some() {
                cx.push(
                    Diagnostic::warning(
                        Code::MissingField,
                        "document has no `apiVersion` and `kind` strings: skipped",
                    )
                    .at(Span::point(at.start)),
                );
            } else {
                cx.note(
                    Code::IgnoredDocument,
                    Span::point(at.start),
                    "document is not a mapping: skipped",
                );
            }
            continue;
        };
        let group = doc.group();
        let kind = doc.kind.value.as_str();
        let before = cx.diags.len();
        let family = matches!(
            group,
            "autoscaling.aibrix.ai"
                | "autoscaling"
                | "keda.sh"
                | "serving.knative.dev"
                | "serving.kserve.io"
        ) || other_autoscaler(group, kind, doc.root).is_some();
        if family {
            metadata_strings(&mut cx, doc);
        }
        let parsed = match group {
            "autoscaling.aibrix.ai" => aibrix::read(&mut cx, doc, options.aibrix_version),
            "autoscaling" => hpa::read(&mut cx, doc),
            "keda.sh" => keda::read(&mut cx, doc),
            "serving.knative.dev" => knative::read(&mut cx, doc, kn_config.as_ref()),
            "serving.kserve.io" => {
                let mut all = kserve::read(&mut cx, doc, options, kn_config.as_ref());
                let last = all.pop();
                autoscalers.extend(all);
                last
            }
            "apps" if matches!(kind, "Deployment" | "StatefulSet") => {
                if doc.version() != "v1" {
                    unknown_version(&mut cx, doc, &["apps/v1"]);
                }
                None
            }
            "" if kind == "ConfigMap" && doc.name.value == "config-autoscaler" => None,
            _ => {
                let what = match other_autoscaler(group, kind, doc.root) {
                    Some(why) => format!("is an autoscaler Scalelens does not replay: {why}"),
                    None => "is not an autoscaler: skipped".to_string(),
                };
                cx.note(
                    Code::IgnoredDocument,
                    doc.kind.span,
                    format!(
                        "{} `{}` ({}) {what}",
                        kind, doc.name.value, doc.api_version.value
                    ),
                );
                None
            }
        };
        match parsed {
            Some(a) => {
                if let Some(r) = status_replicas(doc) {
                    observed.push((autoscalers.len(), r));
                }
                autoscalers.push(a);
            }
            None if family => {
                // The first problem its reader reported: why it is not replayed.
                let new = cx.diags.get(before..).unwrap_or(&[]);
                let why = match new.iter().find(|d| d.severity == Severity::Error) {
                    Some(d) => Some(format!("its first error: {}: {}", d.code, d.message)),
                    // A warning says why sooner than a note (a deprecated spelling) does.
                    None => new
                        .iter()
                        .find(|d| d.severity == Severity::Warning)
                        .or(new.first())
                        .map(|d| format!("its first problem: {}: {}", d.code, d.message)),
                };
                unread.push(format!(
                    "{kind} `{}` (line {}){}",
                    doc.name.value,
                    doc.kind.span.start.line,
                    why.map(|w| format!(", not replayed ({w})"))
                        .unwrap_or_default()
                ));
            }
            None => {}
        }
    }

    for a in &mut autoscalers {
        hpa::apply_feature_gates(&mut cx, a, &options.feature_gates);
    }

    // Initial replicas from the scale target (workloads by name: one lookup per autoscaler).
    let mut by_name: HashMap<&str, Vec<&Workload>> = HashMap::new();
    for w in &workloads {
        by_name.entry(w.name.as_str()).or_default().push(w);
    }
    for a in &mut autoscalers {
        if a.initial_replicas.is_some() {
            continue;
        }
        let Some(t) = &a.target else { continue };
        let found = by_name.get(t.name.value.as_str()).and_then(|ws| {
            ws.iter()
                .find(|w| t.kind.as_deref().is_none_or(|k| k == w.kind))
        });
        if let Some(w) = found {
            a.initial_replicas = w.replicas;
        }
    }
    // Else what the object's own status says ran (a `kubectl get -o yaml` dump).
    for (i, r) in observed {
        if let Some(a) = autoscalers
            .get_mut(i)
            .filter(|a| a.initial_replicas.is_none())
        {
            a.initial_replicas = Some(r);
        }
    }

    // Checks that need the whole model (scale to zero, windows, reachable targets).
    for a in &autoscalers {
        for d in crate::analysis::check_static(a) {
            cx.push(d);
        }
    }

    // Without any, the YAML errors above are the cause: one error, not a second one after it.
    if autoscalers.is_empty() && stream.errors.is_empty() {
        let message = if unread.is_empty() {
            "no autoscaler found: expected a PodAutoscaler (autoscaling.aibrix.ai), a HorizontalPodAutoscaler, a KEDA ScaledObject, a Knative Service or a KServe InferenceService".to_string()
        } else {
            let listed: Vec<&str> = unread
                .iter()
                .take(MAX_LISTED_NAMES)
                .map(String::as_str)
                .collect();
            let more = unread.len().saturating_sub(MAX_LISTED_NAMES);
            format!(
                "no autoscaler to replay: found {}{}",
                listed.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            )
        };
        cx.push(Diagnostic::error(Code::NoAutoscaler, message));
    }
    let mut diagnostics = cx.diags;
    diagnostic::sort(&mut diagnostics);
    Parsed {
        autoscalers,
        diagnostics,
    }
}

/// Autoscaler objects of other projects that are not replayed, with the reason a user reads
/// (so "no autoscaler to replay" names them instead of "no autoscaler found").
fn other_autoscaler(group: &str, kind: &str, root: &Node) -> Option<&'static str> {
    // KubeRay scales a RayCluster's worker groups itself only with the in-tree autoscaler on.
    let ray_autoscaling = |path: &[&str]| {
        root.path(path)
            .and_then(Node::as_scalar)
            .is_some_and(|v| v == "true")
    };
    let serve_autoscaling = root
        .path(&["spec", "serveConfigV2"])
        .and_then(Node::as_str)
        .is_some_and(|c| c.contains("autoscaling_config"));
    match (group, kind) {
        ("ray.io", "RayService") if serve_autoscaling => Some(
            "Ray Serve scales each deployment's replicas from its `autoscaling_config` (ongoing requests per replica, inside serveConfigV2) and KubeRay's autoscaler adds worker pods for them: neither is a Kubernetes replica autoscaler Scalelens replays",
        ),
        ("ray.io", "RayCluster" | "RayService")
            if ray_autoscaling(&["spec", "enableInTreeAutoscaling"])
                || ray_autoscaling(&["spec", "rayClusterConfig", "enableInTreeAutoscaling"]) =>
        {
            Some(
                "KubeRay's in-tree autoscaler sizes the worker groups (between each group's minReplicas and maxReplicas) from the resources Ray's pending tasks and actors ask for, not from a metric and a target",
            )
        }
        ("autoscaling.karmada.io", "FederatedHPA") => Some(
            "Karmada's FederatedHPA runs the HPA's algorithm in the Karmada control plane over the pods of every member cluster and spreads the replicas by the propagation policy, which this file does not hold",
        ),
        ("autoscaling.karmada.io", "CronFederatedHPA") => Some(
            "Karmada's CronFederatedHPA sets a workload's or a FederatedHPA's bounds on a schedule",
        ),
        ("karpenter.sh", "NodePool" | "Provisioner") => Some(
            "Karpenter adds and removes nodes for pods that cannot be scheduled; it does not set a workload's replicas",
        ),
        ("autoscaling.openshift.io", "ClusterAutoscaler" | "MachineAutoscaler") => Some(
            "the OpenShift cluster autoscaler adds and removes nodes; it does not set a workload's replicas",
        ),
        ("autoscaling.k8s.io", "VerticalPodAutoscaler") => Some(
            "a VerticalPodAutoscaler changes each pod's resource requests, not the replica count",
        ),
        ("autoscaling.internal.knative.dev", "PodAutoscaler") => Some(
            "Knative's internal PodAutoscaler is made from a Revision's annotations: check the Knative Service or Revision it comes from",
        ),
        ("http.keda.sh", "HTTPScaledObject") => Some(
            "KEDA's HTTP add-on creates a ScaledObject on its interceptor's pending-request count: check that ScaledObject (`kubectl get scaledobject -o yaml`)",
        ),
        ("llmd.ai", "VariantAutoscaling") => Some(
            "llm-d's workload-variant-autoscaler publishes its desired replicas as a metric that an HPA or a KEDA ScaledObject scales on: check that HPA or ScaledObject",
        ),
        ("autoscaling.gke.io", "MultidimPodAutoscaler") => Some(
            "GKE's MultidimPodAutoscaler scales replicas on CPU and pod memory requests together: Scalelens replays replica autoscalers only",
        ),
        _ => None,
    }
}

/// A YAML error as a diagnostic: a syntax error says first when the file is a Helm template
/// (`helm`: the first template action), a limit names itself.
fn yaml_error(e: &yaml::YamlError, helm: Option<&(Span, String)>) -> Diagnostic {
    let at = Span::point(e.pos);
    if e.is_limit() {
        return Diagnostic::error(Code::YamlLimit, e.kind.to_string()).at(at);
    }
    match helm {
        Some((span, action)) => Diagnostic::error(
            Code::YamlSyntax,
            format!(
                "invalid YAML: this is an unrendered Helm template (`{action}` at {}:{}); render it first: `helm template <release> <chart> > rendered.yaml`",
                span.start.line, span.start.column
            ),
        )
        .at(at)
        .with_help(format!("the YAML parser stopped here: {}", e.kind)),
        None => Diagnostic::error(Code::YamlSyntax, format!("invalid YAML: {}", e.kind)).at(at),
    }
}

/// A key written twice or more: the last one is read (as `kubectl apply -f` does); with two,
/// the fix deletes the earlier one's lines.
fn duplicate_key(d: &yaml::DuplicateKey) -> Diagnostic {
    let first = d.first.start;
    let between = match d.count {
        0..=2 => String::new(),
        n => format!(" (and the {} between)", n - 2),
    };
    let values = match &d.values {
        Some((was, now)) if was != now => {
            format!(
                ": `{now}` is read, the `{was}` at line {} is ignored{between}",
                first.line
            )
        }
        Some(_) => format!(" (first at line {}), with the same value", first.line),
        None => format!(
            ": this one is read, the one at line {} is ignored{between}",
            first.line
        ),
    };
    let times = match d.count {
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    let mut diag = Diagnostic::warning(
        Code::DuplicateKey,
        format!("`{}` is set {times} in this mapping{values}", d.key),
    )
    .at(d.again)
    .with_help(format!(
        "`kubectl apply -f` keeps the last `{}` and drops the first without a word; kustomize and other strict YAML readers refuse the file",
        d.key
    ));
    diag = match d.first_lines {
        Some(lines) => diag.with_fix(
            format!(
                "delete the first `{}` (line {}), which the cluster ignores",
                d.key, first.line
            ),
            lines,
            "",
        ),
        None if d.count == 2 => diag.with_advice(format!(
            "keep one `{}`: delete the one at line {}:{} or this one",
            d.key, first.line, first.column
        )),
        None => diag.with_advice(format!(
            "keep one `{}`: delete the other {} (the first at line {}:{})",
            d.key,
            d.count - 1,
            first.line,
            first.column
        )),
    };
    diag
}

/// Report an unknown kind in a known API group.
pub(crate) fn unknown_kind(cx: &mut Cx, doc: &Doc, known: &[&str]) {
    let mut d = Diagnostic::error(
        Code::UnknownKind,
        format!(
            "`{}` has no kind `{}` (known: {})",
            doc.group(),
            doc.kind.value,
            known.join(", ")
        ),
    )
    .at(doc.kind.span);
    if let Some(best) = read::closest(&doc.kind.value, known) {
        d = d.with_fix(format!("use `{best}`"), doc.kind.span, best);
    }
    cx.push(d);
}

/// Report an unknown apiVersion of a known kind.
pub(crate) fn unknown_version(cx: &mut Cx, doc: &Doc, known: &[&str]) {
    let mut d = Diagnostic::error(
        Code::UnknownApiVersion,
        format!(
            "{} has no apiVersion `{}` (served: {})",
            doc.kind.value,
            doc.api_version.value,
            known.join(", ")
        ),
    )
    .at(doc.api_version.span);
    if let Some(first) = known.first() {
        d = d.with_fix(format!("use `{first}`"), doc.api_version.span, *first);
    }
    cx.push(d);
}

/// Check `min ≤ max` (both written or defaulted), reporting at the min's span.
pub(crate) fn check_min_max(cx: &mut Cx, min: &Param<u32>, max: &Param<u32>, what: &str) -> bool {
    if min.value > max.value {
        let at = min.span().or(max.span());
        let mut d = Diagnostic::error(
            Code::MinAboveMax,
            format!(
                "{what}: minimum {} is greater than maximum {}",
                min.value, max.value
            ),
        )
        .at_opt(at);
        if let Some(s) = min.span() {
            d = d.with_fix(
                format!("lower the minimum to {}", max.value),
                s,
                max.value.to_string(),
            );
        }
        cx.push(d);
        return false;
    }
    true
}

/// Warn when a target exceeds the metric's known bound; note deprecated metrics.
pub(crate) fn check_metric_unit(
    cx: &mut Cx,
    name: &Spanned<String>,
    target: f64,
    target_span: Option<Span>,
) {
    let Some(known) = crate::metrics::lookup(&name.value) else {
        return;
    };
    if let Some(b) = known.bound {
        if target > b {
            let mut d = Diagnostic::warning(
                Code::TargetAboveBound,
                format!(
                    "target {} for `{}` is above its maximum {b} ({}): the per-pod value can never reach it, so it never scales up",
                    crate::display::Exact(target), name.value, known.unit
                ),
            )
            .at_opt(target_span.or(Some(name.span)))
            .with_help(format!(
                "unit source: {}; the bound holds for vLLM's own metric: an app that reports it in percent instead (AIBrix's mock app does) needs the target on that scale, and imported samples show which scale yours uses",
                known.source
            ));
            if b == 1.0 && target > 1.0 && target <= 100.0 {
                if let Some(s) = target_span {
                    d = d.with_fix(
                        format!("write the target as a fraction: {}", target / 100.0),
                        s,
                        format!("\"{}\"", target / 100.0),
                    );
                }
            }
            cx.push(d);
        }
    }
    if let Some(n) = known.note {
        cx.note(
            Code::DeprecatedMetric,
            name.span,
            format!("`{}`: {n}", name.value),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: a\nspec:\n  scaleTargetRef: {kind: Deployment, name: x}\n  maxReplicas: 3\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: b\nspec:\n  scaleTargetRef: {kind: Deployment, name: y}\n  maxReplicas: 4\n";

    #[test]
    fn select_by_name_and_default() {
        let p = parse(TWO);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let (a, note) = p.select(None);
        assert_eq!(a.map(|a| a.name.as_str()), Some("a"));
        assert_eq!(note.map(|d| d.code), Some(Code::MultipleAutoscalers));
        let (b, none) = p.select(Some("b"));
        assert_eq!(b.map(|a| a.max_replicas.value), Some(4));
        assert!(none.is_none());
        let (missing, err) = p.select(Some("c"));
        assert!(missing.is_none());
        let err = err.map(|d| (d.code, d.message));
        let err = err.expect("an unknown-autoscaler error");
        assert_eq!(err.0, Code::UnknownAutoscaler);
        assert!(err.1.contains("a (HorizontalPodAutoscaler)") && err.1.contains('b'));
    }

    #[test]
    fn list_items_are_read_as_documents() {
        // (source, names read, maxReplicas of each)
        let typed = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscalerList\nmetadata: {resourceVersion: \"7\"}\nitems:\n- metadata: {name: a}\n  spec:\n    scaleTargetRef: {kind: Deployment, name: x}\n    maxReplicas: 3\n";
        let kubectl = format!(
            "apiVersion: v1\nkind: List\nitems:\n{}",
            TWO.split("---\n")
                .map(|d| format!("- {}", d.trim_end().replace('\n', "\n  ")))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let cases = [
            (
                "kubectl get -o yaml",
                kubectl.as_str(),
                vec![("a", 3), ("b", 4)],
            ),
            ("a typed list", typed, vec![("a", 3)]),
            (
                "an empty list",
                "apiVersion: v1\nkind: List\nitems: []\n",
                Vec::new(),
            ),
        ];
        for (what, src, want) in cases {
            let p = parse(src);
            let got: Vec<(&str, u32)> = p
                .autoscalers
                .iter()
                .map(|a| (a.name.as_str(), a.max_replicas.value))
                .collect();
            assert_eq!(got, want, "{what}: {src}\n{:#?}", p.diagnostics);
            assert!(!want.is_empty() || p.has_errors(), "{what}");
        }
        // An item keeps its own position: b's maxReplicas is on line 17 of the list.
        let p = parse(&kubectl);
        let b = p.autoscalers.iter().find(|a| a.name == "b").expect("b");
        assert_eq!(b.max_replicas.span().map(|s| s.start.line), Some(17));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for src in [
            "",
            "---",
            "[]",
            "a",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec: 3",
            "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n  triggers: {}",
            "\t:",
            "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template: []",
        ] {
            let p = parse(src);
            assert!(p.has_errors(), "{src:?}");
        }
    }

    #[test]
    fn many_autoscalers_are_listed_by_their_first_names_and_found_by_position() {
        let doc = |i: usize| {
            format!("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h{i}\nspec:\n  scaleTargetRef: {{kind: Deployment, name: x}}\n  maxReplicas: 3\n")
        };
        let src = (0..12).map(doc).collect::<Vec<_>>().join("---\n");
        let p = parse(&src);
        let (first, note) = p.select(None);
        let message = note.map(|n| n.message).unwrap_or_default();
        assert!(
            message.contains("h9 (HorizontalPodAutoscaler) and 2 more"),
            "{message}"
        );
        assert!(!message.contains("h10"), "{message}");
        // A diagnostic inside the fourth document is about the fourth autoscaler only.
        let at = p.autoscalers[3].name_span;
        let d = Diagnostic::note(Code::IgnoredDocument, "x").at(at);
        assert!(p.is_about_another(first.unwrap(), &d));
        assert!(!p.is_about_another(&p.autoscalers[3], &d));
    }

    #[test]
    fn yaml_error_points_at_scanner_position() {
        let p = parse("a: [1, 2\nb: 3\n");
        let d = p.diagnostics.iter().find(|d| d.code == Code::YamlSyntax);
        assert!(d.and_then(|d| d.span).is_some());
    }
}
