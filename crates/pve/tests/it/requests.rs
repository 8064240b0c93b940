//! What goes on the wire: form bodies for POST/PUT with `1`/`0` booleans, query strings and
//! never a body for GET/DELETE, encoded UPIDs in paths.

use crate::backend::{Backend, Fixture};
use crate::fixtures;
use crate::server::{Recorded, Reply, TestServer};
use berth_pve::types::{CreateLxc, DeleteLxc, NetConfig};
use berth_pve::{Credentials, PveClient, TlsMode, Upid};
use serde_json::json;

fn echo_upid(rec: &Recorded) -> Reply {
    match rec.method.as_str() {
        "GET" if rec.path.ends_with("/status") => Reply::data(json!({
            "upid": fixtures::UPID_CREATE, "node":"pve","pid":998956,"pstart":5423540,
            "starttime":1721888963,"type":"vzcreate","id":"100","user":"dash@pve",
            "tokenid":"prov","status":"running"})),
        _ => Reply::data(json!(fixtures::UPID_CREATE)),
    }
}

fn client_for(server: &TestServer) -> PveClient {
    PveClient::builder(server.url())
        .tls(TlsMode::Fingerprint(server.certs.fingerprint))
        .credentials(Credentials::token(
            fixtures::TOKEN_ID,
            fixtures::TOKEN_SECRET,
        ))
        .build()
        .unwrap()
}

#[tokio::test]
async fn post_is_a_form_with_numeric_booleans() {
    let fixture = Fixture::start().await;
    let mut create = CreateLxc::new(100, fixtures::TEMPLATE);
    create.options.nets.insert(
        0,
        NetConfig {
            name: "eth0".into(),
            bridge: Some("vmbr0".into()),
            ip: Some("dhcp".into()),
            ..NetConfig::default()
        },
    );
    create.start = Some(false);
    let upid = fixture.client().create_lxc("pve", &create).await.unwrap();
    assert_eq!(upid.worker_type(), "vzcreate");
    let rec = fixture.server.requests().pop().unwrap();
    assert_eq!(
        rec.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let p = rec.params();
    assert_eq!(p["vmid"], "100");
    assert_eq!(p["ostemplate"], fixtures::TEMPLATE);
    assert_eq!(p["unprivileged"], "1");
    assert_eq!(p["start"], "0");
    assert_eq!(p["net0"], "name=eth0,bridge=vmbr0,ip=dhcp");
    assert_eq!(rec.query, None);
}

#[tokio::test]
async fn get_and_delete_use_the_query_string_only() {
    let server = TestServer::start(echo_upid).await;
    let c = client_for(&server);
    c.delete_lxc(
        "pve",
        100,
        DeleteLxc {
            purge: true,
            force: false,
            destroy_unreferenced_disks: None,
        },
    )
    .await
    .unwrap();
    let upid: Upid = fixtures::UPID_CREATE.parse().unwrap();
    c.task_status(&upid).await.unwrap();
    let reqs = server.requests();
    let del = &reqs[0];
    assert_eq!(del.method, "DELETE");
    assert_eq!(del.body, "", "no body on DELETE");
    assert_eq!(del.query.as_deref(), Some("purge=1&force=0"));
    let status = &reqs[1];
    assert_eq!(
        status.path,
        format!("/nodes/pve/tasks/{}/status", fixtures::UPID_CREATE)
    );
    assert_eq!(status.body, "");
    assert_eq!(status.header("content-length"), None);
}

#[tokio::test]
async fn calls_go_to_the_node_in_the_upid() {
    let server = TestServer::start(echo_upid).await;
    let upid: Upid = "UPID:pve2:00001234:00ABCDEF:66A1F0C3:vzstart:101:root@pam:"
        .parse()
        .unwrap();
    let _ = client_for(&server).task_status(&upid).await;
    assert!(
        server.requests()[0]
            .path
            .starts_with("/nodes/pve2/tasks/UPID:pve2:")
    );
}
