//! A template's content — what one version says a container becomes. This is also the YAML
//! form (field names and order are the file's), so it stays free of database ids.

use serde::{Deserialize, Serialize};

pub(super) fn is_false(value: &bool) -> bool {
    !*value
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSpec {
    /// Unique slug: the template's identity in URLs, the API and files.
    pub name: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// One of [`super::ICONS`], or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub icon: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A Proxmox volume id such as `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`.
    pub os_template: String,
    pub resources: Resources,
    pub network: NetworkDefaults,
    /// Bucket names, installed in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buckets: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<TemplateFile>,
    /// Run in this order, after packages and files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<TemplateScript>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<TemplateInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// The web apps the container serves once built: links on the run's page when it succeeds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<super::AppLink>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    pub cores: u16,
    pub memory_mib: u32,
    pub swap_mib: u32,
    pub disk_gib: u32,
    pub unprivileged: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nesting: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkDefaults {
    pub bridge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<u16>,
    pub ipv4: Ipv4Mode,
    #[serde(default, skip_serializing_if = "Ipv6Mode::is_none")]
    pub ipv6: Ipv6Mode,
}

/// A fixed address in CIDR form (`10.0.0.5/24`, `fd00::5/64`) and an optional gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticAddress {
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Ipv4Mode {
    Dhcp,
    Static(StaticAddress),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Ipv6Mode {
    #[default]
    None,
    /// SLAAC.
    Auto,
    Dhcp,
    Static(StaticAddress),
}

impl Ipv4Mode {
    pub fn static_address(&self) -> Option<&StaticAddress> {
        match self {
            Self::Static(fixed) => Some(fixed),
            Self::Dhcp => None,
        }
    }

    pub fn static_address_mut(&mut self) -> Option<&mut StaticAddress> {
        match self {
            Self::Static(fixed) => Some(fixed),
            Self::Dhcp => None,
        }
    }
}

impl Ipv6Mode {
    pub fn is_none(&self) -> bool {
        matches!(self, Self::None)
    }

    pub fn static_address(&self) -> Option<&StaticAddress> {
        match self {
            Self::Static(fixed) => Some(fixed),
            _ => None,
        }
    }

    pub fn static_address_mut(&mut self) -> Option<&mut StaticAddress> {
        match self {
            Self::Static(fixed) => Some(fixed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateFile {
    /// Absolute path inside the container.
    pub path: String,
    /// Octal, e.g. `0644`.
    pub mode: String,
    /// `user` or `user:group`.
    pub owner: String,
    /// Text; `{{input}}` is replaced by the run's value of that input.
    pub content: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interpreter {
    Bash,
    Sh,
    Python3,
}

impl Interpreter {
    pub const ALL: [Interpreter; 3] = [Self::Bash, Self::Sh, Self::Python3];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bash => "bash",
            Self::Sh => "sh",
            Self::Python3 => "python3",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateScript {
    pub name: String,
    pub interpreter: Interpreter,
    pub run_as: String,
    pub timeout_secs: u32,
    /// Receives the template inputs as environment variables (`BERTH_INPUT_<NAME>`).
    pub content: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    String,
    Int,
    Bool,
    Choice,
    /// Never stored with a default; masked in the UI and the logs.
    Secret,
}

impl InputKind {
    pub const ALL: [InputKind; 5] = [
        Self::String,
        Self::Int,
        Self::Bool,
        Self::Choice,
        Self::Secret,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::Bool => "bool",
            Self::Choice => "choice",
            Self::Secret => "secret",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    /// `[a-z][a-z0-9_]*`; scripts see `BERTH_INPUT_<NAME>`, files `{{name}}`.
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: InputKind,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// For `choice`: the allowed values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// For `string` and `secret`: a regular expression the whole value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

/// What proves the container works once configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum HealthCheck {
    /// A TCP port accepts connections.
    Tcp { port: u16 },
    /// An HTTP GET on the container answers with a status below 400.
    Http { port: u16, path: String },
    /// A command run in the container exits 0.
    Command { command: String },
}

impl TemplateSpec {
    /// What a new template starts from: one small unprivileged Debian container on DHCP.
    pub fn blank() -> Self {
        TemplateSpec {
            name: String::new(),
            title: String::new(),
            description: String::new(),
            icon: "box".into(),
            category: String::new(),
            tags: Vec::new(),
            os_template: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst".into(),
            resources: Resources {
                cores: 1,
                memory_mib: 512,
                swap_mib: 512,
                disk_gib: 8,
                unprivileged: true,
                nesting: false,
            },
            network: NetworkDefaults {
                bridge: "vmbr0".into(),
                vlan: None,
                ipv4: Ipv4Mode::Dhcp,
                ipv6: Ipv6Mode::None,
            },
            buckets: Vec::new(),
            files: Vec::new(),
            scripts: Vec::new(),
            inputs: Vec::new(),
            health_check: None,
            apps: Vec::new(),
        }
    }
}
