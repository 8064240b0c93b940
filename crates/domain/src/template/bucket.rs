//! A package bucket: a named set of packages for one package manager, shared by templates.

use super::names::{slug_problem, text_problem};
use super::package::PackageManager;
use super::problems::{FieldProblem, Problems};
use serde::{Deserialize, Serialize};

pub const MAX_PACKAGES: usize = 500;
pub const MAX_COMMAND_LEN: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageBucket {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub manager: PackageManager,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Replaces the manager's own install command; required for `custom`. The packages are
    /// passed to it as arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_command: Option<String>,
}

impl PackageBucket {
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut problems = Problems::new("");
        self.check(&mut problems);
        problems.into_result()
    }

    pub fn check(&self, problems: &mut Problems) {
        if let Some(problem) = slug_problem(&self.name) {
            problems.add("name", problem);
        }
        if self.description.chars().count() > 500 {
            problems.add("description", "is longer than 500 characters");
        }
        if self.packages.len() > MAX_PACKAGES {
            problems.add("packages", format!("has more than {MAX_PACKAGES} entries"));
        }
        let command = self.install_command.as_deref().map(str::trim);
        match (self.manager, command) {
            (PackageManager::Custom, None | Some("")) => {
                problems.add("install_command", "is required for the custom manager");
            }
            (_, Some(command)) => {
                if let Some(problem) = text_problem(command, MAX_COMMAND_LEN) {
                    problems.add("install_command", problem);
                }
            }
            _ => {}
        }
        if self.packages.is_empty() && self.manager != PackageManager::Custom {
            problems.add("packages", "lists no package");
        }
        for (i, entry) in self.packages.iter().enumerate() {
            if let Some(problem) = self.manager.package_problem(entry) {
                problems.add(&format!("packages[{i}]"), problem);
            } else if self.packages[..i].contains(entry) {
                problems.add(
                    &format!("packages[{i}]"),
                    format!("{entry:?} is listed twice"),
                );
            }
        }
    }
}

/// A bucket as lists show it: with how many templates use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketSummary {
    pub bucket: PackageBucket,
    pub used_by: Vec<String>,
    pub updated_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(manager: PackageManager, packages: &[&str]) -> PackageBucket {
        PackageBucket {
            name: "tools".into(),
            description: String::new(),
            manager,
            packages: packages.iter().map(|p| p.to_string()).collect(),
            install_command: None,
        }
    }

    #[test]
    fn a_good_bucket_passes() {
        assert_eq!(
            bucket(PackageManager::Apt, &["curl", "git"]).validate(),
            Ok(())
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut b = bucket(PackageManager::Pip, &["requests", "bad name", "requests"]);
        b.name = "Tools".into();
        let paths: Vec<_> = b
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(paths, ["name", "packages[1]", "packages[2]"]);
    }

    #[test]
    fn custom_needs_a_command_and_others_need_packages() {
        let custom = bucket(PackageManager::Custom, &[]);
        assert_eq!(custom.validate().unwrap_err()[0].path, "install_command");
        let empty = bucket(PackageManager::Apk, &[]);
        assert_eq!(empty.validate().unwrap_err()[0].path, "packages");
    }
}
