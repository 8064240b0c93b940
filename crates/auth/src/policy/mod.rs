//! Authorization in one place: every guarded operation is an [`Action`] with a minimum role,
//! and every server function, REST route and websocket asks [`require`] (or
//! [`require_owner_or`]) before acting. Hiding a button in the UI is never the protection.

mod action;
mod check;
mod principal;
#[cfg(test)]
mod tests;

pub use action::Action;
pub use check::{Forbidden, ForbiddenReason, require, require_own_or, require_owner_or};
pub use principal::{Principal, Via};
