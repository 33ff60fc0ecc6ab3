//! Unrendered Helm templates: a chart's `templates/*.yaml` is Go template text, not YAML.
//!
//! Users paste the file from the chart rather than `helm template` output; the YAML parser then
//! fails at the first `{{- if ... }}` line or reads `{{ .Values.x }}` as text. Finding the first
//! template action lets the diagnostic say what the file is and how to render it, instead of a
//! syntax error or a type error about a value the user never wrote.

use crate::codes::rule_doc;
use crate::span::{LineIndex, Span};

/// Longest action text quoted in a message; longer ones end with `…`.
const MAX_QUOTED: usize = 48;

/// The first Helm / Go template action (`{{ ... }}`) outside a comment line: its span and its
/// text (shortened for messages).
pub fn first_action(index: &LineIndex) -> Option<(Span, String)> {
    let text = index.text();
    let mut from = 0usize;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("{{")) {
        let open = from + found;
        let line_start = text
            .get(..open)
            .map_or(0, |b| b.rfind('\n').map_or(0, |i| i + 1));
        let line_end = text
            .get(open..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| open + i);
        let line = text.get(line_start..line_end).unwrap_or("");
        let is_comment = line.trim_start().starts_with('#');
        let close = text
            .get(open..line_end)
            .and_then(|rest| rest.find("}}"))
            .map(|i| open + i + 2);
        match close {
            Some(close) if !is_comment => {
                let action = text.get(open..close).unwrap_or("{{");
                let quoted = if action.chars().count() > MAX_QUOTED {
                    let cut: String = action.chars().take(MAX_QUOTED).collect();
                    format!("{cut}…")
                } else {
                    action.to_string()
                };
                let span = Span::new(index.pos_of_byte(open), index.pos_of_byte(close));
                return Some((span, quoted));
            }
            _ => from = line_end.max(open + 2),
        }
    }
    None
}

rule_doc! {
    /// The file is a Helm chart template, not a rendered manifest.
    ///
    /// # What it does
    /// Reports a Helm / Go template action (`{{ .Values.x }}`, `{{- if ... }}`) in a file that
    /// otherwise reads as YAML: the file is a chart's template, not a rendered manifest. When the
    /// template makes the YAML invalid, `yaml-syntax` says so instead.
    ///
    /// # Why is this bad
    /// Scalelens reads what the cluster would receive. In a template, values such as
    /// `targetValue: "{{ .Values.target }}"` are template text, not the value the chart renders,
    /// so the replay and the checks would be about text nobody deploys.
    ///
    /// # Example
    /// ```text
    /// spec:
    ///   maxReplicas: 10
    ///   metricsSources:
    ///     - targetValue: "{{ .Values.autoscaling.target }}"
    /// ```
    ///
    /// # Fix
    /// Render the chart with your values and check the output:
    /// `helm template <release> <chart> -f values.yaml > rendered.yaml`.
    ///
    /// # References
    /// - Helm docs, "helm template" (renders chart templates locally).
    pub(crate) const HELM_TEMPLATE;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_action_outside_comments() {
        type Case = (&'static str, Option<(u32, u32, &'static str)>);
        let cases: &[Case] = &[
            ("a: 1\n", None),
            (
                "# {{ not this }}\na: {{ .Values.x }}\n",
                Some((2, 4, "{{ .Values.x }}")),
            ),
            (
                "{{- if .Values.enabled }}\nkind: HPA\n",
                Some((1, 1, "{{- if .Values.enabled }}")),
            ),
            ("a: \"{{ unclosed\n", None),
            (
                "a: '{{ include \"x\" . }}'\n",
                Some((1, 5, "{{ include \"x\" . }}")),
            ),
        ];
        for (src, want) in cases {
            let index = LineIndex::new(src);
            let got = first_action(&index).map(|(s, t)| (s.start.line, s.start.column, t));
            assert_eq!(got, want.map(|(l, c, t)| (l, c, t.to_string())), "{src:?}");
        }
    }
}
