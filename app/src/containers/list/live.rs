//! Following the cluster from the browser over `/ws?containers=main`: the server sends the
//! snapshot, then deltas and action states; after a drop the page reconnects and gets the
//! whole snapshot again.

use super::model::Live;
use leptos::prelude::*;

pub fn follow(live: RwSignal<Live>) {
    #[cfg(feature = "hydrate")]
    browser::connect(live, StoredValue::new(true));
    #[cfg(not(feature = "hydrate"))]
    let _ = live;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Live;
    use crate::components::open_socket;
    use berth_domain::container::ContainersPush;
    use leptos::prelude::*;
    use std::time::Duration;

    pub fn connect(live: RwSignal<Live>, alive: StoredValue<bool>) {
        let socket = open_socket(
            "containers=main",
            move || {
                let _ = live.try_update(|l| l.connected = true);
            },
            move |text| {
                if let Ok(push) = serde_json::from_str::<ContainersPush>(&text) {
                    let _ = live.try_update(|l| l.apply(push));
                }
            },
            move || {
                let _ = live.try_update(|l| l.connected = false);
                retry(live, alive);
            },
        );
        let Some(socket) = socket else {
            return retry(live, alive);
        };
        let socket = send_wrapper::SendWrapper::new(socket);
        on_cleanup(move || {
            alive.set_value(false);
            let _ = socket.close();
        });
    }

    /// Reconnects after a pause unless the page is gone.
    fn retry(live: RwSignal<Live>, alive: StoredValue<bool>) {
        set_timeout(
            move || {
                if alive.try_get_value().unwrap_or(false) {
                    connect(live, alive);
                }
            },
            Duration::from_secs(2),
        );
    }
}
