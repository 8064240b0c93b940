//! argon2id cost parameters: the OWASP floor, and reading the cost back from a stored hash.

use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Params, Version};

/// argon2id cost parameters. The floor is OWASP's recommendation (19 MiB, 2 passes, 1 lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Cost {
    /// OWASP's minimum for argon2id: m=19456 KiB, t=2, p=1.
    pub const OWASP_MINIMUM: Cost = Cost {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
    };

    /// Whether every parameter is at least `other`'s.
    pub(super) fn at_least(self, other: Cost) -> bool {
        self.memory_kib >= other.memory_kib
            && self.iterations >= other.iterations
            && self.parallelism >= other.parallelism
    }
}

impl Cost {
    /// The cost recorded in a stored hash; `None` unless it is argon2id version 0x13 (anything
    /// else counts as weaker than current and gets rehashed).
    pub(super) fn of_argon2id_hash(parsed: &PasswordHash<'_>) -> Option<Cost> {
        if parsed.algorithm != Algorithm::Argon2id.ident()
            || parsed.version != Some(Version::V0x13.into())
        {
            return None;
        }
        let params = Params::try_from(parsed).ok()?;
        Some(Cost {
            memory_kib: params.m_cost(),
            iterations: params.t_cost(),
            parallelism: params.p_cost(),
        })
    }
}

impl Default for Cost {
    fn default() -> Self {
        Cost::OWASP_MINIMUM
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_compares_every_parameter() {
        let owasp = Cost::OWASP_MINIMUM;
        assert!(owasp.at_least(owasp));
        assert!(
            Cost {
                memory_kib: 65_536,
                ..owasp
            }
            .at_least(owasp)
        );
        assert!(
            !Cost {
                memory_kib: 19_455,
                ..owasp
            }
            .at_least(owasp)
        );
        assert!(
            !Cost {
                iterations: 1,
                ..owasp
            }
            .at_least(owasp)
        );
        assert!(
            !Cost {
                parallelism: 0,
                ..owasp
            }
            .at_least(owasp)
        );
    }

    #[test]
    fn reads_the_cost_of_argon2id_hashes_only() {
        let id = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
        let parsed = PasswordHash::new(id).unwrap();
        let expected = Cost {
            memory_kib: 65_536,
            iterations: 3,
            parallelism: 4,
        };
        assert_eq!(Cost::of_argon2id_hash(&parsed), Some(expected));
        let argon2i = id.replacen("argon2id", "argon2i", 1);
        assert_eq!(
            Cost::of_argon2id_hash(&PasswordHash::new(&argon2i).unwrap()),
            None
        );
        let old_version = id.replacen("v=19", "v=16", 1);
        assert_eq!(
            Cost::of_argon2id_hash(&PasswordHash::new(&old_version).unwrap()),
            None
        );
    }
}
