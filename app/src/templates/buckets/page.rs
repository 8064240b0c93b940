//! The package buckets: each with its packages and the templates that install it; admins
//! create, edit and delete (a bucket in use is not deleted, and the page says by whom).

use super::form::{BucketForm, empty_bucket};
use crate::components::{ErrorPanel, PageHeader, confirmed};
use crate::templates::api::{DeleteBucket, list_buckets};
use berth_domain::template::{BucketSummary, PackageBucket};
use leptos::prelude::*;

#[component]
pub fn BucketsPage() -> impl IntoView {
    let delete = ServerAction::<DeleteBucket>::new();
    let changed = RwSignal::new(0u32);
    let buckets = Resource::new(
        move || (delete.version().get(), changed.get()),
        |_| list_buckets(),
    );
    let editing: RwSignal<Option<PackageBucket>> = RwSignal::new(None);
    let notice = RwSignal::new(None::<String>);
    let saved = Callback::new(move |name: String| {
        let verb = if editing.get_untracked().is_some() {
            "Saved"
        } else {
            "Created"
        };
        notice.set(Some(format!("{verb} bucket {name}.")));
        editing.set(None);
        changed.update(|n| *n += 1);
    });
    view! {
        <PageHeader title="Package buckets" lead="Named sets of packages for one package manager, installed by templates in the order they list them." />
        <p class="breadcrumb"><a href="/templates">"Back to the templates"</a></p>
        {move || notice.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
        {move || delete.value().get().and_then(Result::err).map(|error| view! { <div data-testid="bucket-delete-error"><ErrorPanel error /></div> })}
        <Transition fallback=|| view! { <p class="muted">"Loading buckets…"</p> }>
            {move || Suspend::new(async move {
                match buckets.await {
                    Ok(list) => view! { <BucketTable list delete editing /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <section class="section" aria-labelledby="bucket-form-heading">
            {move || match editing.get() {
                Some(bucket) => view! {
                    <h2 id="bucket-form-heading">{format!("Edit {}", bucket.name)}</h2>
                    <p class="muted">"Saving gives every template that installs this bucket a new version."</p>
                    <BucketForm initial=bucket existing=true on_saved=saved on_cancel=Callback::new(move |_| editing.set(None)) />
                }.into_any(),
                None => view! {
                    <h2 id="bucket-form-heading">"New bucket"</h2>
                    <BucketForm initial=empty_bucket() existing=false on_saved=saved />
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn BucketTable(
    list: Vec<BucketSummary>,
    delete: ServerAction<DeleteBucket>,
    editing: RwSignal<Option<PackageBucket>>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No buckets yet."</p> }.into_any();
    }
    view! {
        <table class="table" data-testid="bucket-table">
            <thead><tr><th>"Name"</th><th>"Manager"</th><th>"Packages"</th><th>"Used by"</th><th></th></tr></thead>
            <tbody>
                {list.into_iter().map(|summary| {
                    let bucket = summary.bucket.clone();
                    let name = bucket.name.clone();
                    let doomed = name.clone();
                    view! {
                        <tr data-name=name.clone()>
                            <td><strong class="mono">{name.clone()}</strong><br /><span class="muted">{bucket.description.clone()}</span></td>
                            <td><span class="pill pill-neutral">{bucket.manager.as_str()}</span></td>
                            <td class="mono">{bucket.packages.join(" ")}</td>
                            <td>{if summary.used_by.is_empty() { "—".to_string() } else { summary.used_by.join(", ") }}</td>
                            <td class="row-actions">
                                <button type="button" class="button button-quiet" on:click=move |_| editing.set(Some(bucket.clone()))>"Edit"</button>
                                <button type="button" class="button button-quiet" data-testid="delete-bucket"
                                    on:click=move |_| {
                                        if confirmed(&format!("Delete the bucket {doomed}?")) {
                                            delete.dispatch(DeleteBucket { name: doomed.clone() });
                                        }
                                    }>"Delete"</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
