//! A private PostgreSQL instance: initdb once, run as a child, wait until it accepts connections.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::proc::{self, Guard, StopSignal};
use crate::{cmd, net};

/// The running instance and how to reach it.
#[derive(Debug)]
pub struct Postgres {
    pub guard: Guard,
    pub port: u16,
    pub bin: PathBuf,
}

/// The directory holding `initdb` and `postgres`: PATH (symlinks resolved, so that pg_ctl and
/// friends sit beside them) or the highest `/usr/lib/postgresql/*/bin`.
pub fn bin_dir() -> Option<PathBuf> {
    if let (Some(initdb), Some(_)) = (cmd::which("initdb"), cmd::which("postgres")) {
        let real = initdb.canonicalize().unwrap_or(initdb);
        return real.parent().map(Path::to_path_buf);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path())))
        .map(|(version, dir): (u32, PathBuf)| (version, dir.join("bin")))
        .filter(|(_, bin)| cmd::is_executable(&bin.join("initdb")))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// A Postgres tool from the server's bin dir, else from PATH.
pub fn tool(bin: &Path, name: &str) -> PathBuf {
    let beside = bin.join(name);
    if cmd::is_executable(&beside) {
        beside
    } else {
        PathBuf::from(name)
    }
}

/// Postgres refuses to run as root: as root, run it as the `postgres` system user.
pub fn run_as() -> Result<Option<(u32, u32)>> {
    if !cmd::is_root() {
        return Ok(None);
    }
    match cmd::user_ids("postgres") {
        Some(ids) => Ok(Some(ids)),
        None => bail!("running as root, but there is no `postgres` system user to run Postgres as"),
    }
}

/// Whether the `postgres` user can reach `dir` (every ancestor must be searchable).
pub fn traversable(dir: &Path, ids: Option<(u32, u32)>) -> bool {
    let Some((uid, gid)) = ids else {
        return true;
    };
    cmd::succeeds(
        Command::new("test")
            .arg("-x")
            .arg(dir)
            .uid(uid)
            .gid(gid)
            .current_dir("/"),
    )
}

/// Starts Postgres with its data in `base/postgres`; `fast` trades durability for speed (tests).
pub fn start(base: &Path, ids: Option<(u32, u32)>, fast: bool) -> Result<Postgres> {
    let bin = bin_dir().context("no PostgreSQL server binaries (initdb, postgres) found")?;
    let data = base.join("postgres");
    let sockets = base.join("postgres-run");
    for dir in [&data, &sockets] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        if let Some((uid, gid)) = ids {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid))
                .with_context(|| format!("cannot chown {} to postgres", dir.display()))?;
        }
    }
    stop_stale(&data);
    let log_path = base.join("postgres.log");
    if !data.join("PG_VERSION").exists() {
        let mut initdb = as_user(Command::new(tool(&bin, "initdb")), ids, base);
        initdb
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8"]);
        let out = initdb.output().context("cannot run initdb")?;
        if !out.status.success() {
            bail!(
                "initdb failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let port = net::free_port()?;
    let log =
        File::create(&log_path).with_context(|| format!("cannot create {}", log_path.display()))?;
    let mut server = as_user(Command::new(tool(&bin, "postgres")), ids, base);
    server
        .arg("-D")
        .arg(&data)
        .arg("-p")
        .arg(port.to_string())
        .arg("-k")
        .arg(&sockets);
    server.args(["-c", "listen_addresses=127.0.0.1"]);
    if fast {
        server.args([
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ]);
    }
    // Its own process group: Ctrl-C in the terminal must not stop the database before the
    // server and worker that use it; xtask stops it last.
    server.process_group(0).stdout(log.try_clone()?).stderr(log);
    let mut guard = Guard::spawn("postgres", &mut server, StopSignal::Int)?;
    wait_ready(&mut guard, &bin, port, &log_path)?;
    Ok(Postgres { guard, port, bin })
}

fn as_user(mut command: Command, ids: Option<(u32, u32)>, cwd: &Path) -> Command {
    if let Some((uid, gid)) = ids {
        command.uid(uid).gid(gid);
    }
    // A cwd the postgres user can enter (root's home is not).
    command.current_dir(cwd);
    command
}

fn wait_ready(guard: &mut Guard, bin: &Path, port: u16, log: &Path) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let address = format!("127.0.0.1:{port}");
    let port_arg = port.to_string();
    // pg_isready also proves the server accepts sessions, not just TCP; optional.
    let isready = Some(tool(bin, "pg_isready"))
        .filter(|path| cmd::is_executable(path) || cmd::which("pg_isready").is_some());
    loop {
        if let Some(status) = guard.exited() {
            bail!("postgres exited ({status}) while starting:\n{}", tail(log));
        }
        if net::reachable(&address, Duration::from_secs(1))
            && isready.as_ref().is_none_or(|isready| {
                let mut probe = Command::new(isready);
                probe.args(["-q", "-h", "127.0.0.1", "-U", "postgres", "-p", &port_arg]);
                cmd::succeeds(&mut probe)
            })
        {
            return Ok(());
        }
        if proc::stop_requested() {
            bail!("interrupted while waiting for postgres");
        }
        if Instant::now() > deadline {
            bail!(
                "postgres did not accept connections within 60 s:\n{}",
                tail(log)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A postmaster left behind by a killed xtask holds the data folder: stop it first.
fn stop_stale(data: &Path) {
    let Ok(pidfile) = std::fs::read_to_string(data.join("postmaster.pid")) else {
        return;
    };
    let Some(pid) = pidfile.lines().next().map(str::trim) else {
        return;
    };
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    if comm.trim() != "postgres" {
        return;
    }
    eprintln!("xtask: stopping a leftover postgres (pid {pid}) of an earlier run");
    cmd::succeeds(Command::new("kill").args(["-s", "INT", pid]));
    let deadline = Instant::now() + Duration::from_secs(30);
    while Path::new(&format!("/proc/{pid}")).exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Creates a database unless it exists (trust auth over TCP as the `postgres` superuser).
pub fn ensure_database(pg: &Postgres, name: &str) -> Result<()> {
    let port = pg.port.to_string();
    let query = format!("SELECT 1 FROM pg_database WHERE datname = '{name}'");
    let mut psql = Command::new(tool(&pg.bin, "psql"));
    psql.args([
        "-h",
        "127.0.0.1",
        "-p",
        &port,
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-tAc",
        &query,
    ]);
    let exists = cmd::output(&mut psql).context("psql could not query the private postgres")?;
    if exists.trim() != "1" {
        let mut createdb = Command::new(tool(&pg.bin, "createdb"));
        createdb.args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", name]);
        cmd::run(&mut createdb)?;
    }
    Ok(())
}

/// The last lines of a log file, for error messages.
pub fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
