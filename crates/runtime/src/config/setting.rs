//! The declaration of one setting, and the `--help` text made from a list of them.

use std::fmt::Write as _;

/// One configurable value. `key` is its name in the TOML file, `env` its environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub env: &'static str,
    /// The default as it would be written by a user; `None` means required.
    pub default: Option<&'static str>,
    /// What the value is, for `--help` and for error messages ("expected …").
    pub expected: &'static str,
    pub help: &'static str,
    /// Secrets are never echoed back in errors or help.
    pub secret: bool,
}

/// The settings section of `--help`: every variable, its file key, default and meaning.
pub fn help_text(sections: &[(&str, &[Setting])]) -> String {
    let mut out = String::from(
        "Configuration (environment variables override the TOML file named by --config or \
         BERTH_CONFIG):\n",
    );
    for (title, settings) in sections {
        let _ = writeln!(out, "\n  {title}:");
        for setting in *settings {
            let default = match setting.default {
                Some("") => "default: empty".to_string(),
                Some(d) => format!("default: {d}"),
                None => "required".to_string(),
            };
            let secret = if setting.secret { ", secret" } else { "" };
            let _ = writeln!(
                out,
                "    {:<32} {}\n    {:<32} file key `{}`; {}{}; {}",
                setting.env, setting.help, "", setting.key, default, secret, setting.expected
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_env_key_default_and_requiredness() {
        const S: &[Setting] = &[
            Setting {
                key: "listen",
                env: "BERTH_LISTEN",
                default: Some("127.0.0.1:3000"),
                expected: "a socket address",
                help: "Where the HTTP server listens.",
                secret: false,
            },
            Setting {
                key: "database_url",
                env: "BERTH_DATABASE_URL",
                default: None,
                expected: "a postgres:// URL",
                help: "The database.",
                secret: true,
            },
        ];
        let text = help_text(&[("Server", S)]);
        assert!(text.contains("BERTH_LISTEN"));
        assert!(text.contains("file key `listen`; default: 127.0.0.1:3000"));
        assert!(text.contains("required, secret"));
    }
}
