//! Paging the audit trail with totals, and exporting it in keyset batches.

use berth_db::Page;
use berth_db::audit::{self, AuditFilter, NewAuditEntry, Outcome};
use berth_db::testing::TestDatabase;

#[tokio::test]
async fn pages_carry_the_total_and_export_reads_everything_in_batches() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    for n in 0..25 {
        let action = if n % 5 == 0 { "logout" } else { "login" };
        audit::insert(
            &mut conn,
            &NewAuditEntry::new(format!("user {n}"), action, Outcome::Success),
        )
        .await
        .unwrap();
    }
    let logins = AuditFilter {
        action: Some("login".into()),
        ..AuditFilter::default()
    };
    let first = audit::list(&mut conn, &logins, Page::new(8, 0))
        .await
        .unwrap();
    let last = audit::list(&mut conn, &logins, Page::new(8, 16))
        .await
        .unwrap();
    assert_eq!(
        (first.total, first.entries.len(), last.entries.len()),
        (20, 8, 4)
    );
    assert!(
        first.entries.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    assert_eq!(first.entries[0].actor_name, "user 24");
    assert_eq!(last.entries[3].actor_name, "user 1");
    let beyond = audit::list(&mut conn, &logins, Page::new(8, 40))
        .await
        .unwrap();
    assert!(beyond.entries.is_empty() && beyond.total == 20);

    // Keyset batches, oldest first, no gaps or repeats.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let batch = audit::export_batch(&mut conn, &logins, after, 6)
            .await
            .unwrap();
        let Some(tail) = batch.last() else { break };
        after = Some(tail.id);
        seen.extend(batch.into_iter().map(|e| e.id));
    }
    let all = audit::export_all(&mut conn, &logins).await.unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), seen);
    assert_eq!(seen.len(), 20);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert!(
        audit::export_all(
            &mut conn,
            &AuditFilter {
                action: Some("nothing".into()),
                ..AuditFilter::default()
            }
        )
        .await
        .unwrap()
        .is_empty()
    );
}

#[tokio::test]
async fn export_all_crosses_batch_boundaries() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let rows = audit::EXPORT_BATCH * 2 + 5;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO audit_log (actor_name, action, outcome) \
             SELECT 'bulk ' || n, 'login', 'success' FROM generate_series(1, {rows}) AS n"
        )),
        &mut conn,
    )
    .await
    .unwrap();
    let all = audit::export_all(&mut conn, &AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len() as i64, rows);
    assert_eq!(all[0].actor_name, "bulk 1");
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
}
