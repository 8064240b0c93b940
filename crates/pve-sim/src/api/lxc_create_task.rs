//! The `vzcreate` worker: allocate the root disk, "extract" the template, write the final config
//! and unlock it (pve-container `LXC/Create.pm`, `LXC/Setup.pm`).

use super::lxc_create::{RootDisk, size_text};
use super::lxc_mounts::MountDisk;
use crate::sandbox::RootfsSpec;
use crate::sim::now;
use crate::state::perms::AuthId;
use crate::tasks::TaskCtx;

/// Everything the worker needs, decided before it was forked.
#[derive(Debug, Clone)]
pub struct CreateJob {
    pub vmid: u32,
    pub node: String,
    pub ostemplate: String,
    pub tstorage: String,
    pub volname: String,
    pub disk: RootDisk,
    /// `mpN` volumes, numbered after the root disk.
    pub mounts: Vec<MountDisk>,
    pub who: AuthId,
    pub start_after: bool,
    /// For root's `authorized_keys` in the sandbox (not kept in the config, as in PVE).
    pub ssh_keys: Option<String>,
}

impl CreateJob {
    pub async fn run(&self, ctx: &TaskCtx) -> Result<(), String> {
        let sim = &ctx.sim;
        let file = self.volname.trim_start_matches("vztmpl/").to_string();
        let exists = sim.read(|s| {
            s.storage(&self.node, &self.tstorage)
                .is_some_and(|st| st.templates.iter().any(|t| t.name == file))
        });
        if !exists {
            return Err(format!("can't find file '{}'", self.ostemplate));
        }
        self.check_space(ctx)?;
        let kind = self.kind_of(ctx, &self.disk.storage);
        let volid = volume_id(&kind, &self.disk.storage, self.vmid, 0);
        log_allocation(ctx, &kind, self.vmid, 0, self.disk.bytes);
        let mut mounts = Vec::new();
        for (i, mount) in self.mounts.iter().enumerate() {
            let kind = self.kind_of(ctx, &mount.disk.storage);
            let number = i + 1;
            log_allocation(ctx, &kind, self.vmid, number, mount.disk.bytes);
            let volid = volume_id(&kind, &mount.disk.storage, self.vmid, number);
            let value = format!(
                "{volid},mp={},size={}{}",
                mount.path,
                size_text(mount.disk.bytes),
                mount.disk.extra
            );
            mounts.push((mount.key.clone(), value));
        }
        let blocks = self.disk.bytes / 4096;
        ctx.log(format!(
            "Creating filesystem with {blocks} 4k blocks and {} inodes",
            blocks / 4
        ));
        ctx.sleep(1.0).await;
        ctx.log(format!(
            "extracting archive '/var/lib/vz/template/cache/{file}'"
        ));
        ctx.sleep(3.0).await;
        if let Some(msg) = ctx.injected_failure() {
            return Err(msg);
        }
        let bytes_read = 400_000_000 + u64::from(self.vmid) * 1000;
        ctx.log(format!(
            "Total bytes read: {bytes_read} ({}MiB, 191MiB/s)",
            bytes_read >> 20
        ));
        ctx.log("Detected container architecture: amd64");
        for key in ["rsa", "ecdsa", "ed25519"] {
            ctx.log(format!(
                "Creating SSH host key 'ssh_host_{key}_key' - this may take some time ..."
            ));
            ctx.log(format!(
                "done: SHA256:{} root@localhost",
                fake_hash(self.vmid, key)
            ));
        }
        ctx.sleep(1.0).await;
        self.build_sandbox(ctx)?;
        let ostype = ostype_of(&file);
        sim.write(|s| {
            if let Some(ct) = s.containers.get_mut(&self.vmid) {
                let cfg = &mut ct.config;
                cfg.insert(
                    "rootfs".into(),
                    format!(
                        "{volid},size={}{}",
                        size_text(self.disk.bytes),
                        self.disk.extra
                    ),
                );
                cfg.entry("arch".into()).or_insert_with(|| "amd64".into());
                cfg.entry("ostype".into()).or_insert_with(|| ostype.into());
                cfg.entry("hostname".into())
                    .or_insert_with(|| format!("CT{}", self.vmid));
                cfg.entry("memory".into()).or_insert_with(|| "512".into());
                cfg.entry("swap".into()).or_insert_with(|| "512".into());
                cfg.extend(mounts);
                cfg.remove("lock");
                ct.stats.disk = 600 << 20;
            }
        });
        if self.start_after {
            // The real handler calls start inside the worker, which forks its own vzstart task.
            super::lxc_status::start_task(sim, &self.node, self.vmid, &self.who, false);
        }
        Ok(())
    }
}

impl CreateJob {
    fn kind_of(&self, ctx: &TaskCtx, storage: &str) -> String {
        ctx.sim.read(|s| {
            s.storage(&self.node, storage)
                .map(|st| st.kind.clone())
                .unwrap_or_default()
        })
    }

    /// Every new volume must fit its storage, those on one storage together.
    fn check_space(&self, ctx: &TaskCtx) -> Result<(), String> {
        let mut wanted: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
        for disk in std::iter::once(&self.disk).chain(self.mounts.iter().map(|m| &m.disk)) {
            *wanted.entry(disk.storage.as_str()).or_default() += disk.bytes;
        }
        for (storage, bytes) in wanted {
            let avail = ctx.sim.read(|s| {
                s.storage(&self.node, storage)
                    .map(|st| st.total.saturating_sub(s.storage_used(&self.node, st)))
                    .unwrap_or_default()
            });
            if bytes > avail {
                // Simulator wording: real storages fail in lvcreate/qemu-img with their own texts.
                return Err(format!(
                    "not enough free space on storage '{storage}' (requested {}, available {})",
                    size_text(bytes),
                    size_text(avail)
                ));
            }
        }
        Ok(())
    }

    /// The container's real root filesystem, when the simulator has sandboxes; built before the
    /// config is unlocked, so that a finished create always has it.
    fn build_sandbox(&self, ctx: &TaskCtx) -> Result<(), String> {
        let Some(sandbox) = &ctx.sim.sandbox else {
            return Ok(());
        };
        let hostname = ctx.sim.read(|s| {
            s.containers
                .get(&self.vmid)
                .map_or_else(|| format!("CT{}", self.vmid), |ct| ct.name())
        });
        let spec = RootfsSpec {
            hostname: &hostname,
            ostemplate: &self.ostemplate,
            ssh_keys: self.ssh_keys.as_deref(),
            today: crate::sandbox::today(),
            mount_paths: self.mounts.iter().map(|m| m.path.as_str()).collect(),
        };
        sandbox
            .build(self.vmid, &spec)
            .map_err(|e| format!("building the sandbox failed: {e}"))
    }
}

fn volume_id(kind: &str, storage: &str, vmid: u32, number: usize) -> String {
    match kind {
        "dir" | "nfs" | "cifs" => format!("{storage}:{vmid}/vm-{vmid}-disk-{number}.raw"),
        "zfspool" => format!("{storage}:subvol-{vmid}-disk-{number}"),
        _ => format!("{storage}:vm-{vmid}-disk-{number}"),
    }
}

fn log_allocation(ctx: &TaskCtx, kind: &str, vmid: u32, number: usize, bytes: u64) {
    if kind == "lvmthin" || kind == "lvm" {
        ctx.log(format!(
            "  Logical volume \"vm-{vmid}-disk-{number}\" created."
        ));
    } else {
        ctx.log(format!(
            "Formatting '/var/lib/vz/images/{vmid}/vm-{vmid}-disk-{number}.raw', fmt=raw size={bytes}"
        ));
    }
}

fn ostype_of(template: &str) -> &'static str {
    [
        "debian",
        "ubuntu",
        "alpine",
        "centos",
        "fedora",
        "archlinux",
        "devuan",
        "opensuse",
        "gentoo",
        "nixos",
    ]
    .into_iter()
    .find(|os| template.starts_with(os))
    .unwrap_or("unmanaged")
}

fn fake_hash(vmid: u32, salt: &str) -> String {
    use base64::Engine as _;
    let d = ring::digest::digest(
        &ring::digest::SHA256,
        format!("{vmid}{salt}{}", now()).as_bytes(),
    );
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(d.as_ref())
}
