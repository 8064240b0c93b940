//! The steps of the wizard around one spec: a step list to move around in, Back and Next, and
//! the final submit. Leaving a step with problems stays there and focuses the first one; the
//! server's problems take the wizard to the step of the first of them.

use super::steps::{Step, focus_problem};
use super::{Wizard, access, identity, inputs, network, resources, review, storage};
use crate::AppError;
use crate::containers::wizard::api::CreateContainer;
use berth_domain::container::ContainerSpec;
use berth_domain::template::{FieldProblem, TemplateSpec};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn WizardForm(template: TemplateSpec, version: i32) -> impl IntoView {
    let spec = RwSignal::new(ContainerSpec::from_template(&template, version));
    let template = StoredValue::new(template);
    let step = RwSignal::new(Step::Identity);
    // Steps whose problems are shown: the ones left (or tried to leave) and, after a submit, all.
    let checked = RwSignal::new(Vec::<Step>::new());
    let server_problems = RwSignal::new(Vec::<FieldProblem>::new());
    let own = Memo::new(move |_| {
        spec.with(|s| template.with_value(|t| s.validate(t).err().unwrap_or_default()))
    });
    let problems = Signal::derive(move || {
        let mut shown: Vec<FieldProblem> = own.with(|all| {
            checked.with(|steps| {
                all.iter()
                    .filter(|p| steps.contains(&Step::of(&p.path)))
                    .cloned()
                    .collect()
            })
        });
        let extra: Vec<FieldProblem> = server_problems.with(|found| {
            found
                .iter()
                .filter(|p| !shown.contains(p))
                .cloned()
                .collect()
        });
        shown.extend(extra);
        shown
    });
    provide_context(Wizard {
        spec,
        problems,
        template,
    });
    // What the server said was about the spec as sent; an edit makes it stale.
    Effect::new(move |seen: Option<()>| {
        spec.track();
        if seen.is_some() {
            server_problems.update(|p| p.clear());
        }
    });

    let create = ServerAction::<CreateContainer>::new();
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(id)) => navigate(&format!("/jobs/{id}"), Default::default()),
        Some(Err(AppError::Problems(found))) => {
            if let Some(first) = found.first() {
                step.set(Step::of(&first.path));
                focus_problem(&first.path);
            }
            server_problems.set(found);
        }
        _ => {}
    });

    let leave = move |to: Step| {
        let here = step.get_untracked();
        checked.update(|c| {
            if !c.contains(&here) {
                c.push(here);
            }
        });
        let first = own.with_untracked(|all| all.iter().find(|p| here.owns(p)).cloned());
        match first {
            // Going back never stops at a problem; going on does.
            Some(problem) if to.index() > here.index() => focus_problem(&problem.path),
            _ => step.set(to),
        }
    };
    let send = move || {
        // Enter in a field of an earlier step means "next", not "create".
        if let Some(next) = step.get_untracked().next() {
            leave(next);
            return;
        }
        checked.set(Step::ALL.to_vec());
        if let Some(first) = own.with_untracked(|all| all.first().cloned()) {
            step.set(Step::of(&first.path));
            focus_problem(&first.path);
            return;
        }
        create.dispatch(CreateContainer {
            spec: spec.get_untracked(),
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let other_error = move || match create.value().get() {
        Some(Err(AppError::Problems(_))) | None | Some(Ok(_)) => None,
        Some(Err(error)) => Some(error.to_string()),
    };

    view! {
        <form class="wizard" on:submit=submit novalidate data-testid="wizard">
            <p class="wizard-template">
                "Template: " <strong>{template.with_value(|t| t.title.clone())}</strong>
                {format!(" ({} v{version}) ", template.with_value(|t| t.name.clone()))}
                <a href="/containers/new">"Change"</a>
            </p>
            <StepList step problems />
            <div class="wizard-body">
                {move || match step.get() {
                    Step::Identity => view! { <identity::IdentityStep /> }.into_any(),
                    Step::Resources => view! { <resources::ResourcesStep /> }.into_any(),
                    Step::Storage => view! { <storage::StorageStep /> }.into_any(),
                    Step::Network => view! { <network::NetworkStep /> }.into_any(),
                    Step::Access => view! { <access::AccessStep /> }.into_any(),
                    Step::Inputs => view! { <inputs::InputsStep /> }.into_any(),
                    Step::Review => view! { <review::ReviewStep /> }.into_any(),
                }}
            </div>
            {move || other_error().map(|text| view! {
                <div class="error-panel" role="alert" data-testid="wizard-error"><p>{text}</p></div>
            })}
            <div class="form-actions wizard-actions">
                {move || step.get().previous().map(|back| view! {
                    <button type="button" class="button button-quiet" on:click=move |_| leave(back)>"Back"</button>
                })}
                {move || match step.get().next() {
                    Some(next) => view! {
                        <button type="button" class="button" data-testid="wizard-next" on:click=move |_| leave(next)>
                            {format!("Next: {}", next.label())}
                        </button>
                    }.into_any(),
                    None => view! {
                        // Not a submit button: the Next button this replaces must never turn a click into a submit.
                        <button type="button" class="button" data-testid="wizard-create"
                            disabled=move || create.pending().get() on:click=move |_| send()>
                            {move || if create.pending().get() { "Creating…" } else { "Create container" }}
                        </button>
                    }.into_any(),
                }}
            </div>
        </form>
    }
}

/// Where the wizard is, and a way to any step; a step with problems says so.
#[component]
fn StepList(step: RwSignal<Step>, problems: Signal<Vec<FieldProblem>>) -> impl IntoView {
    let items = Step::ALL
        .into_iter()
        .map(|s| {
            let has_problems = move || problems.with(|all| all.iter().any(|p| s.owns(p)));
            view! {
                <li>
                    <button type="button" class="wizard-step-link"
                        aria-current=move || (step.get() == s).then_some("step")
                        class:has-problems=has_problems
                        on:click=move |_| step.set(s)>
                        <span class="wizard-step-number">{s.index() + 2}</span>
                        {s.label()}
                        <Show when=has_problems>
                            <span class="visually-hidden">" (needs attention)"</span>
                        </Show>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav aria-label="Wizard steps">
            <ol class="wizard-steps">
                <li><a class="wizard-step-link" href="/containers/new"><span class="wizard-step-number">"1"</span>"Template"</a></li>
                {items}
            </ol>
        </nav>
    }
}
