//! What the containers page holds while it is open: the poller's rows and the actions, kept
//! current by the websocket's pushes. Plain data, so the rules are tested without a browser.

use berth_domain::container::{
    ActionState, ActionView, ContainerRow, ContainersPush, ContainersSnapshot,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub snapshot: Option<ContainersSnapshot>,
    pub actions: Vec<ActionView>,
    /// The websocket is open (false before hydration and while reconnecting).
    pub connected: bool,
}

impl Live {
    pub fn new(snapshot: Option<ContainersSnapshot>, actions: Vec<ActionView>) -> Self {
        Self {
            snapshot,
            actions,
            connected: false,
        }
    }

    /// Applies one push from the websocket.
    #[cfg_attr(
        not(feature = "hydrate"),
        allow(
            dead_code,
            reason = "the browser applies pushes; the server only renders"
        )
    )]
    pub fn apply(&mut self, push: ContainersPush) {
        match push {
            ContainersPush::Snapshot { snapshot, actions } => {
                // An empty snapshot is "no poll yet": keep what the page was rendered with.
                if !snapshot.taken_at.is_empty() || self.snapshot.is_none() {
                    self.snapshot = Some(snapshot);
                }
                self.actions = actions;
            }
            ContainersPush::Delta { delta } => {
                self.snapshot
                    .get_or_insert_with(ContainersSnapshot::empty)
                    .apply(&delta);
            }
            ContainersPush::Action { action } => self.record(action),
        }
    }

    /// Adds or replaces an action (the page adds the one it just asked for at once). The worker's
    /// pushes may overtake the server function's answer, so a state never goes back.
    pub fn record(&mut self, action: ActionView) {
        let rank = |state: ActionState| match state {
            ActionState::Queued => 0,
            ActionState::Running => 1,
            ActionState::Succeeded | ActionState::Failed => 2,
        };
        match self.actions.iter_mut().find(|a| a.id == action.id) {
            Some(known) if rank(known.state) > rank(action.state) => {}
            Some(known) => *known = action,
            None => self.actions.push(action),
        }
    }

    pub fn rows(&self) -> &[ContainerRow] {
        self.snapshot
            .as_ref()
            .map_or(&[][..], |s| s.containers.as_slice())
    }

    /// The action under way on a container, if any.
    pub fn pending(&self, vmid: u32) -> Option<&ActionView> {
        self.actions
            .iter()
            .rev()
            .find(|a| a.vmid == vmid && !a.state.is_final())
    }

    /// Actions that failed recently, newest first: the page says why.
    pub fn failures(&self) -> Vec<&ActionView> {
        let mut failed: Vec<_> = self
            .actions
            .iter()
            .filter(|a| a.state == ActionState::Failed)
            .collect();
        failed.reverse();
        failed
    }
}

/// The `For` key of a row: everything it renders, so a changed row is drawn again. Not the
/// `Debug` text: the browser build's `-Zfmt-debug=shallow` prints only the type's name there,
/// which made every row the same key and froze the list after its first render.
pub fn row_key(row: &ContainerRow) -> String {
    serde_json::to_string(row).unwrap_or_else(|_| row.vmid.to_string())
}

/// What the filter bar asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Matches name, VMID, node or a tag (case-insensitive).
    pub text: String,
    /// `running`, `stopped` or empty for any.
    pub status: String,
}

impl Filter {
    pub fn matches(&self, row: &ContainerRow) -> bool {
        let text = self.text.trim().to_lowercase();
        let text_ok = text.is_empty()
            || row.name.to_lowercase().contains(&text)
            || row.vmid.to_string() == text
            || row.node.to_lowercase() == text
            || row.tags.iter().any(|t| t.to_lowercase() == text);
        let status_ok = self.status.is_empty() || row.status == self.status;
        text_ok && status_ok
    }
}

/// `3d 4h`, `2h 5m`, `42s`: uptime as people read it.
pub fn uptime_text(secs: u64) -> String {
    let (d, h, m) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// `512 MiB`, `1.5 GiB`.
pub fn bytes_text(bytes: u64) -> String {
    const GIB: f64 = (1u64 << 30) as f64;
    const MIB: f64 = (1u64 << 20) as f64;
    let b = bytes as f64;
    if b >= GIB {
        format!("{:.1} GiB", b / GIB)
    } else {
        format!("{:.0} MiB", b / MIB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_domain::container::{ActionKind, ContainersDelta};

    fn row(vmid: u32, name: &str, status: &str) -> ContainerRow {
        ContainerRow {
            vmid,
            node: "pve1".into(),
            name: name.into(),
            status: status.into(),
            tags: vec!["berth".into(), "web".into()],
            lock: None,
            cpu: 0.0,
            cores: 1.0,
            mem: 0,
            maxmem: 0,
            disk: 0,
            maxdisk: 0,
            uptime: 0,
            netin: 0,
            netout: 0,
            run: None,
        }
    }

    fn action(id: &str, vmid: u32, state: ActionState) -> ActionView {
        ActionView {
            id: id.into(),
            vmid,
            node: "pve1".into(),
            name: "web1".into(),
            kind: ActionKind::Stop,
            snapshot: None,
            state,
            error: None,
            upid: None,
            requested_by: "ada".into(),
            created_at: "2026-11-30T12:00:00Z".into(),
            finished_at: None,
        }
    }

    #[test]
    fn pushes_keep_rows_and_actions_current() {
        let mut snapshot = ContainersSnapshot::empty();
        snapshot.taken_at = "2026-11-30T12:00:00Z".into();
        snapshot.containers = vec![row(100, "web1", "running")];
        let mut live = Live::new(Some(snapshot), vec![]);
        live.apply(ContainersPush::Action {
            action: action("a1", 100, ActionState::Running),
        });
        assert_eq!(live.pending(100).map(|a| a.id.as_str()), Some("a1"));
        live.apply(ContainersPush::Delta {
            delta: ContainersDelta {
                taken_at: "2026-11-30T12:00:03Z".into(),
                error: None,
                failing_since: None,
                changed: vec![row(100, "web1", "stopped"), row(101, "db1", "running")],
                removed: vec![],
            },
        });
        live.apply(ContainersPush::Action {
            action: action("a1", 100, ActionState::Succeeded),
        });
        assert_eq!(live.pending(100), None);
        // The server function's late answer (still queued) does not bring it back.
        live.record(action("a1", 100, ActionState::Queued));
        assert_eq!(live.pending(100), None);
        assert_eq!(live.rows().len(), 2);
        assert_eq!(live.rows()[0].status, "stopped");
        // A snapshot from a poller that has not polled yet does not blank the page.
        live.apply(ContainersPush::Snapshot {
            snapshot: ContainersSnapshot::empty(),
            actions: vec![],
        });
        assert_eq!(live.rows().len(), 2);
    }

    #[test]
    fn a_row_that_changed_gets_a_new_key() {
        let running = row(100, "web1", "running");
        assert_eq!(row_key(&running), row_key(&running.clone()));
        assert_ne!(row_key(&running), row_key(&row(100, "web1", "stopped")));
        let mut busier = running.clone();
        busier.cpu = 0.5;
        assert_ne!(row_key(&running), row_key(&busier));
    }

    #[test]
    fn the_filter_matches_name_vmid_node_tag_and_status() {
        let web = row(100, "web1", "running");
        let f = |text: &str, status: &str| Filter {
            text: text.into(),
            status: status.into(),
        };
        assert!(f("WEB", "").matches(&web));
        assert!(f("100", "running").matches(&web));
        assert!(f("web", "").matches(&web));
        assert!(!f("10", "").matches(&web));
        assert!(!f("", "stopped").matches(&web));
    }

    #[test]
    fn sizes_and_durations_read_naturally() {
        assert_eq!(uptime_text(42), "42s");
        assert_eq!(uptime_text(7500), "2h 5m");
        assert_eq!(uptime_text(3 * 86_400 + 4 * 3600), "3d 4h");
        assert_eq!(bytes_text(512 << 20), "512 MiB");
        assert_eq!(bytes_text(3 << 29), "1.5 GiB");
    }
}
