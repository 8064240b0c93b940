//! The LXC parameter schema (pve-container `LXC/Config.pm`, `API2/LXC.pm`), restricted to what
//! both PVE 8.4 and 9.x accept. Mount points (`mp[n]`) are taken at create only; devices (`dev[n]`) are
//! not simulated.

use std::sync::LazyLock;

use crate::schema::{Named, Prop};

const ARCH: &[&str] = &["amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"];
const OSTYPE: &[&str] = &[
    "debian",
    "devuan",
    "ubuntu",
    "centos",
    "fedora",
    "opensuse",
    "archlinux",
    "alpine",
    "gentoo",
    "nixos",
    "unmanaged",
];
const LOCKS: &[&str] = &[
    "backup",
    "create",
    "destroyed",
    "disk",
    "fstrim",
    "migrate",
    "mounted",
    "rollback",
    "snapshot",
    "snapshot-delete",
];

/// `net[n]` (`$netconf_desc`).
pub fn net_props() -> Vec<Prop> {
    vec![
        Prop::str("name").required().pattern(r"[-_.\w\d]+"),
        Prop::str("bridge").pattern(r"[-_.\w\d]+"),
        Prop::bool("firewall"),
        Prop::str("gw").fmt(Named::Ipv4),
        Prop::str("gw6").fmt(Named::Ipv6),
        Prop::str("hwaddr").fmt(Named::MacAddr),
        Prop::str("ip").fmt(Named::Ipv4Config),
        Prop::str("ip6").fmt(Named::Ipv6Config),
        Prop::bool("link_down"),
        Prop::int("mtu").range(Some(64.0), Some(65535.0)),
        Prop::num("rate"),
        Prop::int("tag").range(Some(1.0), Some(4094.0)),
        Prop::str("trunks").pattern(r"\d+(?:;\d+)*"),
        Prop::str("type").one_of(&["veth"]),
    ]
}

/// `rootfs` (`$rootfs_desc`).
pub fn rootfs_props() -> Vec<Prop> {
    vec![
        Prop::str("volume").required().default_key().fmt(Named::Lenient),
        Prop::bool("acl"),
        Prop::str("mountoptions").pattern(
            r"(discard|lazytime|noatime|nodev|noexec|nosuid)(;(discard|lazytime|noatime|nodev|noexec|nosuid))*",
        ),
        Prop::bool("quota"),
        Prop::bool("replicate"),
        Prop::bool("ro"),
        Prop::bool("shared"),
        Prop::str("size").fmt(Named::DiskSize),
    ]
}

/// `mp[n]` (`$mp_desc`): a volume like rootfs, and where it is mounted.
pub fn mp_props() -> Vec<Prop> {
    let mut props = rootfs_props();
    props.push(Prop::str("mp").required().fmt(Named::Lenient));
    props.push(Prop::bool("backup"));
    props
}

pub fn features_props() -> Vec<Prop> {
    vec![
        Prop::bool("force_rw_sys"),
        Prop::bool("fuse"),
        Prop::bool("keyctl"),
        Prop::bool("mknod"),
        Prop::str("mount").pattern(r"[a-zA-Z0-9_; ]+"),
        Prop::bool("nesting"),
    ]
}

/// Config keys shared by create and update.
fn config_props() -> Vec<Prop> {
    vec![
        Prop::str("arch").one_of(ARCH),
        Prop::str("cmode").one_of(&["shell", "console", "tty"]),
        Prop::bool("console"),
        Prop::int("cores").range(Some(1.0), Some(8192.0)),
        Prop::num("cpulimit").range(Some(0.0), Some(8192.0)),
        Prop::int("cpuunits").range(Some(0.0), Some(500_000.0)),
        Prop::bool("debug"),
        Prop::str("description").max_len(8192),
        Prop::str("features").props(features_props()),
        Prop::str("hookscript").fmt(Named::VolumeId),
        Prop::str("hostname").fmt(Named::DnsName).max_len(255),
        Prop::str("lock").one_of(LOCKS),
        Prop::int("memory").range(Some(16.0), None),
        Prop::str("nameserver").fmt(Named::IpList),
        Prop::str("net[n]").indexed(32).props(net_props()),
        Prop::bool("onboot"),
        Prop::str("ostype").one_of(OSTYPE),
        Prop::bool("protection"),
        Prop::str("rootfs").props(rootfs_props()),
        Prop::str("searchdomain").fmt(Named::DnsNameList),
        Prop::str("startup").fmt(Named::StartupOrder),
        Prop::int("swap").range(Some(0.0), None),
        Prop::str("tags").fmt(Named::TagList),
        Prop::bool("template"),
        Prop::str("timezone").fmt(Named::Lenient),
        Prop::int("tty").range(Some(0.0), Some(6.0)),
        Prop::bool("unprivileged"),
        Prop::str("unused[n]").indexed(256).fmt(Named::VolumeId),
    ]
}

/// `POST /nodes/{node}/lxc`.
pub fn create_params(node: Prop, vmid: Prop) -> Vec<Prop> {
    let mut v = vec![node, vmid];
    v.extend(config_props());
    v.extend([
        Prop::str("ostemplate").required().max_len(255),
        Prop::str("mp[n]").indexed(256).props(mp_props()),
        Prop::str("password").min_len(5),
        Prop::str("ssh-public-keys"),
        Prop::str("storage").fmt(Named::StorageId),
        Prop::bool("start"),
        Prop::str("pool").fmt(Named::PoolId),
        Prop::bool("force"),
        Prop::bool("restore"),
        Prop::bool("unique"),
        Prop::bool("ignore-unpack-errors"),
        Prop::num("bwlimit").range(Some(0.0), None),
    ]);
    v
}

/// `PUT /nodes/{node}/lxc/{vmid}/config`.
pub fn update_params(node: Prop, vmid: Prop) -> Vec<Prop> {
    let mut v = vec![node, vmid];
    v.extend(config_props());
    v.extend([
        Prop::str("delete"),
        Prop::str("revert"),
        Prop::str("digest").max_len(40),
    ]);
    v
}

static CONFIG: LazyLock<Vec<Prop>> = LazyLock::new(config_props);

/// The schema of a config key, for typing values in `GET …/config`.
pub fn config_prop(key: &str) -> Option<&'static Prop> {
    crate::schema::find(&CONFIG, key)
}

/// Whether a key is a known config option (for `delete` checks).
pub fn is_config_key(key: &str) -> bool {
    config_prop(key).is_some()
}
