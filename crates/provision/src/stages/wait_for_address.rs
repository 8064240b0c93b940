//! Wait for address: read the container's interfaces until `eth0` has its IPv4 address (the
//! configured one when static, any global one with DHCP), then save it.

use crate::context::RunContext;
use crate::error::ProvisionError;
use berth_domain::run::Stage;
use berth_domain::template::{Ipv4Mode, Ipv6Mode};
use berth_pve::types::LxcInterface;
use tokio::time::Instant;

const STAGE: Stage = Stage::WaitForAddress;
const INTERFACE: &str = "eth0";

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    if let Some(address) = &ctx.checkpoint.address {
        return ctx
            .log(STAGE, format!("the address {address} was seen earlier"))
            .await;
    }
    let (vmid, node) = (ctx.vmid()?, ctx.node()?.to_owned());
    let pve = ctx.services.pve.clone();
    let (deadline, poll) = (ctx.settings().address_deadline, ctx.settings().address_poll);
    let started = Instant::now();
    let expected = expected_v4(&ctx.spec.network.ipv4);
    let (v4, v6) = loop {
        let interfaces = pve.lxc_interfaces(&node, vmid).await?.unwrap_or_default();
        let eth0 = interfaces.iter().find(|i| i.name == INTERFACE);
        if let Some(found) = eth0.and_then(global_v4) {
            if let Some(expected) = &expected
                && expected != &found
            {
                return Err(ProvisionError::WrongAddress {
                    vmid,
                    expected: expected.clone(),
                    found,
                });
            }
            break (found, eth0.and_then(global_v6));
        }
        if started.elapsed() >= deadline {
            return Err(ProvisionError::NoAddress {
                vmid,
                waited_secs: deadline.as_secs(),
            });
        }
        tokio::time::sleep(poll).await;
    };
    let v6 = if matches!(ctx.spec.network.ipv6, Ipv6Mode::None) {
        None
    } else {
        v6
    };
    ctx.log(STAGE, format!("{INTERFACE} has {v4}")).await?;
    ctx.checkpoint.address = Some(without_prefix(&v4).to_owned());
    ctx.checkpoint.address6 = v6.as_deref().map(|a| without_prefix(a).to_owned());
    ctx.save(STAGE).await
}

/// The static address as the interface will report it (`10.0.0.5/24`).
fn expected_v4(mode: &Ipv4Mode) -> Option<String> {
    mode.static_address().map(|fixed| fixed.address.clone())
}

fn global_v4(interface: &LxcInterface) -> Option<String> {
    let from_list = interface
        .ip_addresses
        .iter()
        .find(|a| {
            a.family == "inet"
                && !a.address.starts_with("127.")
                && !a.address.starts_with("169.254.")
        })
        .map(|a| format!("{}/{}", a.address, a.prefix));
    // Before PVE 8.4 only the deprecated `inet` field is there.
    from_list.or_else(|| interface.inet.clone())
}

fn global_v6(interface: &LxcInterface) -> Option<String> {
    interface
        .ip_addresses
        .iter()
        .find(|a| a.family == "inet6" && !a.address.starts_with("fe80") && a.address != "::1")
        .map(|a| format!("{}/{}", a.address, a.prefix))
}

fn without_prefix(cidr: &str) -> &str {
    cidr.split_once('/').map_or(cidr, |(ip, _)| ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interface(json: serde_json::Value) -> LxcInterface {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn global_addresses_are_picked_and_link_local_ones_skipped() {
        let eth0 = interface(serde_json::json!({
            "name": "eth0",
            "ip-addresses": [
                {"ip-address-type": "inet6", "ip-address": "fe80::1", "prefix": 64},
                {"ip-address-type": "inet", "ip-address": "10.20.0.102", "prefix": 24},
                {"ip-address-type": "inet6", "ip-address": "fd00:0::66", "prefix": 64}
            ]
        }));
        assert_eq!(global_v4(&eth0).as_deref(), Some("10.20.0.102/24"));
        assert_eq!(global_v6(&eth0).as_deref(), Some("fd00:0::66/64"));
        let old = interface(serde_json::json!({"name": "eth0", "inet": "10.0.0.5/24"}));
        assert_eq!(global_v4(&old).as_deref(), Some("10.0.0.5/24"));
        assert_eq!(without_prefix("10.0.0.5/24"), "10.0.0.5");
    }
}
