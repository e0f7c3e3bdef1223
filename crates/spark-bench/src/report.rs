//! The results: one row per measurement, printed as a table and written as JSON. Figures measured
//! in rounds (rates, ns per call, ratios, peaks) are [`Spread`]s: the table shows the median with
//! the min–max of the rounds beside it, the JSON has both and every round's figure.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::affinity::Placement;
use crate::spread::Spread;

/// One measurement: a client in a scenario, with whichever figures the scenario takes.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Row {
    /// The scenario, numbered as in the issue.
    pub(crate) scenario: String,
    /// What was measured (the client, and the variant).
    pub(crate) subject: String,
    /// Throughput, in `unit`, over the rounds.
    pub(crate) rate: Option<Spread>,
    /// The unit of `rate` (`calls/s`, `items/s`, ...).
    pub(crate) unit: &'static str,
    /// Median latency, µs.
    pub(crate) p50_us: Option<f64>,
    /// 99th percentile latency, µs.
    pub(crate) p99_us: Option<f64>,
    /// Time per call without network, ns, over the rounds.
    pub(crate) ns_per_call: Option<Spread>,
    /// Allocations per call without network.
    pub(crate) allocations_per_call: Option<f64>,
    /// The process's peak resident memory (`VmHWM`), MB, over the rounds.
    pub(crate) peak_rss_mb: Option<Spread>,
    /// This row's figure over its baseline's (rate, or ns per call), round by round.
    pub(crate) ratio: Option<Spread>,
    /// What `ratio` compares to.
    pub(crate) ratio_to: Option<String>,
    /// The target the issue sets for this row, in words; judged on the medians.
    pub(crate) target: Option<String>,
    /// Whether the target is met.
    pub(crate) met: Option<bool>,
    /// Calls that failed during the measurement.
    pub(crate) failures: u64,
    /// The first failure, if any.
    pub(crate) first_failure: Option<String>,
}

/// Everything one run measured, with the conditions it ran in.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    /// Seconds each contender is measured in a scenario, over all rounds.
    pub(crate) seconds: f64,
    /// Rounds of each measurement.
    pub(crate) rounds: u32,
    /// What the spread of a figure is.
    pub(crate) spread: &'static str,
    /// Items of the smaller pagination run.
    pub(crate) items: u64,
    /// Logical CPUs of the process when it started, before pinning.
    pub(crate) cpus: usize,
    /// `/proc/loadavg` when the run started and when it ended.
    pub(crate) load_average: [String; 2],
    /// Unix time of the end of the run.
    pub(crate) finished_unix: u64,
    /// The CPU the run was pinned to, the runtimes' threads, and where threads could run.
    pub(crate) placement: Placement,
    /// The measurements.
    pub(crate) rows: Vec<Row>,
}

/// What [`Report::spread`] says.
pub(crate) const SPREAD: &str = "min-max over the rounds";

const COLUMNS: usize = 15;

const HEADERS: [&str; COLUMNS] = [
    "scenario",
    "subject",
    "rate",
    "rate min–max",
    "unit",
    "p50 µs",
    "p99 µs",
    "ns/call",
    "ns min–max",
    "allocs/call",
    "peak MB",
    "ratio",
    "ratio min–max",
    "vs",
    "target",
];

/// The columns of text, aligned to the left (figures go to the right).
const TEXT_COLUMNS: [usize; 5] = [0, 1, 4, 13, 14];

impl Report {
    /// The table, one line per row.
    pub(crate) fn table(&self) -> String {
        let cells: Vec<[String; COLUMNS]> = self.rows.iter().map(row_cells).collect();
        let mut widths = HEADERS.map(|header| header.chars().count());
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut table = String::new();
        let _ = writeln!(table, "{}", self.placement_note());
        let line = |table: &mut String, row: &[String; COLUMNS]| {
            for (at, (cell, width)) in row.iter().zip(widths).enumerate() {
                let pad = width - cell.chars().count();
                // Text columns to the left, figures to the right.
                if TEXT_COLUMNS.contains(&at) {
                    let _ = write!(table, "{cell}{:pad$}  ", "");
                } else {
                    let _ = write!(table, "{:pad$}{cell}  ", "");
                }
            }
            let trimmed = table.trim_end().len();
            table.truncate(trimmed);
            table.push('\n');
        };
        line(&mut table, &HEADERS.map(str::to_owned));
        let rule = widths.map(|width| "-".repeat(width));
        line(&mut table, &rule);
        let mut previous_scenario: Option<&String> = None;
        for (row, cells) in self.rows.iter().zip(&cells) {
            if previous_scenario.is_some_and(|previous| *previous != row.scenario) {
                table.push('\n');
            }
            previous_scenario = Some(&row.scenario);
            line(&mut table, cells);
        }
        for row in self.rows.iter().filter(|row| row.failures > 0) {
            let _ = writeln!(
                table,
                "! {} / {}: {} failed calls, first: {}",
                row.scenario,
                row.subject,
                row.failures,
                row.first_failure.as_deref().unwrap_or("?")
            );
        }
        for seen in self.placement.mismatches() {
            let _ = writeln!(
                table,
                "! {} may run on CPUs {}, not only on the pinned one",
                seen.place, seen.cpus
            );
        }
        let _ = writeln!(
            table,
            "rate, ns/call, peak MB and ratio: median of {} round(s), {} beside it (a ratio is \
             taken round by round); p50 and p99 over all calls; targets judged on the median",
            self.rounds, self.spread
        );
        let _ = writeln!(
            table,
            "load average at start: {}; at end: {}; {} CPUs; {} s per contender and measurement",
            self.load_average[0], self.load_average[1], self.cpus, self.seconds
        );
        table
    }

    /// Where the run ran: pinned or not, the runtimes' threads, `Cpus_allowed_list` as read back.
    fn placement_note(&self) -> String {
        let placement = &self.placement;
        let pinning = match placement.pinned_cpu {
            Some(cpu) => {
                format!("pinned to CPU {cpu} (--no-pin to let the scheduler place threads)")
            }
            None => "not pinned (--no-pin)".to_owned(),
        };
        let seen: Vec<String> = placement
            .seen
            .iter()
            .map(|seen| format!("{} {}", seen.place, seen.cpus))
            .collect();
        format!(
            "{pinning}; clients on a multi-thread runtime with {} worker(s), server on {}; \
             Cpus_allowed_list: {}",
            placement.client_threads,
            placement.server_threads,
            seen.join(", ")
        )
    }

    /// Writes the report as JSON to `<target dir>/bench/results.json`; returns the path.
    pub(crate) fn write_json(&self) -> std::io::Result<PathBuf> {
        let directory = target_dir().join("bench");
        std::fs::create_dir_all(&directory)?;
        let path = directory.join("results.json");
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&path, json)?;
        Ok(path.canonicalize().unwrap_or(path))
    }
}

fn row_cells(row: &Row) -> [String; COLUMNS] {
    let figure = |value: Option<f64>, decimals: usize| {
        value.map_or_else(String::new, |value| format!("{value:.decimals$}"))
    };
    let median = |spread: &Option<Spread>, decimals: usize| {
        figure(spread.as_ref().map(|spread| spread.median), decimals)
    };
    let range = |spread: &Option<Spread>, decimals: usize| {
        spread
            .as_ref()
            .map_or_else(String::new, |spread| spread.range_text(decimals))
    };
    let target = match (&row.target, row.met) {
        (Some(target), Some(true)) => format!("{target}: met"),
        (Some(target), Some(false)) => format!("{target}: MISSED"),
        (Some(target), None) => target.clone(),
        (None, _) => String::new(),
    };
    [
        row.scenario.clone(),
        row.subject.clone(),
        median(&row.rate, 0),
        range(&row.rate, 0),
        row.unit.to_owned(),
        figure(row.p50_us, 1),
        figure(row.p99_us, 1),
        median(&row.ns_per_call, 0),
        range(&row.ns_per_call, 0),
        figure(row.allocations_per_call, 1),
        median(&row.peak_rss_mb, 1),
        median(&row.ratio, 3),
        range(&row.ratio, 3),
        row.ratio_to.clone().unwrap_or_default(),
        target,
    ]
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when set, else `target/` at the root.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")),
    }
}

/// `/proc/loadavg`'s first three figures, or `?` where it cannot be read.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "?".to_owned())
}

/// The rows of one contender scenario: each client's throughput and latency, with its ratio to
/// bare hyper round by round; `target` is the median ratio our client must reach.
pub(crate) fn contender_rows(
    scenario: &str,
    subject_suffix: &str,
    kinds: &[crate::clients::ClientKind],
    measured: &[crate::measure::Measured],
    target: f64,
) -> Vec<Row> {
    use crate::clients::ClientKind;
    let bare = kinds
        .iter()
        .position(|kind| *kind == ClientKind::BareHyper)
        .map(|at| measured[at].rate());
    kinds
        .iter()
        .zip(measured)
        .map(|(kind, measured)| {
            let rate = measured.rate();
            let ratio = bare
                .as_ref()
                .and_then(|bare| rate.paired(bare, |ours, bare| ours / bare));
            let ours = *kind == ClientKind::Spark;
            let sample = &measured.all;
            Row {
                scenario: scenario.to_owned(),
                subject: format!("{kind}{subject_suffix}"),
                rate: Some(rate),
                unit: "calls/s",
                p50_us: Some(sample.percentile_micros(0.50)),
                p99_us: Some(sample.percentile_micros(0.99)),
                met: ours.then(|| ratio.as_ref().is_some_and(|ratio| ratio.median >= target)),
                ratio_to: ratio.as_ref().map(|_| "bare-hyper".to_owned()),
                ratio,
                target: ours.then(|| format!("ratio >= {target}")),
                failures: sample.failures,
                first_failure: sample.first_failure.clone(),
                ..Row::default()
            }
        })
        .collect()
}
