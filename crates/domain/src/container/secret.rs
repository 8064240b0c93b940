//! Values that must not reach logs: the root password and template input values. Their `Debug`
//! hides them, so `tracing` fields and panic messages that print a spec stay clean.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A password or token. No `Display`: reading it takes an explicit [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Template input values by input name. Which of them are secrets only the template knows, so
/// `Debug` shows the names and hides every value.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InputValues(BTreeMap<String, String>);

impl InputValues {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.0.remove(name)
    }

    /// In name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for InputValues {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl std::fmt::Debug for InputValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k, "[redacted]")))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_values_and_serde_keeps_them() {
        let secret = Secret::new("hunter22");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"hunter22\"");
        let inputs: InputValues = [("db_password", "s3cret!")].into_iter().collect();
        let shown = format!("{inputs:?}");
        assert!(
            shown.contains("db_password") && !shown.contains("s3cret"),
            "{shown}"
        );
        let json = serde_json::to_string(&inputs).unwrap();
        assert_eq!(json, r#"{"db_password":"s3cret!"}"#);
        assert_eq!(serde_json::from_str::<InputValues>(&json).unwrap(), inputs);
    }
}
