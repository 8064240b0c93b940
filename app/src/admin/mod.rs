//! The Admin section: users and their roles, and Berth's own backups.

mod api;
#[cfg(feature = "ssr")]
mod api_ssr;
pub mod backups;
mod create_user_form;
mod page;
#[cfg(feature = "ssr")]
mod sessions_ssr;
mod user_table;

pub use api::{create_user, end_user_sessions, list_users, set_user_disabled, set_user_role};
pub use page::AdminPage;
