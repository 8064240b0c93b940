//! Writing a version: resolve the buckets it names, snapshot them, point the template at it.

use super::error::{decode, encode};
use super::{Author, CatalogError};
use crate::Connection;
use crate::schema::{package_buckets, template_buckets, template_versions, templates};
use berth_domain::template::{FieldProblem, PackageBucket, TemplateSpec, TemplateVersionInfo};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = template_versions)]
pub(super) struct VersionRow {
    pub version: i32,
    pub spec: serde_json::Value,
    pub buckets: serde_json::Value,
    pub note: String,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
}

impl VersionRow {
    pub fn info(&self) -> TemplateVersionInfo {
        TemplateVersionInfo {
            version: self.version,
            created_at: self.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            created_by: self.created_by_name.clone(),
            note: self.note.clone(),
        }
    }

    pub fn content(self) -> Result<(TemplateSpec, Vec<PackageBucket>), CatalogError> {
        Ok((decode(self.spec)?, decode(self.buckets)?))
    }
}

/// The buckets `spec` names, in its order; a name that is no bucket is a problem at its path.
pub(super) async fn resolve_buckets(
    conn: &mut Connection,
    spec: &TemplateSpec,
) -> Result<Vec<(Uuid, PackageBucket)>, CatalogError> {
    let rows: Vec<(Uuid, String, serde_json::Value)> = package_buckets::table
        .filter(package_buckets::name.eq_any(&spec.buckets))
        .select((
            package_buckets::id,
            package_buckets::name,
            package_buckets::spec,
        ))
        .load(conn)
        .await?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (i, name) in spec.buckets.iter().enumerate() {
        match rows.iter().find(|(_, n, _)| n == name) {
            Some((id, _, json)) => found.push((*id, decode(json.clone())?)),
            None => missing.push(FieldProblem {
                path: format!("buckets[{i}]"),
                message: format!("there is no package bucket named {name:?}"),
            }),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(CatalogError::Invalid(missing))
    }
}

/// Inserts `version` of the template and makes it current. Call inside a transaction, with the
/// template row locked.
pub(super) async fn write(
    conn: &mut Connection,
    template_id: Uuid,
    version: i32,
    spec: &TemplateSpec,
    author: Author<'_>,
    note: &str,
) -> Result<(), CatalogError> {
    let buckets = resolve_buckets(conn, spec).await?;
    let snapshot: Vec<&PackageBucket> = buckets.iter().map(|(_, b)| b).collect();
    diesel::insert_into(template_versions::table)
        .values((
            template_versions::template_id.eq(template_id),
            template_versions::version.eq(version),
            template_versions::spec.eq(encode(spec)?),
            template_versions::buckets.eq(encode(&snapshot)?),
            template_versions::note.eq(note.chars().take(500).collect::<String>()),
            template_versions::created_by.eq(author.user_id),
            template_versions::created_by_name.eq(author.name),
        ))
        .execute(conn)
        .await?;
    diesel::delete(template_buckets::table.filter(template_buckets::template_id.eq(template_id)))
        .execute(conn)
        .await?;
    let links: Vec<_> = buckets
        .iter()
        .enumerate()
        .map(|(position, (bucket_id, _))| {
            (
                template_buckets::template_id.eq(template_id),
                template_buckets::bucket_id.eq(*bucket_id),
                template_buckets::position.eq(position as i32),
            )
        })
        .collect();
    if !links.is_empty() {
        diesel::insert_into(template_buckets::table)
            .values(links)
            .execute(conn)
            .await?;
    }
    diesel::update(templates::table.find(template_id))
        .set((
            templates::current_version.eq(version),
            templates::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub(super) async fn all(
    conn: &mut Connection,
    template_id: Uuid,
) -> Result<Vec<VersionRow>, CatalogError> {
    Ok(template_versions::table
        .filter(template_versions::template_id.eq(template_id))
        .order(template_versions::version.desc())
        .select(VersionRow::as_select())
        .load(conn)
        .await?)
}

pub(super) async fn one(
    conn: &mut Connection,
    template_id: Uuid,
    version: i32,
) -> Result<Option<VersionRow>, CatalogError> {
    Ok(template_versions::table
        .filter(template_versions::template_id.eq(template_id))
        .filter(template_versions::version.eq(version))
        .select(VersionRow::as_select())
        .first(conn)
        .await
        .optional()?)
}
