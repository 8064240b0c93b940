//! Readiness: checks every dependency Berth needs, concurrently and each within a time limit, and
//! reports status and latency per dependency. Used by `/api/ready` and by the status page.

use berth_domain::{Dependency, DependencyCheck, DependencyStatus, Readiness};
use fred::prelude::{Client as RedisClient, ClientLike};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How readiness asks Proxmox VE whether it answers. The server implements it with its API
/// client, so this crate needs no Proxmox client of its own.
pub trait ProxmoxProbe: Send + Sync {
    /// The Proxmox VE version, or why it could not be had (safe to show).
    fn version(&self) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + '_>>;
}

/// What a successful check found besides "up".
#[derive(Debug, Default)]
struct Facts {
    heartbeat_age_seconds: Option<f64>,
    detail: Option<String>,
}

/// What readiness needs to reach.
#[derive(Clone)]
pub struct Probe {
    pub db: berth_db::Pool,
    pub redis: RedisClient,
    /// A worker whose newest heartbeat is older than this counts as down.
    pub worker_stale_after: Duration,
    /// The longest any single check may take.
    pub check_timeout: Duration,
    /// `None` when no Proxmox VE is configured.
    pub proxmox: Option<Arc<dyn ProxmoxProbe>>,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probe")
            .field("worker_stale_after", &self.worker_stale_after)
            .field("check_timeout", &self.check_timeout)
            .field("proxmox", &self.proxmox.is_some())
            .finish_non_exhaustive()
    }
}

impl Probe {
    /// Runs every check at once; the slowest is bounded by `check_timeout`.
    pub async fn check(&self) -> Readiness {
        let (postgres, redis, worker, proxmox) =
            tokio::join!(self.postgres(), self.redis(), self.worker(), self.proxmox());
        Readiness {
            checked_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            checks: vec![postgres, redis, worker, proxmox],
            backup: None,
        }
    }

    async fn postgres(&self) -> DependencyCheck {
        timed(Dependency::Postgres, self.check_timeout, async {
            berth_db::ping(&self.db)
                .await
                .map(|()| Facts::default())
                .map_err(|e| e.to_string())
        })
        .await
    }

    async fn redis(&self) -> DependencyCheck {
        timed(Dependency::Redis, self.check_timeout, async {
            if !self.redis.is_connected() {
                return Err("not connected (reconnecting)".to_string());
            }
            let pong: String = self.redis.ping(None).await.map_err(|e| e.to_string())?;
            if pong == "PONG" {
                Ok(Facts::default())
            } else {
                Err(format!("unexpected reply to PING: {pong}"))
            }
        })
        .await
    }

    async fn worker(&self) -> DependencyCheck {
        let stale_after = self.worker_stale_after.as_secs_f64();
        let mut check = timed(Dependency::Worker, self.check_timeout, async {
            let mut conn = self
                .db
                .get()
                .await
                .map_err(|e| format!("cannot read heartbeats: no database connection ({e})"))?;
            match berth_db::workers::newest_heartbeat_age(&mut conn).await {
                Ok(Some(age)) => Ok(Facts {
                    heartbeat_age_seconds: Some(age),
                    detail: None,
                }),
                Ok(None) => Err("no berth-worker is running".to_string()),
                Err(e) => Err(format!("cannot read heartbeats: {e}")),
            }
        })
        .await;
        if let Some(age) = check.heartbeat_age_seconds
            && age > stale_after
        {
            check.status = DependencyStatus::Down;
            check.error = Some(format!(
                "newest heartbeat is {age:.0} s old (stale after {stale_after:.0} s)"
            ));
        }
        check
    }

    async fn proxmox(&self) -> DependencyCheck {
        let Some(proxmox) = &self.proxmox else {
            return DependencyCheck {
                dependency: Dependency::Proxmox,
                status: DependencyStatus::NotConfigured,
                latency_ms: 0.0,
                heartbeat_age_seconds: None,
                detail: None,
                error: Some("set BERTH_PVE_URL and BERTH_PVE_TOKEN".to_string()),
            };
        };
        timed(Dependency::Proxmox, self.check_timeout, async {
            proxmox.version().await.map(|version| Facts {
                heartbeat_age_seconds: None,
                detail: Some(format!("PVE {version}")),
            })
        })
        .await
    }
}

/// Runs one check with a deadline and measures it.
async fn timed(
    dependency: Dependency,
    limit: Duration,
    check: impl Future<Output = Result<Facts, String>>,
) -> DependencyCheck {
    let started = Instant::now();
    let outcome = match tokio::time::timeout(limit, check).await {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("no answer within {} ms", limit.as_millis())),
    };
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Ok(facts) => DependencyCheck {
            dependency,
            status: DependencyStatus::Up,
            latency_ms,
            heartbeat_age_seconds: facts.heartbeat_age_seconds,
            detail: facts.detail,
            error: None,
        },
        Err(error) => {
            tracing::debug!(dependency = dependency.key(), %error, "dependency check failed");
            DependencyCheck {
                dependency,
                status: DependencyStatus::Down,
                latency_ms,
                heartbeat_age_seconds: None,
                detail: None,
                error: Some(error),
            }
        }
    }
}
