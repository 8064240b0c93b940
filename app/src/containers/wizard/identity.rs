//! Identity: the host name, the VMID and node (automatic unless chosen), and tags.

use super::fields::{SpecField, split_items};
use berth_domain::container::{NodeChoice, VmidChoice};
use leptos::prelude::*;

#[component]
pub fn IdentityStep() -> impl IntoView {
    view! {
        <fieldset class="form-section" data-testid="step-identity">
            <legend>"Identity"</legend>
            <div class="fields">
                <SpecField label="Host name" path="identity.hostname" mono=true
                    hint="Letters, digits and hyphens; a dotted name sets the domain too."
                    read=|s| s.identity.hostname.clone()
                    write=|s, v| s.identity.hostname = v.trim().to_string() />
                <SpecField label="VMID" path="identity.vmid" placeholder="automatic"
                    hint="Leave empty and Berth reserves the next free one."
                    read=|s| match s.identity.vmid {
                        VmidChoice::Auto => String::new(),
                        VmidChoice::Chosen(id) => id.to_string(),
                    }
                    write=|s, v| s.identity.vmid = match v.trim() {
                        "" => VmidChoice::Auto,
                        typed => VmidChoice::Chosen(typed.parse().unwrap_or(0)),
                    } />
                <SpecField label="Node" path="identity.node" placeholder="automatic" mono=true
                    hint="Leave empty and Berth picks a node with room."
                    read=|s| match &s.identity.node {
                        NodeChoice::Auto => String::new(),
                        NodeChoice::Named(node) => node.clone(),
                    }
                    write=|s, v| s.identity.node = match v.trim() {
                        "" => NodeChoice::Auto,
                        node => NodeChoice::Named(node.to_string()),
                    } />
                <SpecField label="Tags" path="identity.tags" placeholder="web, prod"
                    hint="Separated by commas or spaces."
                    read=|s| s.identity.tags.join(", ")
                    write=|s, v| s.identity.tags = split_items(&v) />
            </div>
        </fieldset>
    }
}
