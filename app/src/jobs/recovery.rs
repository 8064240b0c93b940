//! The choices a failed run offers: retry at the stage that failed or an earlier one, destroy
//! the container it left behind (its name typed to confirm), or keep it for debugging, which is
//! doing nothing: Berth removes nothing until someone asks.

use super::api::{DiscardRun, RetryRun, RunView};
use berth_domain::run::{RunState, Stage};
use leptos::prelude::*;

#[component]
pub fn Recovery(run: RwSignal<RunView>) -> impl IntoView {
    let id = run.with_untracked(|r| r.summary.id.clone());
    let retry = ServerAction::<RetryRun>::new();
    let discard = ServerAction::<DiscardRun>::new();
    let failed = move || run.with(|r| r.summary.state == RunState::Failed);
    let failed_at = move || run.with(|r| r.summary.stage.unwrap_or(Stage::ReserveVmid));
    let from = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());

    let on_retry = {
        let id = id.clone();
        move |_| {
            retry.dispatch(RetryRun {
                id: id.clone(),
                from: from.get_untracked(),
            });
        }
    };
    let on_discard = move |_| {
        discard.dispatch(DiscardRun {
            id: id.clone(),
            confirm: typed.get_untracked(),
        });
    };
    let stage_options = move || {
        let last = failed_at();
        Stage::ALL
            .into_iter()
            .filter(|&s| s <= last)
            .map(|s| {
                let label = if s == last {
                    format!("{} (where it failed)", s.label())
                } else {
                    s.label().to_string()
                };
                // The empty value is "where it failed", so the default needs no choice.
                let value = if s == last {
                    String::new()
                } else {
                    s.key().to_string()
                };
                view! { <option value=value selected=s == last>{label}</option> }
            })
            .collect_view()
    };
    let container = move || run.with(|r| r.container.clone());
    let error = move || match (retry.value().get(), discard.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e.to_string()),
        _ => None,
    };
    let destroying = move || matches!(discard.value().get(), Some(Ok(_)));

    view! {
        <section class="run-recovery" data-testid="run-recovery" aria-labelledby="recovery-title">
            <h3 id="recovery-title">"What now?"</h3>
            {move || error().map(|e| view! { <p class="alert alert-error" role="alert" data-testid="recovery-error">{e}</p> })}
            <Show when=failed>
                <div class="recovery-choice">
                    <label for="retry-from">"Retry from"</label>
                    <select id="retry-from" data-testid="retry-from" on:change=move |ev| from.set(event_target_value(&ev))>
                        {stage_options}
                    </select>
                    <button type="button" class="button" data-testid="retry-run"
                        disabled=move || retry.pending().get() on:click=on_retry.clone()>
                        "Retry"
                    </button>
                    <p class="muted">"Stages look at Proxmox before acting: going back redoes their work without a second container. Scripts that finished are not run again."</p>
                </div>
            </Show>
            {move || match container() {
                Some(ct) if destroying() => view! {
                    <p class="muted" data-testid="discard-requested">
                        {format!("Destroying CT {}… ", ct.vmid)}
                        <a href=format!("/containers/{}", ct.vmid)>"Follow it on its page"</a>
                    </p>
                }.into_any(),
                Some(ct) => {
                    let name = ct.name.clone();
                    let matches = move || typed.with(|t| *t == name);
                    view! {
                        <div class="recovery-choice">
                            <label for="discard-confirm">{format!("Type {} to destroy CT {} on {}", ct.name, ct.vmid, ct.node)}</label>
                            <input id="discard-confirm" data-testid="discard-confirm" autocomplete="off"
                                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                            <button type="button" class="button button-danger" data-testid="discard-run"
                                disabled=move || !matches() || discard.pending().get() on:click=on_discard.clone()>
                                "Destroy container"
                            </button>
                            <p class="muted">
                                "Or keep it for debugging: nothing is removed until you choose. "
                                <a href=format!("/containers/{}", ct.vmid)>{format!("Open CT {}", ct.vmid)}</a>
                            </p>
                        </div>
                    }.into_any()
                }
                None => view! { <p class="muted">"The run left no container in the cluster."</p> }.into_any(),
            }}
        </section>
    }
}
