//! Which node a container goes to: the one the operator named, or the online node with the most
//! free memory.

use crate::error::ProvisionError;
use berth_domain::container::NodeChoice;
use berth_pve::PveClient;
use berth_pve::types::NodeListItem;

pub(crate) async fn choose(pve: &PveClient, choice: &NodeChoice) -> Result<String, ProvisionError> {
    let nodes = pve.nodes().await?;
    match choice {
        NodeChoice::Named(name) => {
            let node = nodes
                .iter()
                .find(|n| &n.node == name)
                .ok_or_else(|| ProvisionError::UnknownNode(name.clone()))?;
            if node.status != "online" {
                return Err(ProvisionError::NoOnlineNode(Some(name.clone())));
            }
            Ok(name.clone())
        }
        NodeChoice::Auto => roomiest(&nodes)
            .map(|n| n.node.clone())
            .ok_or(ProvisionError::NoOnlineNode(None)),
    }
}

/// The online node with the most free memory; ties go to the first name, so the choice is stable.
fn roomiest(nodes: &[NodeListItem]) -> Option<&NodeListItem> {
    nodes
        .iter()
        .filter(|n| n.status == "online")
        .max_by(|a, b| {
            free_memory(a)
                .cmp(&free_memory(b))
                .then_with(|| b.node.cmp(&a.node))
        })
}

/// Without `Sys.Audit` the numbers are absent: such nodes count as having no room to spare.
fn free_memory(node: &NodeListItem) -> u64 {
    node.maxmem
        .unwrap_or(0)
        .saturating_sub(node.mem.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, status: &str, mem: u64, maxmem: u64) -> NodeListItem {
        serde_json::from_value(serde_json::json!({
            "node": name, "status": status, "mem": mem, "maxmem": maxmem
        }))
        .unwrap()
    }

    #[test]
    fn the_online_node_with_most_free_memory_wins() {
        let nodes = [
            node("pve1", "online", 30, 32),
            node("pve2", "online", 4, 16),
            node("pve3", "offline", 0, 64),
        ];
        assert_eq!(roomiest(&nodes).unwrap().node, "pve2");
        let tie = [node("b", "online", 0, 8), node("a", "online", 0, 8)];
        assert_eq!(roomiest(&tie).unwrap().node, "a");
        assert!(roomiest(&[node("x", "offline", 0, 8)]).is_none());
    }
}
