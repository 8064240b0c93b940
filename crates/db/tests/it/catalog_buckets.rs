//! Package buckets on real Postgres: validation, the in-use refusal, and edits that re-version
//! the templates installing them.

use crate::catalog_support::*;
use berth_db::catalog::CatalogError;
use berth_db::catalog::buckets;
use berth_db::catalog::templates::{self, Existing};
use berth_db::testing::TestDatabase;

#[tokio::test]
async fn a_bucket_in_use_cannot_be_deleted() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    add_bucket(&mut conn, "base-tools", &["curl"]).await;
    add_template(&mut conn, &template("web", &["base-tools"])).await;
    add_template(&mut conn, &template("api", &["base-tools"])).await;

    let refused = buckets::delete(&mut conn, "base-tools", &entry("bucket.delete")).await;
    match refused {
        Err(CatalogError::InUse { templates }) => assert_eq!(templates, ["api", "web"]),
        other => panic!("{other:?}"),
    }
    let listed = buckets::list(&mut conn).await.unwrap();
    assert_eq!(listed[0].used_by, ["api", "web"]);

    // Once no current version installs it, it goes.
    for name in ["web", "api"] {
        save(
            &mut conn,
            &template(name, &[]),
            Existing::Update,
            "no tools",
            "template.update",
        )
        .await
        .unwrap();
    }
    buckets::delete(&mut conn, "base-tools", &entry("bucket.delete"))
        .await
        .unwrap();
    assert!(matches!(
        buckets::get(&mut conn, "base-tools").await,
        Err(CatalogError::NotFound)
    ));
    // Version 1 of each template still shows what it installed.
    let (_, snapshot, _) = templates::version(&mut conn, "web", 1).await.unwrap();
    assert_eq!(snapshot[0].name, "base-tools");
}

#[tokio::test]
async fn editing_a_bucket_versions_the_templates_that_use_it() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    add_bucket(&mut conn, "base-tools", &["curl"]).await;
    add_bucket(&mut conn, "other", &["git"]).await;
    add_template(&mut conn, &template("web", &["base-tools"])).await;
    add_template(&mut conn, &template("lonely", &["other"])).await;

    let changed = buckets::update(
        &mut conn,
        "base-tools",
        &bucket("base-tools", &["curl", "jq"]),
        TESS,
        &entry("bucket.update"),
    )
    .await
    .unwrap();
    assert_eq!(changed, ["web"]);
    let detail = templates::detail(&mut conn, "web").await.unwrap();
    assert_eq!(detail.current.version, 2);
    assert_eq!(detail.current.note, "package bucket base-tools changed");
    assert_eq!(detail.buckets[0].packages, ["curl", "jq"]);
    let (_, old, _) = templates::version(&mut conn, "web", 1).await.unwrap();
    assert_eq!(old[0].packages, ["curl"]);
    assert_eq!(
        templates::detail(&mut conn, "lonely")
            .await
            .unwrap()
            .current
            .version,
        1
    );

    let renamed = buckets::update(
        &mut conn,
        "other",
        &bucket("renamed", &["git"]),
        TESS,
        &entry("bucket.update"),
    )
    .await;
    assert!(matches!(renamed, Err(CatalogError::Invalid(p)) if p[0].path == "name"));
}

#[tokio::test]
async fn bad_buckets_are_refused_with_every_problem() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let mut bad = bucket("Tools", &["curl", "bad name"]);
    bad.manager = berth_domain::template::PackageManager::Pip;
    let result = buckets::create(&mut conn, &bad, false, &entry("bucket.create")).await;
    let Err(CatalogError::Invalid(problems)) = result else {
        panic!("{result:?}")
    };
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["name", "packages[1]"]);

    add_bucket(&mut conn, "tools", &["curl"]).await;
    let twice = buckets::create(
        &mut conn,
        &bucket("tools", &["git"]),
        false,
        &entry("bucket.create"),
    )
    .await;
    assert!(
        matches!(twice, Err(CatalogError::Invalid(p)) if p[0].message.contains("already exists"))
    );
    assert_eq!(
        buckets::get(&mut conn, "tools").await.unwrap().packages,
        ["curl"]
    );
    assert!(matches!(
        buckets::update(
            &mut conn,
            "missing",
            &bucket("missing", &["x1"]),
            TESS,
            &entry("bucket.update")
        )
        .await,
        Err(CatalogError::NotFound)
    ));
}
