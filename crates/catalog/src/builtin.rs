//! The built-in catalog: the files of `infra/templates/`, compiled in, and seeded on start. Each
//! built-in is seeded once (recorded in `builtin_seeds`): one that an admin edited or deleted is
//! left as it is, and one new in this version of Berth is added.

use crate::document::TemplateDocument;
use berth_db::Connection;
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::templates::{self, Existing};
use berth_db::catalog::{Author, CatalogError, buckets};
use berth_db::schema::builtin_seeds;
use berth_domain::template::FieldProblem;
use diesel::ExpressionMethods;
use diesel_async::{AsyncConnection as _, RunQueryDsl};

/// `(file name, text)` of every built-in template.
pub const FILES: [(&str, &str); 5] = [
    (
        "debian-base.yaml",
        include_str!("../../../infra/templates/debian-base.yaml"),
    ),
    (
        "web3-dev.yaml",
        include_str!("../../../infra/templates/web3-dev.yaml"),
    ),
    (
        "lukso-node.yaml",
        include_str!("../../../infra/templates/lukso-node.yaml"),
    ),
    (
        "dokploy.yaml",
        include_str!("../../../infra/templates/dokploy.yaml"),
    ),
    (
        "comfyui.yaml",
        include_str!("../../../infra/templates/comfyui.yaml"),
    ),
];

/// Every built-in file, parsed and validated.
pub fn documents() -> Result<Vec<TemplateDocument>, (String, Vec<FieldProblem>)> {
    FILES
        .iter()
        .map(|(file, text)| TemplateDocument::parse(text).map_err(|p| (file.to_string(), p)))
        .collect()
}

/// What seeding added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub templates: Vec<String>,
    pub buckets: Vec<String>,
}

/// Serialises servers that start together (the unique names would refuse the loser anyway).
const SEED_LOCK: i64 = 0x6265_7274_685f_7364; // "berth_sd"

/// Adds the built-in templates never seeded before, with their missing buckets, in one
/// transaction.
pub async fn seed(conn: &mut Connection) -> Result<Seeded, CatalogError> {
    let documents = documents().map_err(|(file, problems)| {
        let first = problems
            .iter()
            .map(ToString::to_string)
            .next()
            .unwrap_or_default();
        CatalogError::Corrupt(format!("built-in {file}: {first}"))
    })?;
    conn.transaction::<_, CatalogError, _>(async |conn| {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({SEED_LOCK})"))
            .execute(conn)
            .await?;
        let mut seeded = Seeded::default();
        for document in &documents {
            if already_seeded(conn, &document.template.name).await? {
                continue;
            }
            for bucket in &document.buckets {
                if matches!(
                    buckets::get(conn, &bucket.name).await,
                    Err(CatalogError::NotFound)
                ) {
                    buckets::create(conn, bucket, true, &system("bucket.create")).await?;
                    seeded.buckets.push(bucket.name.clone());
                }
            }
            let name = &document.template.name;
            diesel::insert_into(builtin_seeds::table)
                .values(builtin_seeds::name.eq(name))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if !templates::exists(conn, name).await? {
                templates::save(
                    conn,
                    &document.template,
                    Existing::Refuse,
                    true,
                    Author::BUILTIN,
                    "built-in",
                    &system("template.create"),
                )
                .await?;
                seeded.templates.push(name.clone());
            }
        }
        Ok(seeded)
    })
    .await
}

fn system(action: &str) -> NewAuditEntry {
    NewAuditEntry::new("Berth", action, Outcome::Success)
        .details(serde_json::json!({ "builtin": true }))
}

async fn already_seeded(conn: &mut Connection, name: &str) -> Result<bool, CatalogError> {
    use diesel::QueryDsl;
    let found: i64 = builtin_seeds::table
        .filter(builtin_seeds::name.eq(name))
        .count()
        .get_result(conn)
        .await?;
    Ok(found > 0)
}
