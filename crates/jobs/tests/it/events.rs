//! Pub/sub of run events.

use crate::support::{events, eventually, redis};
use berth_jobs::{Received, Subscription};
use fred::prelude::{Client, ClientLike};
use fred::types::{ClusterHash, CustomCommand, Value};
use std::time::Duration;
use uuid::Uuid;

async fn next(subscription: &mut Subscription) -> Received {
    tokio::time::timeout(Duration::from_secs(2), subscription.recv())
        .await
        .expect("delivered in time")
        .expect("open")
}

#[tokio::test]
async fn a_subscriber_receives_the_runs_events_in_order() {
    let events = events().await;
    let (run, other) = (Uuid::new_v4(), Uuid::new_v4());
    let containers = events.containers_channel("lab");
    let mut subscription = events
        .subscribe(&[events.run_channel(run), containers.clone()])
        .await
        .unwrap();

    assert!(events.run_channel(run).ends_with(&format!("run:{run}")));
    assert_eq!(events.publish(run, "stage started").await.unwrap(), 1);
    assert_eq!(events.publish(other, "not for us").await.unwrap(), 0);
    events.publish(run, "stage finished").await.unwrap();
    events.publish_to(&containers, "101 running").await.unwrap();

    let mut received = Vec::new();
    for _ in 0..3 {
        match next(&mut subscription).await {
            Received::Message(message) => received.push((message.channel, message.payload)),
            Received::Gap => panic!("no gap expected"),
        }
    }
    assert_eq!(
        received,
        [
            (events.run_channel(run), "stage started".to_owned()),
            (events.run_channel(run), "stage finished".to_owned()),
            (containers, "101 running".to_owned()),
        ]
    );

    subscription
        .unsubscribe(&[events.run_channel(run)])
        .await
        .unwrap();
    assert_eq!(events.publish(run, "after").await.unwrap(), 0);
}

#[tokio::test]
async fn a_dropped_connection_is_reported_as_a_gap_and_the_subscription_restored() {
    let events = events().await;
    let admin = redis().await;
    let run = Uuid::new_v4();
    let before = pubsub_connections(&admin).await;
    let mut subscription = events.subscribe(&[events.run_channel(run)]).await.unwrap();
    let ours: Vec<_> = pubsub_connections(&admin)
        .await
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert!(!ours.is_empty());
    for id in ours {
        let kill = CustomCommand::new_static("CLIENT", ClusterHash::FirstKey, false);
        let _: Value = admin
            .custom(kill, vec!["KILL".to_owned(), "ID".to_owned(), id])
            .await
            .unwrap();
    }

    assert_eq!(next(&mut subscription).await, Received::Gap);
    eventually(Duration::from_secs(3), "resubscribed", || async {
        events.publish(run, "after the gap").await.unwrap() == 1
    })
    .await;
    match next(&mut subscription).await {
        Received::Message(message) => assert_eq!(message.payload, "after the gap"),
        Received::Gap => panic!("one gap only"),
    }
}

/// The ids of the pub/sub connections open on the server now.
async fn pubsub_connections(admin: &Client) -> Vec<String> {
    let list = CustomCommand::new_static("CLIENT", ClusterHash::FirstKey, false);
    let text: String = admin
        .custom(list, vec!["LIST", "TYPE", "pubsub"])
        .await
        .unwrap();
    text.lines()
        .filter_map(|line| line.split(' ').find_map(|field| field.strip_prefix("id=")))
        .map(str::to_owned)
        .collect()
}
