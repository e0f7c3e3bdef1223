//! Hostile clients: slow heads, stalled bodies, idle connections, clients that read no answer,
//! webhook receivers that never answer, oversized and pathological bodies. Whatever waits runs
//! on tokio's paused clock.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use spark_emulator::Emulator;
use spark_model::{CreateMessage, CreateRoom, CreateWebhook, WebhookEvent, WebhookResource};
use support::{client, read_answer, receiver, trickle_head, until_closed};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};

/// The default header read timeout, which is also how long a kept-alive connection may idle.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time a request body may take to arrive whole.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// A complete `GET /v1/people/me` with the caller's token.
fn get_me(emulator: &Emulator) -> String {
    format!(
        "GET /v1/people/me HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\n\r\n",
        emulator.local_addr(),
        emulator.access_token()
    )
}

fn assert_between(waited: Duration, from: Duration, to: Duration) {
    assert!(
        waited >= from && waited < to,
        "waited {waited:?}, expected {from:?}..{to:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_request_head_is_closed_after_the_header_timeout() {
    let emulator = Emulator::start().await.unwrap();
    let stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let (mut reader, writer) = stream.into_split();
    let started = Instant::now();
    let trickle = tokio::spawn(trickle_head(writer, Duration::from_secs(1)));
    timeout(Duration::from_secs(120), until_closed(&mut reader))
        .await
        .expect("the server closes a head that takes too long");
    assert_between(
        started.elapsed(),
        HEADER_TIMEOUT,
        HEADER_TIMEOUT + Duration::from_secs(2),
    );
    trickle.abort();
}

#[tokio::test(start_paused = true)]
async fn an_idle_kept_alive_connection_is_closed() {
    let emulator = Emulator::start().await.unwrap();
    let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    stream
        .write_all(get_me(&emulator).as_bytes())
        .await
        .unwrap();
    let answer = timeout(Duration::from_secs(5), read_answer(&mut stream))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.head);
    let answered = Instant::now();
    timeout(Duration::from_secs(120), until_closed(&mut stream))
        .await
        .expect("the server closes a connection left idle");
    assert_between(
        answered.elapsed(),
        HEADER_TIMEOUT,
        HEADER_TIMEOUT + Duration::from_secs(2),
    );
}

#[tokio::test(start_paused = true)]
async fn a_stalled_request_body_is_answered_408() {
    let emulator = Emulator::start().await.unwrap();
    let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let head = format!(
        "POST /v1/rooms HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"title\":",
        emulator.local_addr(),
        emulator.access_token()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let answer = timeout(Duration::from_secs(600), read_answer(&mut stream))
        .await
        .expect("an answer to a body that stopped coming")
        .unwrap();
    assert_eq!(answer.status, 408, "{}", answer.head);
    assert!(answer.json()["trackingId"].is_string());
    assert_between(
        started.elapsed(),
        BODY_TIMEOUT,
        BODY_TIMEOUT + Duration::from_secs(2),
    );
}

#[tokio::test(start_paused = true)]
async fn slow_heads_beyond_the_connection_bound_do_not_stop_a_good_request() {
    let emulator = Emulator::builder()
        .max_connections(8)
        .start()
        .await
        .unwrap();
    let mut slow = Vec::new();
    for _ in 0..20 {
        let stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
        let (reader, writer) = stream.into_split();
        let trickle = tokio::spawn(trickle_head(writer, Duration::from_secs(1)));
        slow.push((reader, trickle));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(emulator.open_connections(), 8, "the bound holds");

    let started = Instant::now();
    let mut good = TcpStream::connect(emulator.local_addr()).await.unwrap();
    good.write_all(get_me(&emulator).as_bytes()).await.unwrap();
    let answer = timeout(Duration::from_secs(120), read_answer(&mut good))
        .await
        .expect("the good request is answered")
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.head);
    // Eight slow heads at a time hold the slots for one header timeout each: the good
    // request, 21st in line, is served in the third round.
    assert!(
        started.elapsed() <= 3 * HEADER_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
    assert!(emulator.open_connections() <= 8);
    for (mut reader, trickle) in slow {
        timeout(Duration::from_secs(60), until_closed(&mut reader))
            .await
            .expect("every slow head is closed");
        trickle.abort();
    }
}

/// Creates a room and posts a file of `size` zero bytes to it; gives the file's path
/// (`/v1/contents/...`).
async fn upload(emulator: &Emulator, size: usize) -> String {
    use http::Method;

    let token = emulator.access_token();
    let room = support::raw(
        Method::POST,
        &format!("{}/rooms", emulator.base_url()),
        Some(&token),
        Some("application/json"),
        r#"{"title":"Files"}"#,
    )
    .await;
    let room_id = room.json()["id"].as_str().unwrap().to_owned();
    let mut form = format!(
        "--b\r\ncontent-disposition: form-data; name=\"roomId\"\r\n\r\n{room_id}\r\n\
         --b\r\ncontent-disposition: form-data; name=\"files\"; filename=\"big.bin\"\r\n\
         content-type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    form.resize(form.len() + size, 0);
    form.extend_from_slice(b"\r\n--b--\r\n");
    let message = support::raw(
        Method::POST,
        &format!("{}/messages", emulator.base_url()),
        Some(&token),
        Some("multipart/form-data; boundary=b"),
        form,
    )
    .await;
    assert_eq!(message.status, 200, "{:?}", message.body);
    let url = message.json()["files"][0].as_str().unwrap().to_owned();
    url[url.find("/v1/").unwrap()..].to_owned()
}

#[tokio::test(start_paused = true)]
async fn a_client_that_reads_no_answer_is_dropped_after_the_write_timeout() {
    const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

    // The file is downloaded right after its upload: that needs the kind behaviour, no scan.
    let emulator = Emulator::builder()
        .max_connections(1)
        .refusals(spark_emulator::Refusals::default().scan_time(Duration::ZERO))
        .start()
        .await
        .unwrap();
    // Larger than what the socket buffers of both ends take. Uploaded on the running clock:
    // paused, the clock jumps ahead whenever both ends wait on the socket, and the emulator's
    // body-read deadline would end the upload.
    tokio::time::resume();
    let path = upload(&emulator, 32 * 1024 * 1024).await;
    tokio::time::pause();
    let mut hog = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\n\r\n",
        emulator.local_addr(),
        emulator.access_token()
    );
    hog.write_all(request.as_bytes()).await.unwrap();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(emulator.open_connections(), 1);

    let mut good = TcpStream::connect(emulator.local_addr()).await.unwrap();
    good.write_all(get_me(&emulator).as_bytes()).await.unwrap();
    let answer = timeout(Duration::from_secs(600), read_answer(&mut good))
        .await
        .expect("the good request is answered once the reader that reads nothing is dropped")
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.head);
    assert_between(
        started.elapsed(),
        WRITE_TIMEOUT,
        WRITE_TIMEOUT + Duration::from_secs(2),
    );
}

/// A webhook receiver that accepts connections, reads what comes and never answers. It keeps,
/// for every connection the emulator closed, when it was accepted and closed (on the paused
/// clock, so a connection closed at the instant another is accepted never overlaps it) and what
/// it carried.
struct BlackHole {
    url: String,
    accepted: Arc<AtomicUsize>,
    closed: Arc<Mutex<Vec<Closed>>>,
    task: JoinHandle<()>,
}

/// A connection the black hole saw closed.
struct Closed {
    accepted_at: Instant,
    closed_at: Instant,
    carried: Vec<u8>,
}

impl BlackHole {
    async fn start() -> BlackHole {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let closed = Arc::new(Mutex::new(Vec::new()));
        let (counter, log) = (Arc::clone(&accepted), Arc::clone(&closed));
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let accepted_at = Instant::now();
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let mut carried = Vec::new();
                    let _ = stream.read_to_end(&mut carried).await;
                    log.lock().unwrap().push(Closed {
                        accepted_at,
                        closed_at: Instant::now(),
                        carried,
                    });
                });
            }
        });
        BlackHole {
            url,
            accepted,
            closed,
            task,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    fn open(&self) -> usize {
        self.accepted() - self.closed.lock().unwrap().len()
    }

    /// The most connections open at one instant, among those closed.
    fn most_open(&self) -> usize {
        let closed = self.closed.lock().unwrap();
        closed
            .iter()
            .map(|one| {
                closed
                    .iter()
                    .filter(|other| {
                        other.accepted_at <= one.accepted_at && one.accepted_at < other.closed_at
                    })
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// How long each connection stayed open, shortest first.
    fn durations(&self) -> Vec<Duration> {
        let mut durations: Vec<Duration> = self
            .closed
            .lock()
            .unwrap()
            .iter()
            .map(|one| one.closed_at - one.accepted_at)
            .collect();
        durations.sort();
        durations
    }

    /// The message ids of the deliveries received so far, sorted.
    fn message_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .closed
            .lock()
            .unwrap()
            .iter()
            .map(|Closed { carried, .. }| {
                let body =
                    &carried[carried.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
                let delivery: serde_json::Value = serde_json::from_slice(body).unwrap();
                delivery["data"]["id"].as_str().unwrap().to_owned()
            })
            .collect();
        ids.sort();
        ids
    }

    /// Waits until `count` connections came and all were closed.
    async fn wait_for_closed(&self, count: usize) {
        timeout(Duration::from_secs(600), async {
            while self.accepted() < count || self.open() > 0 {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .expect("every delivery to the black hole ends");
    }
}

impl Drop for BlackHole {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn on_messages(name: &str, url: &str) -> CreateWebhook {
    CreateWebhook::new(name, url, WebhookResource::Messages, WebhookEvent::Created)
}

#[tokio::test(start_paused = true)]
async fn deliveries_to_a_receiver_that_never_answers_are_bounded_and_time_out() {
    const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
    const PER_RECEIVER: usize = 4;

    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let hole = BlackHole::start().await;
    let room = ada.rooms().create(&CreateRoom::new("Hooks")).await.unwrap();
    ada.webhooks()
        .create(&on_messages("hole", &hole.url))
        .await
        .unwrap();
    let started = Instant::now();
    for n in 0..100 {
        ada.messages()
            .create(&CreateMessage::to_room(&room.id).text(format!("{n}")))
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(hole.open(), PER_RECEIVER);

    // A receiver that answers gets its deliveries at once, whatever the other one does.
    let (inbox_url, mut inbox) = receiver().await;
    ada.webhooks()
        .create(&on_messages("inbox", &inbox_url))
        .await
        .unwrap();
    ada.messages()
        .create(&CreateMessage::to_room(&room.id).text("to both"))
        .await
        .unwrap();
    timeout(Duration::from_secs(1), inbox.next())
        .await
        .expect("the answering receiver is not held up")
        .unwrap();

    // 101 deliveries to the black hole, four at a time, each ended by the timeout.
    hole.wait_for_closed(101).await;
    assert_eq!(hole.most_open(), PER_RECEIVER);
    let durations = hole.durations();
    assert_eq!(durations.first(), Some(&DELIVERY_TIMEOUT), "{durations:?}");
    assert_eq!(durations.last(), Some(&DELIVERY_TIMEOUT), "{durations:?}");
    let rounds = 101u32.div_ceil(PER_RECEIVER as u32);
    assert_between(
        started.elapsed(),
        DELIVERY_TIMEOUT * rounds,
        DELIVERY_TIMEOUT * rounds + Duration::from_secs(2),
    );
    assert_eq!(emulator.deliveries_sent(), 1);
    assert_eq!(emulator.deliveries_failed(), 101);
    assert_eq!(emulator.deliveries_dropped(), 0);
    assert_eq!(hole.accepted(), 101, "no delivery is tried twice");
}

#[tokio::test(start_paused = true)]
async fn a_full_delivery_queue_drops_the_oldest_waiting_delivery() {
    let emulator = Emulator::builder()
        .delivery_queue(10)
        .start()
        .await
        .unwrap();
    let ada = client(&emulator);
    let hole = BlackHole::start().await;
    let room = ada.rooms().create(&CreateRoom::new("Hooks")).await.unwrap();
    ada.webhooks()
        .create(&on_messages("hole", &hole.url))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for n in 0..50 {
        let message = ada
            .messages()
            .create(&CreateMessage::to_room(&room.id).text(format!("{n}")))
            .await
            .unwrap();
        ids.push(message.id);
    }
    // Four in flight from the start, ten waiting: the 36 between were pushed out.
    hole.wait_for_closed(14).await;
    assert_eq!(emulator.deliveries_dropped(), 36);
    assert_eq!(emulator.deliveries_failed(), 14);
    let mut kept: Vec<String> = ids[..4].iter().chain(&ids[40..]).cloned().collect();
    kept.sort();
    assert_eq!(hole.message_ids(), kept);
}

#[tokio::test(start_paused = true)]
async fn a_boundary_over_seventy_characters_is_refused_before_the_body() {
    let emulator = Emulator::start().await.unwrap();
    let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let head = format!(
        "POST /v1/messages HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\n\
         content-type: multipart/form-data; boundary={}\r\ncontent-length: {}\r\n\r\n",
        emulator.local_addr(),
        emulator.access_token(),
        "-".repeat(40 * 1024),
        40 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = timeout(Duration::from_secs(5), read_answer(&mut stream))
        .await
        .expect("answered before any of the body is sent")
        .unwrap();
    assert_eq!(answer.status, 400, "{}", answer.head);
    let message = answer.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("70 characters"), "{message}");
}

#[tokio::test]
async fn an_upload_full_of_near_matches_of_its_boundary_is_stored_whole() {
    use http::Method;

    let emulator = Emulator::start().await.unwrap();
    // The download right after the upload needs the kind behaviour: no scan time.
    emulator.set_refusals(spark_emulator::Refusals::default().scan_time(Duration::ZERO));
    let token = emulator.access_token();
    let room = support::raw(
        Method::POST,
        &format!("{}/rooms", emulator.base_url()),
        Some(&token),
        Some("application/json"),
        r#"{"title":"Files"}"#,
    )
    .await;
    let room_id = room.json()["id"].as_str().unwrap().to_owned();
    let boundary = "b".repeat(70);
    // 8 MB of delimiters that each miss by their last byte.
    let near_match = format!("\r\n--{}x", &boundary[..69]);
    let file = near_match
        .repeat(8 * 1024 * 1024 / near_match.len())
        .into_bytes();
    let mut form = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"roomId\"\r\n\r\n{room_id}\r\n\
         --{boundary}\r\ncontent-disposition: form-data; name=\"files\"; filename=\"near.bin\"\r\n\
         content-type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&file);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let message = timeout(
        Duration::from_secs(60),
        support::raw(
            Method::POST,
            &format!("{}/messages", emulator.base_url()),
            Some(&token),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            form,
        ),
    )
    .await
    .expect("parsed in bounded time");
    assert_eq!(message.status, 200, "{}", message.json());
    let url = message.json()["files"][0].as_str().unwrap().to_owned();
    let download = support::raw(Method::GET, &url, Some(&token), None, "").await;
    assert_eq!(download.status, 200);
    assert!(download.body == file, "the file comes back byte for byte");
}

#[tokio::test]
async fn an_unauthenticated_chunked_upload_is_refused_before_its_body_is_read() {
    const MB: usize = 1024 * 1024;

    let emulator = Emulator::start().await.unwrap();
    let stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST /v1/messages HTTP/1.1\r\nhost: {}\r\n\
         content-type: multipart/form-data; boundary=b\r\ntransfer-encoding: chunked\r\n\r\n",
        emulator.local_addr()
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    // 200 chunks of 1 MB, as long as the server takes them.
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let sending = tokio::spawn(async move {
        let mut chunk = format!("{MB:x}\r\n").into_bytes();
        chunk.resize(chunk.len() + MB, b'x');
        chunk.extend_from_slice(b"\r\n");
        for _ in 0..200 {
            if writer.write_all(&chunk).await.is_err() {
                break;
            }
            counter.fetch_add(MB, Ordering::SeqCst);
        }
        counter.load(Ordering::SeqCst)
    });
    let answer = timeout(Duration::from_secs(60), read_answer(&mut reader))
        .await
        .expect("an answer")
        .unwrap();
    let sent_before_the_answer = sent.load(Ordering::SeqCst);
    assert_eq!(answer.status, 401, "{}", answer.head);
    assert!(answer.json()["trackingId"].is_string());
    // Only what the sockets' buffers hold went out before the refusal.
    assert!(
        sent_before_the_answer < 32 * MB,
        "{sent_before_the_answer} bytes sent before the answer"
    );
    // The rest is thrown away as it comes, up to an upload's limit: then the server closes.
    let sent_in_all = timeout(Duration::from_secs(60), sending)
        .await
        .expect("the server stops taking the body")
        .unwrap();
    assert!(
        sent_in_all < 150 * MB,
        "{sent_in_all} bytes sent before the server closed"
    );
}

#[tokio::test]
async fn a_json_body_over_one_megabyte_is_answered_413() {
    use http::Method;

    let emulator = Emulator::start().await.unwrap();
    let title = "x".repeat(1024 * 1024);
    let answer = support::raw(
        Method::POST,
        &format!("{}/rooms", emulator.base_url()),
        Some(&emulator.access_token()),
        Some("application/json"),
        format!(r#"{{"title":"{title}"}}"#),
    )
    .await;
    assert_eq!(
        answer.status,
        413,
        "{}",
        String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)])
    );
    assert!(answer.json()["trackingId"].is_string());
    assert!(answer.json()["message"].as_str().unwrap().contains("1 MB"));

    // Chunked, with no length announced: refused all the same.
    let stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST /v1/rooms HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        emulator.local_addr(),
        emulator.access_token()
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    let sending = tokio::spawn(async move {
        let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
        chunk.resize(chunk.len() + 64 * 1024, b' ');
        chunk.extend_from_slice(b"\r\n");
        for _ in 0..64 {
            if writer.write_all(&chunk).await.is_err() {
                return;
            }
        }
    });
    let answer = timeout(Duration::from_secs(60), read_answer(&mut reader))
        .await
        .expect("an answer")
        .unwrap();
    assert_eq!(answer.status, 413, "{}", answer.head);
    sending.abort();
}

/// The refusal comes before the body is read: a client still sending its body sees the 401
/// all the same, not a broken connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_with_an_expired_token_gets_its_401() {
    let emulator = Emulator::start().await.unwrap();
    let ada = support::strict_client(&emulator);
    let room = ada.rooms().create(&CreateRoom::new("Files")).await.unwrap();
    emulator.expire_all_tokens();
    for size in [
        1024,
        64 * 1024,
        1024 * 1024,
        16 * 1024 * 1024,
        64 * 1024 * 1024,
    ] {
        let error = ada
            .messages()
            .upload(
                &CreateMessage::to_room(&room.id),
                spark_api::FileUpload::from_bytes(
                    "big.bin",
                    "application/octet-stream",
                    vec![0; size],
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(
            error.status(),
            Some(http::StatusCode::UNAUTHORIZED),
            "{size}: {error:?}"
        );
    }
}
