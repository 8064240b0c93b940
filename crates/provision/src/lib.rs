//! Berth's provisioning pipeline: the run driver ([`Provisioner`], the worker's job handler) and
//! the stages of a run, one module each.
//!
//! A run is claimed with the job's lease token, which fences every later write in Postgres. Its
//! stages run from the checkpoint's stage onward; each observes Proxmox before it acts (a task
//! saved by an earlier attempt, a container tagged `berth-run-<id>`), so a retry after a failure
//! or a crash converges and never makes a second container. Every stage reports what it does as
//! [`RunEvent`](berth_domain::run::RunEvent)s through an [`EventSink`].
//!
//! Implemented: the Proxmox side — reserve VMID → create container → start → wait for an
//! address ([`PROXMOX_STAGES`]). Not yet: the stages that need commands inside the container
//! (connect, install packages, push files, run scripts, verify). They will use an [`Executor`]
//! (SSH into the container, or `pct exec` on the node); until then a run stops before `connect`
//! as `failed` with an `incomplete: …` message, keeps its container, and a retry resumes there.

mod attempt;
mod checkpoint;
mod context;
mod driver;
mod error;
mod events;
mod executor;
mod settings;
mod stages;

pub use attempt::Attempt;
pub use checkpoint::Checkpoint;
pub use context::{Services, run_tag};
pub use driver::Provisioner;
pub use error::ProvisionError;
pub use events::{EmitFuture, EventSink, RunEvents};
pub use executor::{Executor, Output};
pub use settings::Settings;
pub use stages::PROXMOX_STAGES;
pub use stages::create_request::BERTH_TAG;
