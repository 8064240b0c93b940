//! The rendered pages themselves: one entry per session and URL, kept as the bytes between the
//! occurrences of the nonce they were rendered with, so each response gets a fresh one.

use super::gzip::Gzipped;
use axum::body::Bytes;
use axum::http::HeaderMap;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A page as it was rendered: its headers (without the per-response ones) and its body split
/// at each occurrence of the render's CSP nonce, plain and gzipped.
#[derive(Debug)]
pub struct Rendered {
    pub headers: HeaderMap,
    pub segments: Vec<Bytes>,
    pub gzipped: Option<Gzipped>,
}

impl Rendered {
    /// Splits `body` at every `nonce`. `None` when the body is not text.
    pub fn split(headers: HeaderMap, body: &Bytes, nonce: &str) -> Option<Self> {
        let text = std::str::from_utf8(body).ok()?;
        let mut segments = Vec::new();
        let mut start = 0;
        for (at, _) in text.match_indices(nonce) {
            segments.push(body.slice(start..at));
            start = at + nonce.len();
        }
        segments.push(body.slice(start..));
        Some(Self {
            headers,
            segments,
            gzipped: None,
        })
    }

    /// The body's parts with `nonce` between them, and its total length.
    pub fn with_nonce(&self, nonce: &str) -> (Vec<Bytes>, usize) {
        let nonce = Bytes::copy_from_slice(nonce.as_bytes());
        let mut parts = Vec::with_capacity(self.segments.len() * 2);
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                parts.push(nonce.clone());
            }
            parts.push(segment.clone());
        }
        let length = parts.iter().map(Bytes::len).sum();
        (parts, length)
    }

    fn size(&self) -> usize {
        let gzipped = self.gzipped.as_ref().map_or(0, Gzipped::size);
        self.segments.iter().map(Bytes::len).sum::<usize>() + gzipped
    }
}

/// An expired page is still kept this long, to be served while its successor renders; after
/// that its session has gone quiet and the memory is given back.
const FORGET_AFTER: Duration = Duration::from_secs(60);

/// How long a render may take before another request takes the refresh over.
const REFRESH_GRACE: Duration = Duration::from_secs(5);

struct Entry {
    page: Arc<Rendered>,
    rendered_at: Instant,
    /// The cluster's generation the page was rendered at.
    generation: u64,
    /// When a request set out to render a newer copy; others keep serving this one meanwhile.
    refreshing: Option<Instant>,
}

/// What a lookup found.
pub enum Lookup {
    /// Fresh: serve it.
    Fresh(Arc<Rendered>),
    /// Out of date, and another request is already rendering its successor: serve it.
    Stale(Arc<Rendered>),
    /// Render it (and store it): nothing is kept, or this request is the one to refresh it.
    Render,
}

/// Entries by key, bounded in bytes; pages expire after `max_age` or once the generation moves.
pub struct Store<K> {
    entries: HashMap<K, Entry>,
    max_age: Duration,
    budget: usize,
    used: usize,
}

impl<K: Hash + Eq + Clone> Store<K> {
    pub fn new(max_age: Duration, budget: usize) -> Self {
        Self {
            entries: HashMap::new(),
            max_age,
            budget,
            used: 0,
        }
    }

    pub fn lookup(&mut self, key: &K, generation: u64, now: Instant) -> Lookup {
        let Some(entry) = self.entries.get_mut(key) else {
            return Lookup::Render;
        };
        let fresh =
            entry.generation == generation && now.duration_since(entry.rendered_at) < self.max_age;
        if fresh {
            Lookup::Fresh(entry.page.clone())
        } else if entry
            .refreshing
            .is_some_and(|since| now.duration_since(since) < REFRESH_GRACE)
        {
            Lookup::Stale(entry.page.clone())
        } else {
            // Nobody is rendering it, or whoever was has given up (its client went away).
            entry.refreshing = Some(now);
            Lookup::Render
        }
    }

    /// Keeps `page` under `key`. Pages of sessions gone quiet for [`FORGET_AFTER`] are dropped
    /// first, so memory follows the active sessions; when over budget, every expired page goes
    /// too. A page that still does not fit is not kept.
    pub fn insert(&mut self, key: K, page: Arc<Rendered>, generation: u64, now: Instant) {
        self.forget(&key);
        let size = page.size();
        let oldest = if self.used + size > self.budget {
            self.max_age
        } else {
            FORGET_AFTER
        };
        let old: Vec<K> = self
            .entries
            .iter()
            .filter(|(_, e)| now.duration_since(e.rendered_at) >= oldest)
            .map(|(k, _)| k.clone())
            .collect();
        for key in &old {
            self.forget(key);
        }
        if self.used + size > self.budget {
            return;
        }
        self.used += size;
        self.entries.insert(
            key,
            Entry {
                page,
                rendered_at: now,
                generation,
                refreshing: None,
            },
        );
    }

    /// The render for `key` did not produce a page to keep: let the next request try again.
    pub fn abandon(&mut self, key: &K) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.refreshing = None;
        }
    }

    fn forget(&mut self, key: &K) {
        if let Some(old) = self.entries.remove(key) {
            self.used -= old.page.size();
        }
    }

    #[cfg(test)]
    pub fn used(&self) -> usize {
        self.used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Arc<Rendered> {
        Arc::new(Rendered::split(HeaderMap::new(), &Bytes::from(body.to_owned()), "N0NCE").unwrap())
    }

    fn body(page: &Rendered, nonce: &str) -> String {
        let (parts, length) = page.with_nonce(nonce);
        let text: String = parts
            .iter()
            .map(|p| std::str::from_utf8(p).unwrap())
            .collect();
        assert_eq!(text.len(), length);
        text
    }

    #[test]
    fn every_nonce_is_replaced_by_the_responses_own() {
        let rendered = page(r#"<script nonce="N0NCE">a</script><p>x</p><script nonce="N0NCE">"#);
        assert_eq!(rendered.segments.len(), 3);
        assert_eq!(
            body(&rendered, "fresh"),
            r#"<script nonce="fresh">a</script><p>x</p><script nonce="fresh">"#
        );
        assert_eq!(body(&page("no scripts"), "fresh"), "no scripts");
    }

    #[test]
    fn a_page_is_fresh_until_it_ages_or_the_generation_moves() {
        let mut store: Store<u32> = Store::new(Duration::from_secs(1), 1 << 20);
        let now = Instant::now();
        assert!(matches!(store.lookup(&1, 0, now), Lookup::Render));
        store.insert(1, page("a"), 0, now);
        assert!(matches!(store.lookup(&1, 0, now), Lookup::Fresh(_)));
        assert!(matches!(store.lookup(&2, 0, now), Lookup::Render));
        // The first request to find it old renders; the others are served the old copy.
        let later = now + Duration::from_secs(2);
        assert!(matches!(store.lookup(&1, 0, later), Lookup::Render));
        assert!(matches!(store.lookup(&1, 0, later), Lookup::Stale(_)));
        store.insert(1, page("b"), 0, later);
        assert!(matches!(store.lookup(&1, 0, later), Lookup::Fresh(_)));
        assert!(matches!(store.lookup(&1, 1, later), Lookup::Render));
        store.abandon(&1);
        assert!(matches!(store.lookup(&1, 1, later), Lookup::Render));
        // A refresh that never finishes is taken over once its grace has passed.
        assert!(matches!(store.lookup(&1, 1, later), Lookup::Stale(_)));
        let much_later = later + REFRESH_GRACE;
        assert!(matches!(store.lookup(&1, 1, much_later), Lookup::Render));
    }

    #[test]
    fn the_budget_is_kept_by_dropping_expired_pages_first() {
        let mut store: Store<u32> = Store::new(Duration::from_secs(1), 10);
        let now = Instant::now();
        store.insert(1, page("123456"), 0, now);
        // Does not fit beside a fresh page: not kept.
        store.insert(2, page("123456"), 0, now);
        assert!(matches!(store.lookup(&2, 0, now), Lookup::Render));
        assert_eq!(store.used(), 6);
        // Once the first has expired, it makes room.
        let later = now + Duration::from_secs(2);
        store.insert(2, page("1234567"), 0, later);
        assert!(matches!(store.lookup(&2, 0, later), Lookup::Fresh(_)));
        assert!(matches!(store.lookup(&1, 0, later), Lookup::Render));
        assert_eq!(store.used(), 7);
        // Replacing an entry counts only its new size.
        store.insert(2, page("12"), 0, later);
        assert_eq!(store.used(), 2);
    }

    #[test]
    fn pages_of_quiet_sessions_are_forgotten() {
        let mut store: Store<u32> = Store::new(Duration::from_secs(1), 1 << 20);
        let now = Instant::now();
        store.insert(1, page("quiet"), 0, now);
        store.insert(2, page("busy"), 0, now + FORGET_AFTER / 2);
        store.insert(3, page("new"), 0, now + FORGET_AFTER);
        assert!(matches!(
            store.lookup(&1, 0, now + FORGET_AFTER),
            Lookup::Render
        ));
        assert_eq!(store.used(), "busy".len() + "new".len());
    }
}
