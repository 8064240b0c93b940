//! The wizard's steps after the template is chosen, which problems each one owns, and moving
//! the focus to the first field that needs attention.

use crate::templates::form::field::field_id;
use berth_domain::template::FieldProblem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Identity,
    Resources,
    Storage,
    Network,
    Access,
    Inputs,
    Review,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Identity,
        Step::Resources,
        Step::Storage,
        Step::Network,
        Step::Access,
        Step::Inputs,
        Step::Review,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Step::Identity => "Identity",
            Step::Resources => "Resources",
            Step::Storage => "Storage",
            Step::Network => "Network",
            Step::Access => "Access",
            Step::Inputs => "Template inputs",
            Step::Review => "Review",
        }
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Step::ALL.get(i).copied())
    }

    /// The step whose fields a problem path belongs to; anything else (`template.version`)
    /// is shown on the review.
    pub fn of(path: &str) -> Step {
        let section = path.split(['.', '[']).next().unwrap_or_default();
        match section {
            "identity" => Step::Identity,
            "resources" => Step::Resources,
            "storage" => Step::Storage,
            "network" => Step::Network,
            "access" => Step::Access,
            "inputs" => Step::Inputs,
            _ => Step::Review,
        }
    }

    pub fn owns(self, problem: &FieldProblem) -> bool {
        Step::of(&problem.path) == self
    }
}

/// The element ids to try for a problem, most precise first: `storage.mount_points[1].size_gib`
/// has its own input, `identity.tags[2]` is shown at the tags field.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn focus_candidates(path: &str) -> Vec<String> {
    let mut ids = vec![field_id(path)];
    if let Some((list, _)) = path.split_once('[') {
        ids.push(field_id(list));
    }
    ids
}

/// Moves the focus to the first problem's field once the step showing it has rendered.
pub fn focus_problem(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let ids = focus_candidates(path);
        request_animation_frame(move || {
            use leptos::wasm_bindgen::JsCast;
            let element = ids
                .iter()
                .find_map(|id| document().get_element_by_id(id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = element {
                let _ = element.focus();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

#[cfg(feature = "hydrate")]
use leptos::prelude::{document, request_animation_frame};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_belong_to_the_step_of_their_section() {
        assert_eq!(Step::of("identity.tags[0]"), Step::Identity);
        assert_eq!(Step::of("storage.mount_points[1].path"), Step::Storage);
        assert_eq!(Step::of("inputs.site_name"), Step::Inputs);
        assert_eq!(Step::of("template.version"), Step::Review);
        assert_eq!(Step::Identity.next(), Some(Step::Resources));
        assert_eq!(Step::Identity.previous(), None);
        assert_eq!(
            focus_candidates("identity.tags[2]"),
            ["tf-identity-tags-2", "tf-identity-tags"]
        );
    }
}
