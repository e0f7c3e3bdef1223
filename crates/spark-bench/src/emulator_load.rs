//! Scenario 7, the emulator as a load-test bed: calls per second and p50/p99 latency of
//! `GET /people/me`, of the first page of 100 messages from a room of 10,000, and of
//! `POST /messages`, each one call after another on a kept-alive connection (bare hyper-util as
//! the client), beside the fixed-answer hyper server answering the same `GET`s (it has no
//! `POST`). The emulator runs on a runtime of its own with one worker, like the fixed server.
//!
//! Before the calls are timed, the heap growth per stored message: a room is first filled with
//! 12,000 messages (so the emulator's request log and event window are full, and each further
//! `POST` drops an old entry of each as it adds one), then the 10,000 messages of the listed
//! room are posted while the process's net allocated bytes are counted
//! ([`net_heap_bytes`]); the figure is that growth over 10,000. It includes the slots the store's
//! tables grow by, and whatever else a `POST` leaves behind.

use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use spark_bench::alloc_counter::net_heap_bytes;
use spark_bench::fixtures::{ROOM_ID, TOKEN};
use spark_emulator::Emulator;

use crate::clients::BoxError;
use crate::measure::{Measured, Sample};
use crate::report::Row;
use crate::server::FixedServer;
use crate::spread::Spread;

const SCENARIO: &str = "7 emulator";
/// Messages of the listed room.
const ROOM_MESSAGES: usize = 10_000;
/// Messages posted first, to fill the request log (10,000) and the event window (10,000).
const WARM_UP_MESSAGES: usize = 12_000;
/// Messages per listed page.
const PAGE: usize = 100;
/// The text of each posted message (about 420 bytes of JSON with its ids).
const TEXT: &str =
    "A message of a load test, about as long as a short chat line is, with a few words more.";

/// A client of one server: hyper-util's pooled client, one kept-alive connection at a time.
struct Caller {
    client: HyperClient<HttpConnector, Full<Bytes>>,
    authorization: HeaderValue,
}

/// One request, sent again and again.
#[derive(Clone)]
struct Call {
    method: Method,
    uri: Uri,
    body: Bytes,
}

impl Caller {
    fn new(token: &str) -> Result<Caller, BoxError> {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new())
            .build(connector);
        Ok(Caller {
            client,
            authorization: HeaderValue::from_str(&format!("Bearer {token}"))?,
        })
    }

    /// Sends `call` and reads its answer whole; an answer other than 2xx is an error.
    async fn send(&self, call: &Call) -> Result<Bytes, BoxError> {
        let mut request = Request::new(Full::new(call.body.clone()));
        *request.method_mut() = call.method.clone();
        *request.uri_mut() = call.uri.clone();
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if !call.body.is_empty() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let response = self.client.request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        if !status.is_success() {
            return Err(format!("{} {} answered {status}", call.method, call.uri).into());
        }
        Ok(body)
    }

    /// Sends `call` one after another for `duration`.
    async fn sequential(&self, call: &Call, duration: Duration) -> Sample {
        crate::measure::sequential_calls(duration, || self.send(call)).await
    }
}

/// A `POST` of this JSON.
fn post(uri: &str, body: &serde_json::Value) -> Result<Call, BoxError> {
    Ok(Call {
        method: Method::POST,
        uri: uri.parse()?,
        body: Bytes::from(serde_json::to_vec(body)?),
    })
}

fn get(uri: &str) -> Result<Call, BoxError> {
    Ok(Call {
        method: Method::GET,
        uri: uri.parse()?,
        body: Bytes::new(),
    })
}

/// Creates a room in the emulator; its id.
async fn create_room(caller: &Caller, base_url: &str, title: &str) -> Result<String, BoxError> {
    let call = post(
        &format!("{base_url}/rooms"),
        &serde_json::json!({ "title": title }),
    )?;
    let room: serde_json::Value = serde_json::from_slice(&caller.send(&call).await?)?;
    room["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "a room without an id".into())
}

async fn post_messages(caller: &Caller, call: &Call, count: usize) -> Result<(), BoxError> {
    for _ in 0..count {
        caller.send(call).await?;
    }
    Ok(())
}

/// One contender of a measurement: who is called, with what.
struct Contender<'a> {
    caller: &'a Caller,
    call: Call,
}

/// Measures the contenders in `rounds` interleaved slices of `duration / rounds`, after a
/// warm-up, starting one contender further each round.
async fn interleaved(
    contenders: &[Contender<'_>],
    duration: Duration,
    rounds: u32,
) -> Vec<Measured> {
    let rounds = rounds.max(1);
    let warm_up = (duration / 10).clamp(Duration::from_millis(20), Duration::from_millis(300));
    for contender in contenders {
        contender.caller.sequential(&contender.call, warm_up).await;
    }
    let mut measured: Vec<Measured> = contenders.iter().map(|_| Measured::default()).collect();
    for round in 0..rounds as usize {
        for offset in 0..contenders.len() {
            let at = (round + offset) % contenders.len();
            let contender = &contenders[at];
            let sample = contender
                .caller
                .sequential(&contender.call, duration / rounds)
                .await;
            measured[at].round_rates.push(sample.calls_per_second());
            measured[at].all.absorb(sample);
        }
    }
    for measured in &mut measured {
        measured.all.sort();
    }
    measured
}

fn row(subject: &str, measured: &Measured, baseline: Option<&Measured>) -> Row {
    let rate = measured.rate();
    let ratio =
        baseline.and_then(|baseline| rate.paired(&baseline.rate(), |ours, bare| ours / bare));
    let sample = &measured.all;
    Row {
        scenario: SCENARIO.to_owned(),
        subject: subject.to_owned(),
        rate: Some(rate),
        unit: "calls/s",
        p50_us: Some(sample.percentile_micros(0.50)),
        p99_us: Some(sample.percentile_micros(0.99)),
        ratio_to: ratio.as_ref().map(|_| "bare hyper server".to_owned()),
        ratio,
        failures: sample.failures,
        first_failure: sample.first_failure.clone(),
        ..Row::default()
    }
}

/// Runs the scenario; the clients run on a runtime of `client_threads` workers.
pub(crate) fn run(
    duration: Duration,
    rounds: u32,
    client_threads: usize,
) -> Result<Vec<Row>, BoxError> {
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("emulator")
        .enable_all()
        .build()?;
    let emulator = server_runtime.block_on(Emulator::builder().start())?;
    let bare = FixedServer::start(1, ROOM_MESSAGES as u64)?;
    let clients = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(client_threads.max(1))
        .enable_all()
        .build()?;
    let base_url = emulator.base_url().to_owned();
    let ours = Caller::new(&emulator.access_token())?;
    let theirs = Caller::new(TOKEN)?;

    let (warm_room, listed_room) = clients.block_on(async {
        let warm_room = create_room(&ours, &base_url, "warm-up").await?;
        let listed_room = create_room(&ours, &base_url, "listed").await?;
        let warm_post = post(
            &format!("{base_url}/messages"),
            &serde_json::json!({ "roomId": warm_room, "text": TEXT }),
        )?;
        post_messages(&ours, &warm_post, WARM_UP_MESSAGES).await?;
        Ok::<_, BoxError>((warm_room, listed_room))
    })?;
    let listed_post = post(
        &format!("{base_url}/messages"),
        &serde_json::json!({ "roomId": listed_room, "text": TEXT }),
    )?;
    let (posted, grown) =
        net_heap_bytes(|| clients.block_on(post_messages(&ours, &listed_post, ROOM_MESSAGES)));
    posted?;
    let per_message = grown as f64 / ROOM_MESSAGES as f64;

    let me = [
        Contender {
            caller: &ours,
            call: get(&format!("{base_url}/people/me"))?,
        },
        Contender {
            caller: &theirs,
            call: get(&format!("{}/people/me", bare.base_url()))?,
        },
    ];
    let page = [
        Contender {
            caller: &ours,
            call: get(&format!(
                "{base_url}/messages?roomId={listed_room}&max={PAGE}"
            ))?,
        },
        Contender {
            caller: &theirs,
            call: get(&format!(
                "{}/messages?roomId={ROOM_ID}&max={PAGE}",
                bare.base_url()
            ))?,
        },
    ];
    let create = [Contender {
        caller: &ours,
        call: post(
            &format!("{base_url}/messages"),
            &serde_json::json!({ "roomId": warm_room, "text": TEXT }),
        )?,
    }];
    let (me, page, create) = clients.block_on(async {
        (
            interleaved(&me, duration, rounds).await,
            interleaved(&page, duration, rounds).await,
            interleaved(&create, duration, rounds).await,
        )
    });
    let mut rows = vec![
        row("emulator, GET /people/me", &me[0], Some(&me[1])),
        row("bare hyper server, GET /people/me", &me[1], Some(&me[1])),
        row(
            &format!("emulator, GET page of {PAGE} from {ROOM_MESSAGES} messages"),
            &page[0],
            Some(&page[1]),
        ),
        row(
            &format!("bare hyper server, GET page of {PAGE} (fixed)"),
            &page[1],
            Some(&page[1]),
        ),
        row("emulator, POST /messages", &create[0], None),
    ];
    rows.push(Row {
        scenario: SCENARIO.to_owned(),
        subject: format!(
            "emulator, heap growth per stored message ({ROOM_MESSAGES} posted after \
             {WARM_UP_MESSAGES})"
        ),
        rate: Some(Spread::single(per_message)),
        unit: "B/message",
        ..Row::default()
    });
    clients.shutdown_background();
    drop(emulator);
    server_runtime.shutdown_background();
    Ok(rows)
}
