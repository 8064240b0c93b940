//! Every setting any Berth process reads, in one place: `--help`, the README reference and the
//! "unknown variable" warning all come from these declarations.

use super::Setting;

pub const DATABASE_URL: Setting = Setting {
    key: "database_url",
    env: "BERTH_DATABASE_URL",
    default: None,
    expected: "a PostgreSQL URL such as postgres://berth@127.0.0.1:5432/berth",
    help: "PostgreSQL database holding every durable fact.",
    secret: true,
};
pub const DATABASE_POOL_SIZE: Setting = Setting {
    key: "database_pool_size",
    env: "BERTH_DATABASE_POOL_SIZE",
    default: Some("16"),
    expected: "a whole number of connections from 1 to 1024",
    help: "Most connections this process opens to PostgreSQL.",
    secret: false,
};
pub const REDIS_URL: Setting = Setting {
    key: "redis_url",
    env: "BERTH_REDIS_URL",
    default: None,
    expected: "a Redis URL such as redis://127.0.0.1:6379",
    help: "Redis for the job queue, events, the status cache and sessions.",
    secret: true,
};
pub const REDIS_KEY_PREFIX: Setting = Setting {
    key: "redis_key_prefix",
    env: "BERTH_REDIS_KEY_PREFIX",
    default: Some("berth:"),
    expected: "1 to 64 characters of letters, digits, `:`, `-`, `_` or `.`",
    help: "Prepended to every Redis key, so several Berths (or test runs) can share one Redis.",
    secret: false,
};
pub const LOG: Setting = Setting {
    key: "log",
    env: "BERTH_LOG",
    default: Some("info"),
    expected: "a tracing filter such as `info` or `info,berth_server=debug`",
    help: "Which log lines to print.",
    secret: false,
};
pub const LOG_FORMAT: Setting = Setting {
    key: "log_format",
    env: "BERTH_LOG_FORMAT",
    default: Some("pretty"),
    expected: "`pretty` or `json`",
    help: "Log line format: readable text, or one JSON object per line.",
    secret: false,
};

pub const PVE_URL: Setting = Setting {
    key: "pve_url",
    env: "BERTH_PVE_URL",
    default: Some(""),
    expected: "the https:// URL of a Proxmox VE node such as https://pve1.example.com:8006",
    help: "Proxmox VE API to provision on; empty means none is configured.",
    secret: false,
};
pub const PVE_TOKEN: Setting = Setting {
    key: "pve_token",
    env: "BERTH_PVE_TOKEN",
    default: Some(""),
    expected: "an API token `user@realm!tokenid=<secret>` (required with BERTH_PVE_URL)",
    help: "Proxmox VE API token of a least-privilege user (see the README).",
    secret: true,
};
pub const PVE_FINGERPRINT: Setting = Setting {
    key: "pve_fingerprint",
    env: "BERTH_PVE_FINGERPRINT",
    default: Some(""),
    expected: "a SHA-256 certificate fingerprint: 64 hex digits, colons allowed",
    help: "Pin the node's self-signed certificate by its SHA-256 fingerprint.",
    secret: false,
};
pub const PVE_CA_FILE: Setting = Setting {
    key: "pve_ca_file",
    env: "BERTH_PVE_CA_FILE",
    default: Some(""),
    expected: "the path of a PEM file with the CA that signed the node's certificate",
    help: "Trust this CA (e.g. the cluster's pve-root-ca.pem) instead of the system roots.",
    secret: false,
};
pub const PVE_INSECURE: Setting = Setting {
    key: "pve_insecure",
    env: "BERTH_PVE_INSECURE",
    default: Some("false"),
    expected: "`true` or `false`",
    help: "Skip certificate verification (never in production; logged as a warning).",
    secret: false,
};

/// Read by every process.
pub const COMMON_SETTINGS: &[Setting] = &[
    DATABASE_URL,
    DATABASE_POOL_SIZE,
    REDIS_URL,
    REDIS_KEY_PREFIX,
    LOG,
    LOG_FORMAT,
    PVE_URL,
    PVE_TOKEN,
    PVE_FINGERPRINT,
    PVE_CA_FILE,
    PVE_INSECURE,
];

pub const LISTEN: Setting = Setting {
    key: "listen",
    env: "BERTH_LISTEN",
    default: Some("127.0.0.1:3000"),
    expected: "an IP address and port such as 127.0.0.1:3000 or [::]:8080",
    help: "Where the HTTP server listens.",
    secret: false,
};
pub const SITE_ROOT: Setting = Setting {
    key: "site_root",
    env: "BERTH_SITE_ROOT",
    default: Some("target/site"),
    expected: "a directory path",
    help: "The built site (WASM, JS, CSS) that `cargo xtask` writes.",
    secret: false,
};
pub const WORKER_STALE_SECS: Setting = Setting {
    key: "worker_stale_secs",
    env: "BERTH_WORKER_STALE_SECS",
    default: Some("30"),
    expected: "a positive number of seconds such as 30",
    help: "Readiness reports the workers down when their newest heartbeat is older than this.",
    secret: false,
};

pub const PUBLIC_URL: Setting = Setting {
    key: "public_url",
    env: "BERTH_PUBLIC_URL",
    default: Some(""),
    expected: "the URL people open, such as https://berth.example.com (scheme, host, port only)",
    help: "Berth's address as browsers see it; mutating requests from other origins are refused. \
           Empty: http://<BERTH_LISTEN> (and localhost for a loopback address).",
    secret: false,
};

pub const SESSION_IDLE_SECS: Setting = Setting {
    key: "session_idle_secs",
    env: "BERTH_SESSION_IDLE_SECS",
    default: Some("1800"),
    expected: "a positive number of seconds such as 1800",
    help: "A browser session unused for this long ends.",
    secret: false,
};
pub const SESSION_LIFETIME_SECS: Setting = Setting {
    key: "session_lifetime_secs",
    env: "BERTH_SESSION_LIFETIME_SECS",
    default: Some("43200"),
    expected: "a positive number of seconds such as 43200",
    help: "A browser session ends this long after sign-in, however busy.",
    secret: false,
};

pub const METRICS_TOKEN: Setting = Setting {
    key: "metrics_token",
    env: "BERTH_METRICS_TOKEN",
    default: Some(""),
    expected: "a random string of at least 16 characters",
    help: "Turns on GET /metrics (Prometheus), for scrapers sending `Authorization: Bearer \
           <token>`. Empty: /metrics answers 404.",
    secret: true,
};

pub const BACKUP_DIR: Setting = Setting {
    key: "backup_dir",
    env: "BERTH_BACKUP_DIR",
    default: Some(""),
    expected: "a folder such as /var/backups/berth",
    help: "Where the server writes scheduled backups of the database (`pg_dump` custom format \
           with a manifest). Empty: no scheduled backups (`berth-server backup create` still works).",
    secret: false,
};
pub const BACKUP_EVERY_HOURS: Setting = Setting {
    key: "backup_every_hours",
    env: "BERTH_BACKUP_EVERY_HOURS",
    default: Some("24"),
    expected: "a whole number of hours from 1 to 720",
    help: "How often a scheduled backup is written (counted from the newest one in the folder).",
    secret: false,
};
pub const BACKUP_KEEP: Setting = Setting {
    key: "backup_keep",
    env: "BERTH_BACKUP_KEEP",
    default: Some("7"),
    expected: "a whole number from 1 to 1000",
    help: "How many scheduled backups are kept; older ones are deleted after each new one.",
    secret: false,
};

/// Read by `berth-server`.
pub const SERVER_SETTINGS: &[Setting] = &[
    LISTEN,
    PUBLIC_URL,
    SITE_ROOT,
    WORKER_STALE_SECS,
    SESSION_IDLE_SECS,
    SESSION_LIFETIME_SECS,
    METRICS_TOKEN,
    BACKUP_DIR,
    BACKUP_EVERY_HOURS,
    BACKUP_KEEP,
];

pub const WORKER_HEARTBEAT_SECS: Setting = Setting {
    key: "worker_heartbeat_secs",
    env: "BERTH_WORKER_HEARTBEAT_SECS",
    default: Some("5"),
    expected: "a positive number of seconds such as 5",
    help: "How often a worker records that it is alive.",
    secret: false,
};
pub const WORKER_NAME: Setting = Setting {
    key: "worker_name",
    env: "BERTH_WORKER_NAME",
    default: Some(""),
    expected: "a name of 1 to 200 characters",
    help: "How this worker is shown to admins; empty means <hostname>-<pid>.",
    secret: false,
};

pub const WORKER_CONCURRENCY: Setting = Setting {
    key: "worker_concurrency",
    env: "BERTH_WORKER_CONCURRENCY",
    default: Some("4"),
    expected: "a whole number of runs from 1 to 256",
    help: "Provisioning runs this worker drives at once.",
    secret: false,
};
pub const WORKER_CREATIONS_PER_NODE: Setting = Setting {
    key: "worker_creations_per_node",
    env: "BERTH_WORKER_CREATIONS_PER_NODE",
    default: Some("2"),
    expected: "a whole number from 1 to 64",
    help: "Container creations at once per Proxmox node, across all workers; more run into the \
           node's lock timeouts.",
    secret: false,
};
pub const WORKER_LEASE_SECS: Setting = Setting {
    key: "worker_lease_secs",
    env: "BERTH_WORKER_LEASE_SECS",
    default: Some("30"),
    expected: "a positive number of seconds such as 30",
    help: "How long a run's lease lasts without a heartbeat: the runs of a worker that died are \
           taken over by another after this.",
    secret: false,
};
pub const WORKER_SSH_KEY: Setting = Setting {
    key: "worker_ssh_key",
    env: "BERTH_WORKER_SSH_KEY",
    default: Some(""),
    expected: "the path of an OpenSSH private key file",
    help: "Berth's key for commands in containers; its public half (<key>.pub) is added to every \
           container it creates. Empty: runs stop before `connect`, keeping their container.",
    secret: false,
};
pub const WORKER_SSH_MODE: Setting = Setting {
    key: "worker_ssh_mode",
    env: "BERTH_WORKER_SSH_MODE",
    default: Some("direct"),
    expected: "`direct` or `node`",
    help: "`direct`: ssh root@<container address>. `node`: ssh to the node that owns the \
           container and use `pct exec` / `pct push` there.",
    secret: false,
};
pub const WORKER_SSH_PORT: Setting = Setting {
    key: "worker_ssh_port",
    env: "BERTH_WORKER_SSH_PORT",
    default: Some("22"),
    expected: "a port number from 1 to 65535",
    help: "The containers' SSH port (direct mode).",
    secret: false,
};
pub const WORKER_NODE_HOSTS: Setting = Setting {
    key: "worker_node_hosts",
    env: "BERTH_WORKER_NODE_HOSTS",
    default: Some(""),
    expected: "`node=host` pairs separated by commas, such as pve1=10.0.0.11,pve2=10.0.0.12",
    help: "How to reach each node over SSH (node mode); a node not listed is reached by its name.",
    secret: false,
};
pub const WORKER_NODE_SSH_PORT: Setting = Setting {
    key: "worker_node_ssh_port",
    env: "BERTH_WORKER_NODE_SSH_PORT",
    default: Some("22"),
    expected: "a port number from 1 to 65535",
    help: "The nodes' SSH port (node mode).",
    secret: false,
};
pub const WORKER_NODE_SSH_USER: Setting = Setting {
    key: "worker_node_ssh_user",
    env: "BERTH_WORKER_NODE_SSH_USER",
    default: Some("root"),
    expected: "a user name",
    help: "The user on the nodes (node mode); `pct` needs root.",
    secret: false,
};
pub const WORKER_NODE_KNOWN_HOSTS: Setting = Setting {
    key: "worker_node_known_hosts",
    env: "BERTH_WORKER_NODE_KNOWN_HOSTS",
    default: Some(""),
    expected: "the path of a known_hosts file",
    help: "The nodes' SSH host keys, checked strictly (node mode). Empty: \
           <state dir>/node_known_hosts.",
    secret: false,
};
pub const WORKER_STATE_DIR: Setting = Setting {
    key: "worker_state_dir",
    env: "BERTH_WORKER_STATE_DIR",
    default: Some(""),
    expected: "a directory path",
    help: "Where the worker keeps each run's known_hosts file (a new container's host key is \
           trusted when its run first connects, then pinned). Empty: <temp dir>/berth-worker.",
    secret: false,
};
pub const WORKER_SCRIPT_ENV_FILE: Setting = Setting {
    key: "worker_script_env_file",
    env: "BERTH_WORKER_SCRIPT_ENV_FILE",
    default: Some(""),
    expected: "the path of a file of NAME=value lines",
    help: "Variables every package install and template script gets, such as the site's \
           mirrors and proxies (NODE_DIST_URL=…, https_proxy=…): one NAME=value per line, # for \
           comments. Passwords in URL values are masked in run logs. Empty: none.",
    secret: false,
};

pub const WORKER_METRICS_ADDR: Setting = Setting {
    key: "worker_metrics_addr",
    env: "BERTH_WORKER_METRICS_ADDR",
    default: Some(""),
    expected: "an address and port such as 127.0.0.1:9187",
    help: "Where the worker serves its Prometheus metrics (stage durations, Proxmox calls) to \
           scrapers; keep it on a private address. Empty: no endpoint.",
    secret: false,
};

/// Read by `berth-worker`.
pub const WORKER_SETTINGS: &[Setting] = &[
    WORKER_HEARTBEAT_SECS,
    WORKER_NAME,
    WORKER_CONCURRENCY,
    WORKER_CREATIONS_PER_NODE,
    WORKER_LEASE_SECS,
    WORKER_SSH_KEY,
    WORKER_SSH_MODE,
    WORKER_SSH_PORT,
    WORKER_NODE_HOSTS,
    WORKER_NODE_SSH_PORT,
    WORKER_NODE_SSH_USER,
    WORKER_NODE_KNOWN_HOSTS,
    WORKER_STATE_DIR,
    WORKER_SCRIPT_ENV_FILE,
    WORKER_METRICS_ADDR,
];

/// Everything, for telling a typo from a variable meant for the other process.
pub const ALL_SETTINGS: &[&[Setting]] = &[
    COMMON_SETTINGS,
    SERVER_SETTINGS,
    WORKER_SETTINGS,
    super::oidc::OIDC_SETTINGS,
];
