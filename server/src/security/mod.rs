//! Browser-facing protections applied to every response and request: security headers, and the
//! `Origin` check that stands in for CSRF tokens.

mod compare;
mod headers;
mod origin;

pub use compare::same;
pub use headers::security_headers;
pub use origin::{AllowedOrigins, reject_cross_site};
