//! OIDC identities: users keyed by (issuer, subject), each pair linked once.

use crate::users::new_user;
use berth_db::DbError;
use berth_db::identities::{self, ISSUER_SUBJECT_UNIQUE};
use berth_db::testing::TestDatabase;
use berth_db::users;
use berth_domain::Role;
use uuid::Uuid;

const ISSUER: &str = "https://id.example.org/realms/berth";

#[tokio::test]
async fn users_are_found_by_issuer_and_subject() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let sso = users::NewUser {
        password_hash: None,
        ..new_user("sso", Role::Viewer)
    };
    let user = users::insert(&mut conn, &sso).await.unwrap();
    assert!(user.password_hash.is_none());

    let link = users::link_identity(&mut conn, user.id, ISSUER, "sub-1")
        .await
        .unwrap();
    assert_eq!(
        (link.user_id, link.issuer.as_str(), link.subject.as_str()),
        (user.id, ISSUER, "sub-1")
    );
    identities::link_identity(&mut conn, user.id, "https://other.example", "sub-1")
        .await
        .unwrap();

    let found = users::find_by_identity(&mut conn, ISSUER, "sub-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, user.id);
    // Exact comparison: another issuer, another subject or another case is someone else.
    assert!(
        users::find_by_identity(&mut conn, ISSUER, "sub-2")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        users::find_by_identity(&mut conn, "https://evil.example", "sub-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        users::find_by_identity(&mut conn, ISSUER, "SUB-1")
            .await
            .unwrap()
            .is_none()
    );

    let links = identities::list_for_user(&mut conn, user.id).await.unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].id, link.id);
}

#[tokio::test]
async fn an_identity_links_to_one_user_only() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let a = users::insert(&mut conn, &new_user("a", Role::Viewer))
        .await
        .unwrap();
    let b = users::insert(&mut conn, &new_user("b", Role::Viewer))
        .await
        .unwrap();
    users::link_identity(&mut conn, a.id, ISSUER, "sub")
        .await
        .unwrap();
    for user in [a.id, b.id] {
        let err = users::link_identity(&mut conn, user, ISSUER, "sub")
            .await
            .unwrap_err();
        assert!(err.is_conflict_on(ISSUER_SUBJECT_UNIQUE), "{err:?}");
    }
    let err = users::link_identity(&mut conn, Uuid::new_v4(), ISSUER, "other")
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Reference { .. }), "{err:?}");
    let err = users::link_identity(&mut conn, a.id, ISSUER, "")
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Invalid { .. }), "{err:?}");
}
