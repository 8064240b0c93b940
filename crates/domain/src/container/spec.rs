//! What the provisioning wizard (and `POST /api/v1` clients) send to create one container from one
//! template version. User-typed values (addresses, names, keys) stay text here so that
//! [`ContainerSpec::validate`] can report every mistake at its field instead of failing the whole
//! request at deserialization; the PVE rendering lives in the pipeline, not in the domain.

use super::secret::{InputValues, Secret};
use crate::template::{Ipv4Mode, Ipv6Mode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerSpec {
    pub template: TemplateRef,
    pub identity: Identity,
    pub resources: Resources,
    pub storage: Storage,
    pub network: Network,
    pub access: Access,
    /// Values for the template's inputs, by input name.
    #[serde(default)]
    pub inputs: InputValues,
    /// Leave the container running once provisioning is done. The pipeline starts it either way
    /// (packages and scripts need it running) and shuts it down at the end when this is false.
    pub start_after_create: bool,
}

/// The template version the run was started from: a run never follows later edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateRef {
    pub name: String,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// A DNS name as Proxmox takes it: `web1`, or `web1.lab.example` (the first label becomes the
    /// container's host name, the rest its domain).
    pub hostname: String,
    pub vmid: VmidChoice,
    pub node: NodeChoice,
    /// Proxmox tags, lowercase. Berth adds its own `berth-…` tags; users may not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VmidChoice {
    /// The pipeline reserves the next free id.
    #[default]
    Auto,
    /// 100–999999999, as Proxmox allows.
    Chosen(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeChoice {
    /// The scheduler picks a node with room.
    #[default]
    Auto,
    Named(String),
}

/// CPU and memory; the root disk size is in [`Storage`] because it comes with its storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    pub cores: u16,
    pub memory_mib: u32,
    pub swap_mib: u32,
    /// Always sent explicitly: PVE 8 and 9 default differently.
    pub unprivileged: bool,
    #[serde(default)]
    pub nesting: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub rootfs: Volume,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mount_points: Vec<MountPoint>,
}

/// A new volume of `size_gib` on a Proxmox storage (`local-lvm`, `local-zfs`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    pub storage: String,
    pub size_gib: u32,
}

/// An extra volume mounted at `path` inside the container (Proxmox `mp0`…`mp255`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MountPoint {
    pub storage: String,
    pub size_gib: u32,
    pub path: String,
}

/// The container's one interface (`net0`, named `eth0` inside) and its resolver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub bridge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<u16>,
    pub ipv4: Ipv4Mode,
    #[serde(default, skip_serializing_if = "Ipv6Mode::is_none")]
    pub ipv6: Ipv6Mode,
    /// IP addresses. Empty, with an empty search domain, means the node's own resolver settings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_servers: Vec<String>,
    /// A domain such as `lab.example`; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub search_domain: String,
}

/// How people log in as root: at least one SSH key or a password.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    /// One OpenSSH public key per entry: `ssh-ed25519 AAAA… comment`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_keys: Vec<String>,
    /// Serialized in plain text on purpose: the server must receive it to set it. Anything shown
    /// or stored for people goes through [`super::Review`], which only says whether one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_password: Option<Secret>,
}
