//! The HTTP surface: `/api2/json/…` (the PVE API) and `/_sim/…` (the simulator's admin endpoint).

mod admin;
pub mod auth;
mod dispatch;
mod params;
pub mod reply;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::sim::Sim;

/// The whole router; tests may call it without a socket.
pub fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route(
            "/_sim/faults",
            get(admin::get_faults)
                .put(admin::put_faults)
                .delete(admin::clear_faults),
        )
        .route("/_sim/state", get(admin::get_state))
        .fallback(dispatch::handle)
        .with_state(sim)
}
