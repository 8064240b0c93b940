//! The simulated cluster: nodes, storages, containers, tasks, users — everything the state file keeps.

mod container;
pub mod perms;
pub mod persist;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use container::{Container, Snapshot, is_mount_point};

use crate::seed::{Appliance, Seed};

const GIB: u64 = 1 << 30;

/// Everything that survives a restart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimState {
    pub cluster: String,
    pub nodes: Vec<Node>,
    pub users: Vec<User>,
    pub roles: BTreeMap<String, BTreeSet<String>>,
    pub acl: Vec<AclEntry>,
    pub appliances: Vec<Appliance>,
    pub containers: BTreeMap<u32, Container>,
    pub tasks: Vec<crate::tasks::Task>,
    /// Next worker "pid" (only used to make UPIDs look real and unique).
    pub next_pid: u32,
    /// The key tickets and CSRF tokens are signed with (base64).
    pub auth_key: String,
    /// The HTTPS certificate, kept so that a restart keeps the fingerprint clients pinned.
    #[serde(default)]
    pub tls: Option<crate::tls::StoredTls>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Node {
    pub name: String,
    pub cpus: u32,
    pub memory: u64,
    pub rootfs: u64,
    pub boot_time: i64,
    pub storages: Vec<Storage>,
    pub bridges: Vec<Bridge>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Storage {
    pub id: String,
    pub kind: String,
    pub content: Vec<String>,
    pub total: u64,
    /// Space used by things the simulator does not model (other guests, ISOs…).
    pub base_used: u64,
    pub enabled: bool,
    pub templates: Vec<TemplateFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateFile {
    pub name: String,
    pub size: u64,
    pub ctime: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bridge {
    pub name: String,
    pub mtu: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub userid: String,
    pub password: Option<String>,
    pub enabled: bool,
    pub tokens: Vec<Token>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Token {
    pub id: String,
    pub secret: String,
    pub privsep: bool,
    pub expire: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AclEntry {
    pub path: String,
    pub ugid: String,
    pub role: String,
    pub propagate: bool,
}

/// A template's plausible size, derived from its name so it is stable across runs.
fn template_size(name: &str) -> u64 {
    let spread = name.bytes().map(u64::from).sum::<u64>() % 64;
    if name.starts_with("alpine") {
        (3 << 20) + spread * 4096
    } else {
        (120 << 20) + spread * (1 << 20)
    }
}

impl SimState {
    /// A fresh cluster built from a seed.
    pub fn from_seed(seed: &Seed, now: i64) -> anyhow::Result<Self> {
        let nodes = seed
            .nodes
            .iter()
            .map(|n| Node {
                name: n.name.clone(),
                cpus: n.cpus,
                memory: n.memory_gib * GIB,
                rootfs: n.rootfs_gib * GIB,
                boot_time: now - 3 * 86_400,
                storages: n
                    .storages
                    .iter()
                    .map(|s| Storage {
                        id: s.id.clone(),
                        kind: s.kind.clone(),
                        content: s.content.clone(),
                        total: s.total_gib * GIB,
                        base_used: s.used_gib * GIB,
                        enabled: s.enabled,
                        templates: s
                            .templates
                            .iter()
                            .map(|t| TemplateFile {
                                name: t.clone(),
                                size: template_size(t),
                                ctime: now - 86_400,
                            })
                            .collect(),
                    })
                    .collect(),
                bridges: n
                    .bridges
                    .iter()
                    .map(|b| Bridge {
                        name: b.name.clone(),
                        mtu: b.mtu,
                    })
                    .collect(),
            })
            .collect();
        let users = seed
            .users
            .iter()
            .map(|u| User {
                userid: u.userid.clone(),
                password: u.password.clone(),
                enabled: u.enabled,
                tokens: u
                    .tokens
                    .iter()
                    .map(|t| Token {
                        id: t.id.clone(),
                        secret: t
                            .secret
                            .clone()
                            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
                        privsep: t.privsep,
                        expire: t.expire,
                    })
                    .collect(),
            })
            .collect();
        let mut roles = perms::builtin_roles();
        for (name, privs) in &seed.roles {
            for p in privs {
                if !perms::ALL_PRIVILEGES.contains(&p.as_str()) {
                    anyhow::bail!("role '{name}': invalid privilege name '{p}'");
                }
            }
            roles.insert(name.clone(), privs.iter().cloned().collect());
        }
        for a in &seed.acl {
            if !roles.contains_key(&a.role) {
                anyhow::bail!("ACL on '{}': unknown role '{}'", a.path, a.role);
            }
        }
        let acl = seed
            .acl
            .iter()
            .map(|a| AclEntry {
                path: a.path.clone(),
                ugid: a.ugid.clone(),
                role: a.role.clone(),
                propagate: a.propagate,
            })
            .collect();
        let key: [u8; 32] = rand::random();
        use base64::Engine as _;
        Ok(Self {
            cluster: seed.cluster.clone(),
            nodes,
            users,
            roles,
            acl,
            appliances: seed.appliances.clone(),
            containers: BTreeMap::new(),
            tasks: Vec::new(),
            next_pid: 4000 + rand::random::<u32>() % 20_000,
            auth_key: base64::engine::general_purpose::STANDARD.encode(key),
            tls: None,
        })
    }

    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name == name)
    }

    pub fn storage(&self, node: &str, id: &str) -> Option<&Storage> {
        self.node(node)?.storages.iter().find(|s| s.id == id)
    }

    pub fn storage_mut(&mut self, node: &str, id: &str) -> Option<&mut Storage> {
        self.nodes
            .iter_mut()
            .find(|n| n.name == node)?
            .storages
            .iter_mut()
            .find(|s| s.id == id)
    }

    /// Whether a storage id is defined anywhere in the cluster (storage.cfg is cluster-wide).
    pub fn storage_defined(&self, id: &str) -> bool {
        self.nodes
            .iter()
            .any(|n| n.storages.iter().any(|s| s.id == id))
    }

    /// Bytes used on a storage: the seed's base plus the volumes of containers on that node.
    pub fn storage_used(&self, node: &str, storage: &Storage) -> u64 {
        let volumes: u64 = self
            .containers
            .values()
            .filter(|c| c.node == node)
            .flat_map(|c| c.volumes())
            .filter(|(sid, _)| *sid == storage.id)
            .map(|(_, size)| size)
            .sum();
        let templates: u64 = storage.templates.iter().map(|t| t.size).sum();
        storage.base_used + volumes + templates
    }

    pub fn user(&self, userid: &str) -> Option<&User> {
        self.users.iter().find(|u| u.userid == userid)
    }

    pub fn alloc_pid(&mut self) -> u32 {
        self.next_pid = self.next_pid.wrapping_add(1 + rand::random::<u32>() % 37);
        if self.next_pid > 4_000_000 {
            self.next_pid = 1000;
        }
        self.next_pid
    }
}
