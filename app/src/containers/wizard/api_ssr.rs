//! Creating a container, for the wizard's `create_container` and `POST /api/v1/containers`
//! alike: authorise, check the spec against its template version and the world, keep only a
//! hash of the password, write run + audit entry in one transaction, and enqueue the run once
//! that is committed.

use super::checks_ssr;
use super::secrets_ssr::seal;
use crate::AppError;
use crate::auth::{client_ip, principal};
use crate::state::{AppState, app_state};
use crate::templates::api_ssr::entry;
use berth_auth::policy::{self, Action, Principal};
use berth_db::catalog::{CatalogError, templates};
use berth_db::runs::{self, NewRun, RunError};
use berth_domain::container::{ContainerSpec, VmidChoice};
use berth_domain::template::FieldProblem;
use std::net::IpAddr;
use uuid::Uuid;

/// The server function's side: who and where from Leptos context, then [`create_run`].
pub async fn create(spec: ContainerSpec) -> Result<String, AppError> {
    let principal = principal()?;
    let state = app_state()?;
    let id = create_run(&state, &principal, client_ip(), spec).await?;
    Ok(id.to_string())
}

/// Creating a container, the one code path of the wizard and the REST API: the role check, the
/// spec's problems (each at its field path, as `AppError::Problems`), the run with its audit
/// entry (from `source_ip` when known) in one transaction, then the job on the queue.
pub async fn create_run(
    state: &AppState,
    principal: &Principal,
    source_ip: Option<IpAddr>,
    spec: ContainerSpec,
) -> Result<Uuid, AppError> {
    policy::require(principal, Action::CreateContainer)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    let mut conn = state.db().get().await.map_err(AppError::internal)?;
    let name = spec.template.name.clone();
    let (template, _, _) = templates::version(&mut conn, &name, spec.template.version)
        .await
        .map_err(|error| match error {
            CatalogError::NotFound => problem(
                "template.version",
                format!("template {name:?} has no version {}", spec.template.version),
            ),
            other => AppError::internal(other),
        })?;

    let mut problems = spec.validate(&template).err().unwrap_or_default();
    problems.extend(berth_catalog::check_input_values(
        &spec.pattern_checks(&template),
    ));
    // Proxmox is asked only about a spec that is otherwise right: one round of fixes, not two.
    if problems.is_empty()
        && let Some(pve) = &state.pve
    {
        problems.extend(checks_ssr::against_proxmox(pve, &spec).await);
    }
    if !problems.is_empty() {
        return Err(AppError::Problems(problems));
    }

    let review = spec.review(&template);
    let vmid = match spec.identity.vmid {
        VmidChoice::Chosen(id) => Some(i32::try_from(id).map_err(AppError::internal)?),
        VmidChoice::Auto => None,
    };
    let (spec, secrets) = seal(spec, &template)?;
    let run = NewRun {
        template_name: &name,
        template_version: review.template.version,
        hostname: &review.identity.hostname,
        spec: serde_json::to_value(&spec).map_err(AppError::internal)?,
        secrets,
        vmid,
        requested_by: Some(principal.user_id),
        requested_by_name: &principal.username,
    };
    let mut audit = entry(principal, "container.create")
        .details(serde_json::to_value(&review).map_err(AppError::internal)?);
    if let Some(ip) = source_ip {
        audit = audit.source_ip(ip);
    }
    let id = runs::create(&mut conn, &run, audit)
        .await
        .map_err(|error| match error {
            RunError::VmidTaken(vmid) => problem(
                "identity.vmid",
                format!("VMID {vmid} is reserved by another run that has not finished"),
            ),
            RunError::NoSuchTemplateVersion { name, version } => problem(
                "template.version",
                format!("template {name:?} has no version {version}"),
            ),
            other => AppError::internal(other),
        })?;
    drop(conn);
    // The run is committed: if Redis is away now, the reconciler queues it later.
    if let Err(error) = state.queue.enqueue(id).await {
        tracing::warn!(run = %id, %error, "run written but not enqueued; the reconciler will");
    }
    tracing::info!(run = %id, template = %name, by = %principal.username, "container run queued");
    Ok(id)
}

fn problem(path: &str, message: String) -> AppError {
    AppError::Problems(vec![FieldProblem {
        path: path.to_string(),
        message,
    }])
}
