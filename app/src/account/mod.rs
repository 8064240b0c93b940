//! The Account page (`/account`): the signed-in user's personal API tokens, browser sessions and
//! password.

pub mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
mod format;
mod page;
mod password_form;
#[cfg(feature = "ssr")]
mod password_ssr;
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
pub(crate) use services::session_services;
#[cfg(feature = "ssr")]
pub use services::{SessionServices, session_handle};
