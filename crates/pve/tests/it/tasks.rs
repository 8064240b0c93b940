//! `wait_task`: a task that ends `OK`, one that ends in an error (exit status and log tail),
//! and one that outlives the deadline.

use crate::fixtures;
use crate::server::{Recorded, Reply, TestServer};
use berth_pve::types::TaskOutcome;
use berth_pve::{Credentials, Error, PveClient, Retry, TlsMode, Upid};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const UPID_OK: &str = "UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100:dash@pve!prov:";
const UPID_FAIL: &str = "UPID:pve:000F3A2D:0052C1B5:66A1F0C4:vzcreate:101:dash@pve!prov:";
const UPID_HANG: &str = "UPID:pve:000F3A2E:0052C1B6:66A1F0C5:vzstart:102:dash@pve!prov:";
const FAIL: &str = "unable to create CT 101 - can't find file 'local:vztmpl/x.tar.zst'";

fn log_lines(upid: &str) -> Vec<&'static str> {
    if upid == UPID_FAIL {
        let mut lines = vec!["starting"; 30];
        lines
            .push("TASK ERROR: unable to create CT 101 - can't find file 'local:vztmpl/x.tar.zst'");
        lines
    } else {
        vec![
            "extracting archive '/var/lib/vz/template/cache/debian-12-standard_12.12-1_amd64.tar.zst'",
            "Total bytes read: 524288000 (500MiB, 120MiB/s)",
            "Detected container architecture: amd64",
            "TASK OK",
        ]
    }
}

/// Status `running` for the first two polls, then `stopped` with the task's exit status.
fn tasks() -> impl Fn(&Recorded) -> Reply + Send + Sync + 'static {
    let polls = AtomicUsize::new(0);
    move |rec: &Recorded| {
        let rest = rec.path.strip_prefix("/nodes/pve/tasks/").unwrap_or("");
        if let Some(upid) = rest.strip_suffix("/status") {
            let n = polls.fetch_add(1, Ordering::SeqCst);
            let mut body = json!({"upid":upid,"node":"pve","pid":"998956","pstart":5423540,
                "starttime":1721888963,"type":"vzcreate","id":"100","user":"dash@pve",
                "tokenid":"prov","status":"running"});
            if upid != UPID_HANG && n >= 2 {
                body["status"] = json!("stopped");
                body["exitstatus"] = json!(if upid == UPID_FAIL { FAIL } else { "OK" });
            }
            return Reply::data(body);
        }
        if let Some(upid) = rest.strip_suffix("/log") {
            let p = rec.params();
            let start: usize = p["start"].parse().unwrap();
            let limit: usize = p["limit"].parse().unwrap();
            let all = log_lines(upid);
            let page: Vec<_> = all
                .iter()
                .enumerate()
                .skip(start)
                .take(if limit == 0 { usize::MAX } else { limit })
                .map(|(i, t)| json!({"n": i + 1, "t": t}))
                .collect();
            let body = json!({"data": page, "total": all.len()});
            return Reply::raw(200, None, body.to_string());
        }
        fixtures::not_implemented(rec)
    }
}

async fn client() -> (TestServer, PveClient) {
    let server = TestServer::start(tasks()).await;
    let client = PveClient::builder(server.url())
        .tls(TlsMode::Fingerprint(server.certs.fingerprint))
        .credentials(Credentials::token(
            fixtures::TOKEN_ID,
            fixtures::TOKEN_SECRET,
        ))
        .task_poll_interval(Duration::from_millis(10))
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn task_ending_ok_returns_its_status() {
    let (server, client) = client().await;
    let upid: Upid = UPID_OK.parse().unwrap();
    let status = client
        .wait_task(&upid, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(status.outcome(), TaskOutcome::Ok);
    assert_eq!(status.pid, 998_956, "string pid decoded");
    assert_eq!(server.requests().len(), 3, "polled until stopped");
    let log = client.task_log_all(&upid).await.unwrap();
    assert_eq!(log.last().unwrap().t, "TASK OK");
    assert_eq!(log[0].n, 1);
}

#[tokio::test]
async fn task_ending_in_error_carries_exit_status_and_log_tail() {
    let (_server, client) = client().await;
    let upid: Upid = UPID_FAIL.parse().unwrap();
    let err = client
        .wait_task(&upid, Duration::from_secs(10))
        .await
        .unwrap_err();
    let Error::TaskFailed(failure) = &err else {
        panic!("expected TaskFailed, got {err:?}");
    };
    assert_eq!(failure.exitstatus, FAIL);
    assert_eq!(failure.log_tail.len(), 20, "the last 20 of 31 lines");
    assert!(
        failure
            .log_tail
            .last()
            .unwrap()
            .starts_with("TASK ERROR: unable to create CT 101")
    );
    assert_eq!(err.retry(), Retry::No);
}

#[tokio::test]
async fn task_log_pages_follow_start_and_limit() {
    let (_server, client) = client().await;
    let upid: Upid = UPID_FAIL.parse().unwrap();
    let page = client.task_log(&upid, 10, 5).await.unwrap();
    assert_eq!(page.total, 31);
    assert_eq!(
        page.lines.iter().map(|l| l.n).collect::<Vec<_>>(),
        vec![11, 12, 13, 14, 15]
    );
    assert_eq!(client.task_log_all(&upid).await.unwrap().len(), 31);
}

#[tokio::test]
async fn deadline_passed_while_running() {
    let (_server, client) = client().await;
    let upid: Upid = UPID_HANG.parse().unwrap();
    let err = client
        .wait_task(&upid, Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TaskTimeout { .. }), "{err:?}");
    assert_eq!(err.retry(), Retry::MaybeApplied);
}
