//! The session cookie: `__Host-berth_session` with `Secure; HttpOnly; SameSite=Lax; Path=/`.
//!
//! Development exception: when Berth's public URL is plain `http://` on a loopback host
//! (`localhost`, `127.0.0.1`, `[::1]`), browsers would drop a `Secure` cookie and refuse any
//! `__Host-` cookie without `Secure`, so the cookie is named `berth_session` and lacks `Secure`.
//! Every other plain-http public URL is refused: a session cookie must not cross a network in clear.
//! The exception is decided once from configuration, never from the incoming request.

use super::SessionId;
use url::{Host, Url};

/// The production cookie name. `__Host-` makes browsers insist on `Secure`, `Path=/` and no
/// `Domain`, so a sibling subdomain cannot plant or overwrite it.
pub const COOKIE_NAME: &str = "__Host-berth_session";
/// The cookie name under the plain-http loopback development exception.
pub const DEV_COOKIE_NAME: &str = "berth_session";

/// How the session cookie is written, derived from the public URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieConfig {
    secure: bool,
}

/// A public URL that cannot carry a session cookie safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "public URL {0:?} cannot carry a session cookie: use https:// \
     (plain http:// is allowed only for localhost, 127.0.0.1 and [::1] during development)"
)]
pub struct InsecurePublicUrl(pub String);

impl CookieConfig {
    /// The production setting: `__Host-` name and `Secure`.
    pub const SECURE: CookieConfig = CookieConfig { secure: true };

    pub fn from_public_url(public_url: &str) -> Result<Self, InsecurePublicUrl> {
        let refuse = || InsecurePublicUrl(public_url.to_string());
        let url = Url::parse(public_url).map_err(|_| refuse())?;
        match url.scheme() {
            "https" => Ok(Self::SECURE),
            "http" if is_loopback(url.host()) => Ok(Self { secure: false }),
            _ => Err(refuse()),
        }
    }

    pub fn name(&self) -> &'static str {
        if self.secure {
            COOKIE_NAME
        } else {
            DEV_COOKIE_NAME
        }
    }

    pub fn is_secure(&self) -> bool {
        self.secure
    }

    fn attributes(&self) -> &'static str {
        if self.secure {
            "Path=/; HttpOnly; SameSite=Lax; Secure"
        } else {
            "Path=/; HttpOnly; SameSite=Lax"
        }
    }
}

fn is_loopback(host: Option<Host<&str>>) -> bool {
    match host {
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The `Set-Cookie` value that hands a session to the browser. No `Max-Age`: the cookie ends
/// with the browser session, and the server enforces the idle and absolute limits either way.
pub fn set_cookie_header(id: &SessionId, config: &CookieConfig) -> String {
    format!("{}={}; {}", config.name(), id.expose(), config.attributes())
}

/// The `Set-Cookie` value that makes the browser forget the session (logout).
pub fn clear_cookie_header(config: &CookieConfig) -> String {
    format!("{}=; Max-Age=0; {}", config.name(), config.attributes())
}

/// The session id from a `Cookie` request header, if the session cookie is present and well
/// formed. The first cookie with the configured name decides; a malformed value gives `None`
/// rather than falling through to a later duplicate.
pub fn session_id_from_cookie_header(header: &str, config: &CookieConfig) -> Option<SessionId> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == config.name())
        .and_then(|(_, value)| SessionId::parse(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef";

    fn id() -> SessionId {
        SessionId::parse(ID).unwrap()
    }

    fn dev() -> CookieConfig {
        CookieConfig::from_public_url("http://localhost:3000").unwrap()
    }

    #[test]
    fn https_gets_the_host_prefixed_secure_cookie() {
        let config = CookieConfig::from_public_url("https://berth.example.org").unwrap();
        assert_eq!(config, CookieConfig::SECURE);
        assert_eq!(
            set_cookie_header(&id(), &config),
            format!("__Host-berth_session={ID}; Path=/; HttpOnly; SameSite=Lax; Secure")
        );
        assert_eq!(
            clear_cookie_header(&config),
            "__Host-berth_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
    }

    #[test]
    fn plain_http_loopback_is_the_only_insecure_exception() {
        for url in [
            "http://localhost:3000",
            "http://LOCALHOST",
            "http://127.0.0.1:8080/",
            "http://[::1]:3000",
        ] {
            let config = CookieConfig::from_public_url(url).unwrap();
            assert!(!config.is_secure(), "{url}");
            assert_eq!(
                set_cookie_header(&id(), &config),
                format!("berth_session={ID}; Path=/; HttpOnly; SameSite=Lax")
            );
        }
        for url in [
            "http://berth.example.org",
            "http://192.168.1.10:3000",
            "http://localhost.example.org",
            "ftp://localhost",
            "not a url",
        ] {
            assert_eq!(
                CookieConfig::from_public_url(url),
                Err(InsecurePublicUrl(url.to_string())),
                "{url}"
            );
        }
    }

    #[test]
    fn reads_the_id_among_other_cookies() {
        let header = format!("theme=dark; __Host-berth_session={ID}; other=1");
        assert_eq!(
            session_id_from_cookie_header(&header, &CookieConfig::SECURE),
            Some(id())
        );
        assert_eq!(
            session_id_from_cookie_header(&format!("berth_session={ID}"), &dev()),
            Some(id())
        );
    }

    #[test]
    fn a_cookie_with_the_other_name_is_ignored() {
        // In production the unprefixed name could be planted by a sibling subdomain.
        let header = format!("berth_session={ID}");
        assert_eq!(
            session_id_from_cookie_header(&header, &CookieConfig::SECURE),
            None
        );
        let header = format!("__Host-berth_session={ID}");
        assert_eq!(session_id_from_cookie_header(&header, &dev()), None);
    }

    #[test]
    fn malformed_values_are_rejected() {
        for value in [
            "",
            "abc",
            "0123456789ABCDEF0123456789ABCDEF",
            "\"0123456789abcdef0123456789abcdef\"",
            "0123456789abcdef0123456789abcdef0",
            "0123456789abcdef0123456789abcde*",
        ] {
            let header = format!("__Host-berth_session={value}");
            assert_eq!(
                session_id_from_cookie_header(&header, &CookieConfig::SECURE),
                None,
                "{value}"
            );
        }
        assert_eq!(
            session_id_from_cookie_header("", &CookieConfig::SECURE),
            None
        );
        assert_eq!(
            session_id_from_cookie_header("__Host-berth_session", &CookieConfig::SECURE),
            None
        );
        // The first occurrence decides: a bad one is not rescued by a later good one.
        let header = format!("__Host-berth_session=bad; __Host-berth_session={ID}");
        assert_eq!(
            session_id_from_cookie_header(&header, &CookieConfig::SECURE),
            None
        );
    }
}
