//! Containers as the provisioning wizard asks for them: the spec sent to create one from a
//! template version, its validation, its review form and the script environment it yields.

mod access;
mod action;
mod defaults;
mod inputs;
mod names;
mod network;
mod review;
mod secret;
mod spec;
mod ssh;
mod status;
mod validate;

pub use access::{MAX_PASSWORD_CHARS, MAX_SSH_KEYS, MIN_PASSWORD_CHARS};
pub use action::{
    ActionKind, ActionRequest, ActionState, ActionView, ContainersPush, MAX_SNAPSHOT_DESCRIPTION,
    snapshot_name_problem,
};
pub use inputs::{MAX_INPUT_CHARS, PatternCheck, input_env_name};
pub use names::{
    RESERVED_TAG_PREFIX, dns_name_problem, mount_path_problem, node_name_problem,
    storage_id_problem, tag_problem,
};
pub use network::MAX_DNS_SERVERS;
pub use review::{AccessReview, InputReview, Review, ShownValue};
pub use secret::{InputValues, Secret};
pub use spec::{
    Access, ContainerSpec, Identity, MountPoint, Network, NodeChoice, Resources, Storage,
    TemplateRef, VmidChoice, Volume,
};
pub use ssh::{ssh_key_problem, ssh_key_types};
pub use status::{ContainerRow, ContainersDelta, ContainersSnapshot};
pub use validate::{
    MAX_CORES, MAX_DISK_GIB, MAX_MEMORY_MIB, MAX_MOUNT_POINTS, MAX_TAGS, MAX_VMID, MIN_MEMORY_MIB,
    MIN_VMID,
};

#[cfg(test)]
mod tests;
