//! The web apps a template's container serves (code-server on 8080, say): declared in the
//! template, shown on a succeeded run's page as links with how to sign in. A password is only
//! ever named (the secret input it came from), never shown.

use serde::{Deserialize, Serialize};

use super::names::text_problem;
use super::placeholders::{fill_placeholders, input_value, placeholders};
use super::problems::Problems;
use super::spec::{InputKind, TemplateInput, TemplateSpec, is_false};

pub const MAX_APPS: usize = 8;

fn root_path() -> String {
    "/".into()
}

fn is_root_path(path: &str) -> bool {
    path == "/"
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppLink {
    pub label: String,
    pub port: u16,
    #[serde(default = "root_path", skip_serializing_if = "is_root_path")]
    pub path: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub https: bool,
    /// Who to sign in as; may use `{{input}}` placeholders of inputs that are not secret.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub username: String,
    /// The secret input holding the password.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub password_input: String,
}

/// One app of a succeeded run, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppAccess {
    pub label: String,
    /// Absent while the container's address is unknown.
    pub url: Option<String>,
    pub username: Option<String>,
    /// The label of the input whose value is the password (the one the operator chose).
    pub password_from: Option<String>,
}

impl AppLink {
    /// The link for a container at `address` (IPv4, or IPv6 without brackets), with the run's
    /// input values (`value(name)`; secret inputs are never asked).
    pub fn access<'a>(
        &self,
        inputs: &[TemplateInput],
        address: Option<&str>,
        value: impl Fn(&str) -> Option<&'a str>,
    ) -> AppAccess {
        let scheme = if self.https { "https" } else { "http" };
        let url = address.map(|a| {
            let host = if a.contains(':') {
                format!("[{a}]")
            } else {
                a.to_string()
            };
            format!("{scheme}://{host}:{}{}", self.port, self.path)
        });
        let username = fill_placeholders(&self.username, |name| {
            input_value(inputs, name, false, |n| value(n))
        });
        let password_from = inputs
            .iter()
            .find(|i| !self.password_input.is_empty() && i.name == self.password_input)
            .map(|i| i.label.clone());
        AppAccess {
            label: self.label.clone(),
            url,
            username: (!username.is_empty()).then_some(username),
            password_from,
        }
    }
}

/// The rules for `apps` (paths `apps[i].…`).
pub(super) fn validate(spec: &TemplateSpec, problems: &mut Problems) {
    if spec.apps.len() > MAX_APPS {
        problems.add("apps", format!("has more than {MAX_APPS} apps"));
    }
    for (i, app) in spec.apps.iter().enumerate() {
        let earlier = spec.apps[..i].iter().any(|a| a.label == app.label);
        problems.nested(&format!("apps[{i}]"), |p| {
            one(app, earlier, &spec.inputs, p)
        });
    }
}

fn one(app: &AppLink, duplicate: bool, inputs: &[TemplateInput], problems: &mut Problems) {
    if let Some(problem) = text_problem(&app.label, 64) {
        problems.add("label", problem);
    } else if duplicate {
        problems.add(
            "label",
            format!("{:?} is used by an earlier app", app.label),
        );
    }
    if app.port == 0 {
        problems.add("port", "must be between 1 and 65535");
    }
    if !app.path.starts_with('/') {
        problems.add("path", "must start with '/'");
    } else if app.path.len() > 200
        || app
            .path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        problems.add("path", "must be at most 200 characters without spaces");
    }
    if app.username.chars().count() > 64 {
        problems.add("username", "is longer than 64 characters");
    }
    for name in placeholders(&app.username) {
        match inputs.iter().find(|i| i.name == name) {
            None => problems.add(
                "username",
                format!("uses {{{{{name}}}}}, which is not an input"),
            ),
            Some(i) if i.kind == InputKind::Secret => problems.add(
                "username",
                format!("uses {{{{{name}}}}}, a secret input, which is never shown"),
            ),
            Some(_) => {}
        }
    }
    if !app.password_input.is_empty() {
        match inputs.iter().find(|i| i.name == app.password_input) {
            None => problems.add(
                "password_input",
                format!("{:?} is not an input", app.password_input),
            ),
            Some(i) if i.kind != InputKind::Secret => problems.add(
                "password_input",
                format!("{:?} is not a secret input", app.password_input),
            ),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, kind: InputKind, default: Option<&str>) -> TemplateInput {
        TemplateInput {
            name: name.into(),
            label: format!("The {name}"),
            kind,
            required: false,
            default: default.map(Into::into),
            choices: Vec::new(),
            pattern: None,
        }
    }

    fn app() -> AppLink {
        AppLink {
            label: "code-server".into(),
            port: 8080,
            path: "/".into(),
            https: false,
            username: "{{user}}".into(),
            password_input: "password".into(),
        }
    }

    #[test]
    fn access_fills_the_address_and_names_the_password_without_its_value() {
        let inputs = [
            input("user", InputKind::String, Some("dev")),
            input("password", InputKind::Secret, None),
        ];
        let access = app().access(&inputs, Some("10.0.0.5"), |n| {
            (n == "password").then_some("s3cret")
        });
        assert_eq!(access.url.as_deref(), Some("http://10.0.0.5:8080/"));
        assert_eq!(access.username.as_deref(), Some("dev"));
        assert_eq!(access.password_from.as_deref(), Some("The password"));
        assert!(!format!("{access:?}").contains("s3cret"));

        let mut secure = app();
        secure.https = true;
        secure.path = "/login".into();
        let access = secure.access(&inputs, Some("fd00::5"), |n| (n == "user").then_some("ana"));
        assert_eq!(access.url.as_deref(), Some("https://[fd00::5]:8080/login"));
        assert_eq!(access.username.as_deref(), Some("ana"));
        assert_eq!(app().access(&inputs, None, |_| None).url, None);
    }

    #[test]
    fn bad_apps_name_their_fields() {
        let mut spec = TemplateSpec::blank();
        spec.inputs = vec![
            input("user", InputKind::String, None),
            input("password", InputKind::Secret, None),
        ];
        let mut bad = app();
        bad.port = 0;
        bad.path = "login".into();
        bad.username = "{{password}}".into();
        bad.password_input = "user".into();
        let mut twice = app();
        twice.password_input = "nope".into();
        spec.apps = vec![app(), twice, bad];
        let mut problems = Problems::new("");
        validate(&spec, &mut problems);
        let found: Vec<(String, String)> = problems
            .into_result()
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect();
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "apps[1].label",
                "apps[1].password_input",
                "apps[2].label",
                "apps[2].port",
                "apps[2].path",
                "apps[2].username",
                "apps[2].password_input",
            ],
            "{found:?}"
        );
    }
}
