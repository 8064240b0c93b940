//! Typed requests and responses of the API endpoints the client covers.

pub mod cluster;
pub mod lxc;
pub mod lxc_params;
pub mod storage;
pub mod task;

pub use cluster::*;
pub use lxc::*;
pub use lxc_params::*;
pub use storage::*;
pub use task::*;
