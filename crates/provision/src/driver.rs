//! The run driver: claims the run with the job's lease token, runs the stages it knows from the
//! checkpoint's stage onward, and settles the run: finished, failed (retrying or not), cancelled,
//! or stopped where this pipeline ends. Every write is fenced by the claim; a lost claim stops the
//! driver without writing anything more.

use crate::attempt::{Attempt, interrupted};
use crate::checkpoint::Checkpoint;
use crate::context::{RunContext, RunSecrets, Services};
use crate::error::ProvisionError;
use crate::outage::Outage;
use crate::stages;
use berth_db::catalog::{CatalogError, templates};
use berth_db::runs::{self, RunError, RunRecord};
use berth_domain::container::ContainerSpec;
use berth_domain::run::{RunEvent, RunState, Stage};
use berth_jobs::{CancelReason, Classify, ErrorClass, Handler, JobContext, JobOutcome};
use std::time::Instant;
use tracing::Instrument;
use uuid::Uuid;

/// Drives provisioning runs; the worker's [`Handler`].
#[derive(Debug, Clone)]
pub struct Provisioner {
    services: Services,
    stages: Vec<Stage>,
}

/// How a stage ended, as far as the driver's loop cares.
enum Step {
    Next,
    Stop(JobOutcome),
}

impl Provisioner {
    /// A driver that runs `stages` (in [`Stage`] order) and stops a run at the first stage it
    /// has no implementation for — today [`stages::PROXMOX_STAGES`].
    pub fn new(services: Services, stages: &[Stage]) -> Self {
        Self {
            services,
            stages: stages.to_vec(),
        }
    }

    /// One attempt at the run.
    pub async fn run(&self, attempt: &impl Attempt) -> JobOutcome {
        let span = tracing::info_span!("run", run = %attempt.run_id(), attempt = attempt.number());
        self.drive(attempt).instrument(span).await
    }

    async fn drive(&self, attempt: &impl Attempt) -> JobOutcome {
        let (id, token) = (attempt.run_id(), attempt.lease_token());
        let record = match self.claim(id, token).await {
            Ok(Some(record)) => record,
            // Finished or cancelled meanwhile: nothing left to do.
            Ok(None) => return JobOutcome::Done,
            Err(error) => return self.infrastructure(&error),
        };
        let mut ctx = match self.load(&record, token).await {
            Ok(ctx) => ctx,
            // Postgres trouble may pass; a spec or template that does not read will not.
            Err(error) if error.class() == ErrorClass::Retryable && !attempt.is_last() => {
                return self.infrastructure(&error);
            }
            Err(error) => {
                return self
                    .settle(id, token, RunState::Failed, Some(error.to_string()))
                    .await;
            }
        };
        let outcome = self
            .stages_from(attempt, &mut ctx, record.summary.stage)
            .await;
        if let Some(executor) = ctx.executor.take() {
            executor.close().await;
        }
        outcome
    }

    /// Runs the stages from `first` on, and settles the run when they are all done.
    async fn stages_from(
        &self,
        attempt: &impl Attempt,
        ctx: &mut RunContext,
        first: Option<Stage>,
    ) -> JobOutcome {
        let (id, token) = (ctx.id, ctx.token);
        let mut next = Some(first.unwrap_or(Stage::ReserveVmid));
        while let Some(stage) = next {
            if let Some(outcome) = self.stop_point(attempt, ctx).await {
                return outcome;
            }
            if !self.stages.contains(&stage) {
                return self.stop_before(ctx, stage).await;
            }
            match self.stage(attempt, ctx, stage).await {
                Step::Next => next = stage.next(),
                Step::Stop(outcome) => return outcome,
            }
        }
        self.settle(id, token, RunState::Succeeded, None).await
    }

    async fn claim(&self, id: Uuid, token: Uuid) -> Result<Option<RunRecord>, ProvisionError> {
        let mut conn = self.connection().await?;
        Ok(runs::claim(&mut conn, id, token, &self.services.settings.worker).await?)
    }

    /// The spec and template version the run was started with, and its checkpoint.
    async fn load(&self, record: &RunRecord, token: Uuid) -> Result<RunContext, ProvisionError> {
        let mut spec: ContainerSpec = serde_json::from_value(record.spec.clone())
            .map_err(|e| ProvisionError::InvalidSpec(e.to_string()))?;
        let secrets: RunSecrets = match &record.secrets {
            serde_json::Value::Null => RunSecrets::default(),
            stored => serde_json::from_value(stored.clone())
                .map_err(|e| ProvisionError::InvalidSpec(format!("secrets: {e}")))?,
        };
        // The stages see every input in one place; the secret ones were kept apart in storage.
        for (name, value) in &secrets.inputs {
            spec.inputs.set(name.clone(), value.clone());
        }
        let checkpoint = Checkpoint::from_json(&record.checkpoint)
            .map_err(|e| ProvisionError::InvalidSpec(format!("checkpoint: {e}")))?;
        let (name, version) = (
            &record.summary.template_name,
            record.summary.template_version,
        );
        let mut conn = self.connection().await?;
        let (template, buckets) = match templates::version(&mut conn, name, version).await {
            Ok((template, buckets, _info)) => (template, buckets),
            Err(CatalogError::NotFound) => {
                return Err(ProvisionError::TemplateMissing {
                    name: name.clone(),
                    version,
                });
            }
            Err(other) => return Err(other.into()),
        };
        Ok(RunContext {
            id: record.id,
            token,
            attempt: record.summary.attempt,
            spec,
            template,
            buckets,
            secrets,
            checkpoint,
            services: self.services.clone(),
            executor: None,
        })
    }

    /// Between stages: a cancel request ends the run, a shutdown hands it back, a lost lease
    /// stops the driver without a word.
    async fn stop_point(&self, attempt: &impl Attempt, ctx: &RunContext) -> Option<JobOutcome> {
        let cancel = match attempt.stop_reason() {
            Some(CancelReason::LeaseLost) => return Some(JobOutcome::RETRY),
            Some(CancelReason::Shutdown) => return Some(self.hand_back(ctx).await),
            Some(CancelReason::Requested) => true,
            None => match self.cancel_requested(ctx.id).await {
                Ok(requested) => requested,
                Err(error) => return Some(self.infrastructure(&error)),
            },
        };
        if !cancel {
            return None;
        }
        // Settling as cancelled answers `Fail`: the job leaves the queue.
        Some(
            self.settle(
                ctx.id,
                ctx.token,
                RunState::Cancelled,
                Some("cancelled by request".into()),
            )
            .await,
        )
    }

    async fn cancel_requested(&self, id: Uuid) -> Result<bool, ProvisionError> {
        let mut conn = self.connection().await?;
        Ok(runs::get(&mut conn, id).await?.cancel_requested)
    }

    /// The worker is stopping: the run goes back to the queue, its attempt not counted.
    async fn hand_back(&self, ctx: &RunContext) -> JobOutcome {
        if let Ok(mut conn) = self.connection().await
            && let Err(error) = runs::release(&mut conn, ctx.id, ctx.token).await
        {
            tracing::warn!(%error, "could not release the run");
        }
        JobOutcome::RETRY
    }

    async fn stage(&self, attempt: &impl Attempt, ctx: &mut RunContext, stage: Stage) -> Step {
        let started = Instant::now();
        let begun = async {
            ctx.emit(RunEvent::StageStarted {
                stage,
                attempt: ctx.attempt,
            })
            .await?;
            ctx.save(stage).await
        };
        if let Err(error) = begun.await {
            return Step::Stop(self.infrastructure(&error));
        }
        let mut outage = Outage::default();
        let result = loop {
            let span = tracing::info_span!("stage", stage = stage.key());
            let result = tokio::select! {
                result = stages::execute(stage, ctx).instrument(span) => result,
                () = interrupted(attempt) => return Step::Stop(self.left_halfway(attempt, ctx).await),
            };
            let Err(error) = &result else { break result };
            let Some(delay) = outage.wait_after(error, self.services.settings.outage_wait) else {
                break result;
            };
            if outage.is_first() {
                tracing::warn!(stage = stage.key(), %error, "Proxmox VE does not answer; waiting");
                let line = format!("Proxmox VE does not answer ({error}); waiting for it");
                if let Err(error) = ctx.log(stage, line).await {
                    return Step::Stop(self.infrastructure(&error));
                }
            }
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                () = interrupted(attempt) => return Step::Stop(self.left_halfway(attempt, ctx).await),
            }
        };
        if let (Ok(()), Some(lasted)) = (&result, outage.lasted()) {
            let line = format!("Proxmox VE answers again after {:.0?}", lasted);
            if let Err(error) = ctx.log(stage, line).await {
                return Step::Stop(self.infrastructure(&error));
            }
        }
        let duration_ms = started.elapsed().as_millis() as u64;
        let outcome = if result.is_ok() { "done" } else { "failed" };
        metrics::histogram!("berth_stage_duration_seconds", "stage" => stage.key(), "outcome" => outcome)
            .record(started.elapsed().as_secs_f64());
        match result {
            Ok(()) => {
                let done = async {
                    ctx.emit(RunEvent::StageFinished { stage, duration_ms })
                        .await?;
                    match stage.next() {
                        Some(next) => ctx.save(next).await,
                        None => Ok(()),
                    }
                };
                match done.await {
                    Ok(()) => Step::Next,
                    Err(error) => Step::Stop(self.infrastructure(&error)),
                }
            }
            Err(error) => Step::Stop(self.failed(attempt, ctx, stage, duration_ms, error).await),
        }
    }

    /// A cancel, shutdown or lost lease interrupted a stage. Every stage observes before it
    /// acts, so leaving one halfway is safe.
    async fn left_halfway(&self, attempt: &impl Attempt, ctx: &RunContext) -> JobOutcome {
        match attempt.stop_reason() {
            Some(CancelReason::Shutdown) => self.hand_back(ctx).await,
            _ => JobOutcome::RETRY,
        }
    }

    /// A stage failed: retry later if that may help and attempts remain, else fail the run.
    async fn failed(
        &self,
        attempt: &impl Attempt,
        ctx: &RunContext,
        stage: Stage,
        duration_ms: u64,
        error: ProvisionError,
    ) -> JobOutcome {
        if error.is_claim_lost() {
            return JobOutcome::Done;
        }
        let retrying = error.class() == ErrorClass::Retryable && !attempt.is_last();
        tracing::warn!(stage = stage.key(), %error, retrying, "stage failed");
        let event = RunEvent::StageFailed {
            stage,
            duration_ms,
            error: error.to_string(),
            retrying,
        };
        if let Err(emit_error) = ctx.emit(event).await {
            return self.infrastructure(&emit_error);
        }
        if retrying {
            // The run stays `running` under its claim; the next attempt's claim takes over.
            return JobOutcome::RETRY;
        }
        self.settle(ctx.id, ctx.token, RunState::Failed, Some(error.to_string()))
            .await
    }

    /// The next stage is one this worker does not run (the SSH stages, without a key): the run
    /// ends `failed` with that said plainly, its container kept, and a retry resumes right there
    /// on a worker that can run it. It is never reported as provisioned.
    async fn stop_before(&self, ctx: &RunContext, stage: Stage) -> JobOutcome {
        let made = match (&ctx.checkpoint.vmid, &ctx.checkpoint.node) {
            (Some(vmid), Some(node)) => {
                let at = ctx
                    .checkpoint
                    .address
                    .as_deref()
                    .map(|a| format!(" at {a}"))
                    .unwrap_or_default();
                format!("; CT {vmid} on {node}{at} is kept")
            }
            _ => String::new(),
        };
        let message = format!(
            "incomplete: stopped before \"{}\", which this worker cannot run yet{made}",
            stage.label()
        );
        self.settle(ctx.id, ctx.token, RunState::Failed, Some(message))
            .await
    }

    /// Ends the run in a final state and says so in its events.
    async fn settle(
        &self,
        id: Uuid,
        token: Uuid,
        state: RunState,
        message: Option<String>,
    ) -> JobOutcome {
        let event = RunEvent::State {
            state,
            message: message.clone(),
        };
        let ended = async {
            self.services.events.emit(id, token, &event).await?;
            let mut conn = self.connection().await?;
            runs::finish(&mut conn, id, token, state, message.as_deref()).await?;
            Ok::<_, ProvisionError>(())
        };
        match ended.await {
            Ok(()) if state == RunState::Succeeded => JobOutcome::Done,
            Ok(()) => JobOutcome::Fail,
            Err(error) => self.infrastructure(&error),
        }
    }

    /// Postgres or Redis trouble outside a stage: try the attempt again later; a lost claim
    /// means another worker has the run, so this one just stops.
    fn infrastructure(&self, error: &ProvisionError) -> JobOutcome {
        if error.is_claim_lost() {
            tracing::info!("the run was claimed by another worker; stopping");
            return JobOutcome::Done;
        }
        tracing::warn!(%error, "run bookkeeping failed");
        match error.class() {
            ErrorClass::Retryable => JobOutcome::RETRY,
            ErrorClass::Terminal => JobOutcome::Fail,
        }
    }

    async fn connection(&self) -> Result<berth_db::Connection, ProvisionError> {
        self.services
            .pool
            .get()
            .await
            .map_err(|e| RunError::Db(e.into()).into())
    }

    /// The job kept losing its worker (or its last attempt asked for a retry that was not
    /// recorded): take the run over and fail it, keeping what it made.
    pub async fn give_up(&self, attempt: &impl Attempt) {
        let (id, token) = (attempt.run_id(), attempt.lease_token());
        if let Ok(Some(_)) = self.claim(id, token).await {
            let message = format!("gave up after {} attempts", attempt.number());
            self.settle(id, token, RunState::Failed, Some(message))
                .await;
        }
    }
}

impl Handler for Provisioner {
    async fn handle(&self, job: JobContext) -> JobOutcome {
        self.run(&job).await
    }

    async fn exhausted(&self, job: JobContext) {
        self.give_up(&job).await
    }
}
