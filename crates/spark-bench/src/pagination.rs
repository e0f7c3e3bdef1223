//! Scenario 3, pagination: list messages a page at a time through our stream, and with bare
//! hyper following the same `Link` headers by hand; items per second and the peak resident memory
//! of the process.
//!
//! Each run is a child process (this binary again, with the `pagination-child` argument) that
//! starts its own server, lists everything once, reads `VmHWM` from `/proc/self/status` and prints
//! one JSON line: so each peak is that run's alone. Each listing runs once per round; rates,
//! peaks and ratios are the medians of the rounds, with their spread. The child is not pinned by
//! itself: it inherits the parent's CPU, and reports where its threads were allowed to run, for
//! the table to show.

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use futures_util::TryStreamExt;
use http::Uri;
use http::header::LINK;
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use spark_bench::fixtures::ROOM_ID;
use spark_model::{ListEnvelope, ListMessages, Message};

use crate::affinity::Seen;
use crate::clients::{BareHyper, BoxError, ClientKind, spark_client};
use crate::report::Row;
use crate::server::FixedServer;
use crate::spread::Spread;

/// Ours must list at this share of bare hyper's items per second.
const TARGET_RATIO: f64 = 0.9;

/// The most peak resident memory a listing may take, MB.
const TARGET_PEAK_MB: f64 = 40.0;

/// What a child run prints.
#[derive(Debug, Serialize, Deserialize)]
struct ChildReport {
    items: u64,
    seconds: f64,
    peak_rss_kb: u64,
    start_rss_kb: u64,
    /// Where the child's main thread and its runtimes' workers were allowed to run.
    seen: Vec<Seen>,
}

/// How a child run is set up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setup {
    /// Messages to list.
    pub(crate) items: u64,
    /// Messages per page.
    pub(crate) page_size: u32,
    /// Worker threads of the server's runtime.
    pub(crate) server_threads: usize,
    /// Worker threads of the client's runtime.
    pub(crate) client_threads: usize,
}

/// Runs ours and bare hyper at `items` and ten times `items`, `rounds` times each, each run in a
/// child process (which of the two goes first alternates); returns the rows, and where the
/// children's threads were allowed to run.
pub(crate) fn run(setup: Setup, rounds: u32) -> Result<(Vec<Row>, Vec<Seen>), BoxError> {
    let mut rows = Vec::new();
    let mut seen = Vec::new();
    let mut spark_peaks = Vec::new();
    for items in [setup.items, setup.items * 10] {
        let setup = Setup { items, ..setup };
        let (mut spark, mut bare) = (Vec::new(), Vec::new());
        for round in 0..rounds.max(1) {
            let mut order = [ClientKind::Spark, ClientKind::BareHyper];
            if round % 2 == 1 {
                order.reverse();
            }
            for kind in order {
                let report = in_child(kind, setup)?;
                for reading in &report.seen {
                    let reading = Seen {
                        place: format!("pagination child {}", reading.place),
                        cpus: reading.cpus.clone(),
                    };
                    if !seen.contains(&reading) {
                        seen.push(reading);
                    }
                }
                match kind {
                    ClientKind::Spark => spark.push(report),
                    _ => bare.push(report),
                }
            }
        }
        let bare_rate = rates(&bare);
        let spark_peak = peaks(&spark);
        spark_peaks.push(spark_peak.clone());
        let scenario = format!("3 pagination {items} items");
        for (kind, runs) in [(ClientKind::Spark, &spark), (ClientKind::BareHyper, &bare)] {
            let ours = kind == ClientKind::Spark;
            let rate = rates(runs);
            let ratio = rate.paired(&bare_rate, |ours, bare| ours / bare);
            let peak = peaks(runs);
            let failed: Vec<&ChildReport> =
                runs.iter().filter(|report| report.items != items).collect();
            let start_rss = Spread::of(runs.iter().map(|run| mb(run.start_rss_kb)).collect());
            rows.push(Row {
                scenario: scenario.clone(),
                subject: format!(
                    "{kind}, pages of {} (start RSS {:.1} MB)",
                    setup.page_size,
                    start_rss.map_or(f64::NAN, |start| start.median)
                ),
                unit: "items/s",
                met: ours.then(|| {
                    ratio
                        .as_ref()
                        .is_some_and(|ratio| ratio.median >= TARGET_RATIO)
                        && peak.median < TARGET_PEAK_MB
                        && failed.is_empty()
                }),
                rate: Some(rate),
                peak_rss_mb: Some(peak),
                ratio,
                ratio_to: Some("bare-hyper".to_owned()),
                target: ours
                    .then(|| format!("ratio >= {TARGET_RATIO}, peak < {TARGET_PEAK_MB} MB")),
                failures: failed.len() as u64,
                first_failure: failed
                    .first()
                    .map(|report| format!("listed {} items of {items}", report.items)),
                ..Row::default()
            });
        }
    }
    if let [small, large] = &spark_peaks[..] {
        let growth = large.paired(small, |large, small| large - small);
        let ratio = large.paired(small, |large, small| large / small);
        rows.push(Row {
            scenario: "3 pagination growth".to_owned(),
            subject: format!(
                "spark peak, {} items minus {} items",
                setup.items * 10,
                setup.items
            ),
            unit: "",
            met: Some(
                growth
                    .as_ref()
                    .is_some_and(|growth| growth.median < small.median * 0.1 + 1.0),
            ),
            peak_rss_mb: growth,
            ratio,
            ratio_to: Some("peak at fewer items".to_owned()),
            target: Some("flat (growth < 10% + 1 MB)".to_owned()),
            ..Row::default()
        });
    }
    Ok((rows, seen))
}

/// Items per second of each run.
fn rates(runs: &[ChildReport]) -> Spread {
    let rates = runs
        .iter()
        .map(|run| run.items as f64 / run.seconds)
        .collect();
    Spread::of(rates).unwrap_or_else(|| Spread::single(f64::NAN))
}

/// Peak resident memory of each run, MB.
fn peaks(runs: &[ChildReport]) -> Spread {
    let peaks = runs.iter().map(|run| mb(run.peak_rss_kb)).collect();
    Spread::of(peaks).unwrap_or_else(|| Spread::single(f64::NAN))
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Runs one listing in a child process and reads its report.
fn in_child(kind: ClientKind, setup: Setup) -> Result<ChildReport, BoxError> {
    let output = Command::new(std::env::current_exe()?)
        .args([
            "pagination-child",
            "--client",
            kind.name(),
            "--items",
            &setup.items.to_string(),
            "--page-size",
            &setup.page_size.to_string(),
            "--server-threads",
            &setup.server_threads.to_string(),
            "--client-threads",
            &setup.client_threads.to_string(),
        ])
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "the {kind} pagination run failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    Ok(serde_json::from_str(last)?)
}

/// The child's side: lists with `kind`, then prints its [`ChildReport`] as one JSON line.
pub(crate) fn child(kind: ClientKind, setup: Setup) -> Result<(), BoxError> {
    let mut seen = vec![Seen::this_thread("main thread")];
    let server = FixedServer::start(setup.server_threads, setup.items)?;
    seen.push(server.worker_placement());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(setup.client_threads.max(1))
        .enable_all()
        .build()?;
    let base_url = server.base_url();
    let start_rss_kb = proc_status_kb("VmRSS:").unwrap_or(0);
    let started = Instant::now();
    let listing = async move {
        let worker = Seen::this_thread("client worker");
        let items = match kind {
            ClientKind::Spark => list_with_spark(&base_url, setup.page_size, consume).await,
            ClientKind::BareHyper | ClientKind::Reqwest => {
                list_with_bare_hyper(&base_url, setup.page_size, consume).await
            }
        };
        items.map(|items| (items, worker))
    };
    let (items, worker) = runtime.block_on(async { tokio::spawn(listing).await })??;
    seen.push(worker);
    let seconds = started.elapsed().as_secs_f64();
    let report = ChildReport {
        items,
        seconds,
        peak_rss_kb: proc_status_kb("VmHWM:").ok_or("no VmHWM in /proc/self/status")?,
        start_rss_kb,
        seen,
    };
    println!("{}", serde_json::to_string(&report)?);
    drop(runtime);
    drop(server);
    Ok(())
}

/// What the benchmark does with each listed message: keeps the optimizer from dropping it.
fn consume(message: Message) {
    black_box(message);
}

/// Lists every message with our client's stream, handing each to `each`; returns the count.
async fn list_with_spark(
    base_url: &str,
    page_size: u32,
    mut each: impl FnMut(Message),
) -> Result<u64, BoxError> {
    let client = spark_client(base_url)?;
    let mut messages = client
        .messages()
        .list(&ListMessages::new(ROOM_ID).max(page_size));
    let mut items = 0;
    while let Some(message) = messages.try_next().await? {
        each(message);
        items += 1;
    }
    Ok(items)
}

/// Lists every message with bare hyper, following the `Link` headers and decoding each page into
/// the same `ListEnvelope<Message>` our client decodes; hands each to `each`; returns the count.
async fn list_with_bare_hyper(
    base_url: &str,
    page_size: u32,
    mut each: impl FnMut(Message),
) -> Result<u64, BoxError> {
    let client = BareHyper::new(base_url)?;
    let mut next: Option<Uri> =
        Some(format!("{base_url}/messages?roomId={ROOM_ID}&max={page_size}").parse()?);
    let mut items = 0;
    while let Some(uri) = next.take() {
        let response = client.get(uri).await?;
        if !response.status().is_success() {
            return Err(format!("GET /messages answered {}", response.status()).into());
        }
        next = response
            .headers()
            .get(LINK)
            .and_then(|value| value.to_str().ok())
            .and_then(next_link)
            .map(str::parse)
            .transpose()?;
        let body = response.into_body().collect().await?.to_bytes();
        let page: ListEnvelope<Message> = serde_json::from_slice(&body)?;
        for message in page.items {
            each(message);
            items += 1;
        }
    }
    Ok(items)
}

/// The target of `<target>; rel="next"` in a `Link` value (the one form the server sends).
fn next_link(value: &str) -> Option<&str> {
    value.split(',').find_map(|link| {
        let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
        params
            .split(';')
            .any(|param| param.trim() == "rel=\"next\"")
            .then_some(target)
    })
}

/// A `kB` figure of `/proc/self/status`, such as `VmHWM:` (the peak resident set).
fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_and_bare_hyper_list_the_same_messages() {
        let server = FixedServer::start(1, 2_500).expect("server");
        let base_url = server.base_url();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let (mut spark, mut bare) = (Vec::new(), Vec::new());
        runtime.block_on(async {
            let counted = list_with_spark(&base_url, 1_000, |message| spark.push(message)).await;
            assert_eq!(counted.expect("spark listing"), 2_500);
            let counted =
                list_with_bare_hyper(&base_url, 1_000, |message| bare.push(message)).await;
            assert_eq!(counted.expect("bare-hyper listing"), 2_500);
        });
        assert!(spark[2_499].html.is_some());
        assert!(spark == bare, "the two listings decoded different messages");
    }
}
