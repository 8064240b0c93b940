//! Server functions of the overview page.

use crate::AppError;
use berth_domain::Readiness;
use leptos::prelude::*;

/// Checks every dependency now (the same checks as `GET /api/ready`).
#[server(prefix = "/api/fn", endpoint = "readiness")]
pub async fn get_readiness() -> Result<Readiness, AppError> {
    crate::auth::require(berth_auth::policy::Action::ViewDashboard)?;
    let state = crate::state::app_state()?;
    Ok(state.readiness().await)
}
