//! Network: the bridge and VLAN, DHCP or a static address (with gateway) per IP family, and
//! the resolver. Switching a family to static starts from empty fields, never a guess.

use super::Wizard;
use super::fields::{Field, SpecField, split_items};
use crate::templates::form::field::field_id;
use berth_domain::container::ContainerSpec;
use berth_domain::template::{Ipv4Mode, Ipv6Mode, StaticAddress};
use leptos::prelude::*;

#[component]
pub fn NetworkStep() -> impl IntoView {
    let spec = expect_context::<Wizard>().spec;
    let v4_static = Memo::new(move |_| spec.with(|s| s.network.ipv4.static_address().is_some()));
    let v6_static = Memo::new(move |_| spec.with(|s| s.network.ipv6.static_address().is_some()));
    view! {
        <fieldset class="form-section" data-testid="step-network">
            <legend>"Network"</legend>
            <div class="fields">
                <SpecField label="Bridge" path="network.bridge" mono=true placeholder="vmbr0"
                    read=|s| s.network.bridge.clone()
                    write=|s, v| s.network.bridge = v.trim().to_string() />
                <SpecField label="VLAN tag" path="network.vlan" placeholder="none"
                    read=|s| s.network.vlan.map(|v| v.to_string()).unwrap_or_default()
                    write=|s, v| s.network.vlan = match v.trim() {
                        "" => None,
                        typed => Some(typed.parse().unwrap_or(0)),
                    } />
            </div>
            <div class="fields">
                <ModeSelect label="IPv4" path="network.ipv4"
                    options=&[("dhcp", "DHCP"), ("static", "Static")]
                    read=|s| if s.network.ipv4.static_address().is_some() { "static" } else { "dhcp" }
                    write=|s, mode| s.network.ipv4 = if mode == "static" {
                        Ipv4Mode::Static(StaticAddress::default())
                    } else {
                        Ipv4Mode::Dhcp
                    } />
                <Show when=move || v4_static.get()>
                    <StaticFields family="ipv4" label="IPv4" placeholders=("10.0.0.5/24", "10.0.0.1")
                        read=|s| s.network.ipv4.static_address() write=|s| s.network.ipv4.static_address_mut() />
                </Show>
            </div>
            <div class="fields">
                <ModeSelect label="IPv6" path="network.ipv6"
                    options=&[("none", "None"), ("auto", "SLAAC"), ("dhcp", "DHCPv6"), ("static", "Static")]
                    read=|s| match s.network.ipv6 {
                        Ipv6Mode::None => "none",
                        Ipv6Mode::Auto => "auto",
                        Ipv6Mode::Dhcp => "dhcp",
                        Ipv6Mode::Static(_) => "static",
                    }
                    write=|s, mode| s.network.ipv6 = match mode.as_str() {
                        "auto" => Ipv6Mode::Auto,
                        "dhcp" => Ipv6Mode::Dhcp,
                        "static" => Ipv6Mode::Static(StaticAddress::default()),
                        _ => Ipv6Mode::None,
                    } />
                <Show when=move || v6_static.get()>
                    <StaticFields family="ipv6" label="IPv6" placeholders=("fd00::5/64", "fd00::1")
                        read=|s| s.network.ipv6.static_address() write=|s| s.network.ipv6.static_address_mut() />
                </Show>
            </div>
            <div class="fields">
                <SpecField label="DNS servers" path="network.dns_servers" mono=true placeholder="the node's"
                    hint="Up to three addresses; leave empty to use the node's resolver."
                    read=|s| s.network.dns_servers.join(", ")
                    write=|s, v| s.network.dns_servers = split_items(&v) />
                <SpecField label="Search domain" path="network.search_domain" mono=true placeholder="lab.example"
                    read=|s| s.network.search_domain.clone()
                    write=|s, v| s.network.search_domain = v.trim().to_string() />
            </div>
        </fieldset>
    }
}

/// The address and gateway of one IP family set to static.
#[component]
fn StaticFields(
    family: &'static str,
    label: &'static str,
    placeholders: (&'static str, &'static str),
    read: fn(&ContainerSpec) -> Option<&StaticAddress>,
    write: fn(&mut ContainerSpec) -> Option<&mut StaticAddress>,
) -> impl IntoView {
    let spec = expect_context::<Wizard>().spec;
    let part = move |gateway: bool| {
        Signal::derive(move || {
            spec.with(|s| {
                read(s)
                    .map(|a| {
                        if gateway {
                            a.gateway.clone().unwrap_or_default()
                        } else {
                            a.address.clone()
                        }
                    })
                    .unwrap_or_default()
            })
        })
    };
    let edit = move |gateway: bool| {
        Callback::new(move |typed: String| {
            spec.update(|s| {
                let typed = typed.trim().to_string();
                if let Some(a) = write(s) {
                    if gateway {
                        a.gateway = (!typed.is_empty()).then_some(typed);
                    } else {
                        a.address = typed;
                    }
                }
            })
        })
    };
    view! {
        <Field label=format!("{label} address (CIDR)") path=format!("network.{family}.address") mono=true
            placeholder=placeholders.0 value=part(false) on_change=edit(false) />
        <Field label=format!("{label} gateway") path=format!("network.{family}.gateway") mono=true
            placeholder=placeholders.1 value=part(true) on_change=edit(true) />
    }
}

/// How one IP family gets its address.
#[component]
fn ModeSelect(
    label: &'static str,
    path: &'static str,
    options: &'static [(&'static str, &'static str)],
    read: fn(&ContainerSpec) -> &'static str,
    write: fn(&mut ContainerSpec, String),
) -> impl IntoView {
    let spec = expect_context::<Wizard>().spec;
    let id = field_id(&format!("{path}.mode"));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=format!("{path}.mode")
                on:change=move |ev| {
                    let mode = event_target_value(&ev);
                    if spec.with_untracked(read) != mode {
                        spec.update(|s| write(s, mode));
                    }
                }>
                {options.iter().map(|&(key, text)| view! {
                    <option value=key selected=move || spec.with(read) == key>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
