//! Just enough URL parsing for `postgres://` and `redis://` URLs: host, port, masked printing.

/// The parts of a service URL that xtask needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUrl {
    pub host: String,
    pub port: u16,
}

/// Parses `scheme://[user[:pass]@]host[:port][/path][?query]`; `default_port` fills a missing port.
/// Returns None without a TCP host (e.g. a Unix socket URL), which xtask cannot probe.
pub fn parse(url: &str, default_port: u16) -> Option<ServiceUrl> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    // Multi-host Postgres URLs (`h1:5432,h2:5432`): the first host is the one to try.
    let host_port = host_port.split(',').next().unwrap_or_default();
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(port) => port.parse().ok()?,
        None => default_port,
    };
    Some(ServiceUrl {
        host: host.to_owned(),
        port,
    })
}

/// Replaces the password of the userinfo with `***`, so URLs can be printed.
pub fn mask(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_owned(),
    }
}

impl ServiceUrl {
    /// `host:port` for `TcpStream::connect` (IPv6 literals need brackets).
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hp(url: &str, default: u16) -> Option<(String, u16)> {
        parse(url, default).map(|u| (u.host, u.port))
    }

    #[test]
    fn parses_hosts_and_ports() {
        assert_eq!(
            hp("postgres://u:p@db.lan:6543/berth", 5432),
            Some(("db.lan".into(), 6543))
        );
        assert_eq!(
            hp("postgres://localhost/berth", 5432),
            Some(("localhost".into(), 5432))
        );
        assert_eq!(
            hp("redis://127.0.0.1", 6379),
            Some(("127.0.0.1".into(), 6379))
        );
        assert_eq!(
            hp("redis://:secret@r:7000/0", 6379),
            Some(("r".into(), 7000))
        );
        assert_eq!(
            hp("postgres://[::1]:5433/x", 5432),
            Some(("::1".into(), 5433))
        );
        assert_eq!(hp("postgres://[::1]/x", 5432), Some(("::1".into(), 5432)));
        assert_eq!(hp("postgres://a:1,b:2/x", 5432), Some(("a".into(), 1)));
        assert_eq!(
            hp("postgres://h?sslmode=disable", 5432),
            Some(("h".into(), 5432))
        );
        assert_eq!(hp("postgres://u:p@w@h:1/x", 5432), Some(("h".into(), 1)));
    }

    #[test]
    fn rejects_what_cannot_be_probed() {
        assert_eq!(hp("postgres:///berth?host=/run/postgresql", 5432), None);
        assert_eq!(hp("not a url", 5432), None);
        assert_eq!(hp("postgres://h:notaport/x", 5432), None);
    }

    #[test]
    fn address_brackets_ipv6() {
        assert_eq!(parse("redis://[::1]:1", 0).unwrap().address(), "[::1]:1");
        assert_eq!(parse("redis://h:1", 0).unwrap().address(), "h:1");
    }

    #[test]
    fn masks_passwords_only() {
        assert_eq!(
            mask("postgres://u:hunter2@h:1/db"),
            "postgres://u:***@h:1/db"
        );
        assert_eq!(mask("redis://:pw@h"), "redis://:***@h");
        assert_eq!(mask("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            mask("postgres://h/db?password=x@y"),
            "postgres://h/db?password=x@y"
        );
        assert_eq!(mask("garbage"), "garbage");
    }
}
