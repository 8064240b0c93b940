//! The generated files of a sandbox's `/etc`: accounts, names, the OS it claims to be.

/// `/etc/passwd`: root plus the system accounts Debian-like scripts expect.
pub const PASSWD: &str = "\
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
";

/// `/etc/group`, with the groups provisioning scripts commonly add users to.
pub const GROUP: &str = "\
root:x:0:
daemon:x:1:
adm:x:4:
sudo:x:27:
users:x:100:
nogroup:x:65534:
";

pub const GSHADOW: &str = "\
root:*::
daemon:*::
adm:*::
sudo:*::
users:*::
nogroup:*::
";

/// `/etc/profile` for login shells: the PATH of the simulated container, stand-ins first.
pub const PROFILE: &str = "\
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
PS1='# '
";

/// `/etc/shadow`: every account locked (`*`), as a fresh template has it until a password is set.
pub fn shadow(days_since_epoch: i64) -> String {
    ["root", "daemon", "nobody"]
        .iter()
        .map(|user| format!("{user}:*:{days_since_epoch}:0:99999:7:::\n"))
        .collect()
}

pub fn hosts(hostname: &str) -> String {
    format!(
        "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n"
    )
}

/// `/etc/os-release` naming the template the container was created from
/// (`local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst` → Debian 12).
pub fn os_release(ostemplate: &str) -> String {
    let file = ostemplate.rsplit('/').next().unwrap_or(ostemplate);
    let mut parts = file.split(['-', '_']);
    let id = parts.next().unwrap_or("unknown").to_ascii_lowercase();
    let version = parts.next().unwrap_or("");
    let mut name = id.clone();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    format!(
        "PRETTY_NAME=\"{name} {version} (berth-pve-sim sandbox)\"\n\
         NAME=\"{name}\"\n\
         ID={id}\n\
         VERSION_ID=\"{version}\"\n\
         BERTH_SIM_TEMPLATE=\"{ostemplate}\"\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_from_template() {
        let text = os_release("local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz");
        assert!(text.contains("ID=alpine\n"), "{text}");
        assert!(text.contains("VERSION_ID=\"3.20\"\n"), "{text}");
        assert!(text.contains("PRETTY_NAME=\"Alpine 3.20"), "{text}");
    }
}
