//! What `/api/ready` and the status page report: one check per dependency Berth needs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A service Berth depends on to do its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    Postgres,
    Redis,
    /// At least one `berth-worker` heartbeat is recent enough.
    Worker,
    /// The Proxmox VE API Berth provisions on.
    Proxmox,
}

impl Dependency {
    pub const ALL: [Dependency; 4] = [
        Dependency::Postgres,
        Dependency::Redis,
        Dependency::Worker,
        Dependency::Proxmox,
    ];

    /// Whether this server can do its work without it. Proxmox is not essential: when it is
    /// away the dashboard stays readable, and taking every replica out of a load balancer
    /// because of it would help nobody.
    pub fn is_essential(self) -> bool {
        !matches!(self, Dependency::Proxmox)
    }

    /// The stable machine name (JSON keys, test ids).
    pub fn key(self) -> &'static str {
        match self {
            Dependency::Postgres => "postgres",
            Dependency::Redis => "redis",
            Dependency::Worker => "worker",
            Dependency::Proxmox => "proxmox",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Dependency::Postgres => "Postgres",
            Dependency::Redis => "Redis",
            Dependency::Worker => "Worker",
            Dependency::Proxmox => "Proxmox VE",
        }
    }
}

impl fmt::Display for Dependency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyStatus {
    Up,
    Down,
    /// Berth was not told where it is (only for optional dependencies).
    NotConfigured,
}

impl DependencyStatus {
    pub fn key(self) -> &'static str {
        match self {
            DependencyStatus::Up => "up",
            DependencyStatus::Down => "down",
            DependencyStatus::NotConfigured => "not_configured",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DependencyStatus::Up => "Up",
            DependencyStatus::Down => "Down",
            DependencyStatus::NotConfigured => "Not configured",
        }
    }
}

/// The outcome of checking one dependency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DependencyCheck {
    pub dependency: Dependency,
    pub status: DependencyStatus,
    /// How long the check took, in milliseconds.
    pub latency_ms: f64,
    /// For the worker: seconds since the newest heartbeat, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_age_seconds: Option<f64>,
    /// What answered, e.g. the Proxmox VE version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Why the dependency is down (safe to show: no secrets, no connection strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl DependencyCheck {
    pub fn is_up(&self) -> bool {
        self.status == DependencyStatus::Up
    }
}

/// Every dependency's check, taken at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    /// When the checks ran: RFC 3339, UTC, with milliseconds.
    pub checked_at: String,
    pub checks: Vec<DependencyCheck>,
    /// Scheduled backups, when they are on (`BERTH_BACKUP_DIR`). Shown beside the checks; never
    /// part of readiness: a late backup must not take Berth out of a load balancer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<BackupStatus>,
}

/// How Berth's own backups stand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupStatus {
    /// When the newest intact backup was written (RFC 3339); `None`: there is none yet.
    pub last_success: Option<String>,
    /// When the schedule writes the next one (RFC 3339).
    pub next_due: String,
    /// The last attempt that failed, unless one has succeeded since: when, and why.
    pub last_failure: Option<(String, String)>,
}

impl Readiness {
    /// Ready when every essential dependency is up; optional ones are reported, not required.
    pub fn is_ready(&self) -> bool {
        let mut essential = self
            .checks
            .iter()
            .filter(|c| c.dependency.is_essential())
            .peekable();
        essential.peek().is_some() && essential.all(DependencyCheck::is_up)
    }

    pub fn check(&self, dependency: Dependency) -> Option<&DependencyCheck> {
        self.checks.iter().find(|c| c.dependency == dependency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(dependency: Dependency, status: DependencyStatus) -> DependencyCheck {
        DependencyCheck {
            dependency,
            status,
            latency_ms: 1.0,
            heartbeat_age_seconds: None,
            detail: None,
            error: None,
        }
    }

    #[test]
    fn proxmox_is_reported_but_not_required() {
        let readiness = Readiness {
            checked_at: String::new(),
            backup: None,
            checks: vec![
                check(Dependency::Postgres, DependencyStatus::Up),
                check(Dependency::Proxmox, DependencyStatus::Down),
            ],
        };
        assert!(readiness.is_ready());
        let only_optional = Readiness {
            checked_at: String::new(),
            backup: None,
            checks: vec![check(Dependency::Proxmox, DependencyStatus::Up)],
        };
        assert!(!only_optional.is_ready());
    }

    #[test]
    fn ready_only_when_every_dependency_is_up() {
        let mut readiness = Readiness {
            checked_at: "2026-11-25T00:00:00.000Z".into(),
            backup: None,
            checks: Dependency::ALL
                .iter()
                .map(|d| check(*d, DependencyStatus::Up))
                .collect(),
        };
        assert!(readiness.is_ready());
        readiness.checks[1].status = DependencyStatus::Down;
        assert!(!readiness.is_ready());
    }

    #[test]
    fn no_checks_is_not_ready() {
        let readiness = Readiness {
            checked_at: String::new(),
            backup: None,
            checks: vec![],
        };
        assert!(!readiness.is_ready());
    }

    #[test]
    fn dependency_keys_are_snake_case_in_json() {
        let json = serde_json::to_string(&check(Dependency::Postgres, DependencyStatus::Down))
            .expect("serialises");
        assert!(json.contains(r#""dependency":"postgres""#), "{json}");
        assert!(json.contains(r#""status":"down""#), "{json}");
        assert!(!json.contains("error"), "absent error is omitted: {json}");
    }
}
