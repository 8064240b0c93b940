//! One `init` per binary: human-readable logs in development, JSON lines in production.

use std::io::IsTerminal;
use std::str::FromStr;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "pretty" | "text" => Ok(LogFormat::Pretty),
            "json" => Ok(LogFormat::Json),
            _ => Err("`pretty` or `json`".into()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LogConfig {
    pub format: LogFormat,
    /// An `EnvFilter` directive such as `info` or `info,berth_server=debug`.
    pub filter: String,
}

/// Checks a filter directive so that a typo is a start-up error, not silently ignored logging.
pub fn parse_filter(directive: &str) -> Result<(), String> {
    EnvFilter::try_new(directive)
        .map(|_| ())
        .map_err(|e| format!("a tracing filter such as `info` or `info,berth_server=debug` ({e})"))
}

/// Installs the global subscriber, writing to stderr (stdout stays free for command output). Safe to call more than once (later calls do nothing), so
/// tests can share it.
pub fn init(config: &LogConfig) {
    let filter = EnvFilter::try_new(&config.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match config.format {
        LogFormat::Pretty => registry
            .with(
                fmt::layer()
                    .with_writer(std::io::stderr)
                    // Colours only for a person at a terminal, not in files or journald.
                    .with_ansi(std::io::stderr().is_terminal())
                    .with_target(true)
                    .compact(),
            )
            .try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .with_writer(std::io::stderr)
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init(),
    };
    // Already initialised (a second call in tests): keep the first subscriber.
    drop(result);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_case_insensitively() {
        assert_eq!("JSON".parse::<LogFormat>(), Ok(LogFormat::Json));
        assert_eq!("pretty".parse::<LogFormat>(), Ok(LogFormat::Pretty));
        assert!("yaml".parse::<LogFormat>().is_err());
    }

    #[test]
    fn bad_filters_are_rejected() {
        assert!(parse_filter("info,berth_server=debug").is_ok());
        assert!(parse_filter("info,=[").is_err());
    }
}
