//! The wizard's server function: create a container from a template version. It only queues a
//! run; a worker does the work and the progress page follows it.

use crate::AppError;
use berth_domain::container::ContainerSpec;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Checks the spec (every problem at its field path, as `AppError::Problems`), writes the run
/// and its audit entry, queues it, and returns the run's id.
#[server(prefix = "/api/fn", endpoint = "containers/create", input = Json)]
pub async fn create_container(spec: ContainerSpec) -> Result<String, AppError> {
    super::api_ssr::create(spec)
        .await
        .map_err(AppError::with_http_status)
}
