//! Pub/sub of run events.

use crate::support::events;
use std::time::Duration;
use uuid::Uuid;

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
        let message = tokio::time::timeout(Duration::from_secs(2), subscription.recv())
            .await
            .expect("delivered in time")
            .expect("open");
        received.push((message.channel, message.payload));
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
