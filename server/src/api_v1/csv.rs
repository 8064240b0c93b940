//! The audit trail as CSV (RFC 4180): a header line, CRLF line ends, a field quoted when it holds
//! a comma, quote, CR or LF (quotes doubled). A field that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`: failed sign-ins record
//! whatever name someone typed, and an export must not turn that into a formula.

use berth_db::audit::AuditEntry;
use std::fmt::Write as _;

pub const HEADER: [&str; 11] = [
    "id",
    "at",
    "actor_user_id",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "source_ip",
    "outcome",
    "correlation_id",
    "details",
];

/// The whole document.
pub fn render(entries: &[AuditEntry]) -> String {
    let mut out = String::with_capacity(128 * (entries.len() + 1));
    line(&mut out, HEADER.iter().map(|h| h.to_string()));
    for entry in entries {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        line(
            &mut out,
            [
                entry.id.to_string(),
                entry
                    .at
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                entry
                    .actor_user_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                entry.actor_name.clone(),
                entry.action.clone(),
                text(&entry.target_type),
                text(&entry.target_id),
                entry.source_ip.map(|ip| ip.to_string()).unwrap_or_default(),
                entry.outcome.key().to_string(),
                text(&entry.correlation_id),
                entry.details.to_string(),
            ],
        );
    }
    out
}

fn line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", field_text(&field));
    }
    out.push_str("\r\n");
}

/// One field, neutralised and quoted as needed.
pub fn field_text(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::field_text;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field_text("plain"), "plain");
        assert_eq!(field_text(""), "");
        assert_eq!(field_text("a,b"), "\"a,b\"");
        assert_eq!(field_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(field_text("cr\rhere"), "\"cr\rhere\"");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(field_text("=1+2"), "'=1+2");
        assert_eq!(field_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field_text("-x,y"), "\"'-x,y\"");
    }
}
