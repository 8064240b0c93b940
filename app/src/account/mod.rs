//! The Account page (`/account`): the signed-in user's personal API tokens and browser sessions.

pub mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
mod format;
mod page;
#[cfg(feature = "ssr")]
mod services;
mod session_list;
#[cfg(feature = "ssr")]
mod sessions_ssr;
mod token_created;
mod token_form;
mod token_list;

pub use page::AccountPage;
#[cfg(feature = "ssr")]
pub use services::{SessionServices, session_handle};
