//! The apps a succeeded run's container serves: its template version's `apps`, at the address
//! the run found, with the run's (non-secret) input values for the user names.

use berth_db::catalog::templates;
use berth_db::pool::Connection;
use berth_db::runs::RunRecord;
use berth_domain::container::ContainerSpec;
use berth_domain::run::RunState;
use berth_domain::template::AppAccess;

/// Empty unless the run succeeded; a template version that cannot be read shows no apps rather
/// than failing the page (the run's progress is what the page is for).
pub async fn app_access(conn: &mut Connection, record: &RunRecord) -> Vec<AppAccess> {
    let summary = &record.summary;
    if summary.state != RunState::Succeeded {
        return Vec::new();
    }
    let template = match templates::version(conn, &summary.template_name, summary.template_version)
        .await
    {
        Ok((template, _, _)) => template,
        Err(e) => {
            tracing::warn!(error = %e, run = %record.id, "reading a run's template for its apps");
            return Vec::new();
        }
    };
    let Ok(spec) = serde_json::from_value::<ContainerSpec>(record.spec.clone()) else {
        return Vec::new();
    };
    // The worker's checkpoint: `address` (IPv4) once the run waited for it, else `address6`.
    let address = ["address", "address6"]
        .iter()
        .find_map(|key| record.checkpoint.get(key).and_then(|v| v.as_str()));
    template
        .apps
        .iter()
        .map(|app| app.access(&template.inputs, address, |name| spec.inputs.get(name)))
        .collect()
}
