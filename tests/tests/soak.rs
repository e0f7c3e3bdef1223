//! A soak of the whole stack: 20,000 calls through `spark_api::Client` by 32 tasks against the
//! emulator with faults on (a 429 with `Retry-After: 0` on every 7th request, a 503 on every
//! 11th, every token expired every 1,000 calls, refreshed with the refresh credentials), then a
//! listing of every message created meanwhile, under the same faults. It proves that:
//!
//! - every call ends, within 10 s, with a success or with one of the errors the faults explain
//!   (the retries ran out on a 429 or 503, a 503 answered a POST, which is never retried, or the
//!   token was expired again while its refresh was under way); nothing hangs, nothing else fails;
//! - the process holds no more file descriptors and the runtime no more tasks after call 20,000
//!   than after call 10,000, beyond the slack explained at `FD_SLACK`;
//! - the listing across pages returns each created message exactly once, and nothing else.
//!
//! The emulator cannot reset connections (its faults are 429s, server errors, latency, expired
//! tokens and broken next links), so resets are not part of the soak.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use http::StatusCode;
use spark_api::Client;
use spark_api::http::RetryPolicy;
use spark_emulator::{Emulator, Faults};
use spark_model::{CreateMessage, CreateRoom, ListMessages};

/// The calls of each of the two phases.
const CALLS_PER_PHASE: usize = 10_000;
/// The tasks sharing one client.
const TASKS: usize = 32;
/// Every token is expired after each this many calls.
const EXPIRE_EVERY: usize = 1_000;
/// The longest one call may take before it counts as hung.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest one phase may take.
const PHASE_TIMEOUT: Duration = Duration::from_secs(120);

/// File descriptors the process may hold after call 20,000 beyond those after call 10,000.
///
/// Between phases the only descriptors that come and go are the loopback connections: each is
/// two descriptors here (the client's end and the emulator's). The client's pool keeps at most
/// one idle connection per call that ran at once (32) plus the one of the token refresh; how
/// many of those it holds at the end of a phase depends on how the calls overlapped, so the two
/// counts may differ by a few connections. Four connections' worth of slack; a leak of one
/// descriptor per call or per fault would be thousands.
const FD_SLACK: usize = 8;
/// Tasks alive after call 20,000 beyond those after call 10,000: one for each end of each
/// connection (the client's connection task and the emulator's), for the same four connections
/// as `FD_SLACK`. A leaked task per call or per retry would be thousands.
const TASK_SLACK: usize = 8;

/// What the calls ended with.
#[derive(Debug, Default)]
struct Tally {
    succeeded: usize,
    rate_limited: usize,
    server_errors: usize,
    unauthorized: usize,
    unexpected: Vec<String>,
    hung: Vec<usize>,
}

/// The state the tasks share.
struct Soak {
    emulator: Emulator,
    client: Client,
    room_id: String,
    first_message_id: String,
    next_call: AtomicUsize,
    created: Mutex<Vec<String>>,
    tally: Mutex<Tally>,
}

/// The client of the soak: the default stack, with retries that do not back off (the faults ask
/// for no wait) and enough attempts that a call seldom runs out of them.
fn soak_client(emulator: &Emulator) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .expect("the emulator's base URL is valid")
        .access_token(emulator.access_token())
        .refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token(),
        )
        .retry(
            RetryPolicy::default()
                .max_attempts(6)
                .backoff(Duration::ZERO, Duration::ZERO)
                .jitter(false),
        )
        .build()
        .expect("a client builds")
}

fn faults() -> Faults {
    Faults::none()
        .rate_limit_every(7)
        .retry_after_secs(0)
        .server_error_every(11)
        .server_error_status(503)
}

/// Counts the file descriptors the process holds.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd can be read")
        .count()
}

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

impl Soak {
    /// Runs call number `n`: one of five operations, a fifth of them creating a message.
    async fn call(&self, n: usize) -> spark_api::Result<()> {
        let messages = self.client.messages();
        match n % 5 {
            0 => {
                let message = messages
                    .create(&CreateMessage::to_room(&self.room_id).text(format!("soak {n}")))
                    .await?;
                self.created.lock().unwrap().push(message.id);
            }
            1 => {
                messages.get(&self.first_message_id).await?;
            }
            2 => {
                self.client.people().me().await?;
            }
            3 => {
                self.client.rooms().get(&self.room_id).await?;
            }
            _ => {
                // One page of the room's messages, not the whole listing.
                let mut pages = messages.pages(&ListMessages::new(&self.room_id).max(20));
                pages.try_next().await?;
            }
        }
        Ok(())
    }

    fn record(&self, n: usize, outcome: Option<spark_api::Result<()>>) {
        let mut tally = self.tally.lock().unwrap();
        match outcome {
            None => tally.hung.push(n),
            Some(Ok(())) => tally.succeeded += 1,
            Some(Err(error)) => match error.status() {
                Some(StatusCode::TOO_MANY_REQUESTS) => tally.rate_limited += 1,
                Some(StatusCode::SERVICE_UNAVAILABLE) => tally.server_errors += 1,
                Some(StatusCode::UNAUTHORIZED) => tally.unauthorized += 1,
                _ => tally.unexpected.push(format!("call {n}: {error:?}")),
            },
        }
    }

    /// Runs calls until `until` calls have been taken, in `TASKS` tasks.
    async fn phase(self: &Arc<Self>, until: usize) {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let soak = Arc::clone(self);
                tokio::spawn(async move {
                    loop {
                        let n = soak.next_call.fetch_add(1, Ordering::Relaxed);
                        if n >= until {
                            break;
                        }
                        if n > 0 && n.is_multiple_of(EXPIRE_EVERY) {
                            soak.emulator.expire_all_tokens();
                        }
                        let outcome = tokio::time::timeout(CALL_TIMEOUT, soak.call(n)).await;
                        soak.record(n, outcome.ok());
                    }
                })
            })
            .collect();
        let all = futures_util::future::join_all(tasks);
        let results = tokio::time::timeout(PHASE_TIMEOUT, all)
            .await
            .expect("a phase of the soak ends within its time");
        for result in results {
            result.expect("no soak task panics");
        }
        // The counter overshoots by one per task; put it back at the phase's end.
        self.next_call.store(until, Ordering::Relaxed);
    }
}

/// Descriptors and tasks once the phase's connections have settled (a connection task may
/// still be ending as the last call returns).
async fn snapshot() -> (usize, usize) {
    tokio::time::sleep(Duration::from_millis(100)).await;
    (open_fds(), alive_tasks())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_calls_under_faults_end_typed_leak_nothing_and_list_everything_once() {
    let started = Instant::now();
    let emulator = Emulator::start().await.expect("the emulator starts");
    let client = soak_client(&emulator);
    let room = client
        .rooms()
        .create(&CreateRoom::new("soak"))
        .await
        .expect("the room is created");
    let first = client
        .messages()
        .create(&CreateMessage::to_room(&room.id).text("first"))
        .await
        .expect("the first message is created");
    emulator.set_faults(faults());

    let soak = Arc::new(Soak {
        emulator,
        client,
        room_id: room.id,
        first_message_id: first.id.clone(),
        next_call: AtomicUsize::new(0),
        created: Mutex::new(vec![first.id]),
        tally: Mutex::new(Tally::default()),
    });

    soak.phase(CALLS_PER_PHASE).await;
    let (fds_at_10k, tasks_at_10k) = snapshot().await;
    soak.phase(2 * CALLS_PER_PHASE).await;
    let (fds_at_20k, tasks_at_20k) = snapshot().await;
    let calls_done = started.elapsed();

    // The listing, under the same faults, with the tokens expired again after its third page.
    // Setting the faults restarts their counting, so the listing's requests (and the refresh
    // among them) meet the faults at the same places on every run: a 503 that happened to
    // answer the refresh (a POST, never retried) would otherwise fail the listing now and then.
    soak.emulator.set_faults(faults());
    let mut pages = soak
        .client
        .messages()
        .pages(&ListMessages::new(&soak.room_id).max(100));
    let mut listed = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.try_next().await.expect("every page is read") {
        page_count += 1;
        listed.extend(page.items.into_iter().map(|message| message.id));
        if page_count == 3 {
            soak.emulator.expire_all_tokens();
        }
    }

    let tally = soak.tally.lock().unwrap();
    let created = soak.created.lock().unwrap();
    eprintln!(
        "soak: {} calls in {calls_done:?} ({} succeeded, {} rate limited, {} server errors, \
         {} unauthorized, {} requests, {} refreshes); fds {fds_at_10k} at 10k, {fds_at_20k} at \
         20k; tasks {tasks_at_10k} at 10k, {tasks_at_20k} at 20k; {} messages listed in {} \
         pages; {:?} in all",
        2 * CALLS_PER_PHASE,
        tally.succeeded,
        tally.rate_limited,
        tally.server_errors,
        tally.unauthorized,
        soak.emulator.request_count(),
        soak.emulator.refresh_count(),
        listed.len(),
        page_count,
        started.elapsed(),
    );

    assert!(tally.hung.is_empty(), "calls hung: {:?}", tally.hung);
    assert!(
        tally.unexpected.is_empty(),
        "{} calls ended with errors the faults do not explain, the first: {:?}",
        tally.unexpected.len(),
        tally.unexpected.first()
    );
    let ended = tally.succeeded + tally.rate_limited + tally.server_errors + tally.unauthorized;
    assert_eq!(ended, 2 * CALLS_PER_PHASE, "every call is counted once");
    // The faults hit about a quarter of the requests; retries absorb nearly all of them. Only
    // the 503s that answer POSTs (a fifth of the calls) are not retried.
    assert!(
        tally.succeeded >= 2 * CALLS_PER_PHASE * 9 / 10,
        "most calls succeed: {tally:?}"
    );
    assert!(tally.server_errors > 0, "the faults were on: {tally:?}");
    assert!(
        soak.emulator.refresh_count() >= (2 * CALLS_PER_PHASE / EXPIRE_EVERY - 1) as u64,
        "each expiry was followed by a refresh"
    );

    assert!(
        fds_at_20k <= fds_at_10k + FD_SLACK,
        "file descriptors grew from {fds_at_10k} at call 10,000 to {fds_at_20k} at call 20,000"
    );
    assert!(
        tasks_at_20k <= tasks_at_10k + TASK_SLACK,
        "tasks grew from {tasks_at_10k} at call 10,000 to {tasks_at_20k} at call 20,000"
    );

    let unique: HashSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "no message is listed twice");
    let expected: HashSet<&String> = created.iter().collect();
    assert_eq!(expected.len(), created.len(), "each create gave a new id");
    assert_eq!(
        unique, expected,
        "the listing holds exactly the created messages"
    );
}
