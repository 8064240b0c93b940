//! Import and export on real Postgres: all or nothing, and export → import → export is exact.

use berth_catalog::{ImportError, builtin, export, import};
use berth_db::Page;
use berth_db::audit::{self, AuditFilter, NewAuditEntry, Outcome};
use berth_db::catalog::{Author, buckets, templates};
use berth_db::testing::TestDatabase;

const TESS: Author<'static> = Author {
    user_id: None,
    name: "Tess",
};

fn base() -> NewAuditEntry {
    NewAuditEntry::new("Tess", "template.import", Outcome::Success)
}

#[tokio::test]
async fn every_built_in_imports_and_exports_exactly() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    for (file, text) in builtin::FILES {
        let done = import(&mut conn, text, TESS, &base()).await.unwrap();
        assert!(done.created, "{file}");
        let exported = export(&mut conn, &done.name, None).await.unwrap();
        // Into a fresh database and out again: the same text.
        let other = TestDatabase::create().await.unwrap();
        let mut other_conn = other.pool().unwrap().get().await.unwrap();
        import(&mut other_conn, &exported, TESS, &base())
            .await
            .unwrap();
        assert_eq!(
            export(&mut other_conn, &done.name, None).await.unwrap(),
            exported,
            "{file}"
        );
    }
    let filter = AuditFilter {
        action: Some("template.import".into()),
        ..Default::default()
    };
    let page = audit::list(&mut conn, &filter, Page::new(100, 0))
        .await
        .unwrap();
    assert_eq!(page.total, builtin::FILES.len() as i64);
}

#[tokio::test]
async fn importing_again_makes_a_new_version_and_old_exports_stay() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let text = builtin::FILES[0].1;
    let first = import(&mut conn, text, TESS, &base()).await.unwrap();
    let v1 = export(&mut conn, &first.name, None).await.unwrap();
    let changed = v1.replace("cores: 1", "cores: 3");
    let second = import(&mut conn, &changed, TESS, &base()).await.unwrap();
    assert_eq!((second.created, second.version), (false, 2));
    assert!(second.created_buckets.is_empty());
    assert_eq!(export(&mut conn, &first.name, Some(1)).await.unwrap(), v1);
    assert_eq!(
        export(&mut conn, &first.name, Some(2)).await.unwrap(),
        changed
    );
}

#[tokio::test]
async fn a_bad_file_or_a_clashing_bucket_imports_nothing() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let text = builtin::FILES[0].1;
    let bad = text.replace("disk_gib: 8", "disk_gib: 0");
    match import(&mut conn, &bad, TESS, &base()).await {
        Err(ImportError::Invalid(problems)) => {
            assert_eq!(problems[0].path, "template.resources.disk_gib")
        }
        other => panic!("{other:?}"),
    }
    // A bucket of the same name with other packages is never overwritten by an import.
    let mut clash = berth_catalog::TemplateDocument::parse(text)
        .unwrap()
        .buckets[0]
        .clone();
    clash.packages = vec!["htop".into()];
    buckets::create(
        &mut conn,
        &clash,
        false,
        &NewAuditEntry::new("Tess", "bucket.create", Outcome::Success),
    )
    .await
    .unwrap();
    match import(&mut conn, text, TESS, &base()).await {
        Err(ImportError::Invalid(problems)) => {
            assert_eq!(problems[0].path, "buckets[0]");
            assert!(problems[0].message.contains("different bucket"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        templates::list(&mut conn, &Default::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(buckets::list(&mut conn).await.unwrap().len(), 1);
}
