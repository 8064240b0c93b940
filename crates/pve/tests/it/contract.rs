//! Read-only contract: what any PVE-speaking backend must answer, decoded by the client.
//! Run against the fixture server and against the simulator (crates/pve-sim).

use crate::backend::{Backend, Fixture};
use berth_pve::types::{GuestStatus, ResourceType};

pub async fn read_only(b: &dyn Backend) {
    let client = b.client();
    let version = client.version().await.unwrap();
    assert!(!version.release.is_empty());

    let nodes = client.nodes().await.unwrap();
    assert!(nodes.iter().any(|n| n.node == b.node()), "{nodes:?}");

    let status = client.node_status(b.node()).await.unwrap();
    assert!(status.loadavg.len() == 3, "{status:?}");

    let next = client.cluster_nextid(None).await.unwrap();
    assert!(next >= 100);

    let guests = client
        .cluster_resources(Some(ResourceType::Vm))
        .await
        .unwrap();
    assert!(guests.iter().all(|g| g.vmid.is_some()));

    let storages = client.storage_list(b.node(), None).await.unwrap();
    assert!(storages.iter().any(|s| s.storage == b.template_storage()));

    let templates = client
        .storage_content(b.node(), b.template_storage(), Some("vztmpl"))
        .await
        .unwrap();
    assert!(templates.iter().all(|t| t.content == "vztmpl"));

    let apl = client.aplinfo(b.node()).await.unwrap();
    assert!(apl.iter().all(|a| !a.template.is_empty()));

    let cts = client.lxc_list(b.node()).await.unwrap();
    assert!(cts.iter().all(|c| c.status != GuestStatus::Unknown));
}

#[tokio::test]
async fn fixture_read_only_contract() {
    let fixture = Fixture::start().await;
    read_only(&fixture).await;
}

#[tokio::test]
async fn sim_read_only_contract() {
    let sim = crate::sim::Sim::start().await;
    read_only(&sim).await;
}

#[tokio::test]
async fn fixture_quirks_are_decoded() {
    let fixture = Fixture::start().await;
    let client = fixture.client();
    assert_eq!(
        client.cluster_nextid(None).await.unwrap(),
        102,
        "string \"102\""
    );
    let cts = client.lxc_list("pve").await.unwrap();
    assert_eq!(cts[0].vmid, 100, "string vmid of PVE < 8.2");
    assert_eq!(cts[1].lock.as_deref(), Some("create"));
    let status = client.node_status("pve").await.unwrap();
    assert_eq!(status.loadavg, vec![0.05, 0.12, 0.10]);
    assert!(status.cpuinfo.unwrap().hvm, "hvm \"1\"");
    let nodes = client.nodes().await.unwrap();
    let pin = nodes[0].ssl_fingerprint.as_deref().unwrap();
    assert!(
        berth_pve::TlsMode::fingerprint(pin).is_ok(),
        "ssl_fingerprint is pinnable"
    );
}
