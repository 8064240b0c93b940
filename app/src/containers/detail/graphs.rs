//! The last hour as small line graphs (inline SVG, no script): CPU, memory and network.

use super::api::Sample;
use crate::containers::list::bytes_text;
use leptos::prelude::*;

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 48.0;

/// The polyline points of `values` scaled into the graph, the highest value at the top.
pub fn points(values: &[f64], ceiling: f64) -> String {
    let top = values
        .iter()
        .copied()
        .fold(ceiling, f64::max)
        .max(f64::EPSILON);
    let step = WIDTH / (values.len().max(2) - 1) as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                HEIGHT - v.max(0.0) / top * HEIGHT
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn Graphs(history: Vec<Sample>) -> impl IntoView {
    if history.is_empty() {
        return view! { <p class="muted">"No graphs yet: Proxmox has no data for the last hour."</p> }
            .into_any();
    }
    let last = history.last().cloned();
    let cpu: Vec<f64> = history.iter().map(|s| s.cpu * 100.0).collect();
    let mem: Vec<f64> = history.iter().map(|s| s.mem).collect();
    let maxmem = history.iter().map(|s| s.maxmem).fold(0.0, f64::max);
    let netin: Vec<f64> = history.iter().map(|s| s.netin).collect();
    let netout: Vec<f64> = history.iter().map(|s| s.netout).collect();
    let net_top = netin.iter().chain(&netout).copied().fold(0.0, f64::max);
    let last = last.unwrap_or(Sample {
        time: 0,
        cpu: 0.0,
        mem: 0.0,
        maxmem: 0.0,
        netin: 0.0,
        netout: 0.0,
    });
    view! {
        <div class="graphs" data-testid="graphs">
            <Graph title="CPU" now=format!("{:.1} %", last.cpu * 100.0) lines=vec![points(&cpu, 100.0)] />
            <Graph title="Memory" now=format!("{} of {}", bytes_text(last.mem as u64), bytes_text(maxmem as u64))
                lines=vec![points(&mem, maxmem)] />
            <Graph title="Network" now=format!("in {}/s · out {}/s", bytes_text(last.netin as u64), bytes_text(last.netout as u64))
                lines=vec![points(&netin, net_top), points(&netout, net_top)] />
        </div>
    }
    .into_any()
}

#[component]
fn Graph(title: &'static str, now: String, lines: Vec<String>) -> impl IntoView {
    let lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, points)| view! { <polyline class=format!("graph-line graph-line-{i}") points=points /> })
        .collect_view();
    view! {
        <figure class="graph">
            <figcaption><strong>{title}</strong>" "<span class="muted">{now}</span></figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=format!("{title}, last hour")>
                {lines}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::points;

    #[test]
    fn points_span_the_width_with_the_top_value_at_the_top() {
        assert_eq!(
            points(&[0.0, 50.0, 100.0], 100.0),
            "0.0,48.0 120.0,24.0 240.0,0.0"
        );
        // A value above the ceiling raises it rather than leaving the graph.
        assert_eq!(points(&[200.0, 0.0], 100.0), "0.0,0.0 240.0,48.0");
    }
}
