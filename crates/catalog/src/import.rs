//! Import and export of the single-file form. Import is all or nothing: the buckets the file
//! carries and the template's new version are written in one transaction, or nothing is.

use crate::document::TemplateDocument;
use berth_db::Connection;
use berth_db::audit::NewAuditEntry;
use berth_db::catalog::templates::{self, Existing};
use berth_db::catalog::{Author, CatalogError, buckets};
use berth_domain::template::FieldProblem;
use diesel_async::AsyncConnection as _;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Problems with the file, each with its path in the file.
    #[error("the file has {} problem(s)", .0.len())]
    Invalid(Vec<FieldProblem>),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(error: diesel::result::Error) -> Self {
        ImportError::Catalog(error.into())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub name: String,
    pub version: i32,
    /// Whether the template was new (otherwise a new version of an existing one).
    pub created: bool,
    pub created_buckets: Vec<String>,
}

/// Imports `text`: creates the buckets it carries that do not exist (an existing bucket with
/// other content is a problem: it is never overwritten by an import), then saves the template
/// as new or as a new version. `base` is the audit entry to write (actor, address); its action
/// is set per change.
pub async fn import(
    conn: &mut Connection,
    text: &str,
    author: Author<'_>,
    base: &NewAuditEntry,
) -> Result<Imported, ImportError> {
    let document = TemplateDocument::parse(text).map_err(ImportError::Invalid)?;
    conn.transaction::<_, ImportError, _>(async |conn| {
        let mut problems = Vec::new();
        let mut created_buckets = Vec::new();
        for (i, bucket) in document.buckets.iter().enumerate() {
            match buckets::get(conn, &bucket.name).await {
                Ok(existing) if existing == *bucket => {}
                Ok(_) => problems.push(FieldProblem {
                    path: format!("buckets[{i}]"),
                    message: format!(
                        "a different bucket named {:?} exists here; edit that one or rename this",
                        bucket.name
                    ),
                }),
                Err(CatalogError::NotFound) => {
                    let entry = NewAuditEntry {
                        action: "bucket.create".into(),
                        details: serde_json::json!({ "via": "import" }),
                        ..base.clone()
                    };
                    buckets::create(conn, bucket, false, &entry).await?;
                    created_buckets.push(bucket.name.clone());
                }
                Err(other) => return Err(other.into()),
            }
        }
        if !problems.is_empty() {
            return Err(ImportError::Invalid(problems));
        }
        let created = !templates::exists(conn, &document.template.name).await?;
        let entry = NewAuditEntry {
            action: "template.import".into(),
            ..base.clone()
        };
        let version = templates::save(
            conn,
            &document.template,
            Existing::Update,
            false,
            author,
            "imported",
            &entry,
        )
        .await
        .map_err(|e| match e {
            // Paths from the template's own checks are relative to `template:`.
            CatalogError::Invalid(found) => ImportError::Invalid(
                found
                    .into_iter()
                    .map(|p| FieldProblem {
                        path: format!("template.{}", p.path),
                        message: p.message,
                    })
                    .collect(),
            ),
            other => other.into(),
        })?;
        Ok(Imported {
            name: document.template.name.clone(),
            version,
            created,
            created_buckets,
        })
    })
    .await
}

/// The file for `version` (or the current one) of a template, with the buckets as that version
/// installs them.
pub async fn export(
    conn: &mut Connection,
    name: &str,
    version: Option<i32>,
) -> Result<String, CatalogError> {
    let (spec, buckets) = match version {
        Some(v) => {
            let (spec, buckets, _) = templates::version(conn, name, v).await?;
            (spec, buckets)
        }
        None => {
            let detail = templates::detail(conn, name).await?;
            (detail.spec, detail.buckets)
        }
    };
    Ok(TemplateDocument::new(spec, buckets).to_yaml())
}
