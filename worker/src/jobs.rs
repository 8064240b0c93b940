//! The worker's Proxmox side: a job runner that drives runs through the pipeline, the
//! reconciler that puts back on the queue any unfinished run Redis no longer holds (Redis lost
//! its data, or a server died between its commit and its enqueue), and the cluster's status
//! poller (one across all workers, elected through a Redis slot).

use crate::config::WorkerConfig;
use berth_actions::ActionRunner;
use berth_db::Pool;
use berth_db::{actions, runs};
use berth_jobs::{CancellationToken, Queue, Runner, RunnerConfig};
use berth_provision::{ALL_STAGES, PROXMOX_STAGES, Provisioner, RunEvents, Services, Settings};
use berth_runtime::shutdown::Shutdown;
use berth_status::{Poller, PollerConfig};
use std::sync::Arc;
use std::time::Duration;

/// The one Proxmox VE cluster Berth is configured with, as status keys and channels name it.
pub const CLUSTER: &str = "main";

/// How often the reconciler compares Postgres with the queue.
const RECONCILE_EVERY: Duration = Duration::from_secs(15);

/// Runs jobs until `shutdown`; returns once in-flight runs are handed back or finished.
pub async fn run(
    config: &WorkerConfig,
    db: Pool,
    redis: fred::prelude::Client,
    shutdown: Shutdown,
) -> anyhow::Result<()> {
    let Some(proxmox) = config.common.proxmox.as_ref() else {
        tracing::warn!("no Proxmox VE configured (BERTH_PVE_URL): this worker runs no jobs");
        return Ok(());
    };
    let pve = berth_runtime::proxmox::client(proxmox)?;
    let status_pve = pve.clone();
    let status_redis = redis.clone();
    let prefix = berth_runtime::redis::queue_prefix(&config.common.redis);
    let queue = Queue::with_prefix(redis, &prefix);

    let mut settings = Settings::new(config.name.clone());
    settings.creations_per_node = config.creations_per_node;
    settings.exec = config.ssh.clone();
    settings.script_env = config.script_env.clone();
    let stages = if settings.exec.is_some() {
        &ALL_STAGES[..]
    } else {
        tracing::warn!(
            "no SSH key configured (BERTH_WORKER_SSH_KEY): runs stop before `connect`, keeping their container"
        );
        &PROXMOX_STAGES[..]
    };
    let services = Services {
        pve,
        pool: db.clone(),
        slots: queue.node_slots(),
        events: Arc::new(RunEvents::new(db.clone(), queue.events())),
        settings: Arc::new(settings),
    };
    let provisioner = Provisioner::new(services, stages);
    let mut runner_config = RunnerConfig::new(config.name.clone());
    runner_config.concurrency = config.concurrency;
    runner_config.lease_ttl = config.lease_ttl;
    // Stalled jobs are looked for at least twice per lease, so a takeover waits about one lease.
    runner_config.reap_every = runner_config.reap_every.min(config.lease_ttl / 2);

    // Container actions (power, destroy, snapshots) have a queue of their own, so a burst of
    // creations never delays a stop.
    let action_queue = Queue::with_prefix(
        queue.client().clone(),
        &berth_actions::queue_prefix(&config.common.redis.key_prefix),
    );
    let action_runner = Runner::new(
        action_queue.clone(),
        ActionRunner::new(status_pve.clone(), db.clone(), queue.events(), CLUSTER),
        runner_config.clone(),
    );

    let stop = CancellationToken::new();
    let reconciler = tokio::spawn(reconcile(db, queue.clone(), action_queue, stop.clone()));
    // The cluster's status poller runs in whichever worker holds its slot.
    let poller = Poller::new(
        status_pve,
        status_redis,
        queue.events(),
        queue.node_slots(),
        PollerConfig::new(CLUSTER, &config.common.redis.key_prefix, &config.name),
    );
    let status = tokio::spawn(poller.run(stop.clone()));
    let runner = Runner::new(queue, provisioner, runner_config);
    let forward = {
        let stop = stop.clone();
        let mut shutdown = shutdown;
        async move {
            shutdown.wait().await;
            stop.cancel();
        }
    };
    tracing::info!(
        concurrency = config.concurrency,
        ssh = config.ssh.is_some(),
        "running provisioning jobs"
    );
    let (result, actions_result, ()) = tokio::join!(
        runner.run(stop.clone()),
        action_runner.run(stop.clone()),
        forward
    );
    if let Err(error) = actions_result {
        tracing::warn!(%error, "the actions runner stopped with an error");
    }
    stop.cancel();
    reconciler.await.ok();
    status.await.ok();
    result.map_err(Into::into)
}

/// Every [`RECONCILE_EVERY`]: offers Postgres' queued and running runs to the queue, which
/// adds only those it does not already hold.
async fn reconcile(db: Pool, queue: Queue, action_queue: Queue, stop: CancellationToken) {
    let mut healthy = true;
    loop {
        let pass = async {
            let mut conn = db.get().await.map_err(|e| e.to_string())?;
            let ids = runs::unfinished_ids(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
            let mut added = queue
                .ensure_enqueued(&ids)
                .await
                .map_err(|e| e.to_string())?;
            let ids = actions::unfinished_ids(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
            added.extend(
                action_queue
                    .ensure_enqueued(&ids)
                    .await
                    .map_err(|e| e.to_string())?,
            );
            Ok::<_, String>(added)
        };
        match pass.await {
            Ok(added) => {
                if !added.is_empty() {
                    tracing::info!(runs = ?added, "re-enqueued runs and actions the queue had lost");
                }
                healthy = true;
            }
            Err(error) => {
                if healthy {
                    tracing::warn!(%error, "reconciling runs with the queue failed; retrying");
                }
                healthy = false;
            }
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(RECONCILE_EVERY) => {}
        }
    }
}
