//! The sandboxes' systemd stand-in: a service a session starts outlives it, stops with the
//! container, comes back at its next start when enabled; and apt-get installs a local .deb.

use std::path::Path;
use std::time::Duration;

use crate::sandbox_support::*;

/// A service that proves it runs: it writes who it runs as and the address it was given, then
/// a heartbeat every 100 ms.
const BEAT_UNIT: &str = "\
[Unit]
Description=Heartbeat for the test

[Service]
User=beat
Environment=GREETING=hello
ExecStart=/bin/sh -c 'echo \"$(id -un) $GREETING $BERTH_SIM_IPV4\" > /tmp/beat.who; while :; do date +%%s%%N > /tmp/beat; sleep 0.1; done'
Restart=always

[Install]
WantedBy=multi-user.target
";

fn write_unit(root: &Path, name: &str, text: &str) {
    std::fs::write(root.join("etc/systemd/system").join(name), text).unwrap();
}

/// The init's log and every service log of a sandbox, for a failure's message.
fn logs(root: &Path) -> String {
    let mut text = String::new();
    let init = root.parent().unwrap().join("init.log");
    let services = std::fs::read_dir(root.join("var/log/berth-sim"))
        .into_iter()
        .flatten();
    for path in std::iter::once(init).chain(services.flatten().map(|e| e.path())) {
        let log = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str(&format!("--- {}\n{log}", path.display()));
    }
    text
}

fn beat(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join("tmp/beat")).ok()
}

/// Whether the heartbeat file changes within two seconds.
async fn beating(root: &Path) -> bool {
    let first = beat(root);
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if beat(root).is_some() && beat(root) != first {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn a_service_started_by_a_session_outlives_it_and_lives_with_the_container() {
    let sb = Sandboxed::with_running_ct().await;
    let root = sb.rootfs(100);
    assert!(
        root.join("run/systemd/system").is_dir(),
        "no systemd marker"
    );
    let out = sb.exec(100, &["useradd", "--create-home", "beat"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    write_unit(&root, "beat.service", BEAT_UNIT);

    let out = sb.exec(100, &["systemctl", "is-enabled", "--quiet", "beat"]);
    assert_eq!(out.status.code(), Some(1), "enabled before enable");
    let out = sb.exec(100, &["systemctl", "enable", "--now", "beat"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("multi-user.target.wants/beat.service"),
        "{}",
        text(&out.stdout)
    );
    // The session that started it has ended; the service still runs, as its user, with the
    // environment of its unit and the container's address.
    assert!(
        beating(&root).await,
        "the service does not run\n{}",
        logs(&root)
    );
    let who = std::fs::read_to_string(root.join("tmp/beat.who")).unwrap();
    let address = sb.meta(100)["ipv4"][0].as_str().unwrap().to_string();
    assert_eq!(who.trim(), format!("beat hello {address}"));
    let out = sb.exec(100, &["systemctl", "is-active", "beat"]);
    assert_eq!(text(&out.stdout), "active\n");
    assert!(out.status.success());
    let out = sb.exec(100, &["systemctl", "status", "beat"]);
    assert!(
        text(&out.stdout).contains("Active: active (running)"),
        "{}",
        text(&out.stdout)
    );

    // Stopping the container stops the service and clears /run.
    sb.power(100, "stop").await;
    assert!(!beating(&root).await, "the service outlived its container");
    assert!(!root.join("run/berth-sim").exists());

    // Enabled: it starts again with the container.
    sb.power(100, "start").await;
    assert!(
        beating(&root).await,
        "the enabled service did not start at boot"
    );

    let out = sb.exec(100, &["systemctl", "stop", "beat"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!beating(&root).await, "systemctl stop left it running");
    let out = sb.exec(100, &["systemctl", "is-active", "--quiet", "beat"]);
    assert_eq!(out.status.code(), Some(3));
    destroy_stopped(&sb, 100).await;
}

#[tokio::test]
async fn a_service_that_cannot_start_fails_the_start_with_its_reason() {
    let sb = Sandboxed::with_running_ct().await;
    let root = sb.rootfs(100);
    write_unit(
        &root,
        "broken.service",
        "[Service]\nExecStart=/opt/missing/program\n",
    );
    let out = sb.exec(100, &["systemctl", "start", "broken.service"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        text(&out.stderr),
        logs(&root)
    );
    assert!(
        text(&out.stderr).contains("Job for broken.service failed"),
        "{}",
        text(&out.stderr)
    );
    let log = std::fs::read_to_string(root.join("var/log/berth-sim/broken.service.log")).unwrap();
    assert!(log.contains("/opt/missing/program"), "{log}");

    let out = sb.exec(100, &["systemctl", "start", "nothing-here"]);
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(
        text(&out.stderr),
        "Failed to start nothing-here.service: Unit nothing-here.service not found.\n"
    );
    // A timer is only marked active (it never fires), as debian-base's script expects of one.
    write_unit(
        &root,
        "nightly.timer",
        "[Timer]\nOnCalendar=daily\n\n[Install]\nWantedBy=timers.target\n",
    );
    let out = sb.exec(100, &["systemctl", "enable", "--now", "nightly.timer"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = sb.exec(100, &["systemctl", "is-active", "nightly.timer"]);
    assert_eq!(text(&out.stdout), "active\n");

    let out = sb.exec(100, &["systemctl", "frobnicate", "x"]);
    assert_eq!(text(&out.stderr), "Unknown command verb frobnicate.\n");
    destroy_stopped(&sb, 100).await;
}

#[tokio::test]
async fn apt_get_unpacks_a_local_deb_into_usr_local_and_records_it() {
    let sb = Sandboxed::with_running_ct().await;
    let root = sb.rootfs(100);
    let pkg = sb.dir.path().join("pkg");
    for dir in ["DEBIAN", "usr/bin", "usr/lib/systemd/system", "etc/hello"] {
        std::fs::create_dir_all(pkg.join(dir)).unwrap();
    }
    std::fs::write(
        pkg.join("DEBIAN/control"),
        "Package: hello-berth\nVersion: 1.2.3\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test\n",
    )
    .unwrap();
    std::fs::write(pkg.join("usr/bin/hello-berth"), "#!/bin/sh\necho hi\n").unwrap();
    std::fs::write(pkg.join("etc/hello/conf"), "x=1\n").unwrap();
    std::fs::write(
        pkg.join("usr/lib/systemd/system/hello-berth.service"),
        "[Service]\nType=oneshot\nExecStart=/usr/bin/hello-berth\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(
        pkg.join("usr/bin/hello-berth"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let deb = root.join("tmp/hello-berth_1.2.3_all.deb");
    let built = std::process::Command::new("dpkg-deb")
        .args(["--build", "--root-owner-group"])
        .arg(&pkg)
        .arg(&deb)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", text(&built.stderr));

    let out = sb.exec(
        100,
        &["apt-get", "install", "-y", "/tmp/hello-berth_1.2.3_all.deb"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(root.join("usr/local/bin/hello-berth").is_file());
    assert!(root.join("etc/hello/conf").is_file());
    let out = sb.exec(100, &["dpkg-query", "-W", "-f=${Version}", "hello-berth"]);
    assert_eq!(text(&out.stdout), "1.2.3");
    // The unit names /usr/bin/hello-berth; the program is found in /usr/local.
    let out = sb.exec(100, &["systemctl", "start", "hello-berth"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log =
        std::fs::read_to_string(root.join("var/log/berth-sim/hello-berth.service.log")).unwrap();
    assert_eq!(log, "hi\n");

    let out = sb.exec(100, &["apt-get", "install", "-y", "/tmp/none.deb"]);
    assert_eq!(out.status.code(), Some(100));
    assert_eq!(
        text(&out.stderr),
        "E: Unsupported file /tmp/none.deb given on commandline\n"
    );
    destroy_stopped(&sb, 100).await;
}

async fn destroy_stopped(sb: &Sandboxed, vmid: u32) {
    sb.power(vmid, "stop").await;
    destroy(&sb.sim, vmid).await;
    assert!(!sb.sandboxes().join(vmid.to_string()).exists());
}
