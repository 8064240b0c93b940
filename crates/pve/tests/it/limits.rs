//! The per-node concurrency limit: a node never sees more calls at once than configured,
//! and a busy node does not hold up another.

use crate::fixtures;
use crate::server::{Recorded, Reply, TestServer};
use berth_pve::{Credentials, PveClient, TlsMode};
use serde_json::json;
use std::time::Duration;

fn slow(_: &Recorded) -> Reply {
    Reply::data(json!([])).delayed(Duration::from_millis(150))
}

#[tokio::test]
async fn at_most_n_calls_per_node() {
    let server = TestServer::start(slow).await;
    let client = PveClient::builder(server.url())
        .tls(TlsMode::Fingerprint(server.certs.fingerprint))
        .credentials(Credentials::token(
            fixtures::TOKEN_ID,
            fixtures::TOKEN_SECRET,
        ))
        .per_node_limit(2)
        .build()
        .unwrap();
    let mut calls = Vec::new();
    for i in 0..9 {
        let c = client.clone();
        let node = if i % 3 == 0 { "pve2" } else { "pve1" };
        calls.push(tokio::spawn(async move { c.lxc_list(node).await }));
    }
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.max_in_flight("pve1"), 2, "six calls, two at a time");
    assert_eq!(
        server.max_in_flight("pve2"),
        2,
        "three calls, two at a time"
    );
    assert_eq!(server.requests().len(), 9);
}
