//! A soak of the whole stack: 20,000 calls through `spark_api::Client` by 32 tasks against the
//! emulator with faults on (a 429 with `Retry-After: 0` on every 7th request, a 503 on every
//! 11th, a connection reset on every 13th, every token expired every 1,000 calls, refreshed with
//! the refresh credentials), then a listing of every message created meanwhile, under the same
//! faults. It proves that:
//!
//! - every call ends, within 10 s, with a success or with one of the errors the faults explain
//!   (the retries ran out on a 429, a 503 or a reset; a 503 or a reset answered a POST, which is
//!   never retried; the token was expired again while its refresh was under way, or its refresh
//!   lost its connections); nothing hangs, nothing else fails;
//! - the process holds no more file descriptors and the runtime no more tasks after call 20,000
//!   than after call 10,000, beyond those of the loopback connections open at each count
//!   (explained at `FD_SLACK`), and those connections are no more than the client's pool holds;
//! - the listing across pages returns each message the client saw created exactly once, and
//!   besides them exactly the messages of the POSTs whose answer was lost to a reset, each once,
//!   and nothing else.
//!
//! The emulator resets a connection after applying its request (see `Faults::reset_every`): a
//! POST that draws a reset created its message, unless the emulator refused it (its token had
//! just expired), and its caller gets the transport error of a lost connection either way, since
//! spark-http never retries a POST once it may have been sent. The emulator's request log marks
//! each reset request with the status its answer would have had; the soak takes the log as it
//! goes and counts the reset POSTs that took effect. Each message's text names the call that
//! posted it (`soak {n}`), so the listing accounts for the lost POSTs one by one: the messages
//! listed but never seen created are lost POSTs' messages, each once, as many as the reset POSTs
//! that took effect; and no text is listed twice, so no POST was sent twice.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use http::StatusCode;
use spark_api::Client;
use spark_api::http::{RefreshError, RetryPolicy};
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

/// File descriptors the process may hold after call 20,000 beyond those after call 10,000, once
/// the loopback connections open at each count are taken off.
///
/// Between phases the only descriptors that come and go are the loopback connections: each is
/// two descriptors here (the client's end and the emulator's). How many the client's pool holds
/// at the end of a phase depends on how the calls overlapped and which connections the last
/// resets closed (the two counts of one run have differed by eight connections), so the counts
/// are compared without them: two for each connection the emulator serves at the time
/// ([`Emulator::open_connections`]), and the connections are bounded on their own
/// (`MAX_CONNECTIONS`). One connection's worth of slack, for one that is closing as the count
/// is taken; a leak of one descriptor per call or per fault would be thousands.
const FD_SLACK: usize = 2;
/// Tasks alive after call 20,000 beyond those after call 10,000, once the connections open at
/// each count are taken off: two for each (the client's connection task and the emulator's),
/// with the slack of `FD_SLACK`. A leaked task per call or per retry would be thousands.
const TASK_SLACK: usize = 2;
/// The most loopback connections open once a phase has ended. At most 33 requests are in
/// flight at once (one per task, and the token refresh, which runs in a task of its own); a
/// request that finds no idle connection in the pool starts a new one, and takes whichever comes
/// first, that one or another freed meanwhile, while the other is pooled too. So the pool holds
/// at most two per request that can be in flight (runs have ended holding 30 to 38); a leaked
/// connection per call or per reset would be thousands.
const MAX_CONNECTIONS: usize = 2 * (TASKS + 1);

/// What the calls ended with.
#[derive(Debug, Default)]
struct Tally {
    succeeded: usize,
    rate_limited: usize,
    server_errors: usize,
    unauthorized: usize,
    /// Reads whose every attempt was met by a fault, the last by a reset.
    lost_reads: usize,
    /// The calls whose POST of a message lost its connection to a reset: each created its
    /// message, unless the emulator refused it (an expired token).
    lost_posts: Vec<usize>,
    /// Calls whose token refresh lost its connections (every attempt met by a fault, the last by
    /// a reset), or that waited on such a refresh or came during its back-off.
    lost_refreshes: usize,
    unexpected: Vec<String>,
    hung: Vec<usize>,
}

impl Tally {
    fn ended(&self) -> usize {
        self.succeeded
            + self.rate_limited
            + self.server_errors
            + self.unauthorized
            + self.lost_reads
            + self.lost_posts.len()
            + self.lost_refreshes
    }
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
    reset_posts: Mutex<ResetPosts>,
}

/// The message POSTs whose connection the emulator reset, as its request log tells.
#[derive(Debug, Default)]
struct ResetPosts {
    /// Those it applied (their answer would have been 2xx).
    applied: usize,
    /// The statuses it would have refused the others with.
    refused: Vec<u16>,
}

/// The client of the soak: the default stack, with retries that do not back off (the faults ask
/// for no wait), enough attempts that a call seldom runs out of them, and no retry budget.
///
/// The budget guards against retry storms: each retry of a 5xx or a lost connection spends five
/// tokens, each call answered at its first attempt without a 5xx gives one back, so it lasts
/// while fewer than about one attempt in six fails that way. The soak's 503s and resets fail
/// about one in seven, steadily, and the POSTs among them give nothing back: with the default
/// budget it runs dry and retries stop, so a page of the final listing fails at its first reset
/// (typed, as it should). The token exchange spends nothing from the budget (a dry budget once
/// made a refresh fail and every waiting call with it; `auth.rs` in spark-http tests that it no
/// longer does). The soak is about every call ending typed and nothing leaking or being lost;
/// the budget has tests of its own.
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
                .jitter(false)
                .budget(None),
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
        .reset_every(13)
}

/// The text of the message call `n` posts.
fn text_of(n: usize) -> String {
    format!("soak {n}")
}

/// Whether calls `n` posts a message (the others read).
fn posts(n: usize) -> bool {
    n.is_multiple_of(5)
}

/// Whether an error is the connection lost after the request was sent (a reset).
fn is_lost_connection(error: &spark_http::Error) -> bool {
    matches!(error, spark_http::Error::Transport(_))
}

/// Whether an error is a token refresh that failed on lost connections: its own, or the one it
/// waited for or whose back-off it met (those say no status: the endpoint never answered).
fn is_lost_refresh(error: &spark_http::Error) -> bool {
    match error {
        spark_http::Error::Refresh(RefreshError::Transport(inner)) => is_lost_connection(inner),
        spark_http::Error::Refresh(
            RefreshError::ConcurrentFailure { status, .. }
            | RefreshError::BackingOff { status, .. },
        ) => status.is_none(),
        _ => false,
    }
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
                    .create(&CreateMessage::to_room(&self.room_id).text(text_of(n)))
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
            Some(Err(spark_api::Error::Http(error))) if is_lost_connection(&error) => {
                if posts(n) {
                    tally.lost_posts.push(n);
                } else {
                    tally.lost_reads += 1;
                }
            }
            Some(Err(spark_api::Error::Http(error))) if is_lost_refresh(&error) => {
                tally.lost_refreshes += 1;
            }
            Some(Err(error)) => match error.status() {
                Some(StatusCode::TOO_MANY_REQUESTS) => tally.rate_limited += 1,
                Some(StatusCode::SERVICE_UNAVAILABLE) => tally.server_errors += 1,
                Some(StatusCode::UNAUTHORIZED) => tally.unauthorized += 1,
                _ => tally.unexpected.push(format!("call {n}: {error:?}")),
            },
        }
    }

    /// Takes the emulator's request log (it keeps 10,000 requests; a thousand calls make about
    /// 1,400) and counts the message POSTs it reset.
    fn take_log(&self) {
        let taken = self.emulator.take_requests();
        let mut reset_posts = self.reset_posts.lock().unwrap();
        let reset = taken
            .iter()
            .filter(|logged| logged.reset && logged.method == "POST")
            .filter(|logged| logged.path == "/v1/messages");
        for logged in reset {
            if (200..300).contains(&logged.status) {
                reset_posts.applied += 1;
            } else {
                reset_posts.refused.push(logged.status);
            }
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
                            soak.take_log();
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

/// What the process holds once a phase's connections have settled (a connection task may still
/// be ending as the last call returns).
#[derive(Debug, Clone, Copy)]
struct Held {
    fds: usize,
    tasks: usize,
    /// The loopback connections open (as the emulator counts them).
    connections: usize,
}

impl Held {
    /// The descriptors beyond those of the open connections (two each).
    fn fds_beyond_connections(self) -> usize {
        self.fds.saturating_sub(2 * self.connections)
    }

    /// The tasks beyond those of the open connections (two each).
    fn tasks_beyond_connections(self) -> usize {
        self.tasks.saturating_sub(2 * self.connections)
    }
}

impl std::fmt::Display for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} fds, {} tasks, {} connections",
            self.fds, self.tasks, self.connections
        )
    }
}

async fn snapshot(emulator: &Emulator) -> Held {
    tokio::time::sleep(Duration::from_millis(100)).await;
    Held {
        fds: open_fds(),
        tasks: alive_tasks(),
        connections: emulator.open_connections(),
    }
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
        reset_posts: Mutex::new(ResetPosts::default()),
    });
    soak.emulator.clear_requests();

    soak.phase(CALLS_PER_PHASE).await;
    let at_10k = snapshot(&soak.emulator).await;
    soak.phase(2 * CALLS_PER_PHASE).await;
    let at_20k = snapshot(&soak.emulator).await;
    let calls_done = started.elapsed();
    soak.take_log();

    // The listing, by the soak's client, under the same faults, with the tokens expired again
    // after its third page. Setting the faults restarts their counting, so the listing's
    // requests (the refresh among them) meet the faults at the same places on every run, and
    // none meets a fault on every one of its attempts.
    soak.emulator.set_faults(faults());
    let (listed, page_count) = list_room(&soak, &soak.client, true).await;
    // The same room read from the store with the faults off: the listing under faults lost
    // nothing and added nothing.
    soak.emulator.clear_faults();
    let (stored, _) = list_room(&soak, &soak.client, false).await;

    let tally = soak.tally.lock().unwrap();
    let created = soak.created.lock().unwrap();
    let reset_posts = soak.reset_posts.lock().unwrap();
    eprintln!(
        "soak: {} calls in {calls_done:?} ({} succeeded, {} rate limited, {} server errors, \
         {} unauthorized, {} reads and {} posts lost to resets ({} of them applied), {} lost \
         refreshes; {} requests, {} refreshes); at call 10,000: {at_10k}; \
         at call 20,000: {at_20k}; {} messages listed in {} \
         pages; {:?} in all",
        2 * CALLS_PER_PHASE,
        tally.succeeded,
        tally.rate_limited,
        tally.server_errors,
        tally.unauthorized,
        tally.lost_reads,
        tally.lost_posts.len(),
        reset_posts.applied,
        tally.lost_refreshes,
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
    assert_eq!(
        tally.ended(),
        2 * CALLS_PER_PHASE,
        "every call is counted once"
    );
    // The faults hit about three tenths of the requests; retries absorb nearly all of them.
    // Only the 503s and resets that meet POSTs (a fifth of the calls) are not retried.
    assert!(
        tally.succeeded >= 2 * CALLS_PER_PHASE * 9 / 10,
        "most calls succeed: {tally:?}"
    );
    assert!(tally.server_errors > 0, "the 503s were on: {tally:?}");
    assert!(
        !tally.lost_posts.is_empty(),
        "the resets were on: {tally:?}"
    );
    assert!(
        soak.emulator.refresh_count() >= (2 * CALLS_PER_PHASE / EXPIRE_EVERY - 1) as u64,
        "each expiry was followed by a refresh"
    );

    for held in [at_10k, at_20k] {
        assert!(
            held.connections <= MAX_CONNECTIONS,
            "no more connections than the pool holds: {held}"
        );
    }
    assert!(
        at_20k.fds_beyond_connections() <= at_10k.fds_beyond_connections() + FD_SLACK,
        "file descriptors grew from call 10,000 ({at_10k}) to call 20,000 ({at_20k})"
    );
    assert!(
        at_20k.tasks_beyond_connections() <= at_10k.tasks_beyond_connections() + TASK_SLACK,
        "tasks grew from call 10,000 ({at_10k}) to call 20,000 ({at_20k})"
    );

    // Nothing listed twice, by id or by text (a POST sent twice would make a second message
    // with the same text).
    let ids: HashSet<&String> = listed.keys().collect();
    let listed_texts: HashSet<&String> = listed.values().collect();
    assert_eq!(
        listed_texts.len(),
        listed.len(),
        "no message was posted twice"
    );
    assert_eq!(
        listed, stored,
        "the listing under faults is what the store holds"
    );
    let seen: HashSet<&String> = created.iter().collect();
    assert_eq!(seen.len(), created.len(), "each create gave a new id");
    assert!(
        seen.is_subset(&ids),
        "every message the client saw created is listed"
    );
    // Each lost POST is one reset POST in the emulator's log: applied, or refused for an
    // expired token.
    assert_eq!(
        reset_posts.applied + reset_posts.refused.len(),
        tally.lost_posts.len(),
        "each POST lost to a reset is one reset in the emulator's log: {reset_posts:?}"
    );
    assert!(
        reset_posts.refused.iter().all(|&status| status == 401),
        "a reset POST not applied was refused for its expired token: {reset_posts:?}"
    );
    // Besides the messages seen created: those of the lost POSTs that were applied, each once.
    let unseen: HashSet<&String> = listed
        .iter()
        .filter(|(id, _)| !seen.contains(id))
        .map(|(_, text)| text)
        .collect();
    let lost: HashSet<String> = tally.lost_posts.iter().map(|&n| text_of(n)).collect();
    let unexplained: Vec<&&String> = unseen
        .iter()
        .filter(|text| !lost.contains(text.as_str()))
        .collect();
    assert!(
        unexplained.is_empty(),
        "messages listed but neither seen created nor posted by a lost POST: {unexplained:?}"
    );
    assert_eq!(
        unseen.len(),
        reset_posts.applied,
        "the messages listed but never seen created are the reset POSTs the emulator applied"
    );
    assert_eq!(
        listed.len(),
        created.len() + reset_posts.applied,
        "and nothing else"
    );
}

/// Every message of the soak's room as `client` lists it, id to text, and the pages it took;
/// with `expire`, every token is expired after the third page.
async fn list_room(soak: &Soak, client: &Client, expire: bool) -> (HashMap<String, String>, usize) {
    let mut pages = client
        .messages()
        .pages(&ListMessages::new(&soak.room_id).max(100));
    let mut listed = HashMap::new();
    let mut page_count = 0;
    while let Some(page) = pages.try_next().await.expect("every page is read") {
        page_count += 1;
        for message in page.items {
            let text = message.text.unwrap_or_default();
            assert!(
                listed.insert(message.id.clone(), text).is_none(),
                "message {} is listed twice",
                message.id
            );
        }
        if expire && page_count == 3 {
            soak.emulator.expire_all_tokens();
        }
    }
    (listed, page_count)
}
