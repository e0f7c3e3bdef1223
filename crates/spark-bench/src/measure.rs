//! Timing calls: per-call latencies, throughput, percentiles, and runs interleaved between
//! contenders so that a change of machine load hits them all alike, with each round's throughput
//! kept for its spread.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::clients::MeClient;
use crate::spread::Spread;

/// The calls made in some time, with their latencies.
#[derive(Debug, Default)]
pub(crate) struct Sample {
    /// Wall-clock time the calls ran in (summed over interleaved slices).
    pub(crate) elapsed: Duration,
    /// Latency of each call, in nanoseconds.
    pub(crate) latencies: Vec<u64>,
    /// Calls that failed (they count in the latencies, not in the throughput).
    pub(crate) failures: u64,
    /// The first failure, to report.
    pub(crate) first_failure: Option<String>,
}

impl Sample {
    /// Adds the calls of another slice of time.
    pub(crate) fn absorb(&mut self, other: Sample) {
        self.elapsed += other.elapsed;
        self.latencies.extend(other.latencies);
        self.failures += other.failures;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
    }

    /// Adds calls made at the same time as this sample's (concurrent tasks).
    fn absorb_concurrent(&mut self, other: Sample) {
        self.elapsed = self.elapsed.max(other.elapsed);
        self.latencies.extend(other.latencies);
        self.failures += other.failures;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
    }

    /// Successful calls per second.
    pub(crate) fn calls_per_second(&self) -> f64 {
        let succeeded = self.latencies.len() as u64 - self.failures;
        succeeded as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    /// Sorts the latencies; call before [`Sample::percentile_micros`].
    pub(crate) fn sort(&mut self) {
        self.latencies.sort_unstable();
    }

    /// The latency under which `fraction` of the calls fall, in microseconds.
    pub(crate) fn percentile_micros(&self, fraction: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = (fraction * (self.latencies.len() - 1) as f64).round() as usize;
        self.latencies[rank] as f64 / 1_000.0
    }
}

/// Calls `client` one call after another for `duration`.
pub(crate) async fn sequential(client: &MeClient, duration: Duration) -> Sample {
    sequential_calls(duration, || client.me()).await
}

/// Makes the calls of `call` one after another for `duration`, timing each; a call that fails
/// counts in the latencies, not in the throughput, and the first failure is kept to report.
pub(crate) async fn sequential_calls<T, E, F, Fut>(duration: Duration, mut call: F) -> Sample
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let mut sample = Sample {
        latencies: Vec::with_capacity(1 << 16),
        ..Sample::default()
    };
    let started = Instant::now();
    let deadline = started + duration;
    let mut call_started = started;
    loop {
        let outcome = call().await;
        let call_ended = Instant::now();
        sample
            .latencies
            .push((call_ended - call_started).as_nanos() as u64);
        match outcome {
            Ok(answer) => {
                black_box(answer);
            }
            Err(error) => {
                sample.failures += 1;
                sample
                    .first_failure
                    .get_or_insert_with(|| error.to_string());
            }
        }
        call_started = call_ended;
        if call_ended >= deadline {
            break;
        }
    }
    sample.elapsed = started.elapsed();
    sample
}

/// Runs `tasks` tasks calling clones of `client` one call after another, for `duration`.
pub(crate) async fn concurrent(client: &MeClient, tasks: usize, duration: Duration) -> Sample {
    let running: Vec<_> = (0..tasks)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { sequential(&client, duration).await })
        })
        .collect();
    let mut sample = Sample::default();
    for task in running {
        match task.await {
            Ok(part) => sample.absorb_concurrent(part),
            Err(error) => {
                sample.failures += 1;
                sample
                    .first_failure
                    .get_or_insert_with(|| error.to_string());
            }
        }
    }
    sample
}

/// One contender's calls over all the rounds of a measurement.
#[derive(Debug, Default)]
pub(crate) struct Measured {
    /// Successful calls per second in each round, in the order measured.
    pub(crate) round_rates: Vec<f64>,
    /// The calls of all rounds together, latencies sorted (for the percentiles).
    pub(crate) all: Sample,
}

impl Measured {
    /// Calls per second: the median of the rounds and their spread.
    pub(crate) fn rate(&self) -> Spread {
        Spread::of(self.round_rates.clone()).unwrap_or_else(|| Spread::single(0.0))
    }
}

/// How a contender is driven.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Load {
    /// One call after another.
    Sequential,
    /// This many tasks calling at once.
    Concurrent(usize),
}

/// Measures each of `clients` under `load` for `duration` in all, after a warm-up, in `rounds`
/// interleaved slices, each round starting one contender further (a, b, c, b, c, a, c, a, b,
/// ...) so that none always runs first or right after the same other. The measurements come back
/// in the order of `clients`.
pub(crate) async fn interleaved(
    clients: &[MeClient],
    load: Load,
    duration: Duration,
    rounds: u32,
) -> Vec<Measured> {
    let rounds = rounds.max(1);
    let warm_up = (duration / 10).clamp(Duration::from_millis(20), Duration::from_millis(300));
    let slice = duration / rounds;
    for client in clients {
        run(client, load, warm_up).await;
    }
    let mut measured: Vec<Measured> = clients.iter().map(|_| Measured::default()).collect();
    for round in 0..rounds as usize {
        for offset in 0..clients.len() {
            let at = (round + offset) % clients.len();
            let sample = run(&clients[at], load, slice).await;
            measured[at].round_rates.push(sample.calls_per_second());
            measured[at].all.absorb(sample);
        }
    }
    for measured in &mut measured {
        measured.all.sort();
    }
    measured
}

async fn run(client: &MeClient, load: Load, duration: Duration) -> Sample {
    match load {
        Load::Sequential => sequential(client, duration).await,
        Load::Concurrent(tasks) => concurrent(client, tasks, duration).await,
    }
}
