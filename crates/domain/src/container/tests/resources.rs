//! Cores, memory, swap, privileges; root disk and mount points.

use super::*;

#[test]
fn resources() {
    run(&[
        (|s| s.resources.cores = 1, None),
        (|s| s.resources.cores = 8192, None),
        (
            |s| s.resources.cores = 0,
            Some(("resources.cores", "between 1 and 8192")),
        ),
        (
            |s| s.resources.cores = 8193,
            Some(("resources.cores", "between 1 and 8192")),
        ),
        (|s| s.resources.memory_mib = 16, None),
        (|s| s.resources.memory_mib = 4 * 1024 * 1024, None),
        (
            |s| s.resources.memory_mib = 15,
            Some(("resources.memory_mib", "16 MiB")),
        ),
        (
            |s| s.resources.memory_mib = 4 * 1024 * 1024 + 1,
            Some(("resources.memory_mib", "4 TiB")),
        ),
        (|s| s.resources.swap_mib = 0, None),
        (
            |s| s.resources.swap_mib = 4 * 1024 * 1024 + 1,
            Some(("resources.swap_mib", "at most 4 TiB")),
        ),
        (|s| s.resources.nesting = true, None),
        (|s| s.resources.unprivileged = false, None),
        (
            |s| {
                s.resources.unprivileged = false;
                s.resources.nesting = true;
            },
            Some(("resources.nesting", "unprivileged")),
        ),
    ]);
}

#[test]
fn root_disk() {
    run(&[
        (|s| s.storage.rootfs.storage = "local-zfs".into(), None),
        (|s| s.storage.rootfs.storage = "ceph.pool_1".into(), None),
        (
            |s| s.storage.rootfs.storage = String::new(),
            Some(("storage.rootfs.storage", "is required")),
        ),
        (
            |s| s.storage.rootfs.storage = "a".into(),
            Some(("storage.rootfs.storage", "not a storage id")),
        ),
        (
            |s| s.storage.rootfs.storage = "1lvm".into(),
            Some(("storage.rootfs.storage", "not a storage id")),
        ),
        (
            |s| s.storage.rootfs.storage = "lvm-".into(),
            Some(("storage.rootfs.storage", "not a storage id")),
        ),
        (
            |s| s.storage.rootfs.storage = "local:lvm".into(),
            Some(("storage.rootfs.storage", "not a storage id")),
        ),
        (|s| s.storage.rootfs.size_gib = 1, None),
        (|s| s.storage.rootfs.size_gib = 131_072, None),
        (
            |s| s.storage.rootfs.size_gib = 0,
            Some(("storage.rootfs.size_gib", "between 1 and 131072")),
        ),
        (
            |s| s.storage.rootfs.size_gib = 131_073,
            Some(("storage.rootfs.size_gib", "between 1 and 131072")),
        ),
    ]);
}

fn mount(path: &str) -> MountPoint {
    MountPoint {
        storage: "local-lvm".into(),
        size_gib: 10,
        path: path.into(),
    }
}

#[test]
fn mount_points() {
    run(&[
        (
            |s| s.storage.mount_points = vec![mount("/srv/data"), mount("/var/lib/postgresql")],
            None,
        ),
        (|s| s.storage.mount_points = vec![mount("/device")], None),
        (
            |s| s.storage.mount_points = vec![mount("/")],
            Some(("storage.mount_points[0].path", "cannot be /")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("")],
            Some(("storage.mount_points[0].path", "is required")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("srv/data")],
            Some(("storage.mount_points[0].path", "absolute")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/srv/data/")],
            Some(("storage.mount_points[0].path", "trailing")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/srv/../etc")],
            Some(("storage.mount_points[0].path", "'..'")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/srv//data")],
            Some(("storage.mount_points[0].path", "empty segments")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/srv/a,b")],
            Some(("storage.mount_points[0].path", "','")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/srv/my data")],
            Some(("storage.mount_points[0].path", "' '")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/proc/x")],
            Some(("storage.mount_points[0].path", "cannot be in /proc")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/dev")],
            Some(("storage.mount_points[0].path", "cannot be in /dev")),
        ),
        (
            |s| s.storage.mount_points = vec![mount("/srv"), mount("/data"), mount("/srv")],
            Some(("storage.mount_points[2].path", "already a mount point")),
        ),
        (
            |s| {
                s.storage.mount_points = vec![
                    mount("/a"),
                    MountPoint {
                        size_gib: 0,
                        ..mount("/b")
                    },
                ]
            },
            Some(("storage.mount_points[1].size_gib", "between 1 and")),
        ),
        (
            |s| {
                s.storage.mount_points = vec![MountPoint {
                    storage: "x".into(),
                    ..mount("/b")
                }]
            },
            Some(("storage.mount_points[0].storage", "not a storage id")),
        ),
        (
            |s| s.storage.mount_points = (0..256).map(|i| mount(&format!("/mnt/{i}"))).collect(),
            None,
        ),
        (
            |s| s.storage.mount_points = (0..257).map(|i| mount(&format!("/mnt/{i}"))).collect(),
            Some(("storage.mount_points", "more than 256")),
        ),
    ]);
}
