//! `/ws?run=<id>&after=<seq>` on a real socket: replay from Postgres, then live events from
//! pub/sub, a hole in the live stream filled from Postgres; a foreign Origin and a missing
//! session are refused before the upgrade.

use crate::create_container::{create, valid_spec};
use crate::support::{ORIGIN, Setup, TestApp, app};
use berth_db::runs;
use berth_domain::Role;
use berth_domain::run::{LogStream, RunEvent, SequencedEvent};
use futures_util::StreamExt;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use uuid::Uuid;

async fn serve(app: &TestApp) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

fn request(
    address: std::net::SocketAddr,
    run: Uuid,
    cookie: &str,
    origin: &str,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let mut request = format!("ws://{address}/ws?run={run}&after=0")
        .into_client_request()
        .unwrap();
    let headers = request.headers_mut();
    headers.insert("cookie", HeaderValue::from_str(cookie).unwrap());
    headers.insert("origin", HeaderValue::from_str(origin).unwrap());
    request
}

fn log(line: &str) -> RunEvent {
    RunEvent::Log {
        stage: None,
        stream: LogStream::Info,
        line: line.into(),
    }
}

/// Written to Postgres, and published unless `quiet` (a message pub/sub lost).
async fn emit(app: &TestApp, run: Uuid, line: &str, quiet: bool) {
    let mut conn = app.pool.get().await.unwrap();
    let event = runs::append_event(&mut conn, run, None, &log(line))
        .await
        .unwrap();
    if !quiet {
        let payload = serde_json::to_string(&event).unwrap();
        app.queue.events().publish(run, &payload).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_follower_gets_every_event_once_in_order() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let operator = app.sign_in_as(Role::Operator).await;
    let (_, body) = create(&app, &operator, &valid_spec(&app).await).await;
    let run: Uuid = serde_json::from_str::<String>(&body)
        .unwrap()
        .parse()
        .unwrap();
    emit(&app, run, "one", true).await;
    let address = serve(&app).await;

    let (mut socket, _) = tokio_tungstenite::connect_async(request(address, run, &cookie, ORIGIN))
        .await
        .unwrap();
    let mut next = async || -> SequencedEvent {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
                .await
                .expect("an event in time")
                .unwrap()
                .unwrap();
            if let Ok(text) = message.to_text()
                && !text.is_empty()
            {
                return serde_json::from_str(text).unwrap();
            }
        }
    };
    let line = |e: &SequencedEvent| match &e.event {
        RunEvent::Log { line, .. } => line.clone(),
        other => panic!("{other:?}"),
    };
    let first = next().await;
    assert_eq!((first.seq, line(&first)), (1, "one".to_string()));
    emit(&app, run, "two", false).await;
    let second = next().await;
    assert_eq!((second.seq, line(&second)), (2, "two".to_string()));
    // "three" never reaches pub/sub; "four" does, and the hole is filled from Postgres.
    emit(&app, run, "three", true).await;
    emit(&app, run, "four", false).await;
    let (third, fourth) = (next().await, next().await);
    assert_eq!((third.seq, line(&third)), (3, "three".to_string()));
    assert_eq!((fourth.seq, line(&fourth)), (4, "four".to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn other_origins_and_strangers_are_refused() {
    let app = app(Setup::default()).await;
    let cookie = app.sign_in_as(Role::Viewer).await;
    let address = serve(&app).await;
    let run = Uuid::new_v4();
    let foreign =
        tokio_tungstenite::connect_async(request(address, run, &cookie, "http://evil.example"))
            .await;
    let error = foreign
        .expect_err("a foreign origin is refused")
        .to_string();
    assert!(error.contains("403"), "{error}");
    let stranger = tokio_tungstenite::connect_async(request(address, run, "x=y", ORIGIN)).await;
    assert!(stranger.is_err());
}
