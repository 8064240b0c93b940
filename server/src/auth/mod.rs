//! Authentication on the server: the services it needs, the middleware that finds who a request
//! comes from (and sends strangers to the sign-in page), and the sign-in/sign-out routes.

mod middleware;
mod routes;
mod services;

pub use middleware::authenticate;
pub use routes::routes;
pub use services::AuthServices;
