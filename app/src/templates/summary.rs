//! What a template installs, read-only: resources and network, buckets with their packages,
//! files, scripts, inputs and the health check.

use berth_domain::template::*;
use leptos::prelude::*;

#[component]
pub fn Facts(spec: TemplateSpec) -> impl IntoView {
    let r = spec.resources;
    let n = spec.network;
    let fixed = |f: &StaticAddress| match &f.gateway {
        Some(gw) => format!("{} via {gw}", f.address),
        None => f.address.clone(),
    };
    let ipv4 = match &n.ipv4 {
        Ipv4Mode::Dhcp => "DHCP".to_string(),
        Ipv4Mode::Static(f) => fixed(f),
    };
    let ipv6 = match &n.ipv6 {
        Ipv6Mode::None => "none".to_string(),
        Ipv6Mode::Auto => "SLAAC".to_string(),
        Ipv6Mode::Dhcp => "DHCPv6".to_string(),
        Ipv6Mode::Static(f) => fixed(f),
    };
    let fact =
        |label: &'static str, value: String| view! { <div><dt>{label}</dt><dd>{value}</dd></div> };
    view! {
        <section class="section" aria-labelledby="facts-heading">
            <h2 id="facts-heading">"Defaults"</h2>
            <dl class="facts" data-testid="template-facts">
                {fact("OS template", spec.os_template)}
                {fact("Cores", r.cores.to_string())}
                {fact("Memory", format!("{} MiB", r.memory_mib))}
                {fact("Swap", format!("{} MiB", r.swap_mib))}
                {fact("Disk", format!("{} GiB", r.disk_gib))}
                {fact("Unprivileged", yes_no(r.unprivileged))}
                {fact("Nesting", yes_no(r.nesting))}
                {fact("Bridge", match n.vlan { Some(v) => format!("{} (VLAN {v})", n.bridge), None => n.bridge })}
                {fact("IPv4", ipv4)}
                {fact("IPv6", ipv6)}
                {fact("Health check", health(spec.health_check.as_ref()))}
                {fact("Apps", apps(&spec.apps))}
            </dl>
        </section>
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

/// `code-server on :8080/, File Browser on :8081/` (https apps say so).
fn apps(apps: &[AppLink]) -> String {
    if apps.is_empty() {
        return "none".into();
    }
    apps.iter()
        .map(|a| {
            let scheme = if a.https { "https " } else { "" };
            format!("{} on {scheme}:{}{}", a.label, a.port, a.path)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn health(check: Option<&HealthCheck>) -> String {
    match check {
        None => "none".into(),
        Some(HealthCheck::Tcp { port }) => format!("TCP port {port} accepts connections"),
        Some(HealthCheck::Http { port, path }) => format!("HTTP GET :{port}{path} answers"),
        Some(HealthCheck::Command { command }) => format!("`{command}` exits 0"),
    }
}

#[component]
pub fn Contents(spec: TemplateSpec, buckets: Vec<PackageBucket>) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="installs-heading">
            <h2 id="installs-heading">"What it installs"</h2>
            <h3>"Package buckets, in order"</h3>
            {if buckets.is_empty() { view! { <p class="muted">"None."</p> }.into_any() } else { view! {
                <ol class="plain-list" data-testid="template-buckets">
                    {buckets.into_iter().map(|b| view! {
                        <li><strong>{b.name}</strong>" "<span class="pill pill-neutral">{b.manager.as_str()}</span>
                            " "<span class="mono">{b.packages.join(" ")}</span></li>
                    }).collect_view()}
                </ol>
            }.into_any() }}
            <h3>"Files"</h3>
            {if spec.files.is_empty() { view! { <p class="muted">"None."</p> }.into_any() } else { view! {
                <ul class="plain-list" data-testid="template-files">
                    {spec.files.into_iter().map(|f| view! {
                        <li><details><summary><span class="mono">{f.path}</span>" "<span class="muted">{format!("{} {}", f.mode, f.owner)}</span></summary>
                            <pre class="code">{f.content}</pre></details></li>
                    }).collect_view()}
                </ul>
            }.into_any() }}
            <h3>"Scripts, in order"</h3>
            {if spec.scripts.is_empty() { view! { <p class="muted">"None."</p> }.into_any() } else { view! {
                <ol class="plain-list" data-testid="template-scripts">
                    {spec.scripts.into_iter().map(|s| view! {
                        <li><details><summary><strong>{s.name}</strong>" "<span class="muted">
                            {format!("{} as {}, at most {} s", s.interpreter.as_str(), s.run_as, s.timeout_secs)}</span></summary>
                            <pre class="code">{s.content}</pre></details></li>
                    }).collect_view()}
                </ol>
            }.into_any() }}
            <h3>"Inputs"</h3>
            {if spec.inputs.is_empty() { view! { <p class="muted">"None: the template runs without questions."</p> }.into_any() } else { view! {
                <table class="table" data-testid="template-inputs">
                    <thead><tr><th>"Name"</th><th>"Label"</th><th>"Type"</th><th>"Required"</th><th>"Default"</th></tr></thead>
                    <tbody>
                        {spec.inputs.into_iter().map(|i| view! {
                            <tr><td class="mono">{i.name}</td><td>{i.label}</td>
                                <td>{if i.kind == InputKind::Choice { format!("choice: {}", i.choices.join(", ")) } else { i.kind.as_str().to_string() }}</td>
                                <td>{yes_no(i.required)}</td><td class="mono">{i.default.unwrap_or_default()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any() }}
        </section>
    }
}
