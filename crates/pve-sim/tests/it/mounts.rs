//! Mount points at create: `mpN: STORAGE:SIZE,mp=/path` allocates a volume numbered after the
//! root disk, counts against the storage, shows in the config, and is a directory in the sandbox.

use crate::common::*;
use crate::sandbox_support::*;

async fn used(sb: &Sandboxed, storage: &str) -> u64 {
    let list = get(&sb.sim, "/nodes/pve1/storage").await.data();
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["storage"] == storage)
        .and_then(|s| s["used"].as_u64())
        .unwrap()
}

async fn create_with(sb: &Sandboxed, vmid: &str, mounts: &[(&str, &str)]) -> Resp {
    let mut form = vec![
        ("vmid", vmid),
        ("ostemplate", DEBIAN),
        ("rootfs", "local-lvm:8"),
        ("hostname", "data-1"),
        ("net0", "name=eth0,bridge=vmbr0,ip=dhcp"),
    ];
    form.extend_from_slice(mounts);
    post(&sb.sim, "/nodes/pve1/lxc", &form).await
}

#[tokio::test]
async fn mount_points_are_allocated_counted_and_mounted() {
    let sb = Sandboxed::start().await;
    let before = used(&sb, "local-lvm").await;
    let upid = create_with(
        &sb,
        "120",
        &[
            ("mp0", "local-lvm:4,mp=/srv/data,backup=1"),
            ("mp1", "local-lvm:2,mp=/var/cache/app"),
        ],
    )
    .await
    .data();
    let st = wait_task(&sb.sim, "pve1", upid.as_str().unwrap()).await;
    assert_eq!(st["exitstatus"], "OK", "{st}");

    let config = get(&sb.sim, "/nodes/pve1/lxc/120/config").await.data();
    assert_eq!(config["rootfs"], "local-lvm:vm-120-disk-0,size=8G");
    assert_eq!(
        config["mp0"],
        "local-lvm:vm-120-disk-1,mp=/srv/data,size=4G,backup=1"
    );
    assert_eq!(
        config["mp1"],
        "local-lvm:vm-120-disk-2,mp=/var/cache/app,size=2G"
    );
    assert_eq!(used(&sb, "local-lvm").await - before, 14 << 30);
    assert!(sb.rootfs(120).join("srv/data").is_dir());
    assert!(sb.rootfs(120).join("var/cache/app").is_dir());

    destroy(&sb.sim, 120).await;
    assert_eq!(used(&sb, "local-lvm").await, before);
}

#[tokio::test]
async fn bad_mount_points_are_refused_before_anything_is_created() {
    let sb = Sandboxed::start().await;
    for (value, expected) in [
        ("local-lvm:4,mp=srv", "must be absolute"),
        ("local-lvm:4,mp=/", "must be absolute"),
        ("local-lvm:4,mp=/srv/../etc", "without '..'"),
        ("local-lvm:4", "mp"),
        ("nowhere:4,mp=/srv", "storage 'nowhere' does not exist"),
    ] {
        let resp = create_with(&sb, "121", &[("mp0", value)]).await;
        assert!(
            resp.status.is_client_error() || resp.status.is_server_error(),
            "{value}: {}",
            resp.text
        );
        assert!(resp.text.contains(expected), "{value}: {}", resp.text);
    }
    // A volume too big for its storage fails the task, as lvcreate would.
    let upid = create_with(&sb, "121", &[("mp0", "local-lvm:100000,mp=/srv")])
        .await
        .data();
    let st = wait_task(&sb.sim, "pve1", upid.as_str().unwrap()).await;
    assert!(
        st["exitstatus"]
            .as_str()
            .unwrap()
            .contains("not enough free space on storage 'local-lvm'"),
        "{st}"
    );
}
