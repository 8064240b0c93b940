//! Sign-in: the login page, the user menu, and (on the server) who the request comes from.

mod api;
mod login;
#[cfg(feature = "ssr")]
mod principal;
mod user_menu;

pub use api::signed_in_user;
pub use login::{LoginPage, SsoProvider, SsoProviders, login_providers};
#[cfg(feature = "ssr")]
pub use principal::{client_ip, principal, require};
pub use user_menu::UserMenu;
