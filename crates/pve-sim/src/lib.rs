//! berth-pve-sim: a Proxmox VE API simulator that behaves like the real `/api2/json` — envelope,
//! reason phrases, auth, privileges, tasks, locks — with fault injection. Tests spawn it in-process.

mod addresses;
mod api;
mod faults;
mod http;
mod locks;
pub mod sandbox;
mod schema;
mod seed;
mod server;
mod sim;
pub mod sshd;
mod state;
mod stats;
mod tasks;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use addresses::loopback_ipv4;
pub use api::{ServedMethod, ServedParam};
pub use faults::{Faults, PrefixLatency, PrefixRefusal};
pub use seed::{
    Appliance, Seed, SeedAcl, SeedBridge, SeedNode, SeedStorage, SeedToken, SeedUser, SimSettings,
};

/// How to run a simulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    pub seed: Seed,
    /// Where the state is kept across restarts (written atomically); `None` keeps it in memory.
    pub state_file: Option<PathBuf>,
    /// Serve HTTPS with a fresh self-signed certificate (as pveproxy does) rather than plain HTTP.
    pub tls: bool,
    /// Multiplies every simulated duration: task steps, lock timeouts, the 401 delay and the
    /// `/cluster/resources` lag. 1.0 is real time; tests use e.g. 0.01.
    pub time_scale: f64,
    /// Where containers get real root filesystems that `berth-ct-exec` runs commands in
    /// (`<dir>/<vmid>/rootfs`, `<dir>/<vmid>/meta.json`); `dhcp` interfaces then report
    /// loopback addresses ([`loopback_ipv4`]). `None`: containers are only records.
    pub sandbox_dir: Option<PathBuf>,
}

impl SimOptions {
    /// `127.0.0.1:0`, the built-in seed, no state file, TLS, real time, no sandboxes.
    pub fn with_default_seed() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            // The built-in seed is a constant checked by a unit test.
            seed: Seed::default_seed()
                .unwrap_or_else(|e| panic!("built-in seed is invalid: {e:#}")),
            state_file: None,
            tls: true,
            time_scale: 1.0,
            sandbox_dir: None,
        }
    }
}

/// An API token of the seeded users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededToken {
    /// `user@realm!tokenid`
    pub full_id: String,
    /// The secret UUID.
    pub secret: String,
    pub privsep: bool,
}

impl SeededToken {
    /// The `Authorization` header value: `PVEAPIToken=user@realm!tokenid=<uuid>`.
    pub fn header(&self) -> String {
        format!("PVEAPIToken={}={}", self.full_id, self.secret)
    }
}

/// A seeded user that can log in with a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededUser {
    pub userid: String,
    pub password: String,
}

/// A simulator serving on a socket.
#[derive(Debug)]
pub struct RunningSim {
    /// e.g. `https://127.0.0.1:PORT/api2/json`
    pub base_url: String,
    /// The fault-injection endpoint base, e.g. `https://127.0.0.1:PORT/_sim`.
    pub admin_url: String,
    pub addr: SocketAddr,
    /// SHA-256 of the certificate, `AA:BB:…`; `None` over plain HTTP.
    pub fingerprint: Option<String>,
    /// The CA that signed the certificate (PEM); `None` over plain HTTP.
    pub ca_pem: Option<String>,
    pub tokens: Vec<SeededToken>,
    pub users: Vec<SeededUser>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    api_calls: Arc<AtomicU64>,
}

impl RunningSim {
    /// How many `/api2` calls it has answered (any status): Proxmox's load, for benchmarks.
    pub fn api_calls(&self) -> u64 {
        self.api_calls.load(Ordering::Relaxed)
    }

    /// The seeded token with this full id (`berth@pve!provisioner`).
    pub fn token(&self, full_id: &str) -> Option<&SeededToken> {
        self.tokens.iter().find(|t| t.full_id == full_id)
    }

    /// The password of a seeded user.
    pub fn user(&self, userid: &str) -> Option<&SeededUser> {
        self.users.iter().find(|u| u.userid == userid)
    }

    /// Stops accepting, lets open requests finish, and saves the state.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for t in std::mem::take(&mut self.tasks) {
            let _ = t.await;
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Starts a simulator on its own tasks of the current tokio runtime.
pub async fn spawn(options: SimOptions) -> anyhow::Result<RunningSim> {
    let now = sim::now();
    let mut state = match &options.state_file {
        Some(path) => state::persist::load(path)?,
        None => None,
    }
    .map_or_else(|| state::SimState::from_seed(&options.seed, now), Ok)?;
    tasks::abandon_running(&mut state.tasks);

    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .with_context(|| format!("binding {}", options.listen))?;
    let addr = listener.local_addr()?;
    let tls = if options.tls {
        let mut names = vec!["localhost".to_string(), addr.ip().to_string()];
        names.extend(state.nodes.iter().map(|n| n.name.clone()));
        let material = tls::load_or_generate(state.tls.as_ref(), names)?;
        state.tls = Some(material.stored.clone());
        Some(material)
    } else {
        None
    };
    let sandbox = options
        .sandbox_dir
        .as_deref()
        .map(|dir| sandbox::Sandboxes::open(dir, &state))
        .transpose()?;
    let (tx, rx) = watch::channel(false);
    let tokens = seeded_tokens(&state);
    let users = state
        .users
        .iter()
        .filter_map(|u| {
            u.password.as_ref().map(|p| SeededUser {
                userid: u.userid.clone(),
                password: p.clone(),
            })
        })
        .collect();
    let sim = sim::Sim::new(
        state,
        options.seed.sim.clone(),
        options.seed.faults.clone(),
        options.time_scale,
        tls.as_ref().map(|t| t.fingerprint.clone()),
        rx.clone(),
        sandbox,
    );
    let api_calls = sim.api_calls.clone();
    let app = http::router(sim.clone());
    let scheme = if tls.is_some() { "https" } else { "http" };
    let server = tokio::spawn(server::serve(
        listener,
        tls.as_ref().map(|t| t.config.clone()),
        app,
        rx,
    ));
    let stats = tokio::spawn(stats::run(sim.clone()));
    let persister = tokio::spawn(persist_loop(sim, options.state_file.clone()));
    Ok(RunningSim {
        base_url: format!("{scheme}://{addr}/api2/json"),
        admin_url: format!("{scheme}://{addr}/_sim"),
        addr,
        fingerprint: tls.as_ref().map(|t| t.fingerprint.clone()),
        ca_pem: tls.map(|t| t.ca_pem),
        tokens,
        users,
        shutdown: tx,
        tasks: vec![server, stats, persister],
        api_calls,
    })
}

fn seeded_tokens(state: &state::SimState) -> Vec<SeededToken> {
    state
        .users
        .iter()
        .flat_map(|u| {
            u.tokens.iter().map(|t| SeededToken {
                full_id: format!("{}!{}", u.userid, t.id),
                secret: t.secret.clone(),
                privsep: t.privsep,
            })
        })
        .collect()
}

/// Saves the state shortly after each change, and once more at shutdown.
async fn persist_loop(sim: Arc<sim::Sim>, path: Option<PathBuf>) {
    let Some(path) = path else {
        return;
    };
    let save = |sim: &sim::Sim| {
        let snapshot = sim.read(Clone::clone);
        if let Err(e) = state::persist::save(&path, &snapshot) {
            tracing::error!(error = %e, "saving the simulator state failed");
        }
    };
    save(&sim);
    let shutdown = sim.shutdown.clone();
    loop {
        tokio::select! {
            _ = sim.dirty.notified() => {
                // Coalesce bursts of changes into one write.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                save(&sim);
            }
            _ = crate::sim::wait_shutdown(shutdown.clone()) => {
                save(&sim);
                return;
            }
        }
    }
}

/// Every API method the simulator serves with its parameters; the schema-fidelity test checks
/// them against the real API dumps.
pub fn served_api() -> Vec<ServedMethod> {
    api::served()
}
