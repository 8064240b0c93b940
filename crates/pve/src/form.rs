//! Request parameters: an ordered list of key/value pairs, encoded as a form body (POST/PUT)
//! or a query string (GET/DELETE). Booleans are `1`/`0`: PVE rejects `true` (§1, §5).

use crate::secret::Secret;
use url::form_urlencoded;

/// One parameter value; secrets stay hidden in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Plain(String),
    Secret(Secret),
}

/// Parameters of one call, in insertion order. `None` values are skipped, as proxmoxer does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, Value)>,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn str(mut self, key: &str, value: impl Into<String>) -> Self {
        self.pairs
            .push((key.to_owned(), Value::Plain(value.into())));
        self
    }

    pub fn opt_str(self, key: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    pub fn secret(mut self, key: &str, value: &Secret) -> Self {
        self.pairs
            .push((key.to_owned(), Value::Secret(value.clone())));
        self
    }

    pub fn opt_secret(self, key: &str, value: Option<&Secret>) -> Self {
        match value {
            Some(v) => self.secret(key, v),
            None => self,
        }
    }

    pub fn num(self, key: &str, value: impl ToString) -> Self {
        self.str(key, value.to_string())
    }

    pub fn opt_num(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.num(key, v),
            None => self,
        }
    }

    /// A boolean as PVE wants it in a form or query: `1` or `0`.
    pub fn bool(self, key: &str, value: bool) -> Self {
        self.str(key, if value { "1" } else { "0" })
    }

    pub fn opt_bool(self, key: &str, value: Option<bool>) -> Self {
        match value {
            Some(v) => self.bool(key, v),
            None => self,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Parameter names, in order (for checking them against the endpoint table).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    /// The value of `key`, if it is not a secret (for tests and diagnostics).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find_map(|(k, v)| match v {
            Value::Plain(s) if k == key => Some(s.as_str()),
            _ => None,
        })
    }

    /// `application/x-www-form-urlencoded` text, usable as a body or a query string.
    pub fn encode(&self) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            let v = match v {
                Value::Plain(s) => s.as_str(),
                Value::Secret(s) => s.expose(),
            };
            ser.append_pair(k, v);
        }
        ser.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_one_and_zero_and_none_is_skipped() {
        let p = Params::new()
            .num("vmid", 100)
            .bool("unprivileged", true)
            .bool("start", false)
            .opt_bool("onboot", None)
            .opt_str("hostname", None::<String>)
            .opt_num("memory", Some(512));
        assert_eq!(p.encode(), "vmid=100&unprivileged=1&start=0&memory=512");
    }

    #[test]
    fn property_strings_and_specials_are_escaped() {
        let p = Params::new()
            .str("net0", "name=eth0,bridge=vmbr0,ip=10.0.0.5/24")
            .str(
                "ostemplate",
                "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst",
            )
            .str(
                "ssh-public-keys",
                "ssh-ed25519 AAAA a@b\nssh-rsa BBBB+/= c@d",
            );
        assert_eq!(
            p.encode(),
            "net0=name%3Deth0%2Cbridge%3Dvmbr0%2Cip%3D10.0.0.5%2F24\
             &ostemplate=local%3Avztmpl%2Fdebian-12-standard_12.12-1_amd64.tar.zst\
             &ssh-public-keys=ssh-ed25519+AAAA+a%40b%0Assh-rsa+BBBB%2B%2F%3D+c%40d"
        );
    }

    #[test]
    fn secrets_are_sent_but_not_shown() {
        let p = Params::new().secret("password", &Secret::new("hunter22"));
        assert_eq!(p.encode(), "password=hunter22");
        assert!(!format!("{p:?}").contains("hunter22"));
        assert_eq!(p.get("password"), None);
    }
}
