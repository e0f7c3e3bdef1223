//! Scenario 1, round trip: `GET /people/me` one call after another on a kept-alive connection,
//! for each contender; calls per second, p50 and p99 latency, ours over bare hyper.

use std::time::Duration;

use crate::clients::{BoxError, ClientKind, MeClient};
use crate::measure::{Load, interleaved};
use crate::report::{Row, contender_rows};

/// The calls-per-second ratio, ours over bare hyper, to reach (the median of the rounds).
const TARGET: f64 = 0.97;

/// Measures the three contenders against the API at `base_url`.
pub(crate) async fn run(
    base_url: &str,
    duration: Duration,
    rounds: u32,
) -> Result<Vec<Row>, BoxError> {
    let clients = ClientKind::ALL
        .iter()
        .map(|kind| MeClient::new(*kind, base_url))
        .collect::<Result<Vec<_>, _>>()?;
    let measured = interleaved(&clients, Load::Sequential, duration, rounds).await;
    Ok(contender_rows(
        "1 round trip",
        "",
        &ClientKind::ALL,
        &measured,
        TARGET,
    ))
}
