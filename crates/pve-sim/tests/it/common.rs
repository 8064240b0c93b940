//! Shared helpers: start a simulator fast, talk to it over HTTPS trusting its CA, wait for tasks.

use std::time::Duration;

use berth_pve_sim::{RunningSim, SimOptions};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const PROVISIONER: &str = "berth@pve!provisioner";
pub const AUDITOR: &str = "auditor@pve!readonly";
pub const DEBIAN: &str = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

/// Options for a fast simulator: every simulated second lasts 10 ms.
pub fn fast_options() -> SimOptions {
    SimOptions {
        time_scale: 0.01,
        ..SimOptions::with_default_seed()
    }
}

pub async fn start() -> RunningSim {
    berth_pve_sim::spawn(fast_options()).await.unwrap()
}

/// A client that trusts the simulator's CA (and nothing else).
pub fn client(sim: &RunningSim) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(sim.ca_pem.as_ref().unwrap().as_bytes()).unwrap();
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// A response reduced to what the tests look at.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub reason: String,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {:?}", self.text))
    }
    pub fn data(&self) -> Value {
        assert_eq!(
            self.status, 200,
            "{} {}: {}",
            self.status, self.reason, self.text
        );
        self.json()["data"].clone()
    }
}

pub async fn finish(resp: reqwest::Response) -> Resp {
    let status = resp.status();
    let reason = resp
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("").to_string());
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    Resp {
        status,
        reason,
        headers,
        text,
    }
}

/// A form-encoded call with an API token.
pub async fn call(
    sim: &RunningSim,
    token: &str,
    method: Method,
    path: &str,
    form: &[(&str, &str)],
) -> Resp {
    let c = client(sim);
    let url = format!("{}{path}", sim.base_url);
    let header = sim.token(token).unwrap().header();
    let req = if method == Method::GET || method == Method::DELETE {
        c.request(method, url).query(form)
    } else {
        c.request(method, url).form(form)
    };
    finish(req.header("Authorization", header).send().await.unwrap()).await
}

pub async fn get(sim: &RunningSim, path: &str) -> Resp {
    call(sim, PROVISIONER, Method::GET, path, &[]).await
}

pub async fn post(sim: &RunningSim, path: &str, form: &[(&str, &str)]) -> Resp {
    call(sim, PROVISIONER, Method::POST, path, form).await
}

/// Polls a task until it stops; returns its status object.
pub async fn wait_task(sim: &RunningSim, node: &str, upid: &str) -> Value {
    for _ in 0..500 {
        let st = get(sim, &format!("/nodes/{node}/tasks/{upid}/status"))
            .await
            .data();
        if st["status"] == "stopped" {
            return st;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("task {upid} did not finish");
}

/// Creates CT `vmid` on pve1 (local-lvm, dhcp) and waits for the task; returns the exit status.
pub async fn create_ct(sim: &RunningSim, vmid: &str) -> String {
    let upid = post(
        sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", vmid),
            ("ostemplate", DEBIAN),
            ("rootfs", "local-lvm:8"),
            ("unprivileged", "1"),
            ("hostname", "web-1"),
            ("net0", "name=eth0,bridge=vmbr0,ip=dhcp"),
        ],
    )
    .await
    .data();
    let st = wait_task(sim, "pve1", upid.as_str().unwrap()).await;
    st["exitstatus"].as_str().unwrap().to_string()
}

/// Runs a task-starting call and waits for its exit status.
pub async fn run_task(sim: &RunningSim, path: &str, form: &[(&str, &str)]) -> String {
    let upid = post(sim, path, form).await.data();
    let st = wait_task(sim, "pve1", upid.as_str().unwrap()).await;
    st["exitstatus"].as_str().unwrap().to_string()
}

/// Replaces the active faults.
pub async fn set_faults(sim: &RunningSim, faults: Value) {
    let r = client(sim)
        .put(format!("{}/faults", sim.admin_url))
        .json(&faults)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}
