//! berth-worker's settings: the shared ones plus its heartbeat and name.

use berth_provision::{ExecSettings, ScriptEnv};
use berth_runtime::config::catalog::{
    WORKER_CONCURRENCY, WORKER_CREATIONS_PER_NODE, WORKER_HEARTBEAT_SECS, WORKER_LEASE_SECS,
    WORKER_METRICS_ADDR, WORKER_NAME, WORKER_SCRIPT_ENV_FILE,
};
use berth_runtime::config::{
    ALL_SETTINGS, COMMON_SETTINGS, CommonConfig, ConfigError, Source, WORKER_SETTINGS, help_text,
    parse_duration_secs,
};
use berth_runtime::process::ProcessConfig;
use berth_runtime::telemetry::LogConfig;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub common: CommonConfig,
    pub heartbeat_interval: Duration,
    /// Shown to admins; defaults to `<hostname>-<pid>`.
    pub name: String,
    /// Runs driven at once.
    pub concurrency: usize,
    /// Creations at once per Proxmox node, across all workers.
    pub creations_per_node: u32,
    /// How long a lease lasts without a heartbeat.
    pub lease_ttl: Duration,
    /// How commands reach containers; `None` without a key (runs stop before `connect`).
    pub ssh: Option<ExecSettings>,
    /// The site's variables for package installs and template scripts.
    pub script_env: ScriptEnv,
    /// Where Prometheus scrapes the worker; `None`: no endpoint.
    pub metrics_addr: Option<std::net::SocketAddr>,
    pub unknown_env: Vec<String>,
}

impl WorkerConfig {
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::from_source(&Source::load(config_file, ALL_SETTINGS)?)
    }

    pub fn from_source(source: &Source) -> Result<Self, ConfigError> {
        let name = source.get(&WORKER_NAME, |v| {
            if v.chars().count() > 200 {
                Err(WORKER_NAME.expected.to_string())
            } else {
                Ok(v.to_string())
            }
        })?;
        let name = if name.is_empty() {
            format!("{}-{}", host_name(), std::process::id())
        } else {
            name
        };
        let concurrency = source.get(&WORKER_CONCURRENCY, |v| {
            v.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| WORKER_CONCURRENCY.expected.to_string())
        })?;
        let creations_per_node = source.get(&WORKER_CREATIONS_PER_NODE, |v| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .ok_or_else(|| WORKER_CREATIONS_PER_NODE.expected.to_string())
        })?;
        Ok(WorkerConfig {
            common: CommonConfig::from_source(source)?,
            heartbeat_interval: source.get(&WORKER_HEARTBEAT_SECS, parse_duration_secs)?,
            name,
            concurrency,
            creations_per_node,
            lease_ttl: source.get(&WORKER_LEASE_SECS, parse_duration_secs)?,
            ssh: crate::ssh_config::from_source(source)?,
            script_env: source.get(&WORKER_SCRIPT_ENV_FILE, script_env)?,
            metrics_addr: source.get(&WORKER_METRICS_ADDR, |v| match v.trim() {
                "" => Ok(None),
                addr => addr
                    .parse()
                    .map(Some)
                    .map_err(|_| WORKER_METRICS_ADDR.expected.to_string()),
            })?,
            unknown_env: source.unknown_env(ALL_SETTINGS),
        })
    }
}

/// The env file's variables, read once at start: a bad line stops the worker rather than
/// failing every run later.
fn script_env(value: &str) -> Result<ScriptEnv, String> {
    let path = value.trim();
    if path.is_empty() {
        return Ok(ScriptEnv::default());
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    ScriptEnv::parse(&text).map_err(|problem| format!("{path}: {problem}"))
}

pub fn host_name() -> String {
    hostname::get()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "unknown-host".to_string())
}

impl ProcessConfig for WorkerConfig {
    fn log(&self) -> &LogConfig {
        &self.common.log
    }

    fn unknown_env(&self) -> &[String] {
        &self.unknown_env
    }
}

pub fn settings_help() -> String {
    help_text(&[
        ("Shared with berth-server", COMMON_SETTINGS),
        ("Worker", WORKER_SETTINGS),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(extra: &[(&'static str, &'static str)]) -> Source {
        let mut pairs = vec![
            ("BERTH_DATABASE_URL", "postgres://berth@db/berth"),
            ("BERTH_REDIS_URL", "redis://cache"),
        ];
        pairs.extend_from_slice(extra);
        Source::from_env_pairs(pairs)
    }

    #[test]
    fn defaults_name_the_worker_after_its_host_and_pid() {
        let config = WorkerConfig::from_source(&env(&[])).unwrap();
        assert_eq!(config.heartbeat_interval, Duration::from_secs(5));
        assert!(config.name.ends_with(&format!("-{}", std::process::id())));
    }

    #[test]
    fn bad_heartbeat_names_the_variable() {
        let err = WorkerConfig::from_source(&env(&[("BERTH_WORKER_HEARTBEAT_SECS", "soon")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("BERTH_WORKER_HEARTBEAT_SECS: expected a positive number"),
            "{err}"
        );
    }

    #[test]
    fn the_metrics_endpoint_is_off_unless_given_an_address() {
        assert_eq!(
            WorkerConfig::from_source(&env(&[])).unwrap().metrics_addr,
            None
        );
        let on =
            WorkerConfig::from_source(&env(&[("BERTH_WORKER_METRICS_ADDR", "127.0.0.1:9187")]));
        assert_eq!(
            on.unwrap().metrics_addr,
            Some(([127, 0, 0, 1], 9187).into())
        );
        let err = WorkerConfig::from_source(&env(&[("BERTH_WORKER_METRICS_ADDR", "9187")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("BERTH_WORKER_METRICS_ADDR: expected an address"),
            "{err}"
        );
    }

    #[test]
    fn server_variables_are_not_typos() {
        let config = WorkerConfig::from_source(&env(&[("BERTH_LISTEN", "0.0.0.0:80")])).unwrap();
        assert!(config.unknown_env.is_empty());
    }

    #[test]
    fn the_script_env_file_is_read_at_start_and_a_bad_line_stops_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("script.env");
        std::fs::write(
            &file,
            "# lab mirrors\nNODE_DIST_URL=http://mirror.lab/node\n",
        )
        .unwrap();
        let path: &'static str = Box::leak(file.display().to_string().into_boxed_str());
        let config =
            WorkerConfig::from_source(&env(&[("BERTH_WORKER_SCRIPT_ENV_FILE", path)])).unwrap();
        assert_eq!(
            config.script_env.vars(),
            [(
                "NODE_DIST_URL".to_string(),
                "http://mirror.lab/node".to_string()
            )]
        );
        assert!(
            WorkerConfig::from_source(&env(&[]))
                .unwrap()
                .script_env
                .is_empty()
        );

        std::fs::write(&file, "NODE_DIST_URL=x\nmirror\n").unwrap();
        let err = WorkerConfig::from_source(&env(&[("BERTH_WORKER_SCRIPT_ENV_FILE", path)]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("BERTH_WORKER_SCRIPT_ENV_FILE"), "{err}");
        assert!(err.contains(": line 2: expected NAME=value"), "{err}");
        let missing = WorkerConfig::from_source(&env(&[(
            "BERTH_WORKER_SCRIPT_ENV_FILE",
            "/nonexistent/script.env",
        )]))
        .unwrap_err()
        .to_string();
        assert!(
            missing.contains("cannot read /nonexistent/script.env"),
            "{missing}"
        );
    }
}
