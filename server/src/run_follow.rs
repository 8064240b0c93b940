//! Following a run's events: every event once, in order, replayed from Postgres and then live
//! from the run's pub/sub channel. Pub/sub is lossy, so whenever the subscription reports a gap
//! or a message arrives out of order, the follower replays from Postgres again.
//!
//! Shared by the REST API's server-sent events and the browser's websocket: each only sends
//! what [`RunFollower::next`] yields.

use berth_db::runs;
use berth_domain::run::{RunEvent, SequencedEvent};
use berth_jobs::{Events, Received, Subscription};
use std::collections::VecDeque;
use std::time::Duration;
use uuid::Uuid;

/// Events read from Postgres per query while catching up (and sent before the next is read).
const PAGE: i64 = 500;

/// How often a quiet follower asks Postgres whether the run has ended: the worker announces the
/// end on pub/sub a moment before it commits it, so the announcement alone cannot be trusted.
const RECHECK_EVERY: Duration = Duration::from_secs(5);

/// What a follower yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Followed {
    /// The next event (its `seq` is one more than the one before).
    Event(SequencedEvent),
    /// The run is in a final state and every event it has was yielded. Asking again keeps
    /// following (a retried run has more to say).
    Ended,
}

/// One run's events from `after` on. [`next`](Self::next) is cancel-safe (what was read is kept
/// until yielded), so it can sit in a `select!` beside a socket.
pub struct RunFollower {
    db: berth_db::Pool,
    run: Uuid,
    subscription: Subscription,
    /// The last sequence number queued for the caller.
    last: i64,
    pending: VecDeque<SequencedEvent>,
    /// Postgres must be asked (at start, after a gap or hole, on an announced end, at a recheck).
    catch_up: bool,
    /// During a catch-up: whether the run was final when it began.
    final_then: Option<bool>,
    /// The last catch-up found the run final with nothing more to read.
    finished: bool,
    /// `Ended` was yielded and nothing came since.
    ended_told: bool,
    recheck: tokio::time::Interval,
}

impl std::fmt::Debug for RunFollower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunFollower")
            .field("run", &self.run)
            .field("last", &self.last)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl RunFollower {
    /// Subscribes to the run's channel first, so nothing falls between the replay and the live
    /// messages; the replay happens at the first [`next`](Self::next).
    pub async fn start(
        db: berth_db::Pool,
        events: &Events,
        run: Uuid,
        after: i64,
    ) -> anyhow::Result<Self> {
        let subscription = events.subscribe(&[events.run_channel(run)]).await?;
        let mut recheck = tokio::time::interval(RECHECK_EVERY);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        recheck.reset();
        Ok(Self {
            db,
            run,
            subscription,
            last: after.max(0),
            pending: VecDeque::new(),
            catch_up: true,
            final_then: None,
            finished: false,
            ended_told: false,
            recheck,
        })
    }

    /// The sequence number of the last event yielded or about to be.
    pub fn last_seq(&self) -> i64 {
        self.last
    }

    /// The next event, or `Ended` once the run has ended and everything was yielded.
    pub async fn next(&mut self) -> anyhow::Result<Followed> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.ended_told = false;
                return Ok(Followed::Event(event));
            }
            if self.catch_up {
                self.replay().await?;
                continue;
            }
            if self.finished && !self.ended_told {
                self.ended_told = true;
                return Ok(Followed::Ended);
            }
            tokio::select! {
                received = self.subscription.recv() => match received {
                    Some(Received::Message(message)) => self.live(&message.payload),
                    Some(Received::Gap) => self.catch_up = true,
                    None => anyhow::bail!("the run's event channel closed"),
                },
                _ = self.recheck.tick(), if !self.finished => self.catch_up = true,
            }
        }
    }

    /// A message from pub/sub: the next one is queued, an old one dropped, and a hole (or a
    /// payload that does not read) sends the follower to Postgres, which has it right.
    fn live(&mut self, payload: &str) {
        match serde_json::from_str::<SequencedEvent>(payload) {
            Ok(event) if event.seq == self.last + 1 => {
                self.last = event.seq;
                if let RunEvent::State { state, .. } = &event.event
                    && state.is_final()
                {
                    self.catch_up = true;
                }
                self.finished = false;
                self.pending.push_back(event);
            }
            Ok(event) if event.seq <= self.last => {}
            _ => self.catch_up = true,
        }
    }

    /// One step of catching up: one page of what Postgres has after `last`, so a long log is
    /// sent as it is read. The run's state is read first, once per catch-up: when it was final
    /// then, the events read after it are all the run will ever have.
    async fn replay(&mut self) -> anyhow::Result<()> {
        let mut conn = self.db.get().await?;
        let final_then = match self.final_then {
            Some(final_then) => final_then,
            None => {
                let final_then = runs::get(&mut conn, self.run).await?.state().is_final();
                self.final_then = Some(final_then);
                final_then
            }
        };
        let page = runs::events_after(&mut conn, self.run, self.last, PAGE).await?;
        match page.last().map(|e| e.seq) {
            Some(end) => {
                self.last = end;
                self.pending.extend(page);
            }
            None => {
                self.finished = final_then;
                self.final_then = None;
                self.catch_up = false;
            }
        }
        Ok(())
    }
}
