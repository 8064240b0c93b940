//! The Backups section of the Admin page: the plan, "Back up now", and every dump in the folder
//! with its checksum verdict and download links.

use super::api::{BackUpNow, BackupEntry, BackupsOverview, list_backups};
use crate::components::{ErrorPanel, StatusPill, Tone};
use leptos::prelude::*;

#[component]
pub fn BackupsPanel() -> impl IntoView {
    let back_up = ServerAction::<BackUpNow>::new();
    let overview = Resource::new(move || back_up.version().get(), |_| list_backups());
    let outcome = move || {
        back_up.value().get().map(|result| match result {
            Ok(made) => {
                let text = format!("Backed up to {} ({}).", made.name, size_text(made.bytes));
                view! { <p class="notice" role="status" data-testid="backup-made">{text}</p> }
                    .into_any()
            }
            Err(error) => view! { <ErrorPanel error /> }.into_any(),
        })
    };
    view! {
        <section class="section" aria-labelledby="backups-heading" data-testid="backups">
            <h2 id="backups-heading">"Backups"</h2>
            <Transition fallback=|| view! { <p class="muted">"Reading the backups folder…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <Overview overview back_up /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            {outcome}
        </section>
    }
}

#[component]
fn Overview(overview: BackupsOverview, back_up: ServerAction<BackUpNow>) -> impl IntoView {
    let Some(plan) = overview.plan else {
        return view! {
            <p class="muted" data-testid="backups-off">
                "Backups are off. Set " <code>"BERTH_BACKUP_DIR"</code>
                " (and, if the defaults do not suit, " <code>"BERTH_BACKUP_EVERY_HOURS"</code> " and "
                <code>"BERTH_BACKUP_KEEP"</code>
                ") and Berth writes a backup of its database there on a schedule."
            </p>
        }
        .into_any();
    };
    let every = if plan.every_hours == 1 {
        "every hour".to_string()
    } else {
        format!("every {} hours", plan.every_hours)
    };
    let summary = format!(
        "Written {every} to {}, keeping the newest {}.",
        plan.dir, plan.keep
    );
    let pending = back_up.pending();
    view! {
        <p data-testid="backup-plan">
            {summary} " Next one: " <time datetime=plan.next_due.clone()>{plan.next_due.clone()}</time> "."
        </p>
        {overview.last_failure.map(|(at, error)| view! {
            <p class="dependency-error" role="alert" data-testid="backup-failure">
                {format!("The last attempt ({at}) failed: {error}")}
            </p>
        })}
        <div class="backup-actions">
            <ActionForm action=back_up>
                <button type="submit" class="button" data-testid="back-up-now" disabled=pending>
                    {move || if pending.get() { "Backing up…" } else { "Back up now" }}
                </button>
            </ActionForm>
        </div>
        <BackupTable backups=overview.backups />
    }
    .into_any()
}

#[component]
fn BackupTable(backups: Vec<BackupEntry>) -> impl IntoView {
    if backups.is_empty() {
        return view! { <p class="muted" data-testid="backups-empty">"No backup has been written yet."</p> }
            .into_any();
    }
    view! {
        <table class="table" data-testid="backup-table">
            <thead>
                <tr>
                    <th scope="col">"Written"</th>
                    <th scope="col">"File"</th>
                    <th scope="col">"Size"</th>
                    <th scope="col">"Schema"</th>
                    <th scope="col">"Checksum"</th>
                </tr>
            </thead>
            <tbody>
                {backups.into_iter().map(|backup| view! { <BackupRow backup /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn BackupRow(backup: BackupEntry) -> impl IntoView {
    let dump = format!("/admin/backups/{}", backup.name);
    let manifest = format!("{dump}.manifest.json");
    let (tone, label) = if backup.intact {
        (Tone::Good, "Intact")
    } else {
        (Tone::Bad, "Damaged")
    };
    view! {
        <tr data-testid="backup-row" data-name=backup.name.clone()>
            <td><time datetime=backup.created_at.clone()>{backup.created_at.clone()}</time></td>
            <td>
                // A plain download: the router must not take the link for a page.
                <a href=dump rel="external" download=backup.name.clone() data-testid="backup-download">{backup.name.clone()}</a>
                " "
                <a href=manifest rel="external" class="muted" data-testid="backup-manifest">"manifest"</a>
            </td>
            <td>{size_text(backup.bytes)}</td>
            <td title=format!("written by Berth {}", backup.berth_version)>{backup.schema_version}</td>
            <td><StatusPill tone label /></td>
        </tr>
    }
}

/// `812 KiB`, `3.4 MiB`, `1.2 GiB`: a dump of a young Berth is well under a megabyte.
fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(512), "512 bytes");
        assert_eq!(size_text(83_456), "82 KiB");
        assert_eq!(size_text(3_565_158), "3.4 MiB");
        assert_eq!(size_text(5 << 30), "5.0 GiB");
    }
}
