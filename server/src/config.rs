//! berth-server's settings: the shared ones plus where to listen, the site and readiness limits.

use berth_runtime::Secret;
use berth_runtime::config::catalog::{
    BACKUP_DIR, BACKUP_EVERY_HOURS, BACKUP_KEEP, LISTEN, METRICS_TOKEN, PUBLIC_URL,
    SESSION_IDLE_SECS, SESSION_LIFETIME_SECS, SITE_ROOT, WORKER_STALE_SECS,
};
use berth_runtime::config::oidc::OIDC_SETTINGS;
use berth_runtime::config::{
    ALL_SETTINGS, COMMON_SETTINGS, CommonConfig, ConfigError, SERVER_SETTINGS, Source, help_text,
    parse_duration_secs,
};
use berth_runtime::process::ProcessConfig;
use berth_runtime::telemetry::LogConfig;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub common: CommonConfig,
    pub listen: SocketAddr,
    /// The origins browsers reach Berth at (from `BERTH_PUBLIC_URL`, or derived from the listen
    /// address); requests that change state must come from one of them.
    pub public_origins: Vec<String>,
    pub site_root: PathBuf,
    pub worker_stale_after: Duration,
    pub session_idle: Duration,
    pub session_lifetime: Duration,
    /// The bearer token `/metrics` asks for; `None`: no metrics endpoint.
    pub metrics_token: Option<Secret<String>>,
    /// Scheduled backups; `None` without `BERTH_BACKUP_DIR`.
    pub backup: Option<berth_backup::BackupSchedule>,
    /// OpenID Connect providers (`BERTH_OIDC_PROVIDERS` and their `BERTH_OIDC_<ID>_*`).
    pub oidc: Vec<crate::oidc::ProviderConfig>,
    /// `BERTH_*` variables nobody reads: reported as warnings once logging is up.
    pub unknown_env: Vec<String>,
}

impl ServerConfig {
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::from_source(&Source::load(config_file, ALL_SETTINGS)?)
    }

    pub fn from_source(source: &Source) -> Result<Self, ConfigError> {
        let listen: SocketAddr = source.parse(&LISTEN)?;
        let public_origins = match source.get(&PUBLIC_URL, parse_public_url)? {
            Some(origin) => vec![origin],
            None => derived_origins(listen),
        };
        let public_url = public_origins.first().cloned().unwrap_or_default();
        let oidc = crate::oidc::config::providers(source, &public_url)?;
        let oidc_ids: Vec<String> = oidc.iter().map(|p| p.id.clone()).collect();
        let oidc_envs = berth_runtime::config::oidc::provider_envs(&oidc_ids);
        Ok(ServerConfig {
            common: CommonConfig::from_source(source)?,
            listen,
            public_origins,
            site_root: source.get(&SITE_ROOT, |v| {
                if v.is_empty() {
                    Err(SITE_ROOT.expected.to_string())
                } else {
                    Ok(PathBuf::from(v))
                }
            })?,
            worker_stale_after: source.get(&WORKER_STALE_SECS, parse_duration_secs)?,
            session_idle: source.get(&SESSION_IDLE_SECS, parse_duration_secs)?,
            session_lifetime: source.get(&SESSION_LIFETIME_SECS, parse_duration_secs)?,
            metrics_token: source.get(&METRICS_TOKEN, |v| match v.trim() {
                "" => Ok(None),
                token if token.chars().count() >= 16 => Ok(Some(Secret::new(token.to_string()))),
                _ => Err(METRICS_TOKEN.expected.to_string()),
            })?,
            backup: backup_schedule(source)?,
            oidc,
            unknown_env: source
                .unknown_env(ALL_SETTINGS)
                .into_iter()
                .filter(|name| !oidc_envs.contains(name))
                .collect(),
        })
    }
}

fn backup_schedule(source: &Source) -> Result<Option<berth_backup::BackupSchedule>, ConfigError> {
    let number = |setting: &'static berth_runtime::config::Setting, max: u64| {
        source.get(setting, move |v| {
            v.trim()
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| setting.expected.to_string())
        })
    };
    let every = number(&BACKUP_EVERY_HOURS, 720)?;
    let keep = number(&BACKUP_KEEP, 1000)?;
    let dir = source.get(&BACKUP_DIR, |v| Ok::<_, String>(v.trim().to_string()))?;
    Ok((!dir.is_empty()).then(|| berth_backup::BackupSchedule {
        dir: PathBuf::from(dir),
        every: Duration::from_secs(every * 3600),
        keep: keep as usize,
    }))
}

impl ProcessConfig for ServerConfig {
    fn log(&self) -> &LogConfig {
        &self.common.log
    }

    fn unknown_env(&self) -> &[String] {
        &self.unknown_env
    }
}

/// `https://host[:port]` with nothing after it; `None` when empty.
fn parse_public_url(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let url = url::Url::parse(value).map_err(|_| PUBLIC_URL.expected.to_string())?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || !bare {
        return Err(PUBLIC_URL.expected.to_string());
    }
    Ok(Some(url.origin().ascii_serialization()))
}

/// Without a public URL: the listen address itself, plus `localhost` for a loopback address.
fn derived_origins(listen: SocketAddr) -> Vec<String> {
    let mut origins = vec![format!("http://{listen}")];
    if listen.ip().is_loopback() {
        origins.push(format!("http://localhost:{}", listen.port()));
    }
    origins
}

pub fn settings_help() -> String {
    help_text(&[
        ("Shared with berth-worker", COMMON_SETTINGS),
        ("Server", SERVER_SETTINGS),
        ("Single sign-on (OpenID Connect)", OIDC_SETTINGS),
    ]) + &berth_runtime::config::oidc::provider_help_text()
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
    fn defaults() {
        let config = ServerConfig::from_source(&env(&[])).unwrap();
        assert_eq!(config.listen, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(config.worker_stale_after, Duration::from_secs(30));
        assert!(config.unknown_env.is_empty());
    }

    #[test]
    fn public_origins_come_from_the_url_or_the_listen_address() {
        let config = ServerConfig::from_source(&env(&[])).unwrap();
        assert_eq!(
            config.public_origins,
            vec!["http://127.0.0.1:3000", "http://localhost:3000"]
        );
        let config =
            ServerConfig::from_source(&env(&[("BERTH_PUBLIC_URL", "https://Berth.Example.com/")]))
                .unwrap();
        assert_eq!(config.public_origins, vec!["https://berth.example.com"]);
        let err = ServerConfig::from_source(&env(&[("BERTH_PUBLIC_URL", "https://b.example/app")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("BERTH_PUBLIC_URL: expected the URL people open"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_listen_address_names_the_variable() {
        let err = ServerConfig::from_source(&env(&[("BERTH_LISTEN", "localhost")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "BERTH_LISTEN: expected an IP address and port such as 127.0.0.1:3000 or [::]:8080, \
             got \"localhost\""
        );
    }

    #[test]
    fn worker_variables_are_not_typos_and_typos_are_reported() {
        let config = ServerConfig::from_source(&env(&[
            ("BERTH_WORKER_HEARTBEAT_SECS", "1"),
            ("BERTH_LISTN", "x"),
        ]))
        .unwrap();
        assert_eq!(config.unknown_env, vec!["BERTH_LISTN".to_string()]);
    }

    #[test]
    fn help_names_every_variable() {
        let help = settings_help();
        for setting in COMMON_SETTINGS.iter().chain(SERVER_SETTINGS) {
            assert!(help.contains(setting.env), "{}", setting.env);
        }
    }
}
