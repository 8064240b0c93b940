//! Where raw setting values come from: the environment and an optional TOML file.

use super::{ConfigError, Setting};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The environment variable (and `--config` flag) naming the TOML file.
pub const CONFIG_FILE_ENV: &str = "BERTH_CONFIG";

/// Where a value was found, so an error can point at the right place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Env,
    File(PathBuf),
    Default,
}

impl Origin {
    pub fn describe(&self, env: &str, key: &str) -> String {
        match self {
            Origin::Env => env.to_string(),
            Origin::File(path) => format!("`{key}` in {} (or {env})", path.display()),
            Origin::Default => format!("the default of {env}"),
        }
    }
}

/// Raw values, not yet typed.
#[derive(Debug, Clone, Default)]
pub struct Source {
    env: HashMap<String, String>,
    file: Option<(PathBuf, HashMap<String, String>)>,
}

impl Source {
    /// The process environment plus the file named by `config_file` (from `--config`) or by
    /// `BERTH_CONFIG`. Unknown keys in the file are errors: a typo must not be silently ignored.
    pub fn load(config_file: Option<&Path>, known: &[&[Setting]]) -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let path = config_file
            .map(Path::to_path_buf)
            .or_else(|| env.get(CONFIG_FILE_ENV).map(PathBuf::from));
        let mut source = Source { env, file: None };
        if let Some(path) = path {
            let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::File {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            source = source.with_file(path, &text, known)?;
        }
        Ok(source)
    }

    /// A source from explicit values (tests, and callers that build their own environment).
    pub fn from_env_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Source {
            env: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            file: None,
        }
    }

    /// Adds a TOML file's values. Keys are the settings' `key`s; values may be strings,
    /// numbers or booleans.
    pub fn with_file(
        mut self,
        path: PathBuf,
        text: &str,
        known: &[&[Setting]],
    ) -> Result<Self, ConfigError> {
        let table = toml::Table::from_str(text).map_err(|e| ConfigError::File {
            path: path.clone(),
            reason: e.message().to_string(),
        })?;
        let known_keys: Vec<&str> = known.iter().flat_map(|s| s.iter().map(|s| s.key)).collect();
        let mut values = HashMap::new();
        for (key, value) in table {
            if !known_keys.contains(&key.as_str()) {
                return Err(ConfigError::UnknownKey {
                    path,
                    key,
                    known: known_keys.join(", "),
                });
            }
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(ConfigError::File {
                        path,
                        reason: format!(
                            "`{key}` must be a string, number or boolean, not {}",
                            other.type_str()
                        ),
                    });
                }
            };
            values.insert(key, text);
        }
        self.file = Some((path, values));
        Ok(self)
    }

    /// The raw value of a setting and where it came from; `None` when unset and required.
    pub fn raw(&self, setting: &Setting) -> Option<(String, Origin)> {
        if let Some(value) = self.env.get(setting.env) {
            return Some((value.clone(), Origin::Env));
        }
        if let Some((path, values)) = &self.file
            && let Some(value) = values.get(setting.key)
        {
            return Some((value.clone(), Origin::File(path.clone())));
        }
        setting.default.map(|d| (d.to_string(), Origin::Default))
    }

    /// Reads and parses a setting. `parse` returns what was expected when the value is wrong.
    pub fn get<T>(
        &self,
        setting: &Setting,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        let (value, origin) = self.raw(setting).ok_or(ConfigError::Missing {
            env: setting.env,
            key: setting.key,
            expected: setting.expected,
        })?;
        parse(value.trim()).map_err(|expected| ConfigError::Invalid {
            env: setting.env,
            key: setting.key,
            origin,
            expected,
            value: (!setting.secret).then_some(value),
        })
    }

    /// Reads a setting whose type implements `FromStr`; the error says `setting.expected`.
    pub fn parse<T: FromStr>(&self, setting: &Setting) -> Result<T, ConfigError> {
        self.get(setting, |v| {
            v.parse::<T>().map_err(|_| setting.expected.to_string())
        })
    }

    /// `BERTH_*` variables that no setting in `known` declares: likely typos, worth a warning.
    pub fn unknown_env(&self, known: &[&[Setting]]) -> Vec<String> {
        let mut unknown: Vec<String> = self
            .env
            .keys()
            .filter(|k| k.starts_with("BERTH_") && k.as_str() != CONFIG_FILE_ENV)
            .filter(|k| !known.iter().any(|s| s.iter().any(|s| s.env == k.as_str())))
            .cloned()
            .collect();
        unknown.sort();
        unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PORT: Setting = Setting {
        key: "port",
        env: "BERTH_PORT",
        default: Some("3000"),
        expected: "a port number from 1 to 65535",
        help: "",
        secret: false,
    };
    const TOKEN: Setting = Setting {
        key: "token",
        env: "BERTH_TOKEN",
        default: None,
        expected: "a token",
        help: "",
        secret: true,
    };

    #[test]
    fn env_beats_file_beats_default() {
        let known: &[&[Setting]] = &[&[PORT, TOKEN]];
        let source = Source::default();
        assert_eq!(source.parse::<u16>(&PORT).unwrap(), 3000);
        let source = source
            .with_file("/etc/berth.toml".into(), "port = 4000", known)
            .unwrap();
        assert_eq!(source.parse::<u16>(&PORT).unwrap(), 4000);
        let mut source = source;
        source.env.insert("BERTH_PORT".into(), "5000".into());
        assert_eq!(source.parse::<u16>(&PORT).unwrap(), 5000);
    }

    #[test]
    fn errors_name_the_variable_and_the_expectation() {
        let source = Source::from_env_pairs([("BERTH_PORT", "eighty")]);
        let err = source.parse::<u16>(&PORT).unwrap_err().to_string();
        assert_eq!(
            err,
            r#"BERTH_PORT: expected a port number from 1 to 65535, got "eighty""#
        );
        let err = source.parse::<String>(&TOKEN).unwrap_err().to_string();
        assert_eq!(
            err,
            "BERTH_TOKEN is not set: expected a token (or `token` in the config file)"
        );
    }

    #[test]
    fn secrets_are_not_echoed() {
        let source = Source::from_env_pairs([("BERTH_TOKEN", "hunter2")]);
        let err = source
            .get(&TOKEN, |_| Err::<(), _>("a token".to_string()))
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.starts_with("BERTH_TOKEN: expected a token"), "{err}");
    }

    #[test]
    fn file_errors_point_at_the_file_and_key() {
        let known: &[&[Setting]] = &[&[PORT]];
        let source = Source::default()
            .with_file("/etc/berth.toml".into(), "port = \"x\"", known)
            .unwrap();
        let err = source.parse::<u16>(&PORT).unwrap_err().to_string();
        assert!(
            err.starts_with("`port` in /etc/berth.toml (or BERTH_PORT): expected"),
            "{err}"
        );

        let err = Source::default()
            .with_file("/etc/berth.toml".into(), "prot = 1", known)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown setting `prot`"), "{err}");
        let err = Source::default()
            .with_file("/etc/berth.toml".into(), "port = ", known)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("cannot read config file /etc/berth.toml"),
            "{err}"
        );
    }

    #[test]
    fn unknown_berth_variables_are_reported() {
        let source = Source::from_env_pairs([
            ("BERTH_PROT", "1"),
            ("BERTH_PORT", "1"),
            ("BERTH_CONFIG", "x"),
            ("HOME", "/root"),
        ]);
        assert_eq!(
            source.unknown_env(&[&[PORT]]),
            vec!["BERTH_PROT".to_string()]
        );
    }
}
