//! The simulator (crates/pve-sim) as a second [`Backend`]: spawned in-process over HTTPS,
//! pinned by its certificate fingerprint, with fast simulated time, plus helpers to drive its
//! fault endpoint (`/_sim/faults`).

use crate::backend::Backend;
use berth_pve::types::CreateLxc;
use berth_pve::{Credentials, Error, PveClient, TlsMode};
use berth_pve_sim::{RunningSim, SimOptions};
use std::time::Duration;

pub const NODE: &str = "pve1";
pub const PROVISIONER: &str = "berth@pve!provisioner";
pub const AUDITOR: &str = "auditor@pve!readonly";
pub const USER: &str = "berth@pve";
pub const DEBIAN: &str = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
/// Generous for a task at `time_scale` 0.02; a stuck task still fails the test quickly.
pub const TASK_DEADLINE: Duration = Duration::from_secs(20);

/// A running simulator and how to reach it as the least-privilege token.
pub struct Sim {
    pub sim: RunningSim,
}

impl Sim {
    /// The default seed; every simulated second lasts 20 ms.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// The default seed changed by `edit` before spawning.
    pub async fn start_with(edit: impl FnOnce(&mut SimOptions)) -> Self {
        let mut options = SimOptions {
            time_scale: 0.02,
            ..SimOptions::with_default_seed()
        };
        edit(&mut options);
        Self {
            sim: berth_pve_sim::spawn(options).await.unwrap(),
        }
    }

    /// The seeded token `full_id` as client credentials.
    pub fn token(&self, full_id: &str) -> Credentials {
        let t = self.sim.token(full_id).expect("seeded token");
        Credentials::token(&t.full_id, t.secret.as_str())
    }

    /// The seeded user's password credentials (ticket auth).
    pub fn password(&self, userid: &str) -> Credentials {
        let u = self.sim.user(userid).expect("seeded user");
        Credentials::password(&u.userid, u.password.as_str())
    }

    /// A client with these credentials, a short timeout and fast task polling.
    pub fn client_as(&self, credentials: Credentials, timeout: Duration) -> PveClient {
        PveClient::builder(self.sim.base_url.clone())
            .tls(self.tls())
            .credentials(credentials)
            .timeout(timeout)
            .task_poll_interval(Duration::from_millis(20))
            .build()
            .unwrap()
    }

    /// Replaces the active faults (`PUT /_sim/faults`).
    pub async fn set_faults(&self, faults: serde_json::Value) {
        let resp = admin_http(&self.sim)
            .put(format!("{}/faults", self.sim.admin_url))
            .header("content-type", "application/json")
            .body(faults.to_string())
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{:?}", resp.text().await);
    }

    /// Clears every fault (`DELETE /_sim/faults`).
    pub async fn clear_faults(&self) {
        let resp = admin_http(&self.sim)
            .delete(format!("{}/faults", self.sim.admin_url))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
    }

    /// Creates a CT on `local-lvm` (snapshots work there) with a DHCP `eth0` and waits for
    /// its `vzcreate` task.
    pub async fn create_ct(&self, client: &PveClient, vmid: u32) {
        self.create_ct_with(client, &ct_request(vmid)).await;
    }

    /// Creates a CT from `request` and waits for its `vzcreate` task.
    pub async fn create_ct_with(&self, client: &PveClient, request: &CreateLxc) {
        let upid = client.create_lxc(NODE, request).await.unwrap();
        assert_eq!(upid.worker_type(), "vzcreate");
        client.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    }
}

/// A create request the provisioner may send: unprivileged, `local-lvm:4`, DHCP on vmbr0.
pub fn ct_request(vmid: u32) -> CreateLxc {
    let mut req = CreateLxc::new(vmid, DEBIAN);
    req.rootfs = Some("local-lvm:4".into());
    req.options.hostname = Some(format!("ct{vmid}"));
    req.options.memory = Some(256);
    req.options.nets.insert(
        0,
        berth_pve::types::NetConfig {
            name: "eth0".into(),
            bridge: Some("vmbr0".into()),
            ip: Some("dhcp".into()),
            ..Default::default()
        },
    );
    req
}

impl Backend for Sim {
    fn base_url(&self) -> String {
        self.sim.base_url.clone()
    }
    fn tls(&self) -> TlsMode {
        TlsMode::fingerprint(self.sim.fingerprint.as_deref().expect("TLS on")).unwrap()
    }
    fn credentials(&self) -> Credentials {
        self.token(PROVISIONER)
    }
    fn node(&self) -> &str {
        NODE
    }
    fn template_storage(&self) -> &str {
        "local"
    }
    fn client(&self) -> PveClient {
        self.client_as(self.credentials(), Duration::from_secs(10))
    }
}

/// A plain HTTPS client trusting only the simulator's CA, for the admin endpoint.
fn admin_http(sim: &RunningSim) -> reqwest::Client {
    let pem = sim.ca_pem.as_deref().expect("TLS on");
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .no_proxy()
        .build()
        .unwrap()
}

/// The API error of a failed call, with a readable panic otherwise.
pub fn api_err<T: std::fmt::Debug>(r: Result<T, Error>) -> berth_pve::ApiError {
    match r {
        Err(Error::Api(e)) => *e,
        other => panic!("expected an API error, got {other:?}"),
    }
}
