//! What the wizard's Review step, the run page and the audit log show: the spec without its
//! secrets. A separate type rather than a "redacted" spec, so a masked value can never be sent
//! back as a real one (a password of `[redacted]`).

use super::spec::*;
use crate::template::{InputKind, TemplateSpec};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub template: TemplateRef,
    pub identity: Identity,
    pub resources: Resources,
    pub storage: Storage,
    pub network: Network,
    pub access: AccessReview,
    /// In the template's order, then any value the template does not declare.
    pub inputs: Vec<InputReview>,
    pub start_after_create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessReview {
    /// Public keys are not secret; shown whole so the operator can recognize their comment.
    pub ssh_keys: Vec<String>,
    pub root_password_set: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputReview {
    pub name: String,
    /// The template's label, or the name for an undeclared input.
    pub label: String,
    pub value: ShownValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum ShownValue {
    Unset,
    Plain(String),
    /// A secret input: set, not shown.
    Hidden,
}

impl ContainerSpec {
    /// The spec for display. Values of `secret` inputs are hidden, and so is any value whose
    /// input the template does not declare, since nothing says it is not a secret.
    pub fn review(&self, template: &TemplateSpec) -> Review {
        let shown = |value: Option<&str>, secret: bool| match value {
            None | Some("") => ShownValue::Unset,
            Some(_) if secret => ShownValue::Hidden,
            Some(v) => ShownValue::Plain(v.to_string()),
        };
        let declared = template.inputs.iter().map(|i| InputReview {
            name: i.name.clone(),
            label: i.label.clone(),
            value: shown(self.inputs.get(&i.name), i.kind == InputKind::Secret),
        });
        let undeclared = self
            .inputs
            .iter()
            .filter(|(name, _)| !template.inputs.iter().any(|i| i.name == *name))
            .map(|(name, value)| InputReview {
                name: name.to_string(),
                label: name.to_string(),
                value: shown(Some(value), true),
            });
        Review {
            template: self.template.clone(),
            identity: self.identity.clone(),
            resources: self.resources,
            storage: self.storage.clone(),
            network: self.network.clone(),
            access: AccessReview {
                ssh_keys: self.access.ssh_keys.clone(),
                root_password_set: self.access.root_password.is_some(),
            },
            inputs: declared.chain(undeclared).collect(),
            start_after_create: self.start_after_create,
        }
    }
}
