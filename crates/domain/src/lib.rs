//! Domain types shared by every part of Berth. Compiles to WASM: no I/O, no runtime.

pub mod readiness;
pub mod role;
pub mod user;

pub use readiness::{Dependency, DependencyCheck, DependencyStatus, Readiness};
pub use role::{Role, UnknownRole};
pub use user::{CurrentUser, UserSummary};
