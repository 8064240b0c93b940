//! The admin endpoint (`/_sim/…`, JSON, unauthenticated, outside `/api2`): faults and a state dump.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use crate::faults::Faults;
use crate::sim::Sim;

/// `GET /_sim/faults`: the active faults.
pub async fn get_faults(State(sim): State<Arc<Sim>>) -> Json<Faults> {
    Json(sim.faults())
}

/// `PUT /_sim/faults`: replaces the active faults (fields left out mean "no fault").
pub async fn put_faults(State(sim): State<Arc<Sim>>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(faults) => {
            tracing::info!(?faults, "faults replaced");
            sim.set_faults(faults.clone());
            Json(faults).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, format!("invalid faults: {e}\n")).into_response(),
    }
}

/// `DELETE /_sim/faults`: clears every fault.
pub async fn clear_faults(State(sim): State<Arc<Sim>>) -> Json<Faults> {
    sim.set_faults(Faults::default());
    Json(Faults::default())
}

/// `GET /_sim/state`: the whole simulated state, for debugging and tests (signing key and TLS
/// private key left out).
pub async fn get_state(State(sim): State<Arc<Sim>>) -> Response {
    let state = sim.read(|s| {
        let mut s = s.clone();
        s.auth_key = String::new();
        s.tls = None;
        serde_json::to_value(s)
    });
    match state {
        Ok(v) => Json(v).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
