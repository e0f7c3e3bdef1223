//! Scenario 5, the retry path: every other answer is a `429` with `Retry-After: 0`, so each call
//! takes two requests. Our calls per second there, over our all-200 calls per second, should be
//! what bare hyper retrying by hand gets: the retry machinery should add no hidden cost.

use std::time::Duration;

use crate::clients::{BareHyper, BoxError, MeClient, spark_client};
use crate::measure::{Load, interleaved};
use crate::report::Row;

/// Ours must keep this share of bare hyper's flaky-over-all-200 ratio (a target derived from
/// "no hidden cost"; the issue sets no figure).
const TARGET: f64 = 0.95;

/// Measures our client and bare hyper on the all-200 and the alternating answers.
pub(crate) async fn run(
    base_url: &str,
    flaky_base_url: &str,
    duration: Duration,
    rounds: u32,
) -> Result<Vec<Row>, BoxError> {
    let clients = [
        MeClient::Spark(spark_client(base_url)?),
        MeClient::Spark(spark_client(flaky_base_url)?),
        MeClient::BareHyper(BareHyper::new(base_url)?),
        MeClient::BareHyper(BareHyper::new(flaky_base_url)?),
    ];
    let samples = interleaved(&clients, Load::Sequential, duration, rounds).await;
    let rates: Vec<f64> = samples
        .iter()
        .map(|sample| sample.calls_per_second())
        .collect();
    let bare_ratio = rates[3] / rates[2];
    let subjects = [
        "spark, all 200",
        "spark, 429/200 (2 requests a call)",
        "bare-hyper, all 200",
        "bare-hyper, 429/200, retried by hand",
    ];
    let rows = samples
        .iter()
        .zip(subjects)
        .enumerate()
        .map(|(at, (sample, subject))| {
            let flaky = at % 2 == 1;
            let ratio = flaky.then(|| rates[at] / rates[at - 1]);
            let ours = at == 1;
            Row {
                scenario: "5 retry path".to_owned(),
                subject: subject.to_owned(),
                rate: Some(rates[at]),
                unit: "calls/s",
                p50_us: Some(sample.percentile_micros(0.50)),
                p99_us: Some(sample.percentile_micros(0.99)),
                ratio,
                ratio_to: ratio.map(|_| {
                    subjects[at - 1].split(',').next().unwrap_or("").to_owned() + ", all 200"
                }),
                target: ours.then(|| format!("ratio >= {TARGET} x bare-hyper's ({bare_ratio:.3})")),
                met: ours.then(|| ratio.is_some_and(|ratio| ratio >= TARGET * bare_ratio)),
                failures: sample.failures,
                first_failure: sample.first_failure.clone(),
                ..Row::default()
            }
        })
        .collect();
    Ok(rows)
}
