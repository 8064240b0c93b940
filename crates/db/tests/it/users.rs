//! Users: normalised, case-insensitively unique names, paging, role and status updates.

use berth_db::testing::TestDatabase;
use berth_db::users::{self, NewUser, USERNAME_FORMAT, USERNAME_UNIQUE};
use berth_db::{DbError, Page};
use berth_domain::Role;
use uuid::Uuid;

pub fn new_user(username: &str, role: Role) -> NewUser<'_> {
    NewUser {
        username,
        display_name: "Some One",
        email: None,
        role,
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"),
    }
}

#[tokio::test]
async fn insert_normalises_and_finds_case_insensitively() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();

    let user = users::insert(
        &mut conn,
        &NewUser {
            email: Some("alice@example.org"),
            display_name: "  Alice Liddell ",
            ..new_user("  Alice ", Role::Operator)
        },
    )
    .await
    .unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(user.display_name, "Alice Liddell");
    assert_eq!(user.role, Role::Operator);
    assert_eq!(user.email.as_deref(), Some("alice@example.org"));
    assert!(user.password_hash.is_some());
    assert!(!user.is_disabled());
    assert!(user.last_login_at.is_none());

    let found = users::find_by_username(&mut conn, "ALICE")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, user.id);
    assert_eq!(
        users::find_by_id(&mut conn, user.id)
            .await
            .unwrap()
            .unwrap()
            .username,
        "alice"
    );
    assert!(
        users::find_by_id(&mut conn, Uuid::new_v4())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        users::find_by_username(&mut conn, "bob")
            .await
            .unwrap()
            .is_none()
    );

    // The hash never reaches a log line through Debug.
    let debug = format!("{user:?}");
    assert!(!debug.contains("argon2"), "{debug}");
    assert!(debug.contains("has_password: true"), "{debug}");
}

#[tokio::test]
async fn usernames_are_unique_in_any_case() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    users::insert(&mut conn, &new_user("alice", Role::Viewer))
        .await
        .unwrap();
    let err = users::insert(&mut conn, &new_user("ALICE", Role::Admin))
        .await
        .unwrap_err();
    assert!(err.is_conflict_on(USERNAME_UNIQUE), "{err:?}");
    assert_eq!(users::count(&mut conn).await.unwrap(), 1);

    // Even around the Rust normalisation, the database refuses a non-normalised name.
    let raw = diesel_async::RunQueryDsl::execute(
        diesel::sql_query(
            "INSERT INTO users (username, display_name, role) VALUES ('Alice', 'x', 'viewer')",
        ),
        &mut conn,
    )
    .await
    .unwrap_err();
    assert!(DbError::from(raw).to_string().contains(USERNAME_FORMAT));
}

#[tokio::test]
async fn malformed_users_are_refused_by_constraint() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    for bad in ["", "   ", "al ice", "ålice", "a/b", &"a".repeat(65)] {
        let err = users::insert(&mut conn, &new_user(bad, Role::Viewer))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, DbError::Invalid { constraint } if constraint == USERNAME_FORMAT),
            "{bad:?}: {err:?}"
        );
    }
    let ok = "a".repeat(64);
    users::insert(&mut conn, &new_user(&ok, Role::Viewer))
        .await
        .unwrap();
    users::insert(&mut conn, &new_user("a.b-c_9", Role::Viewer))
        .await
        .unwrap();

    let blank_name = NewUser {
        display_name: "  ",
        ..new_user("carol", Role::Viewer)
    };
    let err = users::insert(&mut conn, &blank_name).await.unwrap_err();
    assert!(matches!(err, DbError::Invalid { .. }), "{err:?}");
    let bad_email = NewUser {
        email: Some("nope"),
        ..new_user("carol", Role::Viewer)
    };
    let err = users::insert(&mut conn, &bad_email).await.unwrap_err();
    assert!(matches!(err, DbError::Invalid { .. }), "{err:?}");
}

#[tokio::test]
async fn list_pages_in_username_order() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    for name in ["dave", "bob", "erin", "alice", "carol"] {
        users::insert(&mut conn, &new_user(name, Role::Viewer))
            .await
            .unwrap();
    }
    let names = |list: Vec<users::User>| list.into_iter().map(|u| u.username).collect::<Vec<_>>();
    let first = users::list(&mut conn, Page::new(2, 0)).await.unwrap();
    assert_eq!(names(first), ["alice", "bob"]);
    let last = users::list(&mut conn, Page::new(2, 4)).await.unwrap();
    assert_eq!(names(last), ["erin"]);
    // Out-of-range paging is clamped, not an error.
    let all = users::list(&mut conn, Page::new(-5, -1)).await.unwrap();
    assert_eq!(names(all), ["alice"]);
    assert_eq!(
        users::list(&mut conn, Page::default()).await.unwrap().len(),
        5
    );
    assert_eq!(users::count(&mut conn).await.unwrap(), 5);
}

#[tokio::test]
async fn role_disable_password_and_last_login_updates() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let user = users::insert(&mut conn, &new_user("alice", Role::Viewer))
        .await
        .unwrap();
    let missing = Uuid::new_v4();

    let promoted = users::update_role(&mut conn, user.id, Role::Admin)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(promoted.role, Role::Admin);
    assert!(promoted.updated_at >= user.updated_at);
    assert!(
        users::update_role(&mut conn, missing, Role::Admin)
            .await
            .unwrap()
            .is_none()
    );

    let disabled = users::set_disabled(&mut conn, user.id, true)
        .await
        .unwrap()
        .unwrap();
    let first_disabled_at = disabled.disabled_at.unwrap();
    let again = users::set_disabled(&mut conn, user.id, true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        again.disabled_at,
        Some(first_disabled_at),
        "the first time is kept"
    );
    let enabled = users::set_disabled(&mut conn, user.id, false)
        .await
        .unwrap()
        .unwrap();
    assert!(!enabled.is_disabled());
    assert!(
        users::set_disabled(&mut conn, missing, true)
            .await
            .unwrap()
            .is_none()
    );

    assert!(
        users::set_password_hash(&mut conn, user.id, Some("$argon2id$new"))
            .await
            .unwrap()
    );
    let found = users::find_by_id(&mut conn, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.password_hash.as_deref(), Some("$argon2id$new"));
    assert!(
        users::set_password_hash(&mut conn, user.id, None)
            .await
            .unwrap()
    );
    let sso_only = users::find_by_id(&mut conn, user.id)
        .await
        .unwrap()
        .unwrap();
    assert!(sso_only.password_hash.is_none());
    assert!(
        !users::set_password_hash(&mut conn, missing, None)
            .await
            .unwrap()
    );

    assert!(users::touch_last_login(&mut conn, user.id).await.unwrap());
    let logged_in = users::find_by_id(&mut conn, user.id)
        .await
        .unwrap()
        .unwrap();
    assert!(logged_in.last_login_at.is_some());
    assert!(!users::touch_last_login(&mut conn, missing).await.unwrap());
}

#[tokio::test]
async fn count_admins_ignores_disabled_and_lower_roles() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    assert_eq!(users::count_admins(&mut conn).await.unwrap(), 0);
    let a = users::insert(&mut conn, &new_user("a", Role::Admin))
        .await
        .unwrap();
    users::insert(&mut conn, &new_user("b", Role::Admin))
        .await
        .unwrap();
    users::insert(&mut conn, &new_user("c", Role::Operator))
        .await
        .unwrap();
    assert_eq!(users::count_admins(&mut conn).await.unwrap(), 2);
    users::set_disabled(&mut conn, a.id, true).await.unwrap();
    assert_eq!(users::count_admins(&mut conn).await.unwrap(), 1);
    assert_eq!(users::count_admins_for_update(&mut conn).await.unwrap(), 1);
}
