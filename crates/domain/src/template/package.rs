//! What a package entry may look like for each package manager: a name the manager accepts,
//! optionally pinned to a version in the manager's own syntax.

use super::names::has_shell_metacharacter;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    Apt,
    Apk,
    Dnf,
    Npm,
    Pip,
    Custom,
}

impl PackageManager {
    pub const ALL: [PackageManager; 6] = [
        Self::Apt,
        Self::Apk,
        Self::Dnf,
        Self::Npm,
        Self::Pip,
        Self::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Apt => "apt",
            Self::Apk => "apk",
            Self::Dnf => "dnf",
            Self::Npm => "npm",
            Self::Pip => "pip",
            Self::Custom => "custom",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == value)
    }

    /// How a pinned entry is written, for hints in the form.
    pub fn pin_example(self) -> &'static str {
        match self {
            Self::Apt => "curl or curl=7.88.1-10+deb12u8",
            Self::Apk => "curl or curl=8.5.0-r0",
            Self::Dnf => "curl or curl-8.2.1",
            Self::Npm => "typescript or @scope/name@5.4.2",
            Self::Pip => "requests or requests==2.32.3",
            Self::Custom => "any token without spaces",
        }
    }

    /// Why `entry` is not a valid package for this manager, if it is not.
    pub fn package_problem(self, entry: &str) -> Option<String> {
        if entry.is_empty() {
            return Some("is empty".into());
        }
        if entry.len() > 214 {
            return Some("is longer than 214 characters".into());
        }
        if let Some(c) = has_shell_metacharacter(entry) {
            return Some(format!("{entry:?} contains {c:?}, which is not allowed"));
        }
        let valid = match self {
            Self::Apt => apt(entry),
            Self::Apk => apk(entry),
            Self::Dnf => dnf(entry),
            Self::Npm => npm(entry),
            Self::Pip => pip(entry),
            Self::Custom => true,
        };
        (!valid).then(|| {
            format!(
                "{entry:?} is not a valid {} package (e.g. {})",
                self.as_str(),
                self.pin_example()
            )
        })
    }
}

fn all(value: &str, ok: impl Fn(char) -> bool) -> bool {
    !value.is_empty() && value.chars().all(ok)
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Debian policy: `[a-z0-9][a-z0-9+.-]+`, optional `:arch`, optional `=version`.
fn apt(entry: &str) -> bool {
    let (name, version) = split_once_opt(entry, '=');
    let (name, arch) = split_once_opt(name, ':');
    let name_ok = name.len() >= 2
        && name.starts_with(lower_alnum)
        && all(name, |c| lower_alnum(c) || "+.-".contains(c));
    let arch_ok = arch.is_none_or(|a| all(a, lower_alnum));
    let version_ok = version.is_none_or(|v| {
        v.starts_with(|c: char| c.is_ascii_digit())
            && all(v, |c| c.is_ascii_alphanumeric() || ".+~:-".contains(c))
    });
    name_ok && arch_ok && version_ok
}

/// Alpine: lowercase name, optional `=`, `~`, `>=` or `<` constraint.
fn apk(entry: &str) -> bool {
    let cut = entry.find(['=', '~', '<', '>']).unwrap_or(entry.len());
    let (name, constraint) = entry.split_at(cut);
    let name_ok =
        name.starts_with(lower_alnum) && all(name, |c| lower_alnum(c) || "._+-".contains(c));
    let version = constraint.trim_start_matches(['=', '~', '<', '>']);
    let constraint_ok = constraint.is_empty()
        || (["=", "~", ">=", "<=", ">", "<", "~="]
            .iter()
            .any(|op| constraint.len() == op.len() + version.len() && constraint.starts_with(op))
            && all(version, |c| c.is_ascii_alphanumeric() || "._-".contains(c)));
    name_ok && constraint_ok
}

/// RPM names (`name` or `name-version[-release]`, version pins are part of the name) and
/// `@group` entries.
fn dnf(entry: &str) -> bool {
    let name = entry.strip_prefix('@').unwrap_or(entry);
    name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && all(name, |c| c.is_ascii_alphanumeric() || "._+-:".contains(c))
}

/// npm: `name` or `@scope/name`, lowercase, optional `@version-or-range`.
fn npm(entry: &str) -> bool {
    let (scoped, rest) = match entry.strip_prefix('@') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    let (name, version) = split_once_opt(rest, '@');
    let part =
        |p: &str| p.starts_with(lower_alnum) && all(p, |c| lower_alnum(c) || "-._~".contains(c));
    let name_ok = if scoped {
        name.split_once('/')
            .is_some_and(|(s, n)| part(s) && part(n))
    } else {
        part(name)
    };
    let version_ok =
        version.is_none_or(|v| all(v, |c| c.is_ascii_alphanumeric() || ".^~=<>-+".contains(c)));
    name_ok && version_ok
}

/// PEP 508 name, optional `[extras]`, optional one specifier such as `==2.32.3`.
fn pip(entry: &str) -> bool {
    let cut = entry
        .find(['=', '<', '>', '~', '!', '['])
        .unwrap_or(entry.len());
    let (name, rest) = entry.split_at(cut);
    let name_ok = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
        && all(name, |c| c.is_ascii_alphanumeric() || "._-".contains(c));
    let spec = match rest.strip_prefix('[') {
        Some(extras) => match extras.split_once(']') {
            Some((list, spec))
                if list
                    .split(',')
                    .all(|e| all(e, |c| c.is_ascii_alphanumeric() || "._-".contains(c))) =>
            {
                spec
            }
            _ => return false,
        },
        None => rest,
    };
    let spec_ok = spec.is_empty()
        || ["===", "==", ">=", "<=", "~=", "!=", ">", "<"]
            .iter()
            .any(|op| {
                spec.strip_prefix(op).is_some_and(|v| {
                    v.starts_with(|c: char| c.is_ascii_digit())
                        && all(v, |c| c.is_ascii_alphanumeric() || ".+-".contains(c))
                })
            });
    name_ok && spec_ok
}

fn split_once_opt(value: &str, at: char) -> (&str, Option<&str>) {
    match value.split_once(at) {
        Some((a, b)) => (a, Some(b)),
        None => (value, None),
    }
}

#[cfg(test)]
mod tests {
    use super::PackageManager::{self, *};

    fn check(manager: PackageManager, good: &[&str], bad: &[&str]) {
        for entry in good {
            assert_eq!(manager.package_problem(entry), None, "{manager:?} {entry}");
        }
        for entry in bad {
            assert!(
                manager.package_problem(entry).is_some(),
                "{manager:?} accepted {entry}"
            );
        }
    }

    #[test]
    fn apt_names_and_pins() {
        check(
            Apt,
            &[
                "curl",
                "g++",
                "libssl3",
                "curl=7.88.1-10+deb12u8",
                "libc6:amd64",
                "python3.11",
            ],
            &[
                "Curl", "c", "-curl", "curl=", "curl=abc", "curl;rm", "curl 1",
            ],
        );
    }

    #[test]
    fn apk_names_and_constraints() {
        check(
            Apk,
            &["curl", "py3-pip", "curl=8.5.0-r0", "curl~8.5", "curl>=8"],
            &["Curl", "curl==8", "curl=", "curl$"],
        );
    }

    #[test]
    fn dnf_names() {
        check(
            Dnf,
            &[
                "curl",
                "curl-8.2.1",
                "@development-tools",
                "NetworkManager",
                "perl-Net-SSLeay",
            ],
            &["", "-x", "curl 8", "curl*"],
        );
    }

    #[test]
    fn npm_names_and_versions() {
        check(
            Npm,
            &[
                "typescript",
                "@scope/name",
                "@scope/name@5.4.2",
                "pm2@^5.3.0",
                "node-gyp",
            ],
            &["TypeScript", "@scope", "@/name", "name@", "name@*", "a b"],
        );
    }

    #[test]
    fn pip_names_and_specifiers() {
        check(
            Pip,
            &[
                "requests",
                "requests==2.32.3",
                "uvicorn[standard]",
                "uvicorn[standard]>=0.30",
                "Django",
            ],
            &[
                "requests=2",
                "requests==",
                "-x",
                "requests[",
                "requests==2;rm",
            ],
        );
    }

    #[test]
    fn custom_takes_any_safe_token() {
        check(Custom, &["opencode", "v1.2.3"], &["a b", "$(x)"]);
    }

    #[test]
    fn managers_parse_from_their_names() {
        for m in PackageManager::ALL {
            assert_eq!(PackageManager::parse(m.as_str()), Some(m));
        }
        assert_eq!(PackageManager::parse("yum"), None);
    }
}
