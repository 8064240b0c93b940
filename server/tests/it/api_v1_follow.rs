//! `GET /api/v1/runs/{id}/events/stream`: server-sent events that replay what Postgres has,
//! follow what is published, fill a hole in pub/sub from Postgres, skip what `after` or
//! `Last-Event-ID` says was seen, and end with `event: end` once the run has ended.

use crate::api_v1::json;
use crate::api_v1_containers::{create, token};
use crate::create_container::valid_spec;
use crate::support::{Setup, TestApp, app};
use axum::body::{Body, BodyDataStream};
use axum::http::{Request, StatusCode, header};
use berth_db::runs;
use berth_domain::Role;
use berth_domain::run::{LogStream, RunEvent, RunState, SequencedEvent};
use futures_util::StreamExt;
use std::time::Duration;
use tower::ServiceExt;
use uuid::Uuid;

/// One server-sent event.
#[derive(Debug)]
struct Sse {
    id: Option<String>,
    event: String,
    data: String,
}

/// Reads events off a streaming body, skipping keep-alive comments.
struct Reader {
    body: BodyDataStream,
    buffer: String,
}

impl Reader {
    /// The next event, `None` once the stream closed; panics when none comes in time.
    async fn next(&mut self) -> Option<Sse> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut sse = Sse {
                    id: None,
                    event: "message".into(),
                    data: String::new(),
                };
                let mut fields = 0;
                for line in block.lines() {
                    let (name, value) = line.split_once(':').unwrap_or((line, ""));
                    let value = value.strip_prefix(' ').unwrap_or(value).to_string();
                    match name {
                        "id" => sse.id = Some(value),
                        "event" => sse.event = value,
                        "data" => sse.data.push_str(&value),
                        _ => continue,
                    }
                    fields += 1;
                }
                if fields > 0 {
                    return Some(sse);
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(15), self.body.next())
                .await
                .expect("an event in time")?;
            self.buffer
                .push_str(std::str::from_utf8(&chunk.unwrap()).unwrap());
        }
    }

    async fn event(&mut self) -> SequencedEvent {
        let sse = self.next().await.expect("the stream is open");
        assert_eq!(sse.event, "run-event", "{sse:?}");
        let event: SequencedEvent = serde_json::from_str(&sse.data).unwrap();
        assert_eq!(sse.id, Some(event.seq.to_string()));
        event
    }

    /// The closing `end` event, then the end of the stream.
    async fn end(&mut self) -> serde_json::Value {
        let sse = self.next().await.expect("an end event");
        assert_eq!(sse.event, "end", "{sse:?}");
        assert!(self.next().await.is_none(), "the stream closes after `end`");
        json(&sse.data)
    }
}

async fn follow(app: &TestApp, token: &str, query: &str, last_event_id: Option<&str>) -> Reader {
    let (status, reader) = open(app, token, query, last_event_id).await;
    assert_eq!(status, StatusCode::OK);
    reader
}

async fn open(
    app: &TestApp,
    token: &str,
    query: &str,
    last_event_id: Option<&str>,
) -> (StatusCode, Reader) {
    let mut request = Request::get(format!("/api/v1/runs/{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    if status == StatusCode::OK {
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/event-stream"
        );
    }
    let reader = Reader {
        body: response.into_body().into_data_stream(),
        buffer: String::new(),
    };
    (status, reader)
}

/// A run created over the API and claimed as a worker would (its claim token returned).
async fn claimed_run(app: &TestApp) -> (Uuid, Uuid) {
    let operator = token(app, Role::Operator).await;
    let (_, body) = create(app, &operator, &valid_spec(app).await).await;
    let id: Uuid = json(&body)["run"].as_str().unwrap().parse().unwrap();
    let claim = Uuid::new_v4();
    let mut conn = app.pool.get().await.unwrap();
    runs::claim(&mut conn, id, claim, "w1")
        .await
        .unwrap()
        .unwrap();
    (id, claim)
}

fn log(line: &str) -> RunEvent {
    RunEvent::Log {
        stage: None,
        stream: LogStream::Info,
        line: line.into(),
    }
}

/// Written to Postgres, and published unless `quiet` (a message pub/sub lost).
async fn emit(app: &TestApp, run: (Uuid, Uuid), event: &RunEvent, quiet: bool) {
    let mut conn = app.pool.get().await.unwrap();
    let written = runs::append_event(&mut conn, run.0, Some(run.1), event)
        .await
        .unwrap();
    if !quiet {
        let payload = serde_json::to_string(&written).unwrap();
        app.queue.events().publish(run.0, &payload).await.unwrap();
    }
}

/// Ends the run as a worker does: the final state announced first, then committed.
async fn finish(app: &TestApp, run: (Uuid, Uuid)) {
    let ended = RunEvent::State {
        state: RunState::Succeeded,
        message: None,
    };
    emit(app, run, &ended, false).await;
    let mut conn = app.pool.get().await.unwrap();
    runs::finish(&mut conn, run.0, run.1, RunState::Succeeded, None)
        .await
        .unwrap();
}

fn line(event: &SequencedEvent) -> String {
    match &event.event {
        RunEvent::Log { line, .. } => line.clone(),
        other => format!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_is_replayed_then_followed_live_until_it_ends() {
    let app = app(Setup::default()).await;
    let token = token(&app, Role::Viewer).await;
    let run = claimed_run(&app).await;
    emit(&app, run, &log("one"), true).await;

    let mut stream = follow(&app, &token, &format!("{}/events/stream", run.0), None).await;
    let first = stream.event().await;
    assert_eq!((first.seq, line(&first)), (1, "one".to_string()));

    emit(&app, run, &log("two"), false).await;
    let second = stream.event().await;
    assert_eq!((second.seq, line(&second)), (2, "two".to_string()));

    // "three" never reaches pub/sub; "four" does, and the hole is filled from Postgres.
    emit(&app, run, &log("three"), true).await;
    emit(&app, run, &log("four"), false).await;
    let (third, fourth) = (stream.event().await, stream.event().await);
    assert_eq!((third.seq, line(&third)), (3, "three".to_string()));
    assert_eq!((fourth.seq, line(&fourth)), (4, "four".to_string()));

    finish(&app, run).await;
    let last = stream.event().await;
    assert_eq!(last.seq, 5);
    assert!(matches!(last.event, RunEvent::State { .. }), "{last:?}");
    assert_eq!(stream.end().await["last_seq"], 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_and_last_event_id_skip_what_was_seen() {
    let app = app(Setup::default()).await;
    let token = token(&app, Role::Viewer).await;
    let run = claimed_run(&app).await;
    for text in ["one", "two", "three"] {
        emit(&app, run, &log(text), false).await;
    }
    finish(&app, run).await;
    let path = format!("{}/events/stream", run.0);

    let mut all = follow(&app, &token, &path, None).await;
    for seq in 1..=4 {
        assert_eq!(all.event().await.seq, seq);
    }
    assert_eq!(all.end().await["last_seq"], 4);

    let mut rest = follow(&app, &token, &format!("{path}?after=2"), None).await;
    assert_eq!(line(&rest.event().await), "three");
    assert_eq!(rest.event().await.seq, 4);
    rest.end().await;

    // A reconnecting EventSource repeats its URL and says what it saw last: the later wins.
    let mut resumed = follow(&app, &token, &format!("{path}?after=1"), Some("3")).await;
    assert_eq!(resumed.event().await.seq, 4);
    resumed.end().await;

    let mut nothing = follow(&app, &token, &format!("{path}?after=4"), None).await;
    assert_eq!(nothing.end().await["last_seq"], 4);
}

#[tokio::test]
async fn unknown_runs_and_bad_positions_are_refused() {
    let app = app(Setup::default()).await;
    let token = token(&app, Role::Viewer).await;
    let unknown = format!("{}/events/stream", Uuid::new_v4());
    let (status, _) = open(&app, &token, &unknown, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let run = claimed_run(&app).await;
    let path = format!("{}/events/stream", run.0);
    let (status, _) = open(&app, &token, &format!("{path}?after=-1"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = open(&app, &token, &path, Some("x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = open(&app, "berth_pat_nope", &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
