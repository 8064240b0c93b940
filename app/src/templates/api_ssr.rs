//! The server side of the template server functions.

use super::api::{Catalog, ImportOutcome, TemplatePage};
use crate::AppError;
use crate::auth::{client_ip, require};
use crate::state::app_state;
use berth_auth::policy::{self, Action, Principal};
use berth_catalog::{ImportError, TemplateDocument, diff_lines};
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::templates::{self, Existing};
use berth_db::catalog::{Author, CatalogError, TemplateFilter};
use berth_domain::template::{DiffLine, TemplateSpec};

pub async fn catalog(search: String, category: String, tag: String) -> Result<Catalog, AppError> {
    let principal = require(Action::ViewTemplates)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let filter = TemplateFilter {
        search,
        category,
        tag,
    };
    let templates = templates::list(&mut conn, &filter)
        .await
        .map_err(catalog_error)?;
    // Unfiltered, the list is the whole catalog: its facets need no second query.
    let (categories, tags) = if filter.is_empty() {
        templates::facets_of(&templates)
    } else {
        templates::facets(&mut conn).await.map_err(catalog_error)?
    };
    Ok(Catalog {
        templates,
        categories,
        tags,
        can_manage: may(&principal, Action::ManageTemplates),
    })
}

pub async fn get(name: String) -> Result<TemplatePage, AppError> {
    let principal = require(Action::ViewTemplates)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let detail = templates::detail(&mut conn, &name)
        .await
        .map_err(catalog_error)?;
    Ok(TemplatePage {
        detail,
        can_manage: may(&principal, Action::ManageTemplates),
    })
}

pub async fn save(
    spec: TemplateSpec,
    base_version: Option<i32>,
    note: String,
) -> Result<i32, AppError> {
    let principal = require(Action::ManageTemplates)?;
    // The patterns are checked here only: the browser has no regex engine in its bundle.
    let mut problems = spec.validate().err().unwrap_or_default();
    problems.extend(berth_catalog::check_patterns(&spec));
    if !problems.is_empty() {
        return Err(AppError::Problems(problems));
    }
    let (action, existing) = match base_version {
        None => ("template.create", Existing::Refuse),
        Some(base) => ("template.update", Existing::UpdateFrom(base)),
    };
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    templates::save(
        &mut conn,
        &spec,
        existing,
        false,
        author(&principal),
        note.trim(),
        &entry(&principal, action),
    )
    .await
    .map_err(catalog_error)
}

pub async fn delete(name: String) -> Result<(), AppError> {
    let principal = require(Action::ManageTemplates)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    templates::delete(&mut conn, &name, &entry(&principal, "template.delete"))
        .await
        .map_err(catalog_error)
}

pub async fn diff(name: String, from: i32, to: i32) -> Result<Vec<DiffLine>, AppError> {
    require(Action::ViewTemplates)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let text = |spec, buckets| TemplateDocument::new(spec, buckets).to_yaml();
    let (a, a_buckets, _) = templates::version(&mut conn, &name, from)
        .await
        .map_err(catalog_error)?;
    let (b, b_buckets, _) = templates::version(&mut conn, &name, to)
        .await
        .map_err(catalog_error)?;
    Ok(diff_lines(&text(a, a_buckets), &text(b, b_buckets)))
}

pub async fn import(yaml: String) -> Result<ImportOutcome, AppError> {
    let principal = require(Action::ManageTemplates)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    let base = entry(&principal, "template.import");
    match berth_catalog::import(&mut conn, &yaml, author(&principal), &base).await {
        Ok(done) => Ok(ImportOutcome {
            name: done.name,
            version: done.version,
            created: done.created,
            created_buckets: done.created_buckets,
        }),
        Err(ImportError::Invalid(problems)) => Err(AppError::Problems(problems)),
        Err(ImportError::Catalog(e)) => Err(catalog_error(e)),
    }
}

pub(super) fn may(principal: &Principal, action: Action) -> bool {
    policy::require(principal, action).is_ok()
}

pub(super) fn author(principal: &Principal) -> Author<'_> {
    Author {
        user_id: Some(principal.user_id),
        name: &principal.username,
    }
}

pub(crate) fn entry(principal: &Principal, action: &str) -> NewAuditEntry {
    let mut entry =
        NewAuditEntry::new(&principal.username, action, Outcome::Success).actor(principal.user_id);
    if let Some(ip) = client_ip() {
        entry = entry.source_ip(ip);
    }
    entry
}

pub(super) fn catalog_error(error: CatalogError) -> AppError {
    match error {
        CatalogError::Invalid(problems) => AppError::Problems(problems),
        CatalogError::NotFound => AppError::invalid("name", "There is no such template or bucket."),
        CatalogError::Stale { current } => AppError::Conflict(format!(
            "Someone saved version {current} while you were editing. Reload to see it, then make your change again."
        )),
        CatalogError::InUse { templates } => AppError::Conflict(format!(
            "This bucket is installed by {}; remove it from {} first.",
            templates.join(", "),
            if templates.len() == 1 {
                "that template"
            } else {
                "those templates"
            }
        )),
        other => AppError::internal(other),
    }
}
