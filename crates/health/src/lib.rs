//! Readiness: checks every dependency Berth needs, concurrently and each within a time limit, and
//! reports status and latency per dependency. Used by `/api/ready` and by the status page.

use berth_domain::{Dependency, DependencyCheck, DependencyStatus, Readiness};
use fred::prelude::{Client as RedisClient, ClientLike};
use std::future::Future;
use std::time::{Duration, Instant};

/// What readiness needs to reach.
#[derive(Clone)]
pub struct Probe {
    pub db: berth_db::Pool,
    pub redis: RedisClient,
    /// A worker whose newest heartbeat is older than this counts as down.
    pub worker_stale_after: Duration,
    /// The longest any single check may take.
    pub check_timeout: Duration,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probe")
            .field("worker_stale_after", &self.worker_stale_after)
            .field("check_timeout", &self.check_timeout)
            .finish_non_exhaustive()
    }
}

impl Probe {
    /// Runs every check at once; the slowest is bounded by `check_timeout`.
    pub async fn check(&self) -> Readiness {
        let (postgres, redis, worker) = tokio::join!(self.postgres(), self.redis(), self.worker());
        Readiness {
            checked_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            checks: vec![postgres, redis, worker],
        }
    }

    async fn postgres(&self) -> DependencyCheck {
        timed(Dependency::Postgres, self.check_timeout, async {
            berth_db::ping(&self.db)
                .await
                .map(|()| None)
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
                Ok(None)
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
                Ok(Some(age)) => Ok(Some(age)),
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
}

/// Runs one check with a deadline and measures it. `Ok(age)` carries a heartbeat age, if any.
async fn timed(
    dependency: Dependency,
    limit: Duration,
    check: impl Future<Output = Result<Option<f64>, String>>,
) -> DependencyCheck {
    let started = Instant::now();
    let outcome = match tokio::time::timeout(limit, check).await {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("no answer within {} ms", limit.as_millis())),
    };
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Ok(heartbeat_age_seconds) => DependencyCheck {
            dependency,
            status: DependencyStatus::Up,
            latency_ms,
            heartbeat_age_seconds,
            error: None,
        },
        Err(error) => {
            tracing::debug!(dependency = dependency.key(), %error, "dependency check failed");
            DependencyCheck {
                dependency,
                status: DependencyStatus::Down,
                latency_ms,
                heartbeat_age_seconds: None,
                error: Some(error),
            }
        }
    }
}
