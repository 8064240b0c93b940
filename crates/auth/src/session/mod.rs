//! Server-side sessions: random ids handed to the browser in a cookie, the data kept in Redis.
//!
//! Redis layout (every key starts with the configured prefix):
//! - `{prefix}session:{id}`: the [`Session`] as JSON, with a TTL of min(idle timeout, remaining
//!   absolute lifetime) so Redis forgets a session even if nobody asks for it again;
//! - `{prefix}user-sessions:{user_id}`: a set of that user's session ids, for listing and revoking.
//!   Entries can outlive their session (Redis expired it); listing removes them.

mod cookie;
mod id;
mod record;
mod store;

pub use cookie::{
    COOKIE_NAME, CookieConfig, DEV_COOKIE_NAME, InsecurePublicUrl, clear_cookie_header,
    session_id_from_cookie_header, set_cookie_header,
};
pub use id::SessionId;
pub use record::{Session, SessionConfig, SessionMeta};
pub use store::{SessionError, SessionStore};
