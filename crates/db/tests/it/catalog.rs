//! Templates on real Postgres: versions, history, the optimistic lock, validation, filters.

use crate::catalog_support::*;
use berth_db::audit::{self, AuditFilter};
use berth_db::catalog::templates::{self, Existing};
use berth_db::catalog::{CatalogError, TemplateFilter};
use berth_db::testing::TestDatabase;
use berth_db::{Connection, Page};
use diesel_async::RunQueryDsl;

async fn audited(conn: &mut Connection, action: &str) -> Vec<(Option<String>, serde_json::Value)> {
    let filter = AuditFilter {
        action: Some(action.into()),
        ..Default::default()
    };
    audit::list(conn, &filter, Page::new(100, 0))
        .await
        .unwrap()
        .entries
        .into_iter()
        .map(|e| (e.target_id, e.details))
        .collect()
}

#[tokio::test]
async fn every_save_is_a_new_immutable_version() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    add_bucket(&mut conn, "base-tools", &["curl"]).await;
    let mut spec = template("web", &["base-tools"]);
    assert_eq!(add_template(&mut conn, &spec).await, 1);

    spec.resources.cores = 4;
    let saved = save(
        &mut conn,
        &spec,
        Existing::UpdateFrom(1),
        "more cores",
        "template.update",
    )
    .await
    .unwrap();
    assert_eq!(saved, 2);

    let detail = templates::detail(&mut conn, "web").await.unwrap();
    assert_eq!(detail.current.version, 2);
    assert_eq!(detail.spec.resources.cores, 4);
    assert_eq!(detail.buckets[0].packages, ["curl"]);
    let history: Vec<_> = detail
        .versions
        .iter()
        .map(|v| (v.version, v.note.as_str(), v.created_by.as_str()))
        .collect();
    assert_eq!(
        history,
        [
            (2, "more cores", "Tess Admin"),
            (1, "created", "Tess Admin")
        ]
    );
    let (first, _, _) = templates::version(&mut conn, "web", 1).await.unwrap();
    assert_eq!(first.resources.cores, 1);

    // The editor that loaded version 1 is told that 2 exists, and nothing is written.
    let stale = save(
        &mut conn,
        &spec,
        Existing::UpdateFrom(1),
        "",
        "template.update",
    )
    .await;
    assert!(
        matches!(stale, Err(CatalogError::Stale { current: 2 })),
        "{stale:?}"
    );
    assert_eq!(
        audited(&mut conn, "template.update").await,
        [(Some("web".into()), serde_json::json!({"version": 2}))]
    );

    // Rows of the history cannot be changed.
    let err = diesel::sql_query("UPDATE template_versions SET note = 'rewritten'")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("template versions are immutable"),
        "{err}"
    );
}

#[tokio::test]
async fn a_taken_name_and_a_missing_template_are_refused() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let spec = template("web", &[]);
    add_template(&mut conn, &spec).await;
    let again = save(&mut conn, &spec, Existing::Refuse, "", "template.create").await;
    match again {
        Err(CatalogError::Invalid(problems)) => {
            assert_eq!(problems[0].path, "name");
            assert!(problems[0].message.contains("already exists"));
        }
        other => panic!("{other:?}"),
    }
    let missing = save(
        &mut conn,
        &template("other", &[]),
        Existing::UpdateFrom(1),
        "",
        "template.update",
    )
    .await;
    assert!(matches!(missing, Err(CatalogError::NotFound)));
    assert!(matches!(
        templates::detail(&mut conn, "other").await,
        Err(CatalogError::NotFound)
    ));
}

#[tokio::test]
async fn invalid_content_and_unknown_buckets_write_nothing() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    add_bucket(&mut conn, "base-tools", &["curl"]).await;
    let mut spec = template("web", &["base-tools", "nope", "gone"]);
    let result = save(&mut conn, &spec, Existing::Refuse, "", "template.create").await;
    let Err(CatalogError::Invalid(problems)) = result else {
        panic!("{result:?}")
    };
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["buckets[1]", "buckets[2]"]);
    assert!(
        problems[0]
            .message
            .contains("no package bucket named \"nope\"")
    );

    spec.buckets.truncate(1);
    spec.resources.memory_mib = 1;
    spec.scripts[0].timeout_secs = 0;
    let result = save(&mut conn, &spec, Existing::Refuse, "", "template.create").await;
    let Err(CatalogError::Invalid(problems)) = result else {
        panic!("{result:?}")
    };
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["resources.memory_mib", "scripts[0].timeout_secs"]);

    assert!(
        templates::list(&mut conn, &TemplateFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(audited(&mut conn, "template.create").await.is_empty());
}

#[tokio::test]
async fn buckets_keep_their_order() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    for name in ["a-first", "b-second", "c-third"] {
        add_bucket(&mut conn, name, &["curl"]).await;
    }
    add_template(
        &mut conn,
        &template("web", &["c-third", "a-first", "b-second"]),
    )
    .await;
    let detail = templates::detail(&mut conn, "web").await.unwrap();
    let order: Vec<_> = detail.buckets.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(order, ["c-third", "a-first", "b-second"]);
    assert_eq!(detail.spec.buckets, order);
}

#[tokio::test]
async fn the_catalog_filters_by_words_category_and_tag() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let mut web = template("web", &[]);
    web.title = "Nginx web server".into();
    web.category = "web".into();
    web.tags = vec!["nginx".into(), "debian".into()];
    let mut db_spec = template("postgres", &[]);
    db_spec.title = "PostgreSQL 100%".into();
    db_spec.description = "A database server".into();
    db_spec.category = "database".into();
    db_spec.tags = vec!["sql".into()];
    add_template(&mut conn, &web).await;
    add_template(&mut conn, &db_spec).await;

    let names = async |conn: &mut Connection, search: &str, category: &str, tag: &str| {
        let filter = TemplateFilter {
            search: search.into(),
            category: category.into(),
            tag: tag.into(),
        };
        templates::list(conn, &filter)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&mut conn, "", "", "").await, ["web", "postgres"]);
    assert_eq!(
        names(&mut conn, "SERVER", "", "").await,
        ["web", "postgres"]
    );
    assert_eq!(names(&mut conn, "server nginx", "", "").await, ["web"]);
    assert_eq!(names(&mut conn, "100%", "", "").await, ["postgres"]);
    assert_eq!(names(&mut conn, "_", "", "").await, Vec::<String>::new());
    assert_eq!(names(&mut conn, "", "database", "").await, ["postgres"]);
    assert_eq!(names(&mut conn, "", "", "debian").await, ["web"]);
    assert_eq!(
        names(&mut conn, "", "web", "sql").await,
        Vec::<String>::new()
    );
    let (categories, tags) = templates::facets(&mut conn).await.unwrap();
    assert_eq!(categories, ["database", "web"]);
    assert_eq!(tags, ["debian", "nginx", "sql"]);
}

#[tokio::test]
async fn deleting_a_template_removes_its_history_and_is_audited() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    add_template(&mut conn, &template("web", &[])).await;
    templates::delete(&mut conn, "web", &entry("template.delete"))
        .await
        .unwrap();
    assert!(matches!(
        templates::detail(&mut conn, "web").await,
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        templates::delete(&mut conn, "web", &entry("template.delete")).await,
        Err(CatalogError::NotFound)
    ));
    assert_eq!(
        audited(&mut conn, "template.delete").await,
        [(Some("web".into()), serde_json::json!({"version": 1}))]
    );
    // The name is free again.
    assert_eq!(add_template(&mut conn, &template("web", &[])).await, 1);
}
