//! Scenario 6, bot events: messages posted to the emulator reach a `spark_bot::Bot` handler,
//! over the device websocket and over a webhook (axum on loopback). Reports events per second
//! from the emulator to the handler, and the post-to-handler latency (from the start of the
//! `POST /messages` to the handler's start, which includes the bot's `GET` of the message).
//! Eight tasks post for the given time, each waiting for its message to be handled before it
//! posts the next (eight events in flight). Each round measures both transports (the first one
//! alternating), each on a fresh emulator for its share of the time; the rate is the median of
//! the rounds with their spread, the latencies are over every event of every round.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spark_api::Client;
use spark_bot::{Bot, EventStream};
use spark_emulator::Emulator;
use spark_model::{
    CreateMembership, CreateMessage, CreateRoom, CreateWebhook, WebhookEvent, WebhookResource,
};
use tokio::sync::oneshot;

use crate::clients::BoxError;
use crate::measure::Sample;
use crate::report::Row;
use crate::spread::Spread;

const BOT: &str = "bench@webex.bot";
const POSTERS: usize = 8;

type Times = Arc<Mutex<HashMap<String, Instant>>>;

/// Handled messages: the posters waiting for theirs, and those handled before their poster
/// knew the id.
#[derive(Default)]
struct Waiters {
    waiting: HashMap<String, oneshot::Sender<()>>,
    early: std::collections::HashSet<String>,
}

fn client(emulator: &Emulator, email: &str) -> Result<Client, BoxError> {
    let token = emulator.token_for(email).ok_or("unknown person")?;
    Ok(Client::builder()
        .base_url(emulator.base_url())?
        .access_token(token)
        .build()?)
}

/// Measures both transports, `rounds` times each.
pub(crate) async fn run(duration: Duration, rounds: u32) -> Result<Vec<Row>, BoxError> {
    let rounds = rounds.max(1);
    let slice = duration / rounds;
    let mut measured = [Measured::default(), Measured::default()];
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for transport in order {
            let one = measure(transport == 1, slice).await?;
            let into = &mut measured[transport];
            into.rates.push(one.rate);
            into.latencies.extend(one.latencies);
            into.missing += one.missing;
        }
    }
    Ok(measured
        .into_iter()
        .enumerate()
        .map(|(transport, measured)| measured.row(transport == 1))
        .collect())
}

/// What the rounds of one transport measured.
#[derive(Default)]
struct Measured {
    /// Events per second, one per round.
    rates: Vec<f64>,
    /// Post-to-handler latencies in ns, every event of every round.
    latencies: Vec<u64>,
    /// Posted messages that never reached the handler.
    missing: u64,
}

/// What one round of one transport measured.
struct Round {
    rate: f64,
    latencies: Vec<u64>,
    missing: u64,
}

impl Measured {
    fn row(self, webhook: bool) -> Row {
        let mut latencies = Sample {
            latencies: self.latencies,
            ..Sample::default()
        };
        latencies.sort();
        let events = latencies.latencies.len();
        let percentile = |q: f64| (events > 0).then(|| latencies.percentile_micros(q));
        let missing = self.missing;
        Row {
            scenario: "6 bot events".to_owned(),
            subject: format!(
                "{}, {POSTERS} posters ({} events)",
                if webhook {
                    "webhook (axum)"
                } else {
                    "websocket"
                },
                events
            ),
            p50_us: percentile(0.50),
            p99_us: percentile(0.99),
            rate: Spread::of(self.rates),
            unit: "events/s",
            failures: missing,
            first_failure: (missing > 0)
                .then(|| format!("{missing} posted messages never reached the handler")),
            ..Row::default()
        }
    }
}

async fn measure(webhook: bool, duration: Duration) -> Result<Round, BoxError> {
    let emulator = Emulator::builder().person(BOT, "Bench Bot").start().await?;
    let bot_client = client(&emulator, BOT)?;
    let grace = client(&emulator, "grace@example.com")?;
    let room = grace.rooms().create(&CreateRoom::new("bench")).await?;
    grace
        .memberships()
        .create(&CreateMembership::with_person_email(&room.id, BOT))
        .await?;
    let handled: Times = Arc::default();
    let record = Arc::clone(&handled);
    let waiters: Arc<Mutex<Waiters>> = Arc::default();
    let wake = Arc::clone(&waiters);
    let bot = Bot::builder(bot_client.clone())
        .command("ping", "records when it ran", move |ctx, _| {
            if let Some(message) = ctx.message() {
                let mut handled = record.lock().unwrap_or_else(|e| e.into_inner());
                handled.insert(message.id.clone(), Instant::now());
                let mut waiters = wake.lock().unwrap_or_else(|e| e.into_inner());
                match waiters.waiting.remove(&message.id) {
                    Some(waiter) => {
                        let _ = waiter.send(());
                    }
                    None => {
                        waiters.early.insert(message.id.clone());
                    }
                }
            }
            async { Ok(()) }
        })
        .max_concurrency(16)
        .build()
        .await?;
    let mut tasks = Vec::new();
    if webhook {
        let receiver = bot.webhook_receiver("bench secret")?;
        let app = axum::Router::new().route_service("/webhook", receiver);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        }));
        bot_client
            .webhooks()
            .create(
                &CreateWebhook::new(
                    "bench",
                    format!("http://{address}/webhook"),
                    WebhookResource::Messages,
                    WebhookEvent::Created,
                )
                .secret("bench secret"),
            )
            .await?;
    } else {
        let origin = emulator.base_url().trim_end_matches("/v1").to_owned();
        let events = EventStream::builder(bot_client)
            .u2c_url(format!("{origin}/u2c/api/v1"))
            .device_name("bench")
            .connect()
            .await?;
        let bot = bot.clone();
        tasks.push(tokio::spawn(async move {
            let _ = bot.run(events).await;
        }));
    }

    let posted: Times = Arc::default();
    let started = Instant::now();
    let mut posters = Vec::new();
    for _ in 0..POSTERS {
        let (grace, room_id, posted) = (grace.clone(), room.id.clone(), Arc::clone(&posted));
        let waiters = Arc::clone(&waiters);
        posters.push(tokio::spawn(async move {
            while started.elapsed() < duration {
                let at = Instant::now();
                let message =
                    CreateMessage::to_room(&room_id).markdown(format!("<@personEmail:{BOT}> ping"));
                let Ok(message) = grace.messages().create(&message).await else {
                    continue;
                };
                posted
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(message.id.clone(), at);
                let (tx, rx) = oneshot::channel();
                {
                    let mut waiters = waiters.lock().unwrap_or_else(|e| e.into_inner());
                    if waiters.early.remove(&message.id) {
                        continue;
                    }
                    waiters.waiting.insert(message.id, tx);
                }
                if tokio::time::timeout(Duration::from_secs(10), rx)
                    .await
                    .is_err()
                {
                    break;
                }
            }
        }));
    }
    for poster in posters {
        poster.await?;
    }
    let expected = posted.lock().unwrap_or_else(|e| e.into_inner()).len();
    // Waits (bounded) for the last events to be handled.
    let deadline = Instant::now() + Duration::from_secs(10);
    while handled.lock().unwrap_or_else(|e| e.into_inner()).len() < expected
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tasks.iter().for_each(|task| task.abort());
    let posted = posted.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let handled = handled.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let latencies: Vec<u64> = posted
        .iter()
        .filter_map(|(id, at)| {
            handled
                .get(id)
                .map(|done| done.duration_since(*at).as_nanos() as u64)
        })
        .collect();
    let last = handled.values().max().copied().unwrap_or(started);
    let rate = latencies.len() as f64 / last.duration_since(started).as_secs_f64().max(1e-9);
    let missing = expected.saturating_sub(latencies.len()) as u64;
    Ok(Round {
        rate,
        latencies,
        missing,
    })
}
