//! Review: everything that will be sent, as `ContainerSpec::review` shows it (the password and
//! secret inputs only as "set"), and whether the container keeps running afterwards.

use super::Wizard;
use super::fields::SpecCheck;
use berth_domain::container::{NodeChoice, Review, ShownValue, VmidChoice};
use berth_domain::template::{Ipv4Mode, Ipv6Mode};
use leptos::prelude::*;

#[component]
pub fn ReviewStep() -> impl IntoView {
    let wizard = expect_context::<Wizard>();
    let review = Memo::new(move |_| {
        wizard
            .spec
            .with(|s| wizard.template.with_value(|t| s.review(t)))
    });
    let template_problems = move || {
        wizard.problems.with(|all| {
            all.iter()
                .filter(|p| p.path.starts_with("template"))
                .map(|p| view! { <li>{p.message.clone()}</li> })
                .collect_view()
        })
    };
    view! {
        <fieldset class="form-section" data-testid="step-review">
            <legend>"Review"</legend>
            <ul class="error-list" role="alert">{template_problems}</ul>
            {move || facts(&review.get())}
            <SpecCheck label="Start the container after it is created" path="start_after_create"
                read=|s| s.start_after_create
                write=|s, v| s.start_after_create = v />
        </fieldset>
    }
}

fn facts(r: &Review) -> impl IntoView + use<> {
    let vmid = match r.identity.vmid {
        VmidChoice::Auto => "automatic".to_string(),
        VmidChoice::Chosen(id) => id.to_string(),
    };
    let node = match &r.identity.node {
        NodeChoice::Auto => "automatic".to_string(),
        NodeChoice::Named(node) => node.clone(),
    };
    let res = &r.resources;
    let mounts = r
        .storage
        .mount_points
        .iter()
        .map(|mp| format!("{} ({} GiB on {})", mp.path, mp.size_gib, mp.storage))
        .collect::<Vec<_>>();
    let ipv4 = match &r.network.ipv4 {
        Ipv4Mode::Dhcp => "DHCP".to_string(),
        Ipv4Mode::Static(a) => static_text(&a.address, a.gateway.as_deref()),
    };
    let ipv6 = match &r.network.ipv6 {
        Ipv6Mode::None => "none".to_string(),
        Ipv6Mode::Auto => "SLAAC".to_string(),
        Ipv6Mode::Dhcp => "DHCPv6".to_string(),
        Ipv6Mode::Static(a) => static_text(&a.address, a.gateway.as_deref()),
    };
    let or = |items: &[String], none: &str| {
        if items.is_empty() {
            none.to_string()
        } else {
            items.join(", ")
        }
    };
    let rows: Vec<(String, String)> = vec![
        (
            "Template".into(),
            format!("{} v{}", r.template.name, r.template.version),
        ),
        ("Host name".into(), r.identity.hostname.clone()),
        ("VMID".into(), vmid),
        ("Node".into(), node),
        ("Tags".into(), or(&r.identity.tags, "none")),
        (
            "CPU and memory".into(),
            format!(
                "{} cores, {} MiB memory, {} MiB swap",
                res.cores, res.memory_mib, res.swap_mib
            ),
        ),
        (
            "Isolation".into(),
            format!(
                "{}{}",
                if res.unprivileged {
                    "unprivileged"
                } else {
                    "privileged"
                },
                if res.nesting { ", nesting" } else { "" }
            ),
        ),
        (
            "Root disk".into(),
            format!(
                "{} GiB on {}",
                r.storage.rootfs.size_gib, r.storage.rootfs.storage
            ),
        ),
        ("Mount points".into(), or(&mounts, "none")),
        (
            "Network".into(),
            match r.network.vlan {
                Some(vlan) => format!("{} (VLAN {vlan})", r.network.bridge),
                None => r.network.bridge.clone(),
            },
        ),
        ("IPv4".into(), ipv4),
        ("IPv6".into(), ipv6),
        ("DNS".into(), or(&r.network.dns_servers, "the node's")),
        (
            "SSH keys".into(),
            format!("{} key(s)", r.access.ssh_keys.len()),
        ),
        (
            "Root password".into(),
            if r.access.root_password_set {
                "set (hidden)"
            } else {
                "not set"
            }
            .into(),
        ),
    ];
    let inputs = r.inputs.iter().map(|input| {
        let value = match &input.value {
            ShownValue::Unset => "not set".to_string(),
            ShownValue::Plain(v) => v.clone(),
            ShownValue::Hidden => "set (hidden)".to_string(),
        };
        (input.label.clone(), value)
    });
    view! {
        <dl class="facts wizard-review" data-testid="review">
            {rows.into_iter().chain(inputs).map(|(term, value)| view! {
                <dt>{term}</dt><dd>{value}</dd>
            }).collect_view()}
        </dl>
    }
}

fn static_text(address: &str, gateway: Option<&str>) -> String {
    match gateway {
        Some(gw) => format!("{address} via {gw}"),
        None => address.to_string(),
    }
}
