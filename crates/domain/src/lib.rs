//! Domain types shared by every part of Berth. Compiles to WASM: no I/O, no runtime.

pub mod audit;
pub mod container;
pub mod net;
pub mod readiness;
pub mod role;
pub mod run;
pub mod template;
pub mod url;
pub mod user;

pub use audit::{AuditPage, AuditQuery, AuditRow};
pub use readiness::{BackupStatus, Dependency, DependencyCheck, DependencyStatus, Readiness};
pub use role::{Role, UnknownRole};
pub use user::{CurrentUser, UserSummary};
