//! Builds the real router on a fresh database, with Redis and a worker as each test needs.

use app::SiteAssets;
use app::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, Response};
use berth_auth::session::{CookieConfig, SessionMeta};
use berth_db::testing::TestDatabase;
use berth_db::users::{self, NewUser};
use berth_domain::Role;
use berth_health::Probe;
use berth_server::auth::AuthServices;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tower::ServiceExt;

pub const UNREACHABLE_POSTGRES: &str = "postgres://postgres@127.0.0.1:1/berth";
pub const UNREACHABLE_REDIS: &str = "redis://127.0.0.1:1";
/// The origin the test app believes it is served from.
pub const ORIGIN: &str = "http://127.0.0.1:3000";

/// A Redis client that has finished connecting (or, for an unreachable URL, is still trying).
pub async fn redis(url: &str) -> fred::prelude::Client {
    let client = berth_runtime::redis::connect(&berth_runtime::Secret::new(url.to_string()))
        .expect("valid redis url");
    if url != UNREACHABLE_REDIS {
        use fred::prelude::ClientLike;
        tokio::time::timeout(Duration::from_secs(10), client.wait_for_connect())
            .await
            .expect("redis connects in time")
            .expect("redis connects");
    }
    client
}

pub struct TestApp {
    pub router: Router,
    /// The queue server functions enqueue on (under this test's own prefix).
    pub queue: berth_jobs::Queue,
    pub auth: AuthServices,
    /// Keeps the test database alive (it is dropped with the app).
    pub _db: Option<TestDatabase>,
    pub pool: berth_db::Pool,
    /// This test's Redis key prefix (its jobs, actions and status snapshot live under it).
    pub key_prefix: String,
    /// What the router was built with (for routes a test adds, such as `/metrics`).
    pub state: AppState,
}

pub struct Setup {
    pub postgres: bool,
    pub redis: bool,
    pub worker_stale_after: Duration,
    pub proxmox: Option<std::sync::Arc<dyn berth_health::ProxmoxProbe>>,
    /// The Proxmox VE client server functions use (the wizard's VMID and storage checks).
    pub pve: Option<berth_pve::PveClient>,
    /// How long an unused session lives (shortened by the idle-expiry test).
    pub session_idle: Duration,
    /// Failed API-token attempts allowed per address and window; `None`: the production limit.
    pub token_failures: Option<(u32, Duration)>,
    /// Where backups go (`BERTH_BACKUP_DIR`); `None`: backups are off.
    pub backup_dir: Option<std::path::PathBuf>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            postgres: true,
            redis: true,
            worker_stale_after: Duration::from_secs(30),
            proxmox: None,
            pve: None,
            session_idle: Duration::from_secs(1800),
            token_failures: None,
            backup_dir: None,
        }
    }
}

pub async fn app(setup: Setup) -> TestApp {
    let (db, pool) = if setup.postgres {
        let db = TestDatabase::create().await.expect("test database");
        let pool = db.pool().expect("pool");
        (Some(db), pool)
    } else {
        let pool = berth_db::build_pool(UNREACHABLE_POSTGRES, berth_db::PoolSettings::default())
            .expect("pool");
        (None, pool)
    };
    let redis_url = if setup.redis {
        berth_testkit::redis_url()
    } else {
        UNREACHABLE_REDIS.to_string()
    };
    // A prefix of this test's own, so its jobs and status never meet another test's.
    let key_prefix = format!("berth-test-{}:", uuid::Uuid::new_v4().simple());
    let queue = berth_jobs::Queue::with_prefix(
        redis(&berth_testkit::redis_url()).await,
        &format!("{key_prefix}jobs:"),
    );
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("berth")
            .site_root("target/site")
            .build(),
        probe: Probe {
            db: pool.clone(),
            redis: redis(&redis_url).await,
            worker_stale_after: setup.worker_stale_after,
            check_timeout: Duration::from_secs(2),
            proxmox: setup.proxmox,
        },
        started_at: Instant::now(),
        queue: queue.clone(),
        actions: berth_jobs::Queue::with_prefix(
            redis(&berth_testkit::redis_url()).await,
            &format!("{key_prefix}actions:"),
        ),
        key_prefix: key_prefix.clone(),
        pve: setup.pve,
        backups: setup.backup_dir.map(|dir| {
            let url = db.as_ref().map_or(UNREACHABLE_POSTGRES, TestDatabase::url);
            berth_backup::Backups::new(
                berth_backup::BackupSchedule {
                    dir,
                    every: Duration::from_secs(86_400),
                    keep: 3,
                },
                berth_runtime::Secret::new(url.to_string()),
                queue.node_slots(),
                "berth-test".to_string(),
            )
        }),
    };
    // Sessions always live in the real test Redis (under a prefix of this test's own), even when
    // the readiness probe is pointed at an unreachable one.
    let mut auth = AuthServices::new(
        pool.clone(),
        redis(&berth_testkit::redis_url()).await,
        CookieConfig::from_public_url(ORIGIN).unwrap(),
        &format!("berth-test-{}:", uuid::Uuid::new_v4().simple()),
        setup.session_idle,
        Duration::from_secs(43200),
    )
    .unwrap();
    if let Some((limit, window)) = setup.token_failures {
        auth.token_throttle = auth.token_throttle.with_limit(limit, window);
    }
    let queue = state.queue.clone();
    let router = berth_server::router::router(
        state.clone(),
        SiteAssets {
            css_href: "/berth.css".into(),
        },
        berth_server::security::AllowedOrigins::new(vec![ORIGIN.to_string()]),
        auth.clone(),
    )
    .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    TestApp {
        router,
        queue,
        auth,
        _db: db,
        pool,
        key_prefix,
        state,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> (Response<Body>, String) {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn send(&self, request: Request<Body>) -> (Response<Body>, String) {
        let (response, bytes) = self.send_for_bytes(request).await;
        (response, String::from_utf8(bytes).unwrap())
    }

    /// [`Self::send`] for a body that need not be text (e.g. gzipped).
    pub async fn send_for_bytes(&self, request: Request<Body>) -> (Response<Body>, Vec<u8>) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        (Response::from_parts(parts, Body::empty()), bytes.to_vec())
    }

    /// A user with this role (and a real password hash) in the test database.
    pub async fn create_user(&self, username: &str, role: Role, password: &str) -> users::User {
        let hash = self
            .auth
            .hasher
            .hash(&berth_auth::password::Password::new(password))
            .unwrap();
        let mut conn = self.pool.get().await.unwrap();
        users::insert(
            &mut conn,
            &NewUser {
                username,
                display_name: username,
                email: None,
                role,
                password_hash: Some(&hash),
            },
        )
        .await
        .unwrap()
    }

    /// A signed-in browser: returns the `Cookie` header value of a fresh session.
    pub async fn sign_in_as(&self, role: Role) -> String {
        let user = self
            .create_user(
                &format!(
                    "{}-{}",
                    role.key(),
                    &uuid::Uuid::new_v4().simple().to_string()[..8]
                ),
                role,
                "correct horse battery staple",
            )
            .await;
        let (id, _) = self
            .auth
            .sessions
            .create(user.id, SessionMeta::default())
            .await
            .unwrap();
        format!("{}={}", self.auth.cookie.name(), id.expose())
    }

    pub async fn get_as(&self, path: &str, cookie: &str) -> (Response<Body>, String) {
        self.send(
            Request::get(path)
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Registers a worker with a fresh heartbeat, as a running berth-worker would.
    pub async fn register_worker(&self) -> uuid::Uuid {
        let id = uuid::Uuid::new_v4();
        let mut conn = self.pool.get().await.unwrap();
        berth_db::workers::upsert(
            &mut conn,
            &berth_db::workers::NewWorker {
                id,
                name: "test-worker",
                hostname: "test-host",
                pid: 1,
                version: "0.0.0",
            },
        )
        .await
        .unwrap();
        id
    }
}

/// The page without Leptos' empty hydration markers (`<!>`, which type-erased components put
/// after dynamic text): what assertions about visible markup should look at.
pub fn without_markers(html: &str) -> String {
    html.replace("<!>", "")
}

/// A browser's handshake for `/ws?{query}`: its session cookie and Berth's own Origin.
pub fn ws_request(
    address: SocketAddr,
    query: &str,
    cookie: &str,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::http::HeaderValue;
    let mut request = format!("ws://{address}/ws?{query}")
        .into_client_request()
        .expect("a websocket request");
    let headers = request.headers_mut();
    headers.insert(
        "cookie",
        HeaderValue::from_str(cookie).expect("a cookie header"),
    );
    headers.insert("origin", HeaderValue::from_static(ORIGIN));
    request
}

/// A websocket client's side of the connection.
pub type WsClient =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text frame within 10 s (pings and empty frames skipped).
pub async fn next_text(socket: &mut WsClient) -> String {
    use futures_util::StreamExt;
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message in time")
            .expect("the socket is open")
            .expect("a frame");
        if let Ok(text) = message.to_text()
            && !text.is_empty()
        {
            return text.to_string();
        }
    }
}

/// The simulator (its tasks `time_scale` times their real length) and an app whose server
/// functions use it as their Proxmox VE.
pub async fn app_with_sim(time_scale: f64) -> (TestApp, berth_pve_sim::RunningSim) {
    let sim = berth_pve_sim::spawn(berth_pve_sim::SimOptions {
        time_scale,
        ..berth_pve_sim::SimOptions::with_default_seed()
    })
    .await
    .expect("the simulator starts");
    let pve = berth_server::proxmox::client(&sim_proxmox(&sim)).expect("a client of it");
    let app = app(Setup {
        pve: Some(pve),
        ..Setup::default()
    })
    .await;
    (app, sim)
}

/// Berth's Proxmox settings for a running simulator, with its seeded provisioner token.
pub fn sim_proxmox(sim: &berth_pve_sim::RunningSim) -> berth_runtime::config::ProxmoxConfig {
    let token = sim.token("berth@pve!provisioner").unwrap();
    berth_runtime::config::ProxmoxConfig {
        url: sim.base_url.trim_end_matches("/api2/json").to_string(),
        token: berth_runtime::Secret::new(format!("{}={}", token.full_id, token.secret)),
        tls: berth_runtime::config::PveTls::Fingerprint(sim.fingerprint.clone().unwrap()),
    }
}
