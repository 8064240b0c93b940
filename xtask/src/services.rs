//! Chooses Postgres and Redis: reachable ones from the environment, else private instances.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::paths::Paths;
use crate::{digest, net, postgres, redis, url};

/// Dev keeps its data between runs; test (and the `services` task) start fresh and delete
/// everything at the end, and the database URL is the superuser's maintenance database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dev,
    Test,
    Services,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Self::Dev => "dev",
            Self::Test => "test",
            Self::Services => "services",
        }
    }

    fn ephemeral(self) -> bool {
        self != Self::Dev
    }
}

/// The chosen services. Dropping it stops private instances (Redis, then Postgres) and, for
/// tests, deletes their folder.
#[derive(Debug)]
pub struct Services {
    /// Dev: the `berth` database. Otherwise: the superuser's maintenance database.
    pub database_url: String,
    pub redis_url: String,
    redis: Option<redis::Redis>,
    postgres: Option<postgres::Postgres>,
    remove_on_drop: Option<PathBuf>,
}

impl Services {
    pub fn start(paths: &Paths, kind: Kind) -> Result<Self> {
        let mut services = Self {
            database_url: String::new(),
            redis_url: String::new(),
            redis: None,
            postgres: None,
            remove_on_drop: None,
        };
        let external_pg = from_env(&["BERTH_DATABASE_URL", "DATABASE_URL"], 5432, "postgres");
        let external_redis = from_env(&["BERTH_REDIS_URL", "REDIS_URL"], 6379, "redis");
        if let (Some(pg), Some(redis)) = (&external_pg, &external_redis) {
            services.database_url.clone_from(pg);
            services.redis_url.clone_from(redis);
            return Ok(services);
        }
        let ids = postgres::run_as()?;
        let base = private_base(paths, kind.folder(), ids)?;
        if kind.ephemeral() {
            // A run killed before its cleanup leaves its folder behind: start from nothing.
            let _ = std::fs::remove_dir_all(&base);
            services.remove_on_drop = Some(base.clone());
        }
        std::fs::create_dir_all(&base)
            .with_context(|| format!("cannot create {}", base.display()))?;
        let shown = paths.display(&base);
        match external_pg {
            Some(found) => services.database_url = found,
            None => {
                let pg = postgres::start(&base, ids, kind.ephemeral())?;
                let database = if kind.ephemeral() {
                    "postgres"
                } else {
                    "berth"
                };
                if database == "berth" {
                    postgres::ensure_database(&pg, database)?;
                }
                services.database_url =
                    format!("postgres://postgres@127.0.0.1:{}/{database}", pg.port);
                println!(
                    "postgres: private instance on 127.0.0.1:{} ({shown}/postgres)",
                    pg.port
                );
                services.postgres = Some(pg);
            }
        }
        match external_redis {
            Some(found) => services.redis_url = found,
            None => {
                let redis = redis::start(&base)?;
                services.redis_url = format!("redis://127.0.0.1:{}", redis.port);
                println!(
                    "redis: private instance on 127.0.0.1:{} ({shown}/redis)",
                    redis.port
                );
                services.redis = Some(redis);
            }
        }
        Ok(services)
    }

    /// Whether a private instance died; returns its name.
    pub fn dead_child(&mut self) -> Option<String> {
        let guards = [
            self.postgres.as_mut().map(|p| &mut p.guard),
            self.redis.as_mut().map(|r| &mut r.guard),
        ];
        guards.into_iter().flatten().find_map(|guard| {
            guard
                .exited()
                .map(|status| format!("{} ({status})", guard.name()))
        })
    }

    /// Stops private instances now (Drop does the same).
    pub fn stop(&mut self) {
        if let Some(mut redis) = self.redis.take() {
            redis.guard.stop();
        }
        if let Some(mut pg) = self.postgres.take() {
            pg.guard.stop();
        }
        if let Some(dir) = self.remove_on_drop.take() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The first of `vars` that is set; used when its host answers on TCP within 2 s.
fn from_env(vars: &[&str], default_port: u16, service: &str) -> Option<String> {
    let (var, value) = vars
        .iter()
        .find_map(|var| Some((*var, std::env::var(var).ok().filter(|v| !v.is_empty())?)))?;
    let Some(parsed) = url::parse(&value, default_port) else {
        println!(
            "{service}: {var} ({}) has no TCP host; starting a private instance",
            url::mask(&value)
        );
        return None;
    };
    let address = parsed.address();
    if net::reachable(&address, Duration::from_secs(2)) {
        println!("{service}: using {var} ({address})");
        Some(value)
    } else {
        println!("{service}: {var} ({address}) is not reachable; starting a private instance");
        None
    }
}

/// `<repo>/.berth/<kind>`, or a folder under /var/tmp when the postgres user (as root) cannot
/// reach the repo.
fn private_base(paths: &Paths, kind: &str, ids: Option<(u32, u32)>) -> Result<PathBuf> {
    let base = paths.repo.join(".berth").join(kind);
    std::fs::create_dir_all(&base).with_context(|| format!("cannot create {}", base.display()))?;
    if postgres::traversable(&base, ids) {
        return Ok(base);
    }
    let repo = paths.repo.as_os_str().as_encoded_bytes();
    let fallback = Path::new("/var/tmp")
        .join(format!("berth-{}", digest::hex16(&[repo])))
        .join(kind);
    println!(
        "note: the postgres user cannot reach {}; private data goes to {}",
        base.display(),
        fallback.display()
    );
    Ok(fallback)
}

/// `cargo xtask services`: private (or configured) services until Ctrl-C.
pub fn task(paths: &Paths) -> Result<()> {
    crate::install::ensure(
        paths,
        crate::install::Needs {
            services: true,
            site: false,
            test_tools: false,
            sandboxes: false,
        },
    )?;
    let mut services = Services::start(paths, Kind::Services)?;
    println!(
        "export BERTH_TEST_DATABASE_URL={}",
        url::mask(&services.database_url)
    );
    println!(
        "export BERTH_TEST_REDIS_URL={}",
        url::mask(&services.redis_url)
    );
    println!("running until Ctrl-C");
    while !crate::proc::stop_requested() {
        if let Some(died) = services.dead_child() {
            anyhow::bail!("{died} exited unexpectedly");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    services.stop();
    println!("stopped");
    Ok(())
}
