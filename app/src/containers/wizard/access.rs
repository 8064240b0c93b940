//! Access: SSH public keys and an optional root password — at least one of them. The password
//! is sent once, over this request; the server keeps only its hash.

use super::fields::{Kind, SpecField};
use berth_domain::container::Secret;
use leptos::prelude::*;

#[component]
pub fn AccessStep() -> impl IntoView {
    view! {
        <fieldset class="form-section" data-testid="step-access">
            <legend>"Access"</legend>
            <div class="fields">
                <SpecField label="SSH public keys" path="access.ssh_keys" kind=Kind::Lines mono=true
                    placeholder="ssh-ed25519 AAAA… you@laptop"
                    hint="One key per line, as in authorized_keys."
                    read=|s| s.access.ssh_keys.join("\n")
                    write=|s, v| s.access.ssh_keys = v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect() />
                <SpecField label="Root password (optional)" path="access.root_password" kind=Kind::Password
                    hint="At least 8 characters. Berth stores only its hash and never shows it again."
                    read=|s| s.access.root_password.as_ref().map(|p| p.expose().to_string()).unwrap_or_default()
                    write=|s, v| s.access.root_password = (!v.is_empty()).then(|| Secret::new(v)) />
            </div>
        </fieldset>
    }
}
