//! `spark-bench`: the benchmark harness of spark. Runs every scenario of the speed issue against
//! one fixed-answer hyper server on loopback, prints one table and writes it as JSON to
//! `<target dir>/bench/results.json`. It reports numbers; it never fails on them.
//!
//! ```text
//! spark-bench [--seconds S] [--items N] [--rounds R] [--tasks T] [--page-size P]
//!             [--server-threads K] [--client-threads K] [--overhead-calls C]
//!             [--only 1,2,3,4,5,6,7]
//!             [--cpu N | --no-pin]
//! ```
//!
//! By default the whole run is pinned to one CPU (see [`affinity`]).

mod affinity;
mod bot_events;
mod clients;
mod concurrency;
mod emulator_load;
mod measure;
mod overhead;
mod pagination;
mod report;
mod retry;
mod round_trip;
mod server;
mod spread;

use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use spark_bench::alloc_counter::CountingAllocator;

use crate::affinity::Placement;
use crate::clients::{BoxError, ClientKind};
use crate::report::{Report, Row, load_average};
use crate::server::FixedServer;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const USAGE: &str = "\
usage: spark-bench [options]
  --seconds S          seconds each contender is measured, over all rounds; fractions allowed
                       (default 3)
  --items N            messages of the smaller pagination run; the larger is 10 x N (default 100000)
  --rounds R           rounds per measurement: an interleaved slice of every contender, one
                       pagination run of each, or a share of the overhead calls of each variant;
                       the table shows their median and min-max (default 5)
  --tasks T            concurrent tasks of scenario 2 (default 64)
  --page-size P        messages per page (default 1000)
  --server-threads K   worker threads of the server's runtime (default 1)
  --client-threads K   worker threads of the clients' runtime, the same for every contender
                       (default 1 when pinned, else the CPUs)
  --overhead-calls C   timed calls per variant in scenario 4, over all rounds (default 100000)
  --only LIST          scenarios to run, e.g. 1,2,5 (default all; 6: bot events, websocket vs webhook;
                       7: the emulator under load beside a bare hyper server)
  --cpu N              the CPU to pin the server, the clients and the pagination children to
                       (default: the last CPU this process may run on)
  --no-pin             do not pin: let the scheduler place every thread
  -h, --help           this help";

/// Everything the command line can set.
#[derive(Debug, Clone)]
struct Settings {
    seconds: f64,
    items: u64,
    rounds: u32,
    tasks: usize,
    page_size: u32,
    server_threads: usize,
    /// `None`: 1 when pinned, else the CPUs.
    client_threads: Option<usize>,
    overhead_calls: u64,
    only: Vec<u8>,
    /// Pin the run to one CPU (`--no-pin` turns it off).
    pin: bool,
    /// The CPU to pin to; `None`: the last one the process may run on.
    cpu: Option<usize>,
    /// `pagination-child`: run one listing and print its report (internal).
    child: Option<ClientKind>,
    /// `--help`: print the options and stop.
    help: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            seconds: 3.0,
            items: 100_000,
            rounds: 5,
            tasks: 64,
            page_size: 1_000,
            server_threads: 1,
            client_threads: None,
            overhead_calls: 100_000,
            only: vec![1, 2, 3, 4, 5, 6, 7],
            pin: true,
            cpu: None,
            child: None,
            help: false,
        }
    }
}

impl Settings {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Settings, String> {
        let mut settings = Settings::default();
        let mut child = false;
        let mut child_client = None;
        while let Some(arg) = args.next() {
            if arg == "pagination-child" {
                child = true;
                continue;
            }
            if arg == "--help" || arg == "-h" {
                settings.help = true;
                return Ok(settings);
            }
            if arg == "--no-pin" {
                settings.pin = false;
                continue;
            }
            let value = args
                .next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
            match arg.as_str() {
                "--seconds" => settings.seconds = number(&arg, &value)?,
                "--items" => settings.items = number(&arg, &value)?,
                "--rounds" => settings.rounds = number(&arg, &value)?,
                "--tasks" => settings.tasks = number(&arg, &value)?,
                "--page-size" => settings.page_size = number(&arg, &value)?,
                "--server-threads" => settings.server_threads = number(&arg, &value)?,
                "--client-threads" => settings.client_threads = Some(number(&arg, &value)?),
                "--cpu" => settings.cpu = Some(number(&arg, &value)?),
                "--overhead-calls" => settings.overhead_calls = number(&arg, &value)?,
                "--client" => {
                    child_client = Some(
                        ClientKind::from_name(&value)
                            .ok_or_else(|| format!("--client: no client named {value:?}"))?,
                    );
                }
                "--only" => {
                    settings.only = value
                        .split(',')
                        .map(|scenario| number(&arg, scenario.trim()))
                        .collect::<Result<_, _>>()?;
                }
                _ => return Err(format!("unknown option {arg}\n{USAGE}")),
            }
        }
        if !(settings.seconds.is_finite() && settings.seconds > 0.0) {
            return Err(format!("--seconds must be positive\n{USAGE}"));
        }
        if !settings.pin && settings.cpu.is_some() {
            return Err(format!("--cpu and --no-pin contradict each other\n{USAGE}"));
        }
        if child {
            settings.child = Some(child_client.unwrap_or(ClientKind::Spark));
        }
        Ok(settings)
    }

    fn runs(&self, scenario: u8) -> bool {
        self.only.contains(&scenario)
    }

    /// Worker threads of the clients' runtime: as asked, else 1 on one CPU and all CPUs unpinned.
    fn client_threads(&self, pinned: bool) -> usize {
        let all = || std::thread::available_parallelism().map_or(2, usize::from);
        self.client_threads
            .unwrap_or_else(|| if pinned { 1 } else { all() })
            .max(1)
    }

    fn pagination(&self, pinned: bool) -> pagination::Setup {
        pagination::Setup {
            items: self.items,
            page_size: self.page_size,
            server_threads: self.server_threads,
            client_threads: self.client_threads(pinned),
        }
    }
}

/// `value`, the value of option `arg`, read as a number.
fn number<T: std::str::FromStr>(arg: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{arg}: cannot read {value:?}\n{USAGE}"))
}

fn main() -> ExitCode {
    let settings = match Settings::parse(std::env::args().skip(1)) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if settings.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let outcome = match settings.child {
        // A child is not pinned here: it runs where its parent was pinned, and reports where.
        Some(kind) => pagination::child(kind, settings.pagination(false)),
        None => {
            // Read before pinning: the standard library counts only the CPUs a thread may use.
            let cpus = std::thread::available_parallelism().map_or(0, usize::from);
            // Before any runtime, thread or child process exists, so that they all inherit it.
            let pinned_cpu = if settings.pin {
                match affinity::pin(settings.cpu) {
                    Ok(cpu) => Some(cpu),
                    Err(message) => {
                        eprintln!("spark-bench: {message}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                None
            };
            run_all(&settings, pinned_cpu, cpus)
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("spark-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_all(settings: &Settings, pinned_cpu: Option<usize>, cpus: usize) -> Result<(), BoxError> {
    let load_at_start = load_average();
    let duration = Duration::from_secs_f64(settings.seconds);
    let mut rows: Vec<Row> = Vec::new();
    let pinned = pinned_cpu.is_some();
    let mut placement = Placement {
        pinned_cpu,
        client_threads: settings.client_threads(pinned),
        server_threads: settings.server_threads.max(1),
        seen: Vec::new(),
    };
    placement.note_this_thread("main thread");

    // First, while no other thread of the process exists, so allocation counts are its own.
    if settings.runs(4) {
        eprintln!("4. stack overhead without network ...");
        rows.extend(overhead::run(settings.overhead_calls, settings.rounds)?);
    }

    if settings.runs(1) || settings.runs(2) || settings.runs(5) || settings.runs(6) {
        let server = FixedServer::start(settings.server_threads, 0)?;
        placement.note(server.worker_placement());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(placement.client_threads)
            .enable_all()
            .build()?;
        let (base_url, flaky_base_url) = (server.base_url(), server.flaky_base_url());
        let (rounds, tasks) = (settings.rounds, settings.tasks);
        let scenarios = settings.only.clone();
        let measured = runtime.block_on(async move {
            // Spawned, so the calls run on a worker thread as an application's tasks do.
            tokio::spawn(async move {
                let worker = affinity::Seen::this_thread("client worker");
                let mut rows = Vec::new();
                if scenarios.contains(&1) {
                    eprintln!("1. round trip ...");
                    rows.extend(round_trip::run(&base_url, duration, rounds).await?);
                }
                if scenarios.contains(&2) {
                    eprintln!("2. concurrency ...");
                    rows.extend(concurrency::run(&base_url, tasks, duration, rounds).await?);
                }
                if scenarios.contains(&5) {
                    eprintln!("5. retry path ...");
                    rows.extend(retry::run(&base_url, &flaky_base_url, duration, rounds).await?);
                }
                if scenarios.contains(&6) {
                    eprintln!("6. bot events (websocket, webhook) ...");
                    rows.extend(bot_events::run(duration, rounds).await?);
                }
                Ok::<_, BoxError>((rows, worker))
            })
            .await
        })??;
        rows.extend(measured.0);
        placement.note(measured.1);
        runtime.shutdown_background();
        drop(server);
    }

    if settings.runs(3) {
        eprintln!("3. pagination (child processes) ...");
        let (measured, seen) = pagination::run(settings.pagination(pinned), settings.rounds)?;
        rows.extend(measured);
        seen.into_iter().for_each(|seen| placement.note(seen));
    }

    if settings.runs(7) {
        eprintln!("7. the emulator under load ...");
        rows.extend(emulator_load::run(
            duration,
            settings.rounds,
            settings.client_threads(pinned),
        )?);
    }

    rows.sort_by_key(|row| row.scenario.chars().next());
    let report = Report {
        seconds: settings.seconds,
        rounds: settings.rounds.max(1),
        spread: report::SPREAD,
        items: settings.items,
        cpus,
        load_average: [load_at_start, load_average()],
        finished_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs()),
        placement,
        rows,
    };
    print!("{}", report.table());
    match report.write_json() {
        Ok(path) => println!("JSON: {}", path.display()),
        Err(error) => eprintln!("could not write the JSON results: {error}"),
    }
    Ok(())
}
