//! `berth-server backup`: fill every table, back up, wipe the schema, restore, and every row is
//! back as it was. A restore without `--yes`, of a damaged dump or of one from a newer schema is
//! refused and changes nothing.

use crate::create_container::{create, valid_spec};
use crate::support::{Setup, app};
use berth_backup as backup;
use berth_db::actions::{self, NewAction};
use berth_db::api_tokens::{self, NewApiToken};
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_domain::Role;
use berth_domain::container::ActionKind;
use berth_domain::run::{LogStream, RunEvent};
use diesel::QueryableByName;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::collections::BTreeMap;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Rows {
    #[diesel(sql_type = Text)]
    rows: String,
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

/// Every table of the schema with all its rows, in a stable order.
pub async fn every_row(url: &str) -> BTreeMap<String, String> {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let mut all = BTreeMap::new();
    for table in tables {
        let query = format!(
            "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]')::text \
             AS rows FROM \"{}\" t",
            table.name
        );
        let rows: Rows = diesel::sql_query(query)
            .get_result(&mut conn)
            .await
            .unwrap();
        all.insert(table.name, rows.rows);
    }
    all
}

async fn runs_table_exists(url: &str) -> bool {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    let found: Exists =
        diesel::sql_query("SELECT to_regclass('public.runs') IS NOT NULL AS exists")
            .get_result(&mut conn)
            .await
            .unwrap();
    found.exists
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restores_every_row_and_bad_restores_change_nothing() {
    let app = app(Setup::default()).await;
    let url = app._db.as_ref().unwrap().url().to_string();

    // Something in every table.
    app.register_worker().await;
    let operator = app.sign_in_as(Role::Operator).await;
    let (_, body) = create(&app, &operator, &valid_spec(&app).await).await;
    let run: uuid::Uuid = serde_json::from_str(&body).unwrap();
    let mut conn = app.pool.get().await.unwrap();
    let user = app
        .create_user("backup-owner", Role::Admin, "a long enough password")
        .await;
    berth_db::identities::link_identity(&mut conn, user.id, "https://idp.example", "sub-1")
        .await
        .unwrap();
    let token = NewApiToken {
        user_id: user.id,
        name: "ci",
        lookup: "lookup0001",
        secret_hash: b"not a real hash, only its length",
        role: Role::Viewer,
        expires_at: None,
    };
    api_tokens::insert(&mut conn, &token).await.unwrap();
    let line = RunEvent::Log {
        stage: None,
        stream: LogStream::Info,
        line: "before the backup".into(),
    };
    berth_db::runs::append_event(&mut conn, run, None, &line)
        .await
        .unwrap();
    let action = NewAction {
        vmid: 4400,
        node: "pve1",
        name: "ct4400",
        kind: ActionKind::Start,
        snapshot: None,
        description: None,
        requested_by: Some(user.id),
        requested_by_name: "backup-owner",
    };
    let entry = NewAuditEntry::new("backup-owner", "container.start", Outcome::Success);
    actions::create(&mut conn, &action, entry).await.unwrap();
    drop(conn);
    let before = every_row(&url).await;
    let empty: Vec<_> = before.iter().filter(|(_, rows)| *rows == "[]").collect();
    assert!(empty.is_empty(), "tables left empty: {empty:?}");
    assert!(before.len() >= 13, "{:?}", before.keys());

    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("nightly.dump");
    let made = backup::create(&url, Some(dump.clone())).await.unwrap();
    assert_eq!(made, dump);
    let again = backup::create(&url, Some(dump.clone())).await;
    assert!(again.unwrap_err().to_string().contains("exists already"));

    // Wipe the schema, then a restore that is not confirmed changes nothing.
    let mut admin = AsyncPgConnection::establish(&url).await.unwrap();
    diesel::sql_query("DROP SCHEMA public CASCADE")
        .execute(&mut admin)
        .await
        .unwrap();
    diesel::sql_query("CREATE SCHEMA public")
        .execute(&mut admin)
        .await
        .unwrap();
    let refused = backup::restore(&url, &dump, false).await.unwrap_err();
    assert!(refused.to_string().contains("--yes"), "{refused}");
    assert!(!runs_table_exists(&url).await);

    // A damaged copy and one from a newer schema are refused before anything is touched.
    let damaged = dir.path().join("damaged.dump");
    let mut bytes = std::fs::read(&dump).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&damaged, bytes).unwrap();
    std::fs::copy(
        dir.path().join("nightly.dump.manifest.json"),
        dir.path().join("damaged.dump.manifest.json"),
    )
    .unwrap();
    let newer = dir.path().join("newer.dump");
    std::fs::copy(&dump, &newer).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("nightly.dump.manifest.json")).unwrap();
    let mut manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    manifest["schema_version"] = "29991231000000".into();
    std::fs::write(
        dir.path().join("newer.dump.manifest.json"),
        manifest.to_string(),
    )
    .unwrap();
    for (file, says) in [(&damaged, "checksum"), (&newer, "knows only up to")] {
        let refused = backup::restore(&url, file, true).await.unwrap_err();
        assert!(refused.to_string().contains(says), "{refused}");
    }
    assert!(!runs_table_exists(&url).await, "refusals changed nothing");

    let listed = backup::list(dir.path()).unwrap();
    let intact: Vec<(String, bool)> = listed
        .iter()
        .map(|backup| (backup.name(), backup.intact))
        .collect();
    assert!(
        intact.contains(&("nightly.dump".into(), true)),
        "{intact:?}"
    );
    assert!(
        intact.contains(&("damaged.dump".into(), false)),
        "{intact:?}"
    );

    backup::restore(&url, &dump, true).await.unwrap();
    assert_eq!(every_row(&url).await, before, "every row is back");
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_backups_keep_only_the_newest() {
    use berth_backup::BackupSchedule;
    use berth_backup::schedule::take;
    let db = berth_db::testing::TestDatabase::create().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let schedule = BackupSchedule {
        dir: dir.path().join("nightly"),
        every: std::time::Duration::from_secs(3600),
        keep: 2,
    };
    let mut written = Vec::new();
    for _ in 0..3 {
        written.push(take(db.url(), &schedule).await.unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let kept: Vec<_> = backup::list(&schedule.dir)
        .unwrap()
        .into_iter()
        .map(|backup| (backup.dump, backup.intact))
        .collect();
    assert_eq!(
        kept,
        [(written[1].clone(), true), (written[2].clone(), true)],
        "the oldest was deleted"
    );
    assert!(!written[0].exists());
    assert!(!std::path::Path::new(&format!("{}.manifest.json", written[0].display())).exists());
}
