//! A route's parts: the HTTP method, and the path template with the helpers that fill it,
//! find its node and check a parameter name against the route's declared parameters.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::fmt;

/// HTTP method of an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// GET and DELETE carry parameters in the query string: the server answers 501 to a body.
    pub fn uses_query(self) -> bool {
        matches!(self, Method::Get | Method::Delete)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One route: method, path template as in the API schema, and the non-path parameters the
/// client may send, named as the schema names them (`net[n]` for `net0`…`net31`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub params: &'static [&'static str],
}

/// Characters escaped in a path segment; `:`, `@` and `!` (in UPIDs and token ids) stay.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

impl Endpoint {
    /// The path placeholders in order, e.g. `["node", "vmid"]`.
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }

    /// The path with each placeholder replaced by the next value, percent-encoded.
    /// `None` when the number of values does not match the placeholders.
    pub fn fill(&self, values: &[&str]) -> Option<String> {
        let mut values = values.iter();
        let mut out = String::with_capacity(self.path.len() + 32);
        for seg in self.path.split('/').skip(1) {
            out.push('/');
            if seg.starts_with('{') {
                let v = values.next()?;
                out.extend(utf8_percent_encode(v, SEGMENT));
            } else {
                out.push_str(seg);
            }
        }
        values.next().is_none().then_some(out)
    }

    /// The node a call is for (its `{node}` value), which keys the per-node limit.
    pub fn node_of<'a>(&self, values: &[&'a str]) -> Option<&'a str> {
        self.path_params()
            .position(|p| p == "node")
            .and_then(|i| values.get(i).copied())
    }

    /// Whether the client may send `key` here; `net0` matches a declared `net[n]`.
    pub fn accepts(&self, key: &str) -> bool {
        if self.params.contains(&key) {
            return true;
        }
        let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
        stem.len() < key.len()
            && self
                .params
                .iter()
                .any(|p| p.strip_suffix("[n]") == Some(stem))
    }
}

#[cfg(test)]
mod tests {
    use crate::endpoints::*;

    #[test]
    fn fills_and_encodes_placeholders() {
        let upid = "UPID:pve:00001234:00ABCDEF:66A1F0C3:vzcreate:105:dash@pve!prov:";
        assert_eq!(
            TASK_STATUS.fill(&["pve", upid]).unwrap(),
            format!("/nodes/pve/tasks/{upid}/status")
        );
        assert_eq!(
            LXC_SNAPSHOT_DELETE.fill(&["pve", "100", "a b/c"]).unwrap(),
            "/nodes/pve/lxc/100/snapshot/a%20b%2Fc"
        );
        assert_eq!(VERSION.fill(&[]).unwrap(), "/version");
        assert!(LXC_START.fill(&["pve"]).is_none());
        assert!(NODES.fill(&["pve"]).is_none());
    }

    #[test]
    fn node_and_indexed_params() {
        assert_eq!(LXC_START.node_of(&["pve2", "100"]), Some("pve2"));
        assert_eq!(CLUSTER_RESOURCES.node_of(&[]), None);
        assert!(LXC_CREATE.accepts("net0"));
        assert!(LXC_CREATE.accepts("net31"));
        assert!(LXC_CREATE.accepts("vmid"));
        assert!(LXC_CREATE.accepts("mp0"));
        assert!(!LXC_CREATE.accepts("mp"));
        assert!(!LXC_CREATE.accepts("net"));
    }
}
