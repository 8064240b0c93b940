//! Storage, appliance download and the task endpoints (status, paged log, list) against the
//! simulator with the least-privilege token.

use crate::backend::Backend;
use crate::sim::{NODE, Sim, TASK_DEADLINE, api_err};
use berth_pve::types::TaskListParams;
use berth_pve::{ApiErrorKind, Upid};

#[tokio::test]
async fn sim_storage_and_template_download() {
    let sim = Sim::start().await;
    let c = sim.client();

    let all = c.storage_list(NODE, None).await.unwrap();
    let lvm = all.iter().find(|s| s.storage == "local-lvm").unwrap();
    assert_eq!(lvm.kind, "lvmthin");
    assert!(lvm.content.contains("rootdir") && lvm.content.contains("images"));
    assert!(lvm.total.unwrap() > lvm.used.unwrap());
    let tmpl = c.storage_list(NODE, Some("vztmpl")).await.unwrap();
    let ids: Vec<_> = tmpl.iter().map(|s| s.storage.as_str()).collect();
    assert_eq!(ids, ["local"]);

    let apl = c.aplinfo(NODE).await.unwrap();
    let missing = "debian-13-standard_13.1-2_amd64.tar.zst";
    let entry = apl.iter().find(|a| a.template == missing).unwrap();
    assert_eq!(entry.package, "debian-13-standard");
    let volid = format!("local:vztmpl/{missing}");
    let before = c
        .storage_content(NODE, "local", Some("vztmpl"))
        .await
        .unwrap();
    assert!(before.iter().all(|i| i.volid != volid));
    assert!(before.iter().all(|i| i.content == "vztmpl"));

    let upid = c.aplinfo_download(NODE, "local", missing).await.unwrap();
    assert_eq!((upid.worker_type(), upid.id()), ("download", missing));
    c.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    let after = c
        .storage_content(NODE, "local", Some("vztmpl"))
        .await
        .unwrap();
    let got = after.iter().find(|i| i.volid == volid).unwrap();
    assert_eq!(got.format.as_deref(), Some("tzst"));

    // Unknown template: 400 with `errors.template` (§4.14).
    let e = api_err(c.aplinfo_download(NODE, "local", "nope.tar.zst").await);
    assert_eq!(e.kind(), ApiErrorKind::BadRequest);
    assert_eq!(e.errors["template"], "no such template");
    // A storage without templates: 500.
    let e = api_err(c.aplinfo_download(NODE, "local-lvm", missing).await);
    assert_eq!(e.status, 500);
    assert_eq!(e.text(), "storage 'local-lvm' does not support templates");
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn sim_task_status_log_paging_and_list() {
    let sim = Sim::start().await;
    let c = sim.client();
    // Still running at the deadline: TaskTimeout, and the create may well go through.
    let upid = c
        .create_lxc(NODE, &crate::sim::ct_request(150))
        .await
        .unwrap();
    match c.wait_task(&upid, std::time::Duration::ZERO).await {
        Err(e @ berth_pve::Error::TaskTimeout { .. }) => {
            assert_eq!(e.retry(), berth_pve::Retry::MaybeApplied);
        }
        other => panic!("expected a task timeout, got {other:?}"),
    }
    c.wait_task(&upid, TASK_DEADLINE).await.unwrap();
    let (tasks, total) = c
        .tasks(
            NODE,
            &TaskListParams {
                vmid: Some(150),
                typefilter: Some("vzcreate".into()),
                ..TaskListParams::default()
            },
        )
        .await
        .unwrap();
    assert!(total.is_some(), "the task list carries `total`");
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let item = &tasks[0];
    assert_eq!(
        (item.worker_type.as_str(), item.id.as_str()),
        ("vzcreate", "150")
    );
    assert_eq!(item.status.as_deref(), Some("OK"));
    assert!(item.endtime.unwrap() >= item.starttime);
    let upid: &Upid = &item.upid;
    // The UPID text round-trips exactly (the server finds the log by it).
    assert_eq!(upid.to_string(), upid.as_str());
    assert!(
        upid.as_str()
            .ends_with(":vzcreate:150:berth@pve!provisioner:")
    );

    let status = c.task_status(upid).await.unwrap();
    assert_eq!(status.status, "stopped");
    assert_eq!(status.pid, upid.pid());

    // Paging: `start` lines skipped, `n` 1-based, `total` the whole count.
    let page = c.task_log(upid, 2, 2).await.unwrap();
    let ns: Vec<u64> = page.lines.iter().map(|l| l.n).collect();
    assert_eq!(ns, [3, 4]);
    let all = c.task_log_all(upid).await.unwrap();
    assert_eq!(all.len() as u64, page.total);
    assert_eq!(all.last().unwrap().t, "TASK OK");
    assert!(all.iter().any(|l| l.t.starts_with("extracting archive")));
    assert!(all.iter().enumerate().all(|(i, l)| l.n == i as u64 + 1));
    let whole = c.task_log(upid, 0, 0).await.unwrap();
    assert_eq!(whole.lines, all, "limit=0 is everything");

    let (limited, _) = c
        .tasks(
            NODE,
            &TaskListParams {
                limit: Some(1),
                ..TaskListParams::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    let (errors, _) = c
        .tasks(
            NODE,
            &TaskListParams {
                errors: Some(true),
                ..TaskListParams::default()
            },
        )
        .await
        .unwrap();
    assert!(errors.is_empty(), "{errors:?}");

    // An unknown (well-formed) task: 400 `no such task`.
    let fake: Upid = "UPID:pve1:00001234:00005678:66A1F0C3:vzstart:150:berth@pve!provisioner:"
        .parse()
        .unwrap();
    let e = api_err(c.task_status(&fake).await);
    assert_eq!(e.errors["upid"], "no such task");
    sim.sim.shutdown().await;
}
