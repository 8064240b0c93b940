//! The real `berth-server` binary's memory: its resident set once start-up has settled, then
//! with 1,000 signed-in websockets following the containers list. Read from
//! `/proc/<pid>/status` (VmRSS now, VmHWM the peak), beside the targets.
//!
//! `cargo bench -p server --bench memory` with `BERTH_TEST_DATABASE_URL` and
//! `BERTH_TEST_REDIS_URL` set (`cargo xtask bench` sets them). The worker's figures come from
//! `cargo bench -p worker --bench memory`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(
    dead_code,
    reason = "the tests' harness, shared; the bench uses part of it"
)]
#[path = "../../tests/it/support.rs"]
mod support;

mod rss;

use berth_auth::session::{CookieConfig, SessionMeta};
use berth_db::testing::TestDatabase;
use berth_db::users::{self, NewUser};
use berth_domain::Role;
use berth_server::auth::AuthServices;
use berth_testkit as testkit;
use futures_util::StreamExt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use support::{ORIGIN, WsClient, next_text, ws_request};

const SOCKETS: usize = 1000;
const TARGET_IDLE_MB: f64 = 30.0;
const SETTLE_LIMIT: Duration = Duration::from_secs(20);

#[tokio::main]
async fn main() {
    let db = TestDatabase::create().await.expect("test database");
    let sim = berth_pve_sim::spawn(berth_pve_sim::SimOptions::with_default_seed())
        .await
        .expect("the simulator starts");
    let prefix = format!("berth-bench-{}:", uuid::Uuid::new_v4().simple());
    let cookie = session(&db, &prefix).await;
    let logs = tempfile::tempdir().unwrap();
    let address = SocketAddr::from(([127, 0, 0, 1], testkit::free_port()));
    let server = start(&db, &sim, &prefix, address, logs.path());
    let pid = server.0.id();
    let started = Instant::now();
    healthy(address).await;
    let ready_in = started.elapsed();
    let (idle, settled_in) = rss::settled(pid, SETTLE_LIMIT).await;

    let opened = Instant::now();
    let sockets = open_sockets(address, &cookie).await;
    let open_in = opened.elapsed();
    let (busy, _) = rss::settled(pid, SETTLE_LIMIT).await;

    println!(
        "berth-server memory (the release binary, Proxmox simulator configured; healthy after \
         {ready_in:.1?}, settled {settled_in:.1?} later; {SOCKETS} sockets opened in {open_in:.1?})"
    );
    println!("  | state                     |    VmRSS |    VmHWM | target            |");
    println!(
        "  | idle after start-up       | {:>8} | {:>8} | ≤ {TARGET_IDLE_MB} MB: {:<6} |",
        rss::mb(idle.rss_kib),
        rss::mb(idle.hwm_kib),
        rss::verdict(idle.rss_kib, TARGET_IDLE_MB)
    );
    println!(
        "  | {:<25} | {:>8} | {:>8} | —                 |",
        format!("{SOCKETS} websockets open"),
        rss::mb(busy.rss_kib),
        rss::mb(busy.hwm_kib),
    );
    println!(
        "  each websocket (/ws?containers=main) adds {:.1} KB",
        busy.rss_kib.saturating_sub(idle.rss_kib) as f64 / SOCKETS as f64
    );
    for socket in sockets {
        socket.abort();
    }
    drop(server);
}

/// A viewer and a session for it, written where the spawned server (same database, same Redis
/// prefix) looks them up. Returns the `Cookie` header value.
async fn session(db: &TestDatabase, prefix: &str) -> String {
    let pool = db.pool().unwrap();
    let redis = support::redis(&testkit::redis_url()).await;
    let auth = AuthServices::new(
        pool.clone(),
        redis,
        CookieConfig::from_public_url(ORIGIN).unwrap(),
        prefix,
        Duration::from_secs(1800),
        Duration::from_secs(43200),
    )
    .unwrap();
    let user = users::insert(
        &mut pool.get().await.unwrap(),
        &NewUser {
            username: "bench-viewer",
            display_name: "bench-viewer",
            email: None,
            role: Role::Viewer,
            password_hash: None,
        },
    )
    .await
    .unwrap();
    let (id, _) = auth
        .sessions
        .create(user.id, SessionMeta::default())
        .await
        .unwrap();
    format!("{}={}", auth.cookie.name(), id.expose())
}

/// `berth-server` as a deployment runs it, with only its own settings in the environment. Its
/// public URL is the harness' origin, so the sockets' `Origin` header is the allowed one.
fn start(
    db: &TestDatabase,
    sim: &berth_pve_sim::RunningSim,
    prefix: &str,
    address: SocketAddr,
    logs: &std::path::Path,
) -> rss::Measured {
    let listen = address.to_string();
    rss::Measured::spawn(
        env!("CARGO_BIN_EXE_berth-server"),
        &[
            ("BERTH_DATABASE_URL", db.url()),
            ("BERTH_REDIS_URL", &testkit::redis_url()),
            ("BERTH_REDIS_KEY_PREFIX", prefix),
            ("BERTH_LISTEN", &listen),
            ("BERTH_PUBLIC_URL", ORIGIN),
            ("BERTH_LOG_FORMAT", "json"),
        ],
        sim,
        &logs.join("berth-server.log"),
    )
}

/// Waits (up to 30 s) for `/api/health` to answer 200.
async fn healthy(address: SocketAddr) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answer = client
            .get(format!("http://{address}/api/health"))
            .send()
            .await;
        if answer.is_ok_and(|response| response.status() == 200) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "berth-server did not answer /api/health"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the sockets one after the other, each read up to its first message (the snapshot), so
/// every one is fully set up; then keeps them read in the background.
async fn open_sockets(address: SocketAddr, cookie: &str) -> Vec<tokio::task::JoinHandle<()>> {
    let mut readers = Vec::with_capacity(SOCKETS);
    for _ in 0..SOCKETS {
        let (mut socket, _): (WsClient, _) =
            tokio_tungstenite::connect_async(ws_request(address, "containers=main", cookie))
                .await
                .unwrap();
        next_text(&mut socket).await;
        readers.push(tokio::spawn(async move {
            while let Some(Ok(_)) = socket.next().await {}
        }));
    }
    readers
}
