//! Through a real OpenSSH server (berth-testkit's): `pct` on the node at 127.0.0.1, and SSH
//! straight into a container at its loopback address with the key injected at create.

use berth_testkit::sshd::{KeyPair, SshOptions, SshServer};

use crate::sandbox_support::*;

fn server(sb: &Sandboxed) -> SshServer {
    SshServer::start(SshOptions {
        sandbox_dir: sb.sandboxes(),
        node: "pve1".into(),
        ct_exec: CT_EXEC.into(),
    })
}

#[tokio::test]
async fn pct_exec_on_the_node() {
    let sb = Sandboxed::start().await;
    sb.create(100, SOME_KEY, true).await;
    let ssh = server(&sb);
    let out = ssh
        .ssh("127.0.0.1", &ssh.client_key)
        .args([
            "pct",
            "exec",
            "100",
            "--",
            "sh",
            "-c",
            "'echo hi; hostname'",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", text(&out.stderr), ssh.log());
    assert_eq!(text(&out.stdout), "hi\nweb-1\n");

    let out = ssh
        .ssh("127.0.0.1", &ssh.client_key)
        .args(["pct", "exec", "101", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        text(&out.stderr),
        "Configuration file 'nodes/pve1/lxc/101.conf' does not exist\n"
    );
}

#[tokio::test]
async fn ssh_into_a_container_with_the_injected_key() {
    let sb = Sandboxed::start().await;
    let keys = tempfile::tempdir().unwrap();
    let injected = KeyPair::generate(keys.path(), "injected");
    let other = KeyPair::generate(keys.path(), "other");
    sb.create(100, &injected.public, true).await;
    let address = sb.meta(100)["ipv4"][0].as_str().unwrap().to_string();
    let ssh = server(&sb);

    let out = ssh
        .ssh(&address, &injected.private)
        .arg("hostname; echo made-inside > /root/proof; echo oops >&2; exit 5")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}\n{}",
        text(&out.stderr),
        ssh.log()
    );
    assert_eq!(text(&out.stdout), "web-1\n");
    assert_eq!(text(&out.stderr), "oops\n");
    assert_eq!(
        std::fs::read_to_string(sb.rootfs(100).join("root/proof")).unwrap(),
        "made-inside\n"
    );

    // Another key is refused, and so is the node's key.
    for key in [&other.private, &ssh.client_key] {
        let out = ssh.ssh(&address, key).arg("true").output().unwrap();
        assert_eq!(out.status.code(), Some(255));
        assert!(
            text(&out.stderr).contains("Permission denied"),
            "{}",
            text(&out.stderr)
        );
    }
    // The container's key does not open the node.
    let out = ssh
        .ssh("127.0.0.1", &injected.private)
        .arg("true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));

    // A stopped container lets nobody in.
    sb.power(100, "stop").await;
    let out = ssh
        .ssh(&address, &injected.private)
        .arg("true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(
        text(&out.stderr).contains("Permission denied"),
        "{}",
        text(&out.stderr)
    );
}
