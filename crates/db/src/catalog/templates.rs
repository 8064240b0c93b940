//! Templates: the catalog, one template with its history, and saving (always a new version).

use super::error::decode_str;
use super::{Author, CatalogError, versions};
use crate::Connection;
use crate::audit::{self, NewAuditEntry};
use crate::schema::{template_versions, templates};
use berth_domain::template::{
    PackageBucket, TemplateDetail, TemplateSpec, TemplateSummary, TemplateVersionInfo,
};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection as _, RunQueryDsl};
use uuid::Uuid;

pub const NAME_UNIQUE: &str = "templates_name_unique";

/// Catalog filters; empty fields filter nothing.
#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    /// Words matched (case-insensitively) against name, title, description and tags.
    pub search: String,
    pub category: String,
    pub tag: String,
}

impl TemplateFilter {
    /// Whether the filter lets every template through (after trimming).
    pub fn is_empty(&self) -> bool {
        self.search.trim().is_empty() && self.category.is_empty() && self.tag.is_empty()
    }
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// A jsonb value as its text form (`text(jsonb)`, the function-call form of `::text`).
    /// Unlike a `sql` literal it leaves the query cacheable, so the catalog's statement is
    /// prepared once per connection instead of parsed and planned on every page.
    #[sql_name = "text"]
    fn jsonb_text(value: diesel::sql_types::Jsonb) -> diesel::sql_types::Text;
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = templates)]
struct TemplateRow {
    id: Uuid,
    builtin: bool,
    current_version: i32,
}

/// The `summary` column (generated from the spec: the fields a catalog entry shows, absent ones
/// left out) read back; defaults as in [`TemplateSpec`].
#[derive(serde::Deserialize)]
struct SummaryFields {
    name: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    icon: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: Vec<String>,
    os_template: String,
}

/// The catalog, by title. The filter runs on the current version's content in Postgres.
pub async fn list(
    conn: &mut Connection,
    filter: &TemplateFilter,
) -> Result<Vec<TemplateSummary>, CatalogError> {
    let mut query = templates::table
        .inner_join(
            template_versions::table.on(template_versions::template_id
                .eq(templates::id)
                .and(template_versions::version.eq(templates::current_version))),
        )
        .select((
            templates::builtin,
            templates::current_version,
            templates::updated_at,
            // Not the spec: files and scripts can be large, and the summary is kept apart. As
            // text, parsed straight into its fields: no `serde_json::Value` map per row.
            jsonb_text(template_versions::summary),
        ))
        .into_boxed();
    if !filter.category.is_empty() {
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "template_versions.summary ->> 'category' = ",
            )
            .bind::<diesel::sql_types::Text, _>(filter.category.clone()),
        );
    }
    if !filter.tag.is_empty() {
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("template_versions.summary -> 'tags' ? ")
                .bind::<diesel::sql_types::Text, _>(filter.tag.clone()),
        );
    }
    for word in filter.search.split_whitespace().take(8) {
        let pattern = format!("%{}%", escape_like(word));
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "concat_ws(' ', templates.name, template_versions.summary ->> 'title', \
                 template_versions.summary ->> 'description', template_versions.summary ->> 'tags') ILIKE ",
            )
            .bind::<diesel::sql_types::Text, _>(pattern),
        );
    }
    let rows: Vec<(bool, i32, DateTime<Utc>, String)> = query.load(conn).await?;
    let mut summaries = rows
        .into_iter()
        .map(|(builtin, version, updated_at, spec)| {
            let spec: SummaryFields = decode_str(&spec)?;
            Ok(TemplateSummary {
                name: spec.name,
                title: spec.title,
                description: spec.description,
                icon: spec.icon,
                category: spec.category,
                tags: spec.tags,
                os_template: spec.os_template,
                builtin,
                version,
                updated_at: updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            })
        })
        .collect::<Result<Vec<_>, CatalogError>>()?;
    // Cached: the key allocates, and `sort_by_key` would make it once per comparison.
    summaries.sort_by_cached_key(|t| t.title.to_lowercase());
    Ok(summaries)
}

fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Every category and tag in use, for the catalog's filters.
pub async fn facets(conn: &mut Connection) -> Result<(Vec<String>, Vec<String>), CatalogError> {
    Ok(facets_of(&list(conn, &TemplateFilter::default()).await?))
}

/// The categories and tags of `all`, sorted, each once: the facets without a second query when
/// the catalog was listed unfiltered.
pub fn facets_of(all: &[TemplateSummary]) -> (Vec<String>, Vec<String>) {
    let mut categories: Vec<String> = all
        .iter()
        .map(|t| t.category.clone())
        .filter(|c| !c.is_empty())
        .collect();
    let mut tags: Vec<String> = all.iter().flat_map(|t| t.tags.iter().cloned()).collect();
    categories.sort();
    categories.dedup();
    tags.sort();
    tags.dedup();
    (categories, tags)
}

async fn find(conn: &mut Connection, name: &str) -> Result<TemplateRow, CatalogError> {
    templates::table
        .filter(templates::name.eq(name))
        .select(TemplateRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(CatalogError::NotFound)
}

/// Whether a template of this name exists (without loading its history).
pub async fn exists(conn: &mut Connection, name: &str) -> Result<bool, CatalogError> {
    match find(conn, name).await {
        Ok(_) => Ok(true),
        Err(CatalogError::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The current version with its buckets and the whole history, newest first.
pub async fn detail(conn: &mut Connection, name: &str) -> Result<TemplateDetail, CatalogError> {
    let row = find(conn, name).await?;
    let mut rows = versions::all(conn, row.id).await?;
    let history: Vec<TemplateVersionInfo> = rows.iter().map(|v| v.info()).collect();
    let position = rows
        .iter()
        .position(|v| v.version == row.current_version)
        .ok_or_else(|| CatalogError::Corrupt(format!("{name}: current version missing")))?;
    let current = rows.swap_remove(position);
    let info = current.info();
    let (spec, buckets) = current.content()?;
    Ok(TemplateDetail {
        spec,
        buckets,
        builtin: row.builtin,
        current: info,
        versions: history,
    })
}

/// One version's content, as it was saved.
pub async fn version(
    conn: &mut Connection,
    name: &str,
    version: i32,
) -> Result<(TemplateSpec, Vec<PackageBucket>, TemplateVersionInfo), CatalogError> {
    let row = find(conn, name).await?;
    let saved = versions::one(conn, row.id, version)
        .await?
        .ok_or(CatalogError::NotFound)?;
    let info = saved.info();
    let (spec, buckets) = saved.content()?;
    Ok((spec, buckets, info))
}

/// What a save does when the template exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: creating a template whose name is taken.
    Refuse,
    /// Save a new version only if the current one is still `base` (the editor's copy).
    UpdateFrom(i32),
    /// Save a new version whatever is current (import).
    Update,
}

/// Saves `spec` as a new template (version 1) or a new version of it; returns the version.
/// The audit entry gets the target and the version, and is written in the same transaction.
pub async fn save(
    conn: &mut Connection,
    spec: &TemplateSpec,
    existing: Existing,
    builtin: bool,
    author: Author<'_>,
    note: &str,
    entry: &NewAuditEntry,
) -> Result<i32, CatalogError> {
    spec.validate().map_err(CatalogError::Invalid)?;
    conn.transaction::<_, CatalogError, _>(async |conn| {
        let current: Option<TemplateRow> = templates::table
            .filter(templates::name.eq(&spec.name))
            .select(TemplateRow::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?;
        let (id, version) = match (current, existing) {
            (None, Existing::UpdateFrom(_)) => return Err(CatalogError::NotFound),
            (None, _) => {
                let id: Uuid = diesel::insert_into(templates::table)
                    .values((
                        templates::name.eq(&spec.name),
                        templates::builtin.eq(builtin),
                        templates::current_version.eq(1),
                    ))
                    .returning(templates::id)
                    .get_result(conn)
                    .await?;
                (id, 1)
            }
            (Some(_), Existing::Refuse) => {
                return Err(CatalogError::invalid(
                    "name",
                    format!("a template named {:?} already exists", spec.name),
                ));
            }
            (Some(row), Existing::UpdateFrom(base)) if base != row.current_version => {
                return Err(CatalogError::Stale {
                    current: row.current_version,
                });
            }
            (Some(row), _) => (row.id, row.current_version + 1),
        };
        versions::write(conn, id, version, spec, author, note).await?;
        audit::insert(conn, &targeted(entry, &spec.name, version)).await?;
        Ok(version)
    })
    .await
}

/// Removes a template and its history.
pub async fn delete(
    conn: &mut Connection,
    name: &str,
    entry: &NewAuditEntry,
) -> Result<(), CatalogError> {
    conn.transaction::<_, CatalogError, _>(async |conn| {
        let row = find(conn, name).await?;
        diesel::delete(templates::table.find(row.id))
            .execute(conn)
            .await?;
        audit::insert(conn, &targeted(entry, name, row.current_version)).await?;
        Ok(())
    })
    .await
}

pub(super) fn targeted(entry: &NewAuditEntry, name: &str, version: i32) -> NewAuditEntry {
    let mut details = entry.details.clone();
    if let Some(map) = details.as_object_mut() {
        map.insert("version".into(), version.into());
    }
    NewAuditEntry {
        target_type: Some("template".into()),
        target_id: Some(name.to_string()),
        details,
        ..entry.clone()
    }
}

/// Ids and names of the templates whose current version installs `bucket_id`.
pub(super) async fn using_bucket(
    conn: &mut Connection,
    bucket_id: Uuid,
) -> Result<Vec<(Uuid, String, i32)>, CatalogError> {
    use crate::schema::template_buckets;
    Ok(templates::table
        .inner_join(template_buckets::table)
        .filter(template_buckets::bucket_id.eq(bucket_id))
        .order(templates::name)
        .select((templates::id, templates::name, templates::current_version))
        .load(conn)
        .await?)
}

/// Rewrites the current version of `template_id` as a new version (a bucket it uses changed).
pub(super) async fn resave(
    conn: &mut Connection,
    template_id: Uuid,
    current: i32,
    author: Author<'_>,
    note: &str,
) -> Result<(), CatalogError> {
    let row = versions::one(conn, template_id, current)
        .await?
        .ok_or_else(|| CatalogError::Corrupt("current version missing".into()))?;
    let (spec, _) = row.content()?;
    versions::write(conn, template_id, current + 1, &spec, author, note).await
}
