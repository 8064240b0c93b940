//! Package buckets: list with their users, create, edit (which re-versions the templates that
//! install the bucket), delete (refused while a template installs it).

use super::error::{decode, encode};
use super::{Author, CatalogError, templates};
use crate::Connection;
use crate::audit::{self, NewAuditEntry};
use crate::schema::{package_buckets, template_buckets, templates as templates_table};
use berth_domain::template::{BucketSummary, PackageBucket};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection as _, RunQueryDsl};
use uuid::Uuid;

pub const NAME_UNIQUE: &str = "package_buckets_name_unique";

/// Every bucket by name, each with the templates that install it.
pub async fn list(conn: &mut Connection) -> Result<Vec<BucketSummary>, CatalogError> {
    let rows: Vec<(Uuid, serde_json::Value, DateTime<Utc>)> = package_buckets::table
        .order(package_buckets::name)
        .select((
            package_buckets::id,
            package_buckets::spec,
            package_buckets::updated_at,
        ))
        .load(conn)
        .await?;
    let uses: Vec<(Uuid, String)> = template_buckets::table
        .inner_join(templates_table::table)
        .order(templates_table::name)
        .select((template_buckets::bucket_id, templates_table::name))
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|(id, spec, updated_at)| {
            Ok(BucketSummary {
                bucket: decode(spec)?,
                used_by: uses
                    .iter()
                    .filter(|(bucket, _)| *bucket == id)
                    .map(|(_, name)| name.clone())
                    .collect(),
                updated_at: updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            })
        })
        .collect()
}

pub async fn get(conn: &mut Connection, name: &str) -> Result<PackageBucket, CatalogError> {
    let spec: serde_json::Value = package_buckets::table
        .filter(package_buckets::name.eq(name))
        .select(package_buckets::spec)
        .first(conn)
        .await
        .optional()?
        .ok_or(CatalogError::NotFound)?;
    decode(spec)
}

pub async fn create(
    conn: &mut Connection,
    bucket: &PackageBucket,
    builtin: bool,
    entry: &NewAuditEntry,
) -> Result<(), CatalogError> {
    bucket.validate().map_err(CatalogError::Invalid)?;
    let spec = encode(bucket)?;
    conn.transaction::<_, CatalogError, _>(async |conn| {
        let inserted = diesel::insert_into(package_buckets::table)
            .values((
                package_buckets::name.eq(&bucket.name),
                package_buckets::spec.eq(&spec),
                package_buckets::builtin.eq(builtin),
            ))
            .execute(conn)
            .await;
        match inserted.map_err(crate::DbError::from) {
            Err(e) if e.is_conflict_on(NAME_UNIQUE) => {
                return Err(CatalogError::invalid(
                    "name",
                    format!("a bucket named {:?} already exists", bucket.name),
                ));
            }
            other => other?,
        };
        audit::insert(conn, &targeted(entry, &bucket.name)).await?;
        Ok(())
    })
    .await
}

/// Replaces the bucket's content (its name stays). Each template that installs it gets a new
/// version with the new content, so runs of older versions keep installing what they said.
/// Returns the names of those templates.
pub async fn update(
    conn: &mut Connection,
    name: &str,
    bucket: &PackageBucket,
    author: Author<'_>,
    entry: &NewAuditEntry,
) -> Result<Vec<String>, CatalogError> {
    if bucket.name != name {
        return Err(CatalogError::invalid(
            "name",
            "a bucket cannot be renamed; create a new one instead",
        ));
    }
    bucket.validate().map_err(CatalogError::Invalid)?;
    let spec = encode(bucket)?;
    conn.transaction::<_, CatalogError, _>(async |conn| {
        let id = lock(conn, name).await?;
        diesel::update(package_buckets::table.find(id))
            .set((
                package_buckets::spec.eq(&spec),
                package_buckets::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        let users = templates::using_bucket(conn, id).await?;
        let note = format!("package bucket {name} changed");
        for (template_id, _, current) in &users {
            // Lock in the same order as a template save (template row, then versions).
            templates_table::table
                .find(template_id)
                .select(templates_table::id)
                .for_update()
                .first::<Uuid>(conn)
                .await?;
            templates::resave(conn, *template_id, *current, author, &note).await?;
        }
        let names: Vec<String> = users.into_iter().map(|(_, n, _)| n).collect();
        let mut entry = targeted(entry, name);
        if let Some(map) = entry.details.as_object_mut() {
            map.insert("templates_reversioned".into(), names.clone().into());
        }
        audit::insert(conn, &entry).await?;
        Ok(names)
    })
    .await
}

/// Deletes the bucket, unless a template installs it: then [`CatalogError::InUse`] names them.
pub async fn delete(
    conn: &mut Connection,
    name: &str,
    entry: &NewAuditEntry,
) -> Result<(), CatalogError> {
    conn.transaction::<_, CatalogError, _>(async |conn| {
        let id = lock(conn, name).await?;
        let users = templates::using_bucket(conn, id).await?;
        if !users.is_empty() {
            return Err(CatalogError::InUse {
                templates: users.into_iter().map(|(_, n, _)| n).collect(),
            });
        }
        diesel::delete(package_buckets::table.find(id))
            .execute(conn)
            .await?;
        audit::insert(conn, &targeted(entry, name)).await?;
        Ok(())
    })
    .await
}

async fn lock(conn: &mut Connection, name: &str) -> Result<Uuid, CatalogError> {
    package_buckets::table
        .filter(package_buckets::name.eq(name))
        .select(package_buckets::id)
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or(CatalogError::NotFound)
}

fn targeted(entry: &NewAuditEntry, name: &str) -> NewAuditEntry {
    NewAuditEntry {
        target_type: Some("package_bucket".into()),
        target_id: Some(name.to_string()),
        ..entry.clone()
    }
}
