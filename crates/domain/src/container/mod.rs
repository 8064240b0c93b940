//! Containers as the provisioning wizard asks for them: the spec sent to create one from a
//! template version, its defaults from the template, and its review form.

mod defaults;
mod review;
mod secret;
mod spec;

pub use review::{AccessReview, InputReview, Review, ShownValue};
pub use secret::{InputValues, Secret};
pub use spec::{
    Access, ContainerSpec, Identity, MountPoint, Network, NodeChoice, Resources, Storage,
    TemplateRef, VmidChoice, Volume,
};
