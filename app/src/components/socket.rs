//! Opening the page's websocket to `/ws` (same host, `wss` under https) with its three
//! callbacks. The socket holds the callbacks for as long as it lives, so they are leaked on
//! purpose; they should capture only `Copy` reactive handles.

use leptos::prelude::window;
use leptos::wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{MessageEvent, WebSocket};

/// `/ws?<query>` with the callbacks set, or `None` if the browser refused to open it.
pub fn open_socket(
    query: &str,
    on_open: impl Fn() + 'static,
    on_text: impl Fn(String) + 'static,
    on_close: impl Fn() + 'static,
) -> Option<WebSocket> {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    let host = location.host().unwrap_or_default();
    let socket = WebSocket::new(&format!("{scheme}://{host}/ws?{query}")).ok()?;
    let on_open = Closure::<dyn Fn()>::new(on_open);
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        if let Some(text) = ev.data().as_string() {
            on_text(text);
        }
    });
    let on_close = Closure::<dyn Fn()>::new(on_close);
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    on_open.forget();
    on_message.forget();
    on_close.forget();
    Some(socket)
}
