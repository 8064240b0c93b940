//! Token and ticket authentication, CSRF, 401s, and privilege checks (§2, §7).

use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn missing_and_bad_credentials_are_empty_401s() {
    let sim = start().await;
    let r = finish(
        client(&sim)
            .get(format!("{}/version", sim.base_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str(), r.text.as_str()),
        (401, "No ticket", "")
    );
    let bad = format!("PVEAPIToken={PROVISIONER}=00000000-0000-0000-0000-000000000000");
    let r = finish(
        client(&sim)
            .get(format!("{}/version", sim.base_url))
            .header("Authorization", bad)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str(), r.text.as_str()),
        (401, "Authentication failed!", "")
    );
    let r = finish(
        client(&sim)
            .get(format!("{}/version", sim.base_url))
            .header("Cookie", "PVEAuthCookie=PVE:root@pam:4EEC61E2::forged")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str()),
        (401, "Authentication failed!")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn token_header_accepts_the_space_form() {
    let sim = start().await;
    let t = sim.token(PROVISIONER).unwrap();
    let header = format!("PVEAPIToken {}={}", t.full_id, t.secret);
    let r = finish(
        client(&sim)
            .get(format!("{}/version", sim.base_url))
            .header("Authorization", header)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 200);
    sim.shutdown().await;
}

async fn login(sim: &berth_pve_sim::RunningSim, user: &str, password: &str) -> Resp {
    let form = [("username", user), ("password", password)];
    finish(
        client(sim)
            .post(format!("{}/access/ticket", sim.base_url))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn ticket_login_csrf_and_renewal() {
    let sim = start().await;
    let password = sim.user("berth@pve").unwrap().password.clone();
    let data = login(&sim, "berth@pve", &password).await.data();
    let ticket = data["ticket"].as_str().unwrap().to_string();
    let csrf = data["CSRFPreventionToken"].as_str().unwrap().to_string();
    assert!(ticket.starts_with("PVE:berth@pve:"), "{ticket}");
    assert_eq!(csrf.split_once(':').unwrap().1.len(), 43);
    assert_eq!(data["username"], "berth@pve");
    assert_eq!(data["cap"]["vms"]["VM.Allocate"], 1);
    assert_eq!(
        data["clustername"],
        serde_json::Value::Null,
        "no Sys.Audit on /"
    );

    let c = client(&sim);
    let cookie = format!("PVEAuthCookie={ticket}");
    let r = finish(
        c.get(format!("{}/nodes", sim.base_url))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 200);
    // The Authorization header fallback.
    let r = finish(
        c.get(format!("{}/nodes", sim.base_url))
            .header("Authorization", format!("PVEAuthCookie={ticket}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 200);

    let form = [
        ("vmid", "120"),
        ("ostemplate", DEBIAN),
        ("rootfs", "local-lvm:2"),
    ];
    let url = format!("{}/nodes/pve1/lxc", sim.base_url);
    let r = finish(
        c.post(&url)
            .header("Cookie", &cookie)
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str(), r.text.as_str()),
        (401, "Permission denied - invalid csrf token", "")
    );
    let r = finish(
        c.post(&url)
            .header("Cookie", &cookie)
            .header("CSRFPreventionToken", &csrf)
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let upid = r.data();
    assert!(
        upid.as_str().unwrap().ends_with(":vzcreate:120:berth@pve:"),
        "{upid}"
    );

    let renewed = login(&sim, "berth@pve", &ticket).await.data();
    assert!(
        renewed["ticket"]
            .as_str()
            .unwrap()
            .starts_with("PVE:berth@pve:")
    );
    let root = sim.user("root@pam").unwrap().password.clone();
    assert_eq!(
        login(&sim, "root@pam", &root).await.data()["clustername"],
        "berth-sim"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn failed_login_is_401_authentication_failure() {
    let sim = start().await;
    let r = login(&sim, "berth@pve", "wrong").await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str()),
        (401, "authentication failure")
    );
    assert_eq!(
        r.json(),
        json!({"data": null, "message": "authentication failure\n"})
    );
    let r = login(&sim, "nobody@pve", "wrong").await;
    assert_eq!(r.status, 401);
    sim.shutdown().await;
}

#[tokio::test]
async fn token_without_vm_allocate_gets_the_real_403() {
    let sim = start().await;
    let r = call(
        &sim,
        AUDITOR,
        Method::POST,
        "/nodes/pve1/lxc",
        &[("vmid", "100"), ("ostemplate", DEBIAN)],
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.reason, "Permission check failed (/vms/100, VM.Allocate)");
    assert_eq!(
        r.json(),
        json!({"data": null, "message": "Permission check failed (/vms/100, VM.Allocate)\n"})
    );
    // The auditor can still read.
    assert_eq!(
        call(&sim, AUDITOR, Method::GET, "/nodes/pve1/lxc", &[])
            .await
            .status,
        200
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn privsep_token_gets_the_intersection() {
    let mut options = fast_options();
    // The user keeps its /vms ACL; the token loses its own: the intersection has no VM.Allocate.
    options
        .seed
        .acl
        .retain(|a| !(a.ugid == PROVISIONER && a.path == "/vms"));
    let sim = berth_pve_sim::spawn(options).await.unwrap();
    let r = post(
        &sim,
        "/nodes/pve1/lxc",
        &[("vmid", "100"), ("ostemplate", DEBIAN)],
    )
    .await;
    assert_eq!(r.reason, "Permission check failed (/vms/100, VM.Allocate)");
    sim.shutdown().await;
}

#[tokio::test]
async fn expired_token_is_rejected() {
    let mut options = fast_options();
    for u in &mut options.seed.users {
        for t in &mut u.tokens {
            t.expire = 1_000_000;
        }
    }
    let sim = berth_pve_sim::spawn(options).await.unwrap();
    let r = get(&sim, "/version").await;
    assert_eq!(
        (r.status.as_u16(), r.reason.as_str()),
        (401, "Authentication failed!")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn non_nesting_features_are_root_only() {
    let sim = start().await;
    let r = post(
        &sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", "100"),
            ("ostemplate", DEBIAN),
            ("features", "nesting=1,keyctl=1"),
        ],
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.reason,
        "Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)"
    );
    let r = post(
        &sim,
        "/nodes/pve1/lxc",
        &[
            ("vmid", "100"),
            ("ostemplate", DEBIAN),
            ("unprivileged", "0"),
        ],
    )
    .await;
    assert_eq!(r.reason, "Permission check failed (/, Sys.Modify)");
    sim.shutdown().await;
}
