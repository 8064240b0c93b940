//! Sandbox mode: a created container gets a real root filesystem and a meta.json that follow
//! the API, and `berth-ct-exec pct` runs commands and pushes files inside it like `pct` does.

use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};

use reqwest::Method;

use crate::common::*;
use crate::sandbox_support::*;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[tokio::test]
async fn a_created_container_has_a_rootfs_that_follows_its_life() {
    let sb = Sandboxed::start().await;
    sb.create(100, SOME_KEY, false).await;
    let root = sb.rootfs(100);
    let keys = root.join("root/.ssh/authorized_keys");
    assert_eq!(
        std::fs::read_to_string(&keys).unwrap(),
        format!("{SOME_KEY}\n")
    );
    assert_eq!(mode(&keys), 0o600);
    assert_eq!(mode(&root.join("root")), 0o700);
    assert_eq!(mode(&root.join("tmp")), 0o1777);
    assert!(root.join("etc/pam.d").is_dir());
    assert!(root.join("usr/local/sbin/apt-get").exists());
    let shadow = std::fs::read_to_string(root.join("etc/shadow")).unwrap();
    assert!(shadow.starts_with("root:*:"), "{shadow}");
    let os = std::fs::read_to_string(root.join("etc/os-release")).unwrap();
    assert!(
        os.contains("ID=debian\n") && os.contains("debian-12-standard"),
        "{os}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/hostname")).unwrap(),
        "web-1\n"
    );
    let meta = sb.meta(100);
    assert_eq!(meta["running"], false);
    assert_eq!(meta["node"], "pve1");
    assert_eq!(meta["hostname"], "web-1");

    sb.power(100, "start").await;
    assert_eq!(sb.meta(100)["running"], true);
    assert_eq!(sb.meta(100)["ipv4"], serde_json::json!(["127.64.0.102"]));
    let ifaces = get(&sb.sim, "/nodes/pve1/lxc/100/interfaces").await.data();
    assert_eq!(ifaces[1]["inet"], "127.64.0.102/8");
    assert_eq!(
        berth_pve_sim::loopback_ipv4(100, 0).to_string(),
        "127.64.0.102"
    );

    // A live hostname change reaches meta.json and /etc/hostname.
    let r = call(
        &sb.sim,
        PROVISIONER,
        Method::PUT,
        "/nodes/pve1/lxc/100/config",
        &[("hostname", "web-2")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(sb.meta(100)["hostname"], "web-2");
    assert_eq!(
        std::fs::read_to_string(root.join("etc/hostname")).unwrap(),
        "web-2\n"
    );

    sb.power(100, "stop").await;
    assert_eq!(sb.meta(100)["running"], false);
    destroy(&sb.sim, 100).await;
    assert!(!sb.sandboxes().join("100").exists());
}

#[tokio::test]
async fn without_a_sandbox_dir_dhcp_reports_a_private_address() {
    let sim = start().await;
    assert_eq!(create_ct(&sim, "100").await, "OK");
    assert_eq!(
        run_task(&sim, "/nodes/pve1/lxc/100/status/start", &[]).await,
        "OK"
    );
    let ifaces = get(&sim, "/nodes/pve1/lxc/100/interfaces").await.data();
    assert_eq!(ifaces[1]["inet"], "10.20.0.102/24");
}

#[tokio::test]
async fn pct_exec_runs_inside_the_container() {
    let sb = Sandboxed::with_running_ct().await;
    let marker = format!("/root/berth-sim-marker-{}", std::process::id());
    let out = sb.exec(
        100,
        &[
            "sh",
            "-c",
            &format!("echo inside > {marker}; hostname; pwd; echo $HOME"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "web-1\n/root\n/root\n");
    let inside = sb.rootfs(100).join(marker.trim_start_matches('/'));
    assert_eq!(std::fs::read_to_string(inside).unwrap(), "inside\n");
    assert!(
        !std::path::Path::new(&marker).exists(),
        "written on the host"
    );

    let out = sb.exec(100, &["sh", "-c", "echo bad >&2; exit 3"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stderr), "bad\n");

    // --keep-env 0 clears the caller's environment.
    let out = pct_command(&sb.sandboxes(), "pve1")
        .env("BERTH_TEST_LEAK", "1")
        .args(["exec", "100", "--keep-env", "0", "--", "env"])
        .output()
        .unwrap();
    let env = text(&out.stdout);
    assert!(
        env.contains("container=lxc") && !env.contains("BERTH_TEST_LEAK"),
        "{env}"
    );

    let out = sb.pct("pve2", &["exec", "100", "--", "true"]);
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        text(&out.stderr),
        "Configuration file 'nodes/pve2/lxc/100.conf' does not exist\n"
    );
    sb.power(100, "stop").await;
    let out = sb.exec(100, &["true"]);
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(text(&out.stderr), "container '100' not running!\n");
}

#[tokio::test]
async fn pct_push_sets_mode_and_owner() {
    let sb = Sandboxed::with_running_ct().await;
    let source = sb.dir.path().join("app.conf");
    std::fs::write(&source, "key=value\n").unwrap();
    let src = source.to_str().unwrap();
    let out = sb.pct(
        "pve1",
        &[
            "push",
            "100",
            src,
            "/etc/app.conf",
            "--perms",
            "640",
            "--user",
            "nobody",
            "--group",
            "sudo",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pushed = sb.rootfs(100).join("etc/app.conf");
    assert_eq!(std::fs::read_to_string(&pushed).unwrap(), "key=value\n");
    let meta = std::fs::metadata(&pushed).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    assert_eq!((meta.uid(), meta.gid()), (65534, 27));

    // No options: a new file is root's, 0644.
    let out = sb.pct("pve1", &["push", "100", src, "/root/plain"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&sb.rootfs(100).join("root/plain")), 0o644);

    let out = sb.pct(
        "pve1",
        &["push", "100", src, "/etc/x", "--user", "nosuchuser"],
    );
    assert_eq!(text(&out.stderr), "failed to get uid for: nosuchuser\n");
    let out = sb.pct("pve1", &["push", "100", src, "/missing/dir/file"]);
    assert_eq!(
        text(&out.stderr),
        "failed to create file: /missing/dir/file: No such file or directory\n"
    );
    sb.power(100, "stop").await;
    let out = sb.pct("pve1", &["push", "100", src, "/etc/app.conf"]);
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(text(&out.stderr), "can only push files to a running CT\n");
}

#[tokio::test]
async fn package_managers_are_stand_ins_that_record_and_fail_like_the_real_ones() {
    let sb = Sandboxed::with_running_ct().await;
    let out = sb.exec(100, &["apt-get", "install", "-y", "curl", "jq"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Setting up curl"),
        "{}",
        text(&out.stdout)
    );
    let record = sb.rootfs(100).join("var/lib/berth-sim/packages/apt");
    assert_eq!(std::fs::read_to_string(&record).unwrap(), "curl\njq\n");

    let out = sb.exec(100, &["apt-get", "install", "-y", "missing-tool"]);
    assert_eq!(out.status.code(), Some(100));
    assert_eq!(
        text(&out.stderr),
        "E: Unable to locate package missing-tool\n"
    );
    let out = sb.exec(100, &["pip", "install", "berth-sim-missing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("No matching distribution found for berth-sim-missing"));
    let out = sb.exec(100, &["npm", "install", "-g", "left-pad"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // chpasswd -e works inside, on the container's shadow only.
    let out = sb.exec(100, &["sh", "-c", "echo 'root:$6$salt$hash' | chpasswd -e"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shadow = std::fs::read_to_string(sb.rootfs(100).join("etc/shadow")).unwrap();
    assert!(shadow.starts_with("root:$6$salt$hash:"), "{shadow}");
}

#[tokio::test]
async fn the_sandboxes_survive_a_restart_with_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = fast_options();
    options.state_file = Some(dir.path().join("state.json"));
    let sandboxes = dir.path().join("sandboxes");
    options.sandbox_dir = Some(sandboxes.clone());
    let sim = berth_pve_sim::spawn(options.clone()).await.unwrap();
    assert_eq!(create_ct(&sim, "100").await, "OK");
    assert_eq!(create_ct(&sim, "101").await, "OK");
    let marker = sandboxes.join("100/rootfs/root/kept");
    std::fs::write(&marker, "x").unwrap();
    sim.shutdown().await;
    // A sandbox without a container in the state is not kept.
    std::fs::create_dir_all(sandboxes.join("555/rootfs")).unwrap();
    std::fs::remove_dir_all(sandboxes.join("101")).unwrap();

    let sim = berth_pve_sim::spawn(options).await.unwrap();
    assert!(marker.exists(), "the rootfs of CT 100 was rebuilt");
    assert!(!sandboxes.join("555").exists());
    // CT 101 lost its sandbox: it gets a fresh one (without keys, which PVE does not keep).
    assert!(sandboxes.join("101/rootfs/etc/passwd").exists());
    assert!(sandboxes.join("101/meta.json").exists());
    destroy(&sim, 100).await;
    assert!(!sandboxes.join("100").exists());
    sim.shutdown().await;
}
