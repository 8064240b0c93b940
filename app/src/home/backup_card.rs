//! How Berth's own backups stand, beside the dependency checks: the last successful one, the
//! next one due, and the last failure since.

use crate::components::{StatusPill, Tone};
use berth_domain::BackupStatus;
use leptos::prelude::*;

#[component]
pub fn BackupCard(backup: Option<BackupStatus>) -> impl IntoView {
    let Some(backup) = backup else {
        return view! {
            <section class="dependency backup-status" data-testid="backup-status" data-status="off">
                <div class="dependency-head">
                    <h3>"Backups"</h3>
                    <StatusPill tone=Tone::Neutral label="Off" />
                </div>
                <p class="muted">
                    "Set " <code>"BERTH_BACKUP_DIR"</code> " to have Berth back up its database on a schedule."
                </p>
            </section>
        }
        .into_any();
    };
    let (tone, label, status) = match (&backup.last_failure, &backup.last_success) {
        (Some(_), _) => (Tone::Bad, "Failing", "failing"),
        (None, None) => (Tone::Neutral, "None yet", "none"),
        (None, Some(_)) => (Tone::Good, "Backed up", "ok"),
    };
    let last = backup.last_success.clone();
    view! {
        <section class="dependency backup-status" data-testid="backup-status" data-status=status>
            <div class="dependency-head">
                <h3>"Backups"</h3>
                <StatusPill tone label />
            </div>
            <dl class="dependency-facts">
                <div>
                    <dt>"Last successful"</dt>
                    <dd data-testid="backup-last-success">
                        {match last {
                            Some(at) => view! { <time datetime=at.clone()>{at.clone()}</time> }.into_any(),
                            None => "never".into_any(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Next due"</dt>
                    <dd><time datetime=backup.next_due.clone()>{backup.next_due.clone()}</time></dd>
                </div>
            </dl>
            {backup.last_failure.map(|(at, error)| view! {
                <p class="dependency-error" data-testid="backup-last-failure">
                    {format!("Failed at {at}: {error}")}
                </p>
            })}
        </section>
    }
    .into_any()
}
