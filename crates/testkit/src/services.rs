//! Private Postgres and Redis servers for tests that kill and restart them (the chaos test):
//! each on a free loopback port, in a folder of its own, restarted on the same port so clients
//! reconnect to the same address. As root, Postgres runs as the `postgres` system user, since it
//! refuses to run as root.

use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::free_port;

/// The folder of Postgres's server binaries: `BERTH_TEST_PG_BIN` (`cargo xtask test` sets it),
/// else the real folder of whichever `initdb` is found (a PATH entry may be a lone symlink).
fn pg_bin() -> PathBuf {
    if let Ok(dir) = std::env::var("BERTH_TEST_PG_BIN") {
        return PathBuf::from(dir);
    }
    berth_runtime::pg_tools::find("initdb")
        .and_then(|initdb| initdb.canonicalize().ok())
        .and_then(|real| real.parent().map(Path::to_path_buf))
        .expect("no initdb: set BERTH_TEST_PG_BIN or run the tests with `cargo xtask test`")
}

/// The uid and gid of the `postgres` user when running as root, from /etc/passwd.
fn postgres_ids() -> Option<(u32, u32)> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next())
        == Some("0");
    if !root {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let ids = passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres"))
            .then(|| Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?)))
            .flatten()
    });
    Some(ids.expect("running as root without a `postgres` system user to run Postgres as"))
}

fn wait_until(what: &str, child: &mut Child, limit: Duration, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        if let Some(status) = child.try_wait().expect("poll child") {
            panic!("{what} exited ({status}) while starting");
        }
        assert!(
            Instant::now() < deadline,
            "{what} not ready within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn answers(port: u16, probe: &[u8], expect: &[u8]) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut reply = vec![0; expect.len()];
    stream.write_all(probe).is_ok() && stream.read_exact(&mut reply).is_ok() && reply == expect
}

/// A Redis with no persistence: a restart loses everything, as a crashed cache would.
#[derive(Debug)]
pub struct PrivateRedis {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl PrivateRedis {
    pub fn start() -> Self {
        let mut redis = Self {
            port: free_port(),
            dir: tempfile::tempdir().expect("a temp dir"),
            child: None,
        };
        redis.up();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn up(&mut self) {
        let mut child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server (cargo xtask test installs it)");
        let port = self.port;
        wait_until("redis-server", &mut child, Duration::from_secs(20), || {
            answers(port, b"PING\r\n", b"+PONG")
        });
        self.child = Some(child);
    }

    /// SIGKILL: whatever it held is gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn restart(&mut self, down_for: Duration) {
        self.kill();
        std::thread::sleep(down_for);
        self.up();
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A Postgres cluster made with `initdb` for one test: durable (fsync on), so an immediate
/// shutdown loses nothing that was committed.
#[derive(Debug)]
pub struct PrivatePostgres {
    pub port: u16,
    base: tempfile::TempDir,
    ids: Option<(u32, u32)>,
    child: Option<Child>,
}

impl PrivatePostgres {
    pub fn start() -> Self {
        let base = tempfile::tempdir().expect("a temp dir");
        let ids = postgres_ids();
        if let Some((uid, gid)) = ids {
            // The postgres user must reach its data folder.
            std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755))
                .expect("chmod the temp dir");
            chown(base.path(), Some(uid), Some(gid)).expect("chown the temp dir to postgres");
        }
        let mut pg = Self {
            port: free_port(),
            base,
            ids,
            child: None,
        };
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(pg.data())
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8"])
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        pg.up();
        pg
    }

    /// The superuser's maintenance database, as `BERTH_TEST_DATABASE_URL` would be.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn data(&self) -> PathBuf {
        self.base.path().join("data")
    }

    fn command(&self, tool: &str) -> Command {
        let mut command = Command::new(pg_bin().join(tool));
        if let Some((uid, gid)) = self.ids {
            command.uid(uid).gid(gid);
        }
        command.current_dir(self.base.path());
        command
    }

    fn up(&mut self) {
        let mut child = self
            .command("postgres")
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string(), "-k"])
            .arg(self.base.path())
            .args(["-c", "listen_addresses=127.0.0.1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start postgres");
        let port = self.port.to_string();
        wait_until("postgres", &mut child, Duration::from_secs(60), || {
            self.command("pg_isready")
                .args(["-h", "127.0.0.1", "-p", &port, "-q"])
                .status()
                .unwrap_or_else(|e| {
                    panic!("cannot run pg_isready from {}: {e}", pg_bin().display())
                })
                .success()
        });
        self.child = Some(child);
    }

    /// An immediate shutdown (SIGQUIT): connections drop at once, nothing is flushed beyond
    /// the WAL, and the next start recovers as after a crash.
    pub fn kill(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new("kill")
            .args(["-QUIT", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn restart(&mut self, down_for: Duration) {
        self.kill();
        std::thread::sleep(down_for);
        self.up();
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.kill();
    }
}
