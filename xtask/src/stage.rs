//! One stage of `cargo xtask test`: timed, summarised on one line, counted at the end.

use std::time::Instant;

use anyhow::Result;

/// The tally of stages run so far.
#[derive(Debug, Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
}

impl Tally {
    /// Runs `body`; Ok(note) passes, Err fails. Prints `PASS  name  1.2s  note`.
    pub fn run(&mut self, name: &str, body: impl FnOnce() -> Result<String>) -> bool {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = body();
        let secs = started.elapsed().as_secs_f64();
        let (verdict, note) = match &result {
            Ok(note) => {
                self.passed += 1;
                ("PASS", note.clone())
            }
            Err(error) => {
                self.failed += 1;
                eprintln!("{name}: {error:#}");
                ("FAIL", "(see output above)".to_owned())
            }
        };
        println!("{}", line(verdict, name, secs, &note));
        result.is_ok()
    }

    /// The closing line, e.g. `stages: 5 passed, 1 failed`.
    pub fn closing_line(&self) -> String {
        format!("stages: {} passed, {} failed", self.passed, self.failed)
    }
}

fn line(verdict: &str, name: &str, secs: f64, note: &str) -> String {
    format!("{verdict:<4}  {name:<8} {secs:>7.1}s  {note}")
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        assert_eq!(line("PASS", "fmt", 0.84, ""), "PASS  fmt          0.8s");
        assert_eq!(
            line("FAIL", "clippy", 12.06, "(see output above)"),
            "FAIL  clippy      12.1s  (see output above)"
        );
    }

    #[test]
    fn counts() {
        let mut tally = Tally::default();
        assert!(tally.run("ok", || Ok(String::new())));
        assert!(!tally.run("bad", || anyhow::bail!("nope")));
        assert_eq!(tally.closing_line(), "stages: 1 passed, 1 failed");
    }
}
