//! A typed client for the real Proxmox VE REST API (`/api2/json`): API tokens or tickets,
//! pinned or CA-verified TLS, lenient decoding of Perl's loose typing, typed UPIDs and task
//! waiting, and errors that say whether a retry is safe. Knows nothing about its users.
//!
//! ```no_run
//! # async fn demo() -> Result<(), berth_pve::Error> {
//! use berth_pve::{Credentials, PveClient, TlsMode, types::CreateLxc};
//! use std::time::Duration;
//!
//! let client = PveClient::builder("https://pve1.example.com:8006")
//!     .credentials(Credentials::token("dashboard@pve!prov", "0b5ee0a8-…"))
//!     .tls(TlsMode::fingerprint("AA:BB:…")?)
//!     .build()?;
//! let vmid = client.cluster_nextid(None).await?;
//! let upid = client
//!     .create_lxc("pve1", &CreateLxc::new(vmid, "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst"))
//!     .await?;
//! client.wait_task(&upid, Duration::from_secs(600)).await?;
//! # Ok(()) }
//! ```

mod api;
mod auth;
mod client;
mod config;
pub mod endpoints;
mod error;
mod form;
mod limiter;
pub mod perl;
mod response;
mod route;
mod secret;
mod session;
mod tls;
pub mod types;
mod upid;

pub use auth::{Credentials, TicketPolicy};
pub use client::PveClient;
pub use config::ClientBuilder;
pub use endpoints::{ENDPOINTS, Endpoint, Method};
pub use error::{ApiError, ApiErrorKind, Error, Retry, TaskFailure};
pub use form::Params;
pub use secret::Secret;
pub use tls::{Fingerprint, FingerprintError, FingerprintMismatch, TlsMode};
pub use upid::{Upid, UpidError};
