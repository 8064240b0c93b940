//! Offset paging for lists shown a page at a time.

/// `limit` rows after skipping `offset`; queries clamp both to sane bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    /// The most rows one page returns.
    pub const MAX_LIMIT: i64 = 1000;

    pub fn new(limit: i64, offset: i64) -> Self {
        Self { limit, offset }
    }

    /// The limit within `1..=MAX_LIMIT`.
    pub fn limit(self) -> i64 {
        self.limit.clamp(1, Self::MAX_LIMIT)
    }

    /// The offset, never negative.
    pub fn offset(self) -> i64 {
        self.offset.max(0)
    }
}

impl Default for Page {
    fn default() -> Self {
        Self {
            limit: 50,
            offset: 0,
        }
    }
}
