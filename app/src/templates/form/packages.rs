//! Packages: the buckets the template installs, in order; add an existing one or create one
//! here without leaving the form.

use super::field::{Problem, Problems};
use super::list_actions::{ItemActions, ListAction, apply};
use crate::templates::buckets::form::{BucketForm, empty_bucket};
use berth_domain::template::{BucketSummary, TemplateSpec};
use leptos::prelude::*;

#[component]
pub fn PackagesSection(
    spec: RwSignal<TemplateSpec>,
    problems: Problems,
    buckets: Resource<Result<Vec<BucketSummary>, crate::AppError>>,
) -> impl IntoView {
    let count = Signal::derive(move || spec.with(|s| s.buckets.len()));
    let creating = RwSignal::new(false);
    let available = move || {
        let chosen = spec.with(|s| s.buckets.clone());
        buckets
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|b| !chosen.contains(&b.bucket.name))
            .collect::<Vec<_>>()
    };
    let describe = move |name: &str| {
        buckets.get().and_then(Result::ok).and_then(|all| {
            all.into_iter().find(|b| b.bucket.name == name).map(|b| {
                format!(
                    "{}: {}",
                    b.bucket.manager.as_str(),
                    b.bucket.packages.join(" ")
                )
            })
        })
    };
    view! {
        <fieldset class="form-section" data-testid="section-packages">
            <legend>"Packages"</legend>
            <p class="muted">"Buckets are installed in this order, before files and scripts."</p>
            // Inside a Transition: the bucket list is read where the server waits for it, so the
            // server and the browser render the same options.
            <Transition fallback=|| view! { <p class="muted">"Loading buckets…"</p> }>
            <ol class="bucket-list" data-testid="chosen-buckets">
                {move || (0..count.get()).map(|i| {
                    let name = Signal::derive(move || spec.with(|s| s.buckets.get(i).cloned().unwrap_or_default()));
                    view! {
                        <li class="list-item-head">
                            <span><strong class="mono">{name}</strong>" "<span class="muted">{move || describe(&name.get())}</span></span>
                            <ItemActions label=name index=i count
                                on_action=Callback::new(move |a: ListAction| spec.update(|s| apply(&mut s.buckets, i, a))) />
                            <Problem problems path=format!("buckets[{i}]") />
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="fields">
                <div class="field">
                    <label for="add-bucket">"Add a bucket"</label>
                    <select id="add-bucket" data-testid="add-bucket" prop:value=move || { count.track(); String::new() } on:change=move |ev| {
                        let name = event_target_value(&ev);
                        if !name.is_empty() {
                            spec.update(|s| s.buckets.push(name));
                        }
                    }>
                        <option value="" selected=true>"Choose…"</option>
                        {move || available().into_iter().map(|b| view! {
                            <option value=b.bucket.name.clone()>{format!("{} ({})", b.bucket.name, b.bucket.manager.as_str())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="button" class="button button-quiet" data-testid="create-bucket-inline"
                    on:click=move |_| creating.set(true)>"Create a bucket"</button>
            </div>
            </Transition>
            <Show when=move || creating.get()>
                <div class="inline-panel">
                    <h3>"New package bucket"</h3>
                    <BucketForm initial=empty_bucket() existing=false
                        on_cancel=Callback::new(move |_| creating.set(false))
                        on_saved=Callback::new(move |name: String| {
                            creating.set(false);
                            spec.update(|s| if !s.buckets.contains(&name) { s.buckets.push(name) });
                            buckets.refetch();
                        }) />
                </div>
            </Show>
        </fieldset>
    }
}
