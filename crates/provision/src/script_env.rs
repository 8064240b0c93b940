//! The site's variables for template scripts: mirrors and proxies (`NODE_DIST_URL`,
//! `https_proxy`) belong to where Berth runs, not to a template, so the operator sets them once
//! in an env file and every script gets them before its own `BERTH_INPUT_*` variables.

use crate::exec::script::valid_env_name;
use std::collections::BTreeSet;

/// `NAME=value` pairs, in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptEnv(Vec<(String, String)>);

impl ScriptEnv {
    /// Reads an env file: one `NAME=value` per line (an `export ` before it is allowed), the
    /// value bare or in matching single or double quotes, taken literally; blank lines and
    /// lines starting with `#` are skipped. The error names the line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut vars = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, line) in text.lines().enumerate() {
            let at = |problem: String| format!("line {}: {problem}", index + 1);
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").map_or(line, str::trim_start);
            let Some((name, value)) = line.split_once('=') else {
                return Err(at(format!("expected NAME=value, not `{}`", shown(line))));
            };
            let name = name.trim_end();
            if !valid_env_name(name) {
                return Err(at(format!(
                    "`{}` is not a variable name (letters, digits and _, not starting with a digit)",
                    shown(name)
                )));
            }
            if name.starts_with("BERTH_INPUT_") {
                return Err(at(format!(
                    "{name}: BERTH_INPUT_* variables carry the template's inputs and cannot be set here"
                )));
            }
            if !seen.insert(name.to_string()) {
                return Err(at(format!("{name} is set twice")));
            }
            vars.push((name.to_string(), unquote(value.trim_start())));
        }
        Ok(Self(vars))
    }

    pub fn vars(&self) -> &[(String, String)] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The passwords inside URL values (`http://user:password@proxy:3128`): masked wherever a
    /// script prints them, like secret inputs.
    pub fn secrets(&self) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|(_, value)| url_password(value))
            .filter(|password| password.len() >= 3)
            .map(str::to_string)
            .collect()
    }
}

/// `"v"` and `'v'` lose their quotes; anything else is kept as written.
fn unquote(value: &str) -> String {
    let quoted = value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')));
    if quoted {
        value[1..value.len() - 1].to_string()
    } else {
        value.to_string()
    }
}

fn url_password(value: &str) -> Option<&str> {
    let (_, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    Some(password)
}

/// What an error quotes of a line: its first 40 characters, so that a secret on a bad line is
/// not printed whole.
fn shown(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(env: &ScriptEnv) -> Vec<(&str, &str)> {
        env.vars()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn reads_names_and_values_in_order() {
        let env = ScriptEnv::parse(
            "# mirrors of the lab\n\
             NODE_DIST_URL=http://mirror.lab/node\n\
             \n\
             export no_proxy=\"localhost,127.0.0.1\"\n\
             GREETING='a = b'\n\
             EMPTY=\n",
        )
        .unwrap();
        assert_eq!(
            pairs(&env),
            [
                ("NODE_DIST_URL", "http://mirror.lab/node"),
                ("no_proxy", "localhost,127.0.0.1"),
                ("GREETING", "a = b"),
                ("EMPTY", ""),
            ]
        );
        assert!(ScriptEnv::parse("\n# nothing\n").unwrap().is_empty());
    }

    #[test]
    fn a_bad_line_is_named() {
        let err = |text: &str| ScriptEnv::parse(text).unwrap_err();
        assert_eq!(
            err("A=1\nmirror"),
            "line 2: expected NAME=value, not `mirror`"
        );
        assert!(err("1X=2").starts_with("line 1: `1X` is not a variable name"));
        assert!(err("MY-URL=x").starts_with("line 1: `MY-URL` is not a variable name"));
        assert!(err("BERTH_INPUT_DEV_USER=root").contains("template's inputs"));
        assert_eq!(err("A=1\nA=2"), "line 2: A is set twice");
    }

    #[test]
    fn passwords_in_urls_are_secrets() {
        let env = ScriptEnv::parse(
            "https_proxy=http://berth:s3cret-pass@proxy.lab:3128\n\
             NODE_DIST_URL=https://mirror.lab/node?token=x@y\n\
             PLAIN=user:password@host\n",
        )
        .unwrap();
        assert_eq!(env.secrets(), ["s3cret-pass"]);
    }
}
