//! The query parameters of `GET /api/v1/audit`, checked strictly: an unknown, repeated or
//! malformed parameter is a 400 that names it and says what was expected (a mistyped filter must
//! not silently return the whole trail). An empty value counts as not given.

use super::ApiError;
use berth_db::Page;
use berth_db::audit::{AuditFilter, Outcome};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

pub const PARAMETERS: [&str; 12] = [
    "actor",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "outcome",
    "correlation_id",
    "from",
    "to",
    "limit",
    "offset",
    "format",
];

/// The default page size, and the largest a request may ask for.
pub const DEFAULT_LIMIT: i64 = 50;

/// An export returns every matching entry as a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Csv,
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditQuery {
    pub filter: AuditFilter,
    pub page: Page,
    /// `None`: one page of JSON.
    pub export: Option<Export>,
}

/// Parses the raw query string; `accept` is the request's `Accept` header (`text/csv` asks for
/// the CSV export when there is no `format`).
pub fn parse(query: Option<&str>, accept: Option<&str>) -> Result<AuditQuery, ApiError> {
    let mut filter = AuditFilter::default();
    let (mut limit, mut offset, mut format) = (None, None, None);
    let mut seen = HashSet::new();
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if !PARAMETERS.contains(&name.as_ref()) {
            return Err(ApiError::bad_request(format!(
                "unknown query parameter `{name}`; expected one of: {}",
                PARAMETERS.join(", ")
            )));
        }
        if !seen.insert(name.to_string()) {
            return Err(ApiError::bad_request(format!(
                "query parameter `{name}` is given more than once"
            )));
        }
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match name.as_ref() {
            "actor" => filter.actor_name = Some(bounded("actor", value, 200)?),
            "actor_id" => filter.actor_user_id = Some(uuid_value("actor_id", &value)?),
            "action" => filter.action = Some(action(value)?),
            "target_type" => filter.target_type = Some(bounded("target_type", value, 64)?),
            "target_id" => filter.target_id = Some(bounded("target_id", value, 256)?),
            "correlation_id" => {
                filter.correlation_id = Some(bounded("correlation_id", value, 128)?);
            }
            "outcome" => filter.outcome = Some(outcome(&value)?),
            "from" => filter.from = Some(timestamp("from", &value)?),
            "to" => filter.to = Some(timestamp("to", &value)?),
            "limit" => limit = Some(integer("limit", &value, 1, Page::MAX_LIMIT)?),
            "offset" => offset = Some(integer("offset", &value, 0, i64::MAX)?),
            _ => format = Some(export(&value)?),
        }
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from >= to
    {
        return Err(ApiError::bad_request(
            "`from` must be earlier than `to` (from is inclusive, to is exclusive)",
        ));
    }
    let export = format.unwrap_or_else(|| wants_csv(accept).then_some(Export::Csv));
    if export.is_some() && (limit.is_some() || offset.is_some()) {
        return Err(ApiError::bad_request(
            "`limit` and `offset` do not apply to an export, which contains every matching entry",
        ));
    }
    Ok(AuditQuery {
        filter,
        page: Page::new(limit.unwrap_or(DEFAULT_LIMIT), offset.unwrap_or(0)),
        export,
    })
}

fn bounded(name: &str, value: String, max: usize) -> Result<String, ApiError> {
    if value.chars().count() > max {
        return Err(ApiError::bad_request(format!(
            "`{name}` must be at most {max} characters"
        )));
    }
    Ok(value)
}

fn uuid_value(name: &str, value: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(value).map_err(|_| {
        ApiError::bad_request(format!(
            "`{name}` must be a user id (a UUID such as 0b6f0c1e-8d4b-4c53-9b8e-2f1d3a4b5c6d)"
        ))
    })
}

/// `login`, `container.start`, or a prefix `container.*` (lowercase words joined by dots).
fn action(value: String) -> Result<String, ApiError> {
    let words = value.strip_suffix(".*").unwrap_or(&value);
    let word_ok = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    if value.len() <= 64 && words.split('.').all(word_ok) {
        Ok(value)
    } else {
        Err(ApiError::bad_request(format!(
            "`action` must be an action such as `login` or `container.start`, or a prefix such as \
             `container.*`; got {value:?}"
        )))
    }
}

fn outcome(value: &str) -> Result<Outcome, ApiError> {
    Outcome::from_key(value).ok_or_else(|| {
        ApiError::bad_request(format!(
            "`outcome` must be success, failure or denied; got {value:?}"
        ))
    })
}

/// RFC 3339. A `+` of an offset that arrived unencoded (so as a space) is accepted too.
fn timestamp(name: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(value)
        .or_else(|error| {
            let retry = value.rsplit_once(' ').map(|(a, b)| format!("{a}+{b}"));
            retry.map_or(Err(error), |v| DateTime::parse_from_rfc3339(&v))
        })
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            ApiError::bad_request(format!(
                "`{name}` must be an RFC 3339 timestamp such as 2025-01-31T12:00:00Z \
                 (write a + offset as %2B); got {value:?}"
            ))
        })
}

fn integer(name: &str, value: &str, min: i64, max: i64) -> Result<i64, ApiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            let range = if max == i64::MAX {
                format!("a whole number of at least {min}")
            } else {
                format!("a whole number from {min} to {max}")
            };
            ApiError::bad_request(format!("`{name}` must be {range}; got {value:?}"))
        })
}

fn export(value: &str) -> Result<Option<Export>, ApiError> {
    match value {
        "csv" => Ok(Some(Export::Csv)),
        "json" => Ok(Some(Export::Json)),
        _ => Err(ApiError::bad_request(format!(
            "`format` must be csv or json (both export every matching entry); got {value:?}"
        ))),
    }
}

fn wants_csv(accept: Option<&str>) -> bool {
    accept.is_some_and(|accept| {
        accept.split(',').any(|range| {
            let media = range.split(';').next().unwrap_or_default().trim();
            media.eq_ignore_ascii_case("text/csv")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(query: &str) -> String {
        parse(Some(query), None).unwrap_err().message()
    }

    #[test]
    fn filters_and_paging_are_read() {
        let q = parse(
            Some("actor=ali&action=token.*&outcome=denied&from=2025-01-01T00:00:00%2B01:00&limit=10&offset=20"),
            None,
        )
        .unwrap();
        assert_eq!(q.filter.actor_name.as_deref(), Some("ali"));
        assert_eq!(q.filter.action.as_deref(), Some("token.*"));
        assert_eq!(q.filter.outcome, Some(Outcome::Denied));
        assert_eq!(
            q.filter.from.unwrap().to_rfc3339(),
            "2024-12-31T23:00:00+00:00"
        );
        assert_eq!(q.page, Page::new(10, 20));
        assert_eq!(q.export, None);
        let unencoded = parse(Some("to=2025-01-01T00:00:00+01:00"), None).unwrap();
        assert_eq!(unencoded.filter.to, q.filter.from);
    }

    #[test]
    fn exports_come_from_format_or_accept() {
        assert_eq!(
            parse(Some("format=csv"), None).unwrap().export,
            Some(Export::Csv)
        );
        assert_eq!(
            parse(Some("format=json"), Some("text/csv")).unwrap().export,
            Some(Export::Json)
        );
        assert_eq!(
            parse(None, Some("text/html, text/csv;q=0.9"))
                .unwrap()
                .export,
            Some(Export::Csv)
        );
        assert_eq!(parse(None, Some("application/json")).unwrap().export, None);
    }

    #[test]
    fn bad_values_name_the_parameter() {
        assert!(message("from=yesterday").starts_with("`from` must be an RFC 3339 timestamp"));
        assert!(message("limit=0").starts_with("`limit` must be a whole number from 1 to 1000"));
        assert!(message("offset=-1").starts_with("`offset` must be"));
        assert!(message("outcome=ok").starts_with("`outcome` must be"));
        assert!(message("action=Login").starts_with("`action` must be"));
        assert!(message("action=a.*.b").starts_with("`action` must be"));
        assert!(message("actor_id=1").starts_with("`actor_id` must be"));
        assert!(message("format=xml").starts_with("`format` must be"));
        assert!(message("user=x").starts_with("unknown query parameter `user`"));
        assert!(message("limit=1&limit=2").contains("more than once"));
        assert!(message("format=csv&limit=5").starts_with("`limit` and `offset`"));
        assert!(
            message("from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z")
                .starts_with("`from` must be earlier")
        );
    }
}
