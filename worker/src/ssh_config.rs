//! The worker's SSH settings: how it reaches into containers for the stages after `connect`.

use berth_provision::{ExecMode, ExecSettings};
use berth_runtime::config::catalog::{
    WORKER_NODE_HOSTS, WORKER_NODE_KNOWN_HOSTS, WORKER_NODE_SSH_PORT, WORKER_NODE_SSH_USER,
    WORKER_SSH_KEY, WORKER_SSH_MODE, WORKER_SSH_PORT, WORKER_STATE_DIR,
};
use berth_runtime::config::{ConfigError, Setting, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `None` when no key is configured: the worker then runs only the Proxmox stages.
pub fn from_source(source: &Source) -> Result<Option<ExecSettings>, ConfigError> {
    // The key and its public half, checked here so a bad path names the variable.
    let key = source.get(&WORKER_SSH_KEY, |v| match v.trim() {
        "" => Ok(None),
        path => {
            let key_file = PathBuf::from(path);
            public_key(&key_file).map(|public| Some((key_file, public)))
        }
    })?;
    let mode = source.get(&WORKER_SSH_MODE, |v| match v.trim() {
        "direct" => Ok(ExecMode::Direct),
        "node" => Ok(ExecMode::Node),
        _ => Err(WORKER_SSH_MODE.expected.to_string()),
    })?;
    let container_port = source.get(&WORKER_SSH_PORT, |v| port(&WORKER_SSH_PORT, v))?;
    let node_port = source.get(&WORKER_NODE_SSH_PORT, |v| port(&WORKER_NODE_SSH_PORT, v))?;
    let node_user = source.get(&WORKER_NODE_SSH_USER, |v| {
        let user = v.trim();
        let valid = !user.is_empty()
            && user.len() <= 32
            && user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if valid {
            Ok(user.to_string())
        } else {
            Err(WORKER_NODE_SSH_USER.expected.to_string())
        }
    })?;
    let node_hosts = source.get(&WORKER_NODE_HOSTS, node_hosts)?;
    let known_hosts = source.get(&WORKER_NODE_KNOWN_HOSTS, |v| Ok(v.trim().to_string()))?;
    let state_dir = source.get(&WORKER_STATE_DIR, |v| Ok(v.trim().to_string()))?;
    let Some((key_file, public_key)) = key else {
        return Ok(None);
    };
    let state_dir = if state_dir.is_empty() {
        std::env::temp_dir().join("berth-worker")
    } else {
        PathBuf::from(state_dir)
    };
    let mut settings = ExecSettings::direct(key_file, &state_dir);
    settings.mode = mode;
    settings.public_key = Some(public_key);
    settings.container_port = container_port;
    settings.node_port = node_port;
    settings.node_user = node_user;
    settings.node_hosts = node_hosts;
    if !known_hosts.is_empty() {
        settings.node_known_hosts = PathBuf::from(known_hosts);
    }
    Ok(Some(settings))
}

fn port(setting: &Setting, value: &str) -> Result<u16, String> {
    value
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| setting.expected.to_string())
}

fn node_hosts(value: &str) -> Result<BTreeMap<String, String>, String> {
    let mut hosts = BTreeMap::new();
    for pair in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (node, host) = pair
            .split_once('=')
            .map(|(n, h)| (n.trim(), h.trim()))
            .filter(|(n, h)| !n.is_empty() && !h.is_empty() && !h.contains(char::is_whitespace))
            .ok_or_else(|| format!("{} (not `{pair}`)", WORKER_NODE_HOSTS.expected))?;
        hosts.insert(node.to_string(), host.to_string());
    }
    Ok(hosts)
}

/// The key's public half, from `<key>.pub` beside it: what containers get at create.
fn public_key(key_file: &Path) -> Result<String, String> {
    if !key_file.is_file() {
        return Err(format!("{} is not a readable file", key_file.display()));
    }
    let mut pub_file = key_file.as_os_str().to_owned();
    pub_file.push(".pub");
    let text = std::fs::read_to_string(&pub_file).map_err(|e| {
        format!(
            "its public half {} cannot be read ({e}); make it with `ssh-keygen -y -f {} > {}`",
            Path::new(&pub_file).display(),
            key_file.display(),
            Path::new(&pub_file).display()
        )
    })?;
    let line = text.trim();
    let looks_right = line.starts_with("ssh-") || line.starts_with("ecdsa-");
    if !looks_right || line.contains('\n') {
        return Err(format!(
            "{} does not hold one OpenSSH public key",
            Path::new(&pub_file).display()
        ));
    }
    Ok(line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(pairs: &[(&'static str, &str)]) -> Source {
        let mut all = vec![
            (
                "BERTH_DATABASE_URL",
                "postgres://berth@db/berth".to_string(),
            ),
            ("BERTH_REDIS_URL", "redis://cache".to_string()),
        ];
        all.extend(pairs.iter().map(|(k, v)| (*k, v.to_string())));
        Source::from_env_pairs(all)
    }

    #[test]
    fn no_key_means_no_ssh_stages() {
        assert!(from_source(&source(&[])).unwrap().is_none());
    }

    #[test]
    fn a_key_with_its_public_half_configures_ssh() {
        let dir = std::env::temp_dir().join(format!("berth-ssh-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("id_ed25519");
        std::fs::write(&key, "private").unwrap();
        std::fs::write(dir.join("id_ed25519.pub"), "ssh-ed25519 AAAA berth\n").unwrap();
        let key_text = key.to_string_lossy().into_owned();
        let settings = from_source(&source(&[
            ("BERTH_WORKER_SSH_KEY", key_text.as_str()),
            ("BERTH_WORKER_SSH_MODE", "node"),
            ("BERTH_WORKER_NODE_HOSTS", "pve1=10.0.0.11, pve2=pve2.lab"),
            ("BERTH_WORKER_NODE_SSH_PORT", "2222"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(settings.mode, ExecMode::Node);
        assert_eq!(
            settings.public_key.as_deref(),
            Some("ssh-ed25519 AAAA berth")
        );
        assert_eq!(settings.node_host("pve1"), "10.0.0.11");
        assert_eq!(settings.node_host("pve3"), "pve3");
        assert_eq!(settings.node_port, 2222);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn bad_values_name_their_variable() {
        let err =
            |pairs: &[(&'static str, &str)]| from_source(&source(pairs)).unwrap_err().to_string();
        assert!(err(&[("BERTH_WORKER_SSH_MODE", "telnet")]).starts_with("BERTH_WORKER_SSH_MODE"));
        assert!(err(&[("BERTH_WORKER_NODE_HOSTS", "pve1")]).contains("not `pve1`"));
        assert!(err(&[("BERTH_WORKER_SSH_PORT", "0")]).starts_with("BERTH_WORKER_SSH_PORT"));
        let missing = err(&[("BERTH_WORKER_SSH_KEY", "/nonexistent/key")]);
        assert!(
            missing.starts_with("BERTH_WORKER_SSH_KEY") && missing.contains("not a readable file"),
            "{missing}"
        );
    }
}
