//! The `POST /nodes/{node}/lxc` request for a run: the operator's spec on top of the template
//! version's OS image, tagged so the container can always be traced back to its run.

use crate::error::ProvisionError;
use berth_domain::container::ContainerSpec;
use berth_domain::template::{Ipv4Mode, Ipv6Mode, TemplateSpec};
use berth_pve::types::{CreateLxc, NetConfig};

/// Tag on every container Berth makes (`berth-run-<id>` says which run).
pub const BERTH_TAG: &str = "berth";

pub(crate) fn build(
    vmid: u32,
    run_tag: &str,
    spec: &ContainerSpec,
    template: &TemplateSpec,
    berth_key: Option<&str>,
) -> Result<CreateLxc, ProvisionError> {
    let mut request = CreateLxc::new(vmid, template.os_template.clone());
    let rootfs = &spec.storage.rootfs;
    request.rootfs = Some(format!("{}:{}", rootfs.storage, rootfs.size_gib));
    request.mount_points = spec
        .storage
        .mount_points
        .iter()
        .map(|mp| format!("{}:{},mp={}", mp.storage, mp.size_gib, mp.path))
        .collect();
    // Sent explicitly: PVE 8 and 9 default differently (PVE-API.md §4.7).
    request.unprivileged = spec.resources.unprivileged;
    // No root password here, on purpose: the run keeps only its hash, and it is set inside the
    // container later from that hash, so the plain text never travels to Proxmox or its logs.
    request.password = None;
    // Berth's own key lets the SSH stages in; the operator's keys are theirs.
    let keys: Vec<&str> = spec
        .access
        .ssh_keys
        .iter()
        .map(String::as_str)
        .chain(berth_key)
        .collect();
    if !keys.is_empty() {
        request.ssh_public_keys = Some(keys.join("\n"));
    }
    let options = &mut request.options;
    options.hostname = Some(spec.identity.hostname.clone());
    options.cores = Some(u32::from(spec.resources.cores));
    options.memory = Some(u64::from(spec.resources.memory_mib));
    options.swap = Some(u64::from(spec.resources.swap_mib));
    if spec.resources.nesting {
        options.features = Some("nesting=1".into());
    }
    options.nets.insert(0, net0(spec));
    let network = &spec.network;
    if !network.dns_servers.is_empty() {
        options.nameserver = Some(network.dns_servers.join(" "));
    }
    if !network.search_domain.is_empty() {
        options.searchdomain = Some(network.search_domain.clone());
    }
    options.tags = Some(tags(run_tag, &spec.identity.tags));
    Ok(request)
}

fn net0(spec: &ContainerSpec) -> NetConfig {
    let network = &spec.network;
    let (ip, gw) = match &network.ipv4 {
        Ipv4Mode::Dhcp => (Some("dhcp".to_owned()), None),
        Ipv4Mode::Static(fixed) => (Some(fixed.address.clone()), fixed.gateway.clone()),
    };
    let (ip6, gw6) = match &network.ipv6 {
        Ipv6Mode::None => (None, None),
        Ipv6Mode::Auto => (Some("auto".to_owned()), None),
        Ipv6Mode::Dhcp => (Some("dhcp".to_owned()), None),
        Ipv6Mode::Static(fixed) => (Some(fixed.address.clone()), fixed.gateway.clone()),
    };
    NetConfig {
        name: "eth0".into(),
        bridge: Some(network.bridge.clone()),
        tag: network.vlan,
        ip,
        gw,
        ip6,
        gw6,
        ..NetConfig::default()
    }
}

/// `berth;berth-run-<id>;<user tags>`: user tags cannot start with `berth-` (the domain refuses
/// them), so the run tag always tells the truth.
fn tags(run_tag: &str, user: &[String]) -> String {
    let mut all = vec![BERTH_TAG.to_owned(), run_tag.to_owned()];
    all.extend(
        user.iter()
            .filter(|t| !all.contains(t))
            .cloned()
            .collect::<Vec<_>>(),
    );
    all.join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_domain::container::Secret;
    use berth_domain::template::StaticAddress;

    fn spec() -> (ContainerSpec, TemplateSpec) {
        let template = TemplateSpec {
            name: "web".into(),
            ..TemplateSpec::blank()
        };
        let mut spec = ContainerSpec::from_template(&template, 3);
        spec.storage.rootfs.storage = "local-lvm".into();
        spec.identity.hostname = "web1.lab.example".into();
        spec.identity.tags = vec!["prod".into()];
        spec.resources.nesting = true;
        spec.network.vlan = Some(20);
        spec.network.ipv4 = Ipv4Mode::Static(StaticAddress {
            address: "10.0.0.5/24".into(),
            gateway: Some("10.0.0.1".into()),
        });
        spec.network.ipv6 = Ipv6Mode::Auto;
        spec.network.dns_servers = vec!["10.0.0.53".into(), "1.1.1.1".into()];
        spec.network.search_domain = "lab.example".into();
        spec.access.ssh_keys = vec!["ssh-ed25519 AAAA a@b".into(), "ssh-rsa BBBB c@d".into()];
        spec.access.root_password = Some(Secret::new("do-not-send"));
        (spec, template)
    }

    #[test]
    fn the_request_carries_the_spec_and_never_the_password() {
        let (spec, template) = spec();
        let request = build(120, "berth-run-x", &spec, &template, None).unwrap();
        let params = request.to_params();
        assert_eq!(
            params.get("ostemplate"),
            Some(template.os_template.as_str())
        );
        assert_eq!(params.get("rootfs"), Some("local-lvm:8"));
        assert_eq!(params.get("unprivileged"), Some("1"));
        assert_eq!(params.get("features"), Some("nesting=1"));
        assert_eq!(params.get("hostname"), Some("web1.lab.example"));
        assert_eq!(params.get("cores"), Some("1"));
        assert_eq!(params.get("memory"), Some("512"));
        assert_eq!(params.get("swap"), Some("512"));
        assert_eq!(
            params.get("net0"),
            Some("name=eth0,bridge=vmbr0,gw=10.0.0.1,ip=10.0.0.5/24,ip6=auto,tag=20")
        );
        assert_eq!(params.get("nameserver"), Some("10.0.0.53 1.1.1.1"));
        assert_eq!(params.get("searchdomain"), Some("lab.example"));
        assert_eq!(params.get("tags"), Some("berth;berth-run-x;prod"));
        assert_eq!(
            params.get("ssh-public-keys"),
            Some("ssh-ed25519 AAAA a@b\nssh-rsa BBBB c@d")
        );
        assert_eq!(params.get("password"), None);
    }

    #[test]
    fn berth_key_joins_the_operators_keys() {
        let (spec, template) = spec();
        let key = "ssh-ed25519 CCCC berth-worker";
        let request = build(120, "t", &spec, &template, Some(key)).unwrap();
        assert_eq!(
            request.to_params().get("ssh-public-keys"),
            Some("ssh-ed25519 AAAA a@b\nssh-rsa BBBB c@d\nssh-ed25519 CCCC berth-worker")
        );
    }

    #[test]
    fn mount_points_become_mp_n_volumes_in_order() {
        let (mut spec, template) = spec();
        for (storage, size_gib, path) in [("local-lvm", 4, "/srv"), ("local", 2, "/var/backups")] {
            spec.storage
                .mount_points
                .push(berth_domain::container::MountPoint {
                    storage: storage.into(),
                    size_gib,
                    path: path.into(),
                });
        }
        let params = build(120, "t", &spec, &template, None).unwrap().to_params();
        assert_eq!(params.get("mp0"), Some("local-lvm:4,mp=/srv"));
        assert_eq!(params.get("mp1"), Some("local:2,mp=/var/backups"));
        assert_eq!(params.get("mp2"), None);
    }
}
