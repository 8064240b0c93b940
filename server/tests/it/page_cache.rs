//! The containers page's cache against real Postgres and Redis: each response carries a nonce
//! of its own (in the policy and in every script), each session is served its own copy, a
//! change on the cluster's channel shows on the next load, and a session that ended gets the
//! sign-in page, never a kept copy. A browser that takes gzip gets the same page gzipped, with
//! its own nonce spliced into the compressed stream.

use crate::container_actions::{row, world};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use berth_domain::Role;
use berth_server::page_cache::MAX_AGE;
use std::io::Read;
use std::time::{Duration, Instant};

fn nonce(response: &Response<Body>) -> String {
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let start = policy.find("'nonce-").unwrap() + "'nonce-".len();
    let end = start + policy[start..].find('\'').unwrap();
    policy[start..end].to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_response_has_its_own_nonce_and_each_session_its_own_page() {
    let world = world().await;
    world.snapshot(vec![row(4500, "running", None)]).await;
    let viewer = world.app.sign_in_as(Role::Viewer).await;
    let admin = world.app.sign_in_as(Role::Admin).await;

    let (first, first_body) = world.app.get_as("/containers", &viewer).await;
    let (second, second_body) = world.app.get_as("/containers", &viewer).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    let (a, b) = (nonce(&first), nonce(&second));
    assert_ne!(a, b, "two responses shared a nonce");
    for (body, own, other) in [(&first_body, &a, &b), (&second_body, &b, &a)] {
        assert!(body.contains(&format!(r#"nonce="{own}""#)), "{body}");
        assert!(!body.contains(other.as_str()));
        assert!(body.contains(r#"data-vmid="4500""#));
    }
    assert_eq!(first_body.replace(&a, "N"), second_body.replace(&b, "N"));
    assert_eq!(
        second.headers()[header::CONTENT_LENGTH],
        second_body.len().to_string()
    );

    // Right after the viewer's load, the admin gets a page of their own, with the actions.
    let (_, admin_body) = world.app.get_as("/containers", &admin).await;
    assert!(admin_body.contains(r#"aria-label="Select all shown""#));
    assert!(!second_body.contains(r#"aria-label="Select all shown""#));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_on_the_channel_shows_on_the_next_load() {
    let world = world().await;
    world.snapshot(vec![row(4510, "running", None)]).await;
    let viewer = world.app.sign_in_as(Role::Viewer).await;
    let first_load = Instant::now();
    let (_, body) = world.app.get_as("/containers", &viewer).await;
    assert!(body.contains(r#"data-vmid="4510""#));

    // What the poller does: the snapshot, then the delta on the channel.
    world
        .snapshot(vec![row(4510, "running", None), row(4511, "stopped", None)])
        .await;
    world.publish_change(row(4511, "stopped", None)).await;
    let published = first_load.elapsed();
    let shown = loop {
        let (response, body) = world.app.get_as("/containers", &viewer).await;
        assert_eq!(response.status(), StatusCode::OK);
        if body.contains(r#"data-vmid="4511""#) {
            break first_load.elapsed();
        }
        assert!(
            first_load.elapsed() < Duration::from_secs(5),
            "the new container never showed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    // The first copy would be served until MAX_AGE without the channel: the change must show
    // before then. (Only decidable when the publish itself came well before MAX_AGE.)
    if published < MAX_AGE / 2 {
        assert!(
            shown < MAX_AGE,
            "shown {shown:?} after the first load, published at {published:?}: the page cache \
             ignored the channel"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_that_ended_is_not_served_a_kept_page() {
    let world = world().await;
    world.snapshot(vec![row(4520, "running", None)]).await;
    let viewer = world.app.sign_in_as(Role::Viewer).await;
    let (response, _) = world.app.get_as("/containers", &viewer).await;
    assert_eq!(response.status(), StatusCode::OK);
    let logout = Request::post("/auth/logout")
        .header(header::COOKIE, &viewer)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    world.app.send(logout).await;
    let (response, body) = world.app.get_as("/containers", &viewer).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{body}");
    assert!(!body.contains("4520"));
}

/// The raw body of a GET sent with `Accept-Encoding: accept`.
async fn get_encoded(
    world: &crate::container_actions::World,
    cookie: &str,
    accept: &str,
) -> (Response<Body>, Vec<u8>) {
    let request = Request::get("/containers")
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_ENCODING, accept)
        .body(Body::empty())
        .unwrap();
    world.app.send_for_bytes(request).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_taking_gzip_gets_the_page_gzipped_with_its_own_nonce() {
    let world = world().await;
    world.snapshot(vec![row(4530, "running", None)]).await;
    let viewer = world.app.sign_in_as(Role::Viewer).await;
    let chromium = "gzip, deflate, br, zstd";

    // The first load renders (and compresses), the second is served from the cache.
    let mut pages = Vec::new();
    for _ in 0..2 {
        let (response, raw) = get_encoded(&world, &viewer, chromium).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(response.headers()[header::VARY], "accept-encoding");
        assert_eq!(
            response.headers()[header::CONTENT_LENGTH],
            raw.len().to_string()
        );
        let mut page = String::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_string(&mut page)
            .unwrap();
        let nonce = nonce(&response);
        assert!(page.contains(&format!(r#"nonce="{nonce}""#)), "{page}");
        assert!(page.contains(r#"data-vmid="4530""#));
        assert!(raw.len() < page.len(), "{} of {}", raw.len(), page.len());
        pages.push((page, nonce));
    }
    assert_ne!(pages[0].1, pages[1].1, "two responses shared a nonce");
    let same = |(page, nonce): &(String, String)| page.replace(nonce.as_str(), "N");
    assert_eq!(same(&pages[0]), same(&pages[1]));

    // Kept gzipped or not, a client that refuses gzip gets the plain page.
    let (response, raw) = get_encoded(&world, &viewer, "br, gzip;q=0").await;
    assert!(!response.headers().contains_key(header::CONTENT_ENCODING));
    let plain = String::from_utf8(raw).unwrap();
    let nonce = nonce(&response);
    assert_eq!(plain.replace(&nonce, "N"), same(&pages[0]));
}
