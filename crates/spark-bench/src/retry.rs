//! Scenario 5, the retry path: every other answer is a `429` with `Retry-After: 0`, so each call
//! takes two requests. Our calls per second there, over our all-200 calls per second, should be
//! what bare hyper retrying by hand gets: the retry machinery should add no hidden cost. Each
//! ratio is taken round by round; the target compares the medians.

use std::time::Duration;

use crate::clients::{BareHyper, BoxError, MeClient, spark_client};
use crate::measure::{Load, Measured, interleaved};
use crate::report::Row;
use crate::spread::Spread;

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
    let measured = interleaved(&clients, Load::Sequential, duration, rounds).await;
    let rates: Vec<Spread> = measured.iter().map(Measured::rate).collect();
    // Each client's flaky rate over its all-200 rate, round by round.
    let flaky_ratio = |flaky: usize| rates[flaky].paired(&rates[flaky - 1], |a, b| a / b);
    let bare_ratio = flaky_ratio(3).map_or(f64::NAN, |ratio| ratio.median);
    let subjects = [
        "spark, all 200",
        "spark, 429/200 (2 requests a call)",
        "bare-hyper, all 200",
        "bare-hyper, 429/200, retried by hand",
    ];
    let rows = measured
        .iter()
        .zip(subjects)
        .enumerate()
        .map(|(at, (measured, subject))| {
            let flaky = at % 2 == 1;
            let ratio = if flaky { flaky_ratio(at) } else { None };
            let ours = at == 1;
            let sample = &measured.all;
            Row {
                scenario: "5 retry path".to_owned(),
                subject: subject.to_owned(),
                rate: Some(rates[at].clone()),
                unit: "calls/s",
                p50_us: Some(sample.percentile_micros(0.50)),
                p99_us: Some(sample.percentile_micros(0.99)),
                ratio_to: ratio.as_ref().map(|_| {
                    subjects[at - 1].split(',').next().unwrap_or("").to_owned() + ", all 200"
                }),
                met: ours.then(|| {
                    ratio
                        .as_ref()
                        .is_some_and(|ratio| ratio.median >= TARGET * bare_ratio)
                }),
                ratio,
                target: ours.then(|| format!("ratio >= {TARGET} x bare-hyper's ({bare_ratio:.3})")),
                failures: sample.failures,
                first_failure: sample.first_failure.clone(),
                ..Row::default()
            }
        })
        .collect();
    Ok(rows)
}
