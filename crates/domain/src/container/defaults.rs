//! A new spec as the wizard opens it: everything the template decides, nothing the operator must.

use super::secret::InputValues;
use super::spec::*;
use crate::template::TemplateSpec;

impl ContainerSpec {
    /// The template's resources, disk size and network, its input defaults, an automatic VMID
    /// and node, and the template's name as host name (a slug is a valid one). Left for the
    /// operator: the storage (the domain does not know which storages a node has, so it is empty
    /// and fails validation until chosen) and the SSH keys or password.
    pub fn from_template(template: &TemplateSpec, version: i32) -> Self {
        let r = &template.resources;
        let inputs: InputValues = template
            .inputs
            .iter()
            .filter_map(|i| Some((i.name.as_str(), i.default.as_deref()?)))
            .collect();
        ContainerSpec {
            template: TemplateRef {
                name: template.name.clone(),
                version,
            },
            identity: Identity {
                hostname: template.name.clone(),
                vmid: VmidChoice::Auto,
                node: NodeChoice::Auto,
                tags: Vec::new(),
            },
            resources: Resources {
                cores: r.cores,
                memory_mib: r.memory_mib,
                swap_mib: r.swap_mib,
                unprivileged: r.unprivileged,
                nesting: r.nesting,
            },
            storage: Storage {
                rootfs: Volume {
                    storage: String::new(),
                    size_gib: r.disk_gib,
                },
                mount_points: Vec::new(),
            },
            network: Network {
                bridge: template.network.bridge.clone(),
                vlan: template.network.vlan,
                ipv4: template.network.ipv4.clone(),
                ipv6: template.network.ipv6.clone(),
                dns_servers: Vec::new(),
                search_domain: String::new(),
            },
            access: Access::default(),
            inputs,
            start_after_create: true,
        }
    }
}
