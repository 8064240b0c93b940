//! `berth-server user create` and `token create`, run as a person would, against a real database.

use berth_db::api_tokens;
use berth_db::audit::{self, AuditFilter};
use berth_db::testing::TestDatabase;
use berth_db::{Page, users};
use berth_domain::Role;
use berth_testkit as testkit;
use std::io::Write as _;
use std::process::{Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_berth-server");
const PASSWORD: &str = "correct horse battery staple";

fn run(db: &TestDatabase, args: &[&str], stdin: &str) -> Output {
    let mut child = testkit::command(
        BIN,
        &[
            ("BERTH_DATABASE_URL", db.url()),
            ("BERTH_REDIS_URL", "redis://127.0.0.1:1"),
        ],
    )
    .args(args)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn create_user(db: &TestDatabase, username: &str, role: &str, password: &str) -> Output {
    run(
        db,
        &[
            "user",
            "create",
            "--username",
            username,
            "--role",
            role,
            "--password-stdin",
        ],
        &format!("{password}\n"),
    )
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn user_create_stores_an_argon2id_hash_and_an_audit_entry() {
    let db = TestDatabase::create().await.unwrap();
    let output = create_user(&db, "Alice", "admin", PASSWORD);
    assert!(output.status.success(), "{}", stderr(&output));

    let mut conn = db.pool().unwrap().get().await.unwrap();
    let user = users::find_by_username(&mut conn, "alice")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, Role::Admin);
    let hash = user.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));

    let trail = audit::list(
        &mut conn,
        &AuditFilter {
            action: Some("user.create".into()),
            ..AuditFilter::default()
        },
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(trail.total, 1);
    assert_eq!(trail.entries[0].actor_name, "berth-server (command line)");
    assert!(!trail.entries[0].details.to_string().contains(PASSWORD));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_a_clear_message_and_changes_nothing() {
    let db = TestDatabase::create().await.unwrap();
    assert!(
        create_user(&db, "alice", "admin", PASSWORD)
            .status
            .success()
    );

    let duplicate = create_user(&db, "ALICE", "viewer", PASSWORD);
    assert!(!duplicate.status.success());
    assert!(
        stderr(&duplicate).contains("already exists"),
        "{}",
        stderr(&duplicate)
    );

    let weak = create_user(&db, "bob", "viewer", "short");
    assert!(!weak.status.success());
    assert!(
        stderr(&weak).contains("12"),
        "names the minimum length: {}",
        stderr(&weak)
    );
    assert!(
        !stderr(&weak).contains("short"),
        "never echoes the password"
    );

    let role = create_user(&db, "carol", "root", PASSWORD);
    assert!(!role.status.success());
    assert!(stderr(&role).contains("unknown role"), "{}", stderr(&role));

    let mut conn = db.pool().unwrap().get().await.unwrap();
    assert_eq!(
        users::count(&mut conn).await.unwrap(),
        1,
        "only alice exists"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn token_create_prints_the_token_once_and_stores_only_its_hash() {
    let db = TestDatabase::create().await.unwrap();
    assert!(
        create_user(&db, "ci", "operator", PASSWORD)
            .status
            .success()
    );

    let output = run(
        &db,
        &[
            "token",
            "create",
            "--username",
            "ci",
            "--name",
            "deploy",
            "--expires-in",
            "30",
        ],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let token = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert!(token.starts_with("berth_pat_"), "{token}");
    assert!(
        !stderr(&output).contains(&token),
        "the token goes to stdout only"
    );

    let mut conn = db.pool().unwrap().get().await.unwrap();
    let owner = users::find_by_username(&mut conn, "ci")
        .await
        .unwrap()
        .unwrap();
    let tokens = api_tokens::list_for_user(&mut conn, owner.id)
        .await
        .unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].role, Role::Operator);
    assert!(tokens[0].expires_at.is_some());
    assert!(token.contains(&tokens[0].lookup), "found by its lookup id");
    assert_ne!(tokens[0].secret_hash, token.as_bytes(), "stored hashed");

    let higher = run(
        &db,
        &[
            "token",
            "create",
            "--username",
            "ci",
            "--name",
            "admin",
            "--role",
            "admin",
        ],
        "",
    );
    assert!(
        !higher.status.success(),
        "a token may not outrank its owner"
    );
    let same_name = run(
        &db,
        &["token", "create", "--username", "ci", "--name", "deploy"],
        "",
    );
    assert!(
        stderr(&same_name).contains("already has a token named"),
        "{}",
        stderr(&same_name)
    );
    let nobody = run(
        &db,
        &["token", "create", "--username", "nobody", "--name", "x"],
        "",
    );
    assert!(
        stderr(&nobody).contains("no user named"),
        "{}",
        stderr(&nobody)
    );
    assert_eq!(
        api_tokens::list_for_user(&mut conn, owner.id)
            .await
            .unwrap()
            .len(),
        1
    );
}
