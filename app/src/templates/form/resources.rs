//! Resources & network defaults: the OS image, CPU, memory, disk, privileges, the network, and
//! the health check that proves a container works.

use super::field::{CheckField, NumberField, Problems, SelectField, TextField};
use berth_domain::template::{HealthCheck, Ipv4Mode, Ipv6Mode, StaticAddress, TemplateSpec};
use leptos::prelude::*;

#[component]
pub fn ResourcesSection(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let number = move |read: fn(&TemplateSpec) -> u32| Signal::derive(move || spec.with(read));
    let flag = move |read: fn(&TemplateSpec) -> bool| Signal::derive(move || spec.with(read));
    view! {
        <fieldset class="form-section" data-testid="section-resources">
            <legend>"Resources & network defaults"</legend>
            <div class="fields">
                <TextField label="OS template" path="os_template".into() mono=true wide=true problems
                    placeholder="local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
                    value=Signal::derive(move || spec.with(|s| s.os_template.clone()))
                    on_change=Callback::new(move |v: String| spec.update(|s| s.os_template = v.trim().to_string())) />
                <NumberField label="Cores" path="resources.cores".into() problems
                    value=number(|s| u32::from(s.resources.cores))
                    on_change=Callback::new(move |v: u32| spec.update(|s| s.resources.cores = u16::try_from(v).unwrap_or(u16::MAX))) />
                <NumberField label="Memory" unit="MiB" path="resources.memory_mib".into() problems
                    value=number(|s| s.resources.memory_mib)
                    on_change=Callback::new(move |v| spec.update(|s| s.resources.memory_mib = v)) />
                <NumberField label="Swap" unit="MiB" path="resources.swap_mib".into() problems
                    value=number(|s| s.resources.swap_mib)
                    on_change=Callback::new(move |v| spec.update(|s| s.resources.swap_mib = v)) />
                <NumberField label="Disk" unit="GiB" path="resources.disk_gib".into() problems
                    value=number(|s| s.resources.disk_gib)
                    on_change=Callback::new(move |v| spec.update(|s| s.resources.disk_gib = v)) />
                <CheckField label="Unprivileged" path="resources.unprivileged".into()
                    value=flag(|s| s.resources.unprivileged)
                    on_change=Callback::new(move |v| spec.update(|s| s.resources.unprivileged = v)) />
                <CheckField label="Nesting (e.g. Docker inside)" path="resources.nesting".into()
                    value=flag(|s| s.resources.nesting)
                    on_change=Callback::new(move |v| spec.update(|s| s.resources.nesting = v)) />
            </div>
            <div class="fields">
                <TextField label="Bridge" path="network.bridge".into() mono=true problems placeholder="vmbr0"
                    value=Signal::derive(move || spec.with(|s| s.network.bridge.clone()))
                    on_change=Callback::new(move |v: String| spec.update(|s| s.network.bridge = v.trim().to_string())) />
                <TextField label="VLAN tag (optional)" path="network.vlan".into() problems
                    value=Signal::derive(move || spec.with(|s| s.network.vlan.map(|v| v.to_string()).unwrap_or_default()))
                    on_change=Callback::new(move |v: String| spec.update(|s| s.network.vlan = v.trim().parse().ok().or(if v.trim().is_empty() { None } else { Some(0) }))) />
                <Ipv4Fields spec problems />
                <Ipv6Fields spec problems />
            </div>
            <HealthFields spec problems />
        </fieldset>
    }
}

#[component]
fn Ipv4Fields(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let mode = Signal::derive(move || {
        spec.with(|s| match s.network.ipv4 {
            Ipv4Mode::Dhcp => "dhcp",
            Ipv4Mode::Static(_) => "static",
        })
        .to_string()
    });
    view! {
        <SelectField label="IPv4" path="network.ipv4.mode".into() options=vec![("dhcp", "DHCP"), ("static", "Static")]
            value=mode
            on_change=Callback::new(move |v: String| spec.update(|s| s.network.ipv4 = if v == "static" {
                Ipv4Mode::Static(StaticAddress::default())
            } else { Ipv4Mode::Dhcp })) />
        <Show when=move || mode.get() == "static">
            <StaticFields spec problems family="ipv4" placeholder="10.0.0.5/24"
                read=|s| s.network.ipv4.static_address() write=|s| s.network.ipv4.static_address_mut() />
        </Show>
    }
}

#[component]
fn Ipv6Fields(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let mode = Signal::derive(move || {
        spec.with(|s| match s.network.ipv6 {
            Ipv6Mode::None => "none",
            Ipv6Mode::Auto => "auto",
            Ipv6Mode::Dhcp => "dhcp",
            Ipv6Mode::Static(_) => "static",
        })
        .to_string()
    });
    view! {
        <SelectField label="IPv6" path="network.ipv6.mode".into()
            options=vec![("none", "None"), ("auto", "SLAAC"), ("dhcp", "DHCPv6"), ("static", "Static")]
            value=mode
            on_change=Callback::new(move |v: String| spec.update(|s| s.network.ipv6 = match v.as_str() {
                "auto" => Ipv6Mode::Auto,
                "dhcp" => Ipv6Mode::Dhcp,
                "static" => Ipv6Mode::Static(StaticAddress::default()),
                _ => Ipv6Mode::None,
            })) />
        <Show when=move || mode.get() == "static">
            <StaticFields spec problems family="ipv6" placeholder="fd00::5/64"
                read=|s| s.network.ipv6.static_address() write=|s| s.network.ipv6.static_address_mut() />
        </Show>
    }
}

/// Address and gateway of a static IPv4 or IPv6 configuration.
#[component]
fn StaticFields(
    spec: RwSignal<TemplateSpec>,
    problems: Problems,
    family: &'static str,
    placeholder: &'static str,
    read: fn(&TemplateSpec) -> Option<&StaticAddress>,
    write: fn(&mut TemplateSpec) -> Option<&mut StaticAddress>,
) -> impl IntoView {
    let part = move |gateway: bool| {
        Signal::derive(move || {
            spec.with(|s| {
                read(s)
                    .map(|f| {
                        if gateway {
                            f.gateway.clone().unwrap_or_default()
                        } else {
                            f.address.clone()
                        }
                    })
                    .unwrap_or_default()
            })
        })
    };
    let set = move |gateway: bool| {
        Callback::new(move |value: String| {
            spec.update(|s| {
                if let Some(fixed) = write(s) {
                    let value = value.trim().to_string();
                    if gateway {
                        fixed.gateway = Some(value).filter(|v| !v.is_empty());
                    } else {
                        fixed.address = value;
                    }
                }
            })
        })
    };
    let (address_label, gateway_label) = if family == "ipv4" {
        ("IPv4 address (CIDR)", "IPv4 gateway")
    } else {
        ("IPv6 address (CIDR)", "IPv6 gateway")
    };
    view! {
        <TextField label=address_label path=format!("network.{family}.address") mono=true problems placeholder
            value=part(false) on_change=set(false) />
        <TextField label=gateway_label path=format!("network.{family}.gateway") mono=true problems
            value=part(true) on_change=set(true) />
    }
}

#[component]
fn HealthFields(spec: RwSignal<TemplateSpec>, problems: Problems) -> impl IntoView {
    let kind = Signal::derive(move || {
        spec.with(|s| {
            match &s.health_check {
                None => "none",
                Some(HealthCheck::Tcp { .. }) => "tcp",
                Some(HealthCheck::Http { .. }) => "http",
                Some(HealthCheck::Command { .. }) => "command",
            }
            .to_string()
        })
    });
    let port = Signal::derive(move || {
        spec.with(|s| match &s.health_check {
            Some(HealthCheck::Tcp { port } | HealthCheck::Http { port, .. }) => u32::from(*port),
            _ => 0,
        })
    });
    let text = Signal::derive(move || {
        spec.with(|s| match &s.health_check {
            Some(HealthCheck::Http { path, .. }) => path.clone(),
            Some(HealthCheck::Command { command }) => command.clone(),
            _ => String::new(),
        })
    });
    view! {
        <div class="fields">
            <SelectField label="Health check" path="health_check.kind".into()
                options=vec![("none", "None"), ("tcp", "TCP port answers"), ("http", "HTTP GET answers"), ("command", "Command exits 0")]
                value=kind
                on_change=Callback::new(move |v: String| spec.update(|s| s.health_check = match v.as_str() {
                    "tcp" => Some(HealthCheck::Tcp { port: 22 }),
                    "http" => Some(HealthCheck::Http { port: 80, path: "/".into() }),
                    "command" => Some(HealthCheck::Command { command: "true".into() }),
                    _ => None,
                })) />
            <Show when=move || matches!(kind.get().as_str(), "tcp" | "http")>
                <NumberField label="Port" path="health_check.port".into() problems value=port
                    on_change=Callback::new(move |v: u32| spec.update(|s| {
                        let v = u16::try_from(v).unwrap_or(0);
                        if let Some(HealthCheck::Tcp { port } | HealthCheck::Http { port, .. }) = &mut s.health_check { *port = v }
                    })) />
            </Show>
            <Show when=move || kind.get() == "http">
                <TextField label="Path" path="health_check.path".into() mono=true problems value=text
                    on_change=Callback::new(move |v: String| spec.update(|s| {
                        if let Some(HealthCheck::Http { path, .. }) = &mut s.health_check { *path = v }
                    })) />
            </Show>
            <Show when=move || kind.get() == "command">
                <TextField label="Command" path="health_check.command".into() mono=true problems value=text
                    on_change=Callback::new(move |v: String| spec.update(|s| {
                        if let Some(HealthCheck::Command { command }) = &mut s.health_check { *command = v }
                    })) />
            </Show>
        </div>
    }
}
