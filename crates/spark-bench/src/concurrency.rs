//! Scenario 2, concurrency: many tasks sharing one client, each calling `GET /people/me` one
//! call after another; calls per second and p99 latency for each contender.

use std::time::Duration;

use crate::clients::{BoxError, ClientKind, MeClient};
use crate::measure::{Load, interleaved};
use crate::report::{Row, contender_rows};

/// The calls-per-second ratio, ours over bare hyper, to reach (the median of the rounds).
const TARGET: f64 = 0.95;

/// Measures the three contenders with `tasks` tasks each against the API at `base_url`.
pub(crate) async fn run(
    base_url: &str,
    tasks: usize,
    duration: Duration,
    rounds: u32,
) -> Result<Vec<Row>, BoxError> {
    let clients = ClientKind::ALL
        .iter()
        .map(|kind| MeClient::new(*kind, base_url))
        .collect::<Result<Vec<_>, _>>()?;
    let measured = interleaved(&clients, Load::Concurrent(tasks), duration, rounds).await;
    Ok(contender_rows(
        "2 concurrency",
        &format!(" ({tasks} tasks)"),
        &ClientKind::ALL,
        &measured,
        TARGET,
    ))
}
