//! What a stage works with: the run (spec, template version, checkpoint, claim token) and the
//! services (Proxmox, Postgres, node slots, events).

use crate::checkpoint::Checkpoint;
use crate::error::ProvisionError;
use crate::events::EventSink;
use crate::exec::AnyExecutor;
use crate::settings::Settings;
use berth_db::Pool;
use berth_db::runs::{self, RunError};
use berth_domain::container::{ContainerSpec, VmidChoice};
use berth_domain::run::{LogStream, RunEvent, Stage};
use berth_domain::template::{PackageBucket, TemplateSpec};
use berth_jobs::NodeSlots;
use berth_pve::{PveClient, Upid};
use std::sync::Arc;
use uuid::Uuid;

/// The services a provisioning worker needs; cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub pve: PveClient,
    pub pool: Pool,
    pub slots: NodeSlots,
    pub events: Arc<dyn EventSink>,
    pub settings: Arc<Settings>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// One claimed run, as its stages see it.
#[derive(Debug)]
pub struct RunContext {
    pub id: Uuid,
    /// The claim token (the job's lease token): every write is fenced by it.
    pub token: Uuid,
    pub attempt: i32,
    pub spec: ContainerSpec,
    pub template: TemplateSpec,
    /// The template version's package buckets, in install order.
    pub buckets: Vec<PackageBucket>,
    pub secrets: RunSecrets,
    pub checkpoint: Checkpoint,
    pub services: Services,
    /// The SSH connection into the container, once a stage has opened it.
    pub executor: Option<AnyExecutor>,
}

/// What the run keeps apart from its spec, never shown or logged.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RunSecrets {
    /// The root password as a crypt(3) hash (`$6$…`), for `chpasswd -e`: the plain text was
    /// dropped when the run was created.
    pub root_password_hash: Option<String>,
    /// The values of the template's secret inputs, kept out of the spec; gone once the run
    /// succeeded.
    pub inputs: std::collections::BTreeMap<String, String>,
}

impl RunContext {
    /// The tag that marks the run's container in Proxmox, so a retry finds what it made.
    pub fn run_tag(&self) -> String {
        run_tag(self.id)
    }

    pub fn settings(&self) -> &Settings {
        &self.services.settings
    }

    /// Berth's public key, added to the container at create when commands go straight in.
    pub fn berth_public_key(&self) -> Option<&str> {
        self.settings()
            .exec
            .as_ref()
            .filter(|exec| exec.mode == crate::settings::ExecMode::Direct)
            .and_then(|exec| exec.public_key.as_deref())
    }

    /// The VMID the run holds in Postgres: the saved one, or the one the operator chose (it was
    /// reserved when the run was created).
    pub fn reserved_vmid(&self) -> Option<u32> {
        self.checkpoint.vmid.or(match self.spec.identity.vmid {
            VmidChoice::Chosen(vmid) => Some(vmid),
            VmidChoice::Auto => None,
        })
    }

    pub fn vmid(&self) -> Result<u32, ProvisionError> {
        self.checkpoint
            .vmid
            .ok_or(ProvisionError::MissingCheckpoint("the VMID"))
    }

    pub fn node(&self) -> Result<&str, ProvisionError> {
        self.checkpoint
            .node
            .as_deref()
            .ok_or(ProvisionError::MissingCheckpoint("the node"))
    }

    /// Saves the checkpoint with `stage` as the stage in progress. Fenced by the claim; a VMID
    /// another unfinished run holds comes back as [`RunError::VmidTaken`].
    pub async fn save(&self, stage: Stage) -> Result<(), ProvisionError> {
        let mut conn = self
            .services
            .pool
            .get()
            .await
            .map_err(|e| RunError::Db(e.into()))?;
        let vmid = self.reserved_vmid().map(|v| v as i32);
        runs::save_checkpoint(
            &mut conn,
            self.id,
            self.token,
            stage,
            &self.checkpoint.to_json(),
            vmid,
            self.checkpoint.node.as_deref(),
        )
        .await?;
        Ok(())
    }

    pub async fn emit(&self, event: RunEvent) -> Result<(), ProvisionError> {
        self.services
            .events
            .emit(self.id, self.token, &event)
            .await
            .map(drop)
    }

    /// A line of Berth's own account of what it does, shown in the run's log.
    pub async fn log(&self, stage: Stage, line: impl Into<String>) -> Result<(), ProvisionError> {
        let line = line.into();
        tracing::info!(run = %self.id, stage = stage.key(), "{line}");
        self.emit(RunEvent::Log {
            stage: Some(stage),
            stream: LogStream::Info,
            line,
        })
        .await
    }
}

impl RunContext {
    /// Copies a Proxmox task's log into the run's log, so the operator sees what the node did.
    /// The log is a courtesy: failing to read it does not fail the stage.
    pub async fn task_log(&self, stage: Stage, upid: &Upid) -> Result<(), ProvisionError> {
        match self.services.pve.task_log_all(upid).await {
            Ok(lines) => {
                self.output(stage, LogStream::Stdout, lines.into_iter().map(|l| l.t))
                    .await
            }
            Err(error) => {
                tracing::warn!(%upid, %error, "could not read a task log");
                Ok(())
            }
        }
    }

    /// Lines of a container's or a task's output, in order.
    pub async fn output(
        &self,
        stage: Stage,
        stream: LogStream,
        lines: impl IntoIterator<Item = String>,
    ) -> Result<(), ProvisionError> {
        for line in lines {
            self.emit(RunEvent::Log {
                stage: Some(stage),
                stream,
                line,
            })
            .await?;
        }
        Ok(())
    }
}

pub fn run_tag(run: Uuid) -> String {
    format!("berth-run-{run}")
}
