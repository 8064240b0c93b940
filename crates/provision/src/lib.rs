//! Berth's provisioning pipeline: the run driver ([`Provisioner`], the worker's job handler) and
//! the stages of a run, one module each.
//!
//! A run is claimed with the job's lease token, which fences every later write in Postgres. Its
//! stages run from the checkpoint's stage onward; each observes Proxmox before it acts (a task
//! saved by an earlier attempt, a container tagged `berth-run-<id>`), so a retry after a failure
//! or a crash converges and never makes a second container. Every stage reports what it does as
//! [`RunEvent`](berth_domain::run::RunEvent)s through an [`EventSink`].
//!
//! The stages: reserve VMID → create container → start → wait for an address (the Proxmox API,
//! [`PROXMOX_STAGES`]) → connect → install packages → push files → run scripts → verify (commands
//! in the container through an [`Executor`]: SSH straight in with Berth's key, or `pct exec` on
//! the node). A worker without an SSH key runs only the Proxmox stages and stops a run before
//! `connect` as `failed` with an `incomplete: …` message, keeping its container.

mod attempt;
mod checkpoint;
mod context;
mod driver;
mod error;
mod events;
mod exec;
mod outage;
mod script_env;
mod settings;
mod stages;

pub use attempt::Attempt;
pub use checkpoint::Checkpoint;
pub use context::{Services, run_tag};
pub use driver::Provisioner;
pub use error::ProvisionError;
pub use events::{EmitFuture, EventSink, RunEvents};
pub use exec::{
    AnyExecutor, Direct, Endpoint, ExecError, Executor, LineSender, Node, Output, OutputLine,
};
pub use script_env::ScriptEnv;
pub use settings::{ExecMode, ExecSettings, Settings};
pub use stages::create_request::BERTH_TAG;
pub use stages::{ALL_STAGES, PROXMOX_STAGES};
