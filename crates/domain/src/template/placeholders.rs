//! `{{name}}` placeholders of a template's inputs, in file contents and app usernames: found
//! (for validation) and filled (for a run) by the same reading, so whatever validation accepts
//! as naming an input is what gets replaced. Spaces inside the braces are allowed.

use super::spec::{InputKind, TemplateInput};
use std::ops::Range;

/// Each `{{…}}` in `text`: where it is (braces included) and the name inside, trimmed.
fn spans(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + text[from..].find("{{")?;
        let inner = start + 2;
        let end = inner + text[inner..].find("}}")?;
        from = end + 2;
        Some((start..end + 2, text[inner..end].trim()))
    })
}

/// The input names used as `{{name}}` in `text`, each once, in order of first use.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (_, name) in spans(text) {
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

/// `text` with each placeholder that `value` knows replaced by its value; the others (names of
/// no input) are left as written.
pub fn fill_placeholders<'v>(text: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut copied = 0;
    for (span, name) in spans(text) {
        if let Some(v) = value(name) {
            filled.push_str(&text[copied..span.start]);
            filled.push_str(v);
            copied = span.end;
        }
    }
    filled.push_str(&text[copied..]);
    filled
}

/// The value a run gives the input named `name`: its own (`given`), else the input's default,
/// else empty. `None` when no input of `inputs` has that name, or when it is secret and
/// `secrets` is false (a secret never lands where it could be shown).
pub fn input_value<'v>(
    inputs: &'v [TemplateInput],
    name: &str,
    secrets: bool,
    given: impl Fn(&str) -> Option<&'v str>,
) -> Option<&'v str> {
    let input = inputs
        .iter()
        .find(|i| i.name == name && (secrets || i.kind != InputKind::Secret))?;
    Some(
        given(&input.name)
            .or(input.default.as_deref())
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, kind: InputKind, default: Option<&str>) -> TemplateInput {
        TemplateInput {
            name: name.into(),
            label: name.into(),
            kind,
            required: false,
            default: default.map(str::to_string),
            choices: Vec::new(),
            pattern: None,
        }
    }

    #[test]
    fn names_are_found_once_and_trimmed() {
        assert_eq!(placeholders("{{a}} {{ b }} {{a}} {{"), ["a", "b"]);
        assert_eq!(placeholders("{{}} {{ }} }} {{c"), Vec::<&str>::new());
    }

    #[test]
    fn known_placeholders_are_filled_and_others_kept() {
        let value = |name: &str| match name {
            "site" => Some("shop.example"),
            "empty" => Some(""),
            _ => None,
        };
        assert_eq!(
            fill_placeholders(
                "server {{site}}; {{ site }}{{empty}} {{other}} {{unclosed",
                value
            ),
            "server shop.example; shop.example {{other}} {{unclosed"
        );
        assert_eq!(fill_placeholders("", value), "");
        assert_eq!(
            fill_placeholders("no placeholders", value),
            "no placeholders"
        );
    }

    #[test]
    fn values_come_from_the_run_then_defaults_and_secrets_only_when_allowed() {
        let inputs = [
            input("user", InputKind::String, Some("dev")),
            input("port", InputKind::Int, None),
            input("password", InputKind::Secret, None),
        ];
        let given = |name: &str| (name == "password").then_some("s3cret");
        assert_eq!(input_value(&inputs, "user", false, given), Some("dev"));
        assert_eq!(input_value(&inputs, "port", false, given), Some(""));
        assert_eq!(input_value(&inputs, "password", false, given), None);
        assert_eq!(
            input_value(&inputs, "password", true, given),
            Some("s3cret")
        );
        assert_eq!(input_value(&inputs, "nope", true, given), None);
    }
}
