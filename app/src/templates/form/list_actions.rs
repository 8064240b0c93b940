//! Move up, move down and remove for one item of an ordered list in the form.

use leptos::prelude::*;

/// Applies a list action to `items`.
pub fn apply<T>(items: &mut Vec<T>, index: usize, action: ListAction) {
    match action {
        ListAction::Up if index > 0 && index < items.len() => items.swap(index, index - 1),
        ListAction::Down if index + 1 < items.len() => items.swap(index, index + 1),
        ListAction::Remove if index < items.len() => {
            items.remove(index);
        }
        _ => {}
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAction {
    Up,
    Down,
    Remove,
}

#[component]
pub fn ItemActions(
    /// What the item is called, for the buttons' accessible names.
    label: Signal<String>,
    index: usize,
    count: Signal<usize>,
    on_action: Callback<ListAction>,
) -> impl IntoView {
    view! {
        <div class="item-actions">
            <button type="button" class="button button-quiet" disabled=move || index == 0
                aria-label=move || format!("Move {} up", label.get())
                on:click=move |_| on_action.run(ListAction::Up)>"↑"</button>
            <button type="button" class="button button-quiet" disabled=move || { index + 1 >= count.get() }
                aria-label=move || format!("Move {} down", label.get())
                on:click=move |_| on_action.run(ListAction::Down)>"↓"</button>
            <button type="button" class="button button-quiet"
                aria-label=move || format!("Remove {}", label.get())
                on:click=move |_| on_action.run(ListAction::Remove)>"Remove"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_reorder_and_remove() {
        let mut items = vec![1, 2, 3];
        apply(&mut items, 0, ListAction::Up);
        assert_eq!(items, [1, 2, 3]);
        apply(&mut items, 0, ListAction::Down);
        assert_eq!(items, [2, 1, 3]);
        apply(&mut items, 2, ListAction::Down);
        assert_eq!(items, [2, 1, 3]);
        apply(&mut items, 1, ListAction::Remove);
        assert_eq!(items, [2, 3]);
        apply(&mut items, 5, ListAction::Remove);
        assert_eq!(items, [2, 3]);
    }
}
