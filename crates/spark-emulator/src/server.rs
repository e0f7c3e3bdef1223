//! The hyper server: the accept loop, the request pipeline (count, faults, auth, route,
//! deliveries, and the answer or a reset) and the [`Emulator`] handle that stops it on drop.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use spark_model::Person;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::auth::DEFAULT_TOKEN_LIFETIME;
use crate::body;
use crate::connection_reset::{ConnectionReset, ResetSwitch, ResettableStream};
use crate::control;
use crate::dispatch::Dispatcher;
use crate::driving::{ControlShared, StartOptions};
use crate::errors::{Failure, Outcome};
use crate::faults::{Drawn, FaultState, Faults};
use crate::limits::{Limits, MAX_JSON_BODY_BYTES, MAX_UPLOAD_BODY_BYTES};
use crate::multipart;
use crate::routes::{self, Ctx, Query, Reply};
use crate::state::State;
use crate::store_limits::{self, StoreLimits};
use crate::write_timeout::WriteTimeout;

/// The largest file a message may carry: 100 MB, as Webex.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// What every connection and request shares.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    faults: Mutex<FaultState>,
    requests: AtomicU64,
    pub(crate) refreshes: AtomicU64,
    tracking: AtomicU64,
    dispatcher: Arc<Dispatcher>,
    limits: Limits,
    /// One permit per connection being served (or about to be accepted).
    connection_slots: Arc<Semaphore>,
    /// Connections being served.
    open_connections: AtomicUsize,
    /// The control API's secret, the switches to reset to, and the request log.
    pub(crate) control: ControlShared,
}

impl Shared {
    /// Locks the store (a poisoned lock is taken over: the store stays usable).
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How long a request body may take to arrive.
    pub(crate) fn limits_body_read_timeout(&self) -> Duration {
        self.limits.body_read_timeout
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultState> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Configures and starts an [`Emulator`].
///
/// ```
/// # async fn run() -> std::io::Result<()> {
/// use std::time::Duration;
/// use spark_emulator::{Emulator, Faults};
///
/// let emulator = Emulator::builder()
///     .person("dave@example.com", "Dave Cutler")
///     .token_lifetime(Duration::from_secs(3600))
///     .faults(Faults::none().rate_limit_every(5))
///     .start()
///     .await?;
/// assert!(emulator.token_for("dave@example.com").is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct EmulatorBuilder {
    addr: SocketAddr,
    faults: Faults,
    token_lifetime: Duration,
    people: Vec<(String, String)>,
    limits: Limits,
    store_limits: StoreLimits,
    /// Refusals, quirks, the admin secret, a seed and a saved state (see `driving`).
    pub(crate) options: StartOptions,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            faults: Faults::none(),
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            people: Vec::new(),
            limits: Limits::default(),
            store_limits: StoreLimits::default(),
            options: StartOptions::default(),
        }
    }
}

impl EmulatorBuilder {
    /// Listens on this port of 127.0.0.1 (default: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Listens on this address (default `127.0.0.1:0`).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Starts with these faults (default none).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Access tokens live this long (default 14 days); `/access_token` announces it as
    /// `expires_in`.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Seeds one more person (besides the caller Ada Lovelace `ada@example.com`, and
    /// `grace@`, `alan@` and `barbara@example.com`).
    pub fn person(mut self, email: impl Into<String>, display_name: impl Into<String>) -> Self {
        self.people.push((email.into(), display_name.into()));
        self
    }

    /// Serves at most this many connections at once (default 512; 0 counts as 1).
    ///
    /// While that many are open the emulator accepts no more: new connections wait in the
    /// system's listen queue and are served, oldest first, as open ones close. The timeouts below
    /// make sure open ones do close.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// Closes a connection whose request head has not arrived whole within this time (default
    /// 10 s). The same time bounds how long a kept-alive connection may wait idle for its next
    /// request.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// Answers 408 to a request whose body has not arrived whole within this time of its head
    /// (default 60 s), and closes the connection.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_read_timeout = timeout;
        self
    }

    /// Closes a connection whose client has taken no byte of the answer for this long (default
    /// 30 s). A slow reader that keeps taking bytes is never cut off.
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.limits.write_timeout = timeout;
        self
    }

    /// Gives up a webhook delivery that has not got a whole answer within this time (default
    /// 10 s), counting connect, send and the answer; its connection is closed and it counts in
    /// [`Emulator::deliveries_failed`].
    pub fn delivery_timeout(mut self, timeout: Duration) -> Self {
        self.limits.delivery_timeout = timeout;
        self
    }

    /// Sends at most this many deliveries at once to one receiver (default 4; 0 counts as 1),
    /// each on a connection of its own. A receiver is the scheme, host and port of the webhook's
    /// target URL; each has its own workers, so a slow one does not hold up the others.
    pub fn delivery_concurrency(mut self, concurrency: usize) -> Self {
        self.limits.delivery_concurrency = concurrency.max(1);
        self
    }

    /// Keeps at most this many deliveries waiting for one receiver (default 1000; 0 counts as
    /// 1). A delivery that finds the queue full pushes out the oldest waiting one, which counts
    /// in [`Emulator::deliveries_dropped`].
    pub fn delivery_queue(mut self, queue: usize) -> Self {
        self.limits.delivery_queue = queue.max(1);
        self
    }

    /// Keeps the newest `events` events (default [`DEFAULT_EVENT_WINDOW`](crate::DEFAULT_EVENT_WINDOW),
    /// 10,000) and forgets older ones as new ones come, as Webex keeps events for a limited time:
    /// `/events` lists only those kept.
    pub fn event_window(mut self, events: usize) -> Self {
        self.store_limits.event_window = events;
        self
    }

    /// Answers `507 Insufficient Storage` to every `POST`, `PUT` and `PATCH` once the store
    /// holds more than `bytes` (default [`DEFAULT_MEMORY_CAP`](crate::DEFAULT_MEMORY_CAP), 1 GiB):
    /// messages, uploaded files and kept events, as [`Emulator::stored_bytes`] counts them.
    /// Reads and deletes still work.
    pub fn memory_cap(mut self, bytes: usize) -> Self {
        self.store_limits.memory_cap = bytes;
        self
    }

    /// Binds and starts serving in a spawned task (a tokio runtime must be running).
    pub async fn start(self) -> io::Result<Emulator> {
        let mut state = self
            .options
            .initial_state(State::new(self.token_lifetime, &self.people))?;
        state.store_limits = self.store_limits;
        let control = ControlShared::new(&self.options, &self.faults);
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let shared = Arc::new(Shared {
            control,
            state: Mutex::new(state),
            faults: Mutex::new(FaultState::new(self.faults)),
            requests: AtomicU64::new(0),
            refreshes: AtomicU64::new(0),
            tracking: AtomicU64::new(0),
            dispatcher: Arc::new(Dispatcher::new(&self.limits, stopped.clone())),
            connection_slots: Arc::new(Semaphore::new(self.limits.max_connections)),
            open_connections: AtomicUsize::new(0),
            limits: self.limits,
        });
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        let host = if addr.ip().is_unspecified() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        Ok(Emulator {
            addr,
            base_url: format!("http://{host}/v1"),
            shared,
            stop,
            task,
        })
    }
}

/// A running emulator. It serves until dropped (or [`Emulator::shutdown`]).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use spark_emulator::Emulator;
///
/// let emulator = Emulator::start().await?;
/// // Point any Webex client at it:
/// println!("{} with token {}", emulator.base_url(), emulator.access_token());
/// assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
/// assert!(emulator.base_url().ends_with("/v1"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    pub(crate) shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Emulator {
    /// Starts an emulator on a free port of 127.0.0.1 with no fault.
    pub async fn start() -> io::Result<Emulator> {
        EmulatorBuilder::default().start().await
    }

    /// A builder, to choose the port, faults, token lifetime and seeded people.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:<port>/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// What the routes and sockets share.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The access token of the seeded caller (Ada Lovelace, `ada@example.com`).
    pub fn access_token(&self) -> String {
        self.shared.state().caller_token.clone()
    }

    /// The seeded caller.
    pub fn me(&self) -> Person {
        let state = self.shared.state();
        state
            .people
            .get(&state.caller_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Everyone the emulator knows, in creation order.
    pub fn people(&self) -> Vec<Person> {
        let state = self.shared.state();
        state
            .people
            .iter()
            .map(|(_, person)| person.clone())
            .collect()
    }

    /// Adds a person (or returns the one with that email).
    pub fn add_person(&self, email: &str, display_name: &str) -> Person {
        self.shared.state().add_person(email, display_name)
    }

    /// Issues a new access token for the person with this email, if known.
    pub fn token_for(&self, email: &str) -> Option<String> {
        let mut state = self.shared.state();
        let id = state.person_by_email(email)?.id.clone();
        Some(state.tokens.issue_access(&id))
    }

    /// The OAuth client id to refresh with.
    pub fn client_id(&self) -> String {
        self.shared.state().tokens.client_id.clone()
    }

    /// The OAuth client secret to refresh with.
    pub fn client_secret(&self) -> String {
        self.shared.state().tokens.client_secret.clone()
    }

    /// The caller's refresh token.
    pub fn refresh_token(&self) -> String {
        self.shared.state().caller_refresh_token.clone()
    }

    /// Issues a refresh token for the person with this email, if known.
    pub fn refresh_token_for(&self, email: &str) -> Option<String> {
        let mut state = self.shared.state();
        let id = state.person_by_email(email)?.id.clone();
        Some(state.tokens.issue_refresh(&id))
    }

    /// Revokes a refresh token (the caller's is [`Emulator::refresh_token`]): from now on the
    /// refresh grant with it answers `400 {"error": "invalid_grant", ...}`, as Webex does for a
    /// refresh token revoked or expired. Tokens issued from it before stay valid. False if it
    /// was not a valid refresh token.
    pub fn revoke_refresh_token(&self, refresh_token: &str) -> bool {
        self.shared.state().tokens.revoke_refresh(refresh_token)
    }

    /// How many requests reached the server (all paths, faults included).
    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// The bytes the store holds, as counted against [`EmulatorBuilder::memory_cap`]: the
    /// messages (an estimate of their rows, strings and index entries), the uploaded files and
    /// the kept events.
    pub fn stored_bytes(&self) -> usize {
        store_limits::stored_bytes(&self.shared.state())
    }

    /// How many tokens `/access_token` issued.
    pub fn refresh_count(&self) -> u64 {
        self.shared.refreshes.load(Ordering::SeqCst)
    }

    /// How many connections are being served now (at most
    /// [`EmulatorBuilder::max_connections`]).
    pub fn open_connections(&self) -> usize {
        self.shared.open_connections.load(Ordering::SeqCst)
    }

    /// How many webhook deliveries reached their receiver (whatever it answered).
    pub fn deliveries_sent(&self) -> u64 {
        self.shared.dispatcher.counts.sent.load(Ordering::SeqCst)
    }

    /// How many webhook deliveries failed: the receiver could not be reached, or gave no whole
    /// answer within [`EmulatorBuilder::delivery_timeout`]. Failed deliveries are not retried.
    pub fn deliveries_failed(&self) -> u64 {
        self.shared.dispatcher.counts.failed.load(Ordering::SeqCst)
    }

    /// How many webhook deliveries were dropped unsent: pushed out, oldest first, of a
    /// receiver's full queue (see [`EmulatorBuilder::delivery_queue`]).
    pub fn deliveries_dropped(&self) -> u64 {
        self.shared.dispatcher.counts.dropped.load(Ordering::SeqCst)
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.shared.faults().faults.clone()
    }

    /// Replaces the faults (restarting their counting).
    pub fn set_faults(&self, faults: Faults) {
        self.shared.faults().replace(faults);
    }

    /// Changes the faults in force with `change` (restarting their counting).
    pub fn update_faults(&self, change: impl FnOnce(Faults) -> Faults) {
        let mut faults = self.shared.faults();
        let next = change(faults.faults.clone());
        faults.replace(next);
    }

    /// Turns every fault off.
    pub fn clear_faults(&self) {
        self.set_faults(Faults::none());
    }

    /// Answers the next `k` requests with 429 and this `Retry-After` (seconds).
    pub fn rate_limit_next(&self, k: u32, retry_after_secs: u64) {
        self.update_faults(|faults| faults.rate_limit_next(k).retry_after_secs(retry_after_secs));
    }

    /// Answers every `n`th request with 429 and this `Retry-After` (seconds).
    pub fn rate_limit_every(&self, n: u32, retry_after_secs: u64) {
        self.update_faults(|faults| {
            faults
                .rate_limit_every(n)
                .retry_after_secs(retry_after_secs)
        });
    }

    /// Answers the next `k` requests with this server error status.
    pub fn fail_next(&self, k: u32, status: u16) {
        self.update_faults(|faults| faults.server_error_next(k).server_error_status(status));
    }

    /// Waits this long before each answer.
    pub fn set_latency(&self, latency: Duration) {
        self.update_faults(|faults| faults.latency(latency));
    }

    /// Writes `max=null` in next-page links (or stops).
    pub fn set_null_max_in_next_links(&self, enabled: bool) {
        self.update_faults(|faults| faults.null_max_in_next_links(enabled));
    }

    /// Access tokens issued from now on live this long.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.state().tokens.set_lifetime(lifetime);
    }

    /// Expires every access token issued so far: the next call with one answers 401.
    pub fn expire_all_tokens(&self) {
        self.shared.state().tokens.expire_all();
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        let _ = (&mut self.task).await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        self.task.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    // A slot is taken before accepting, so that past the bound connections wait in the listen
    // queue rather than holding a file descriptor here.
    let mut slot: Option<OwnedSemaphorePermit> = None;
    loop {
        tokio::select! {
            permit = Arc::clone(&shared.connection_slots).acquire_owned(), if slot.is_none() => {
                slot = permit.ok();
            }
            accepted = listener.accept(), if slot.is_some() => match accepted {
                Ok((stream, _)) => {
                    let permit = slot.take();
                    connections.spawn(serve_connection(stream, Arc::clone(&shared), permit));
                }
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = stopped.changed() => break,
        }
    }
}

/// Counts a connection as open for as long as it lives.
struct OpenConnection {
    shared: Arc<Shared>,
    _slot: Option<OwnedSemaphorePermit>,
}

impl OpenConnection {
    fn new(shared: Arc<Shared>, slot: Option<OwnedSemaphorePermit>) -> Self {
        shared.open_connections.fetch_add(1, Ordering::SeqCst);
        Self {
            shared,
            _slot: slot,
        }
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.shared.open_connections.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves one connection until it closes or times out; its slot is given back on return.
async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    slot: Option<OwnedSemaphorePermit>,
) {
    let _open = OpenConnection::new(Arc::clone(&shared), slot);
    let reset = ResetSwitch::default();
    let stream = ResettableStream::new(stream, reset.clone());
    let io = TokioIo::new(WriteTimeout::new(stream, shared.limits.write_timeout));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(shared.limits.header_read_timeout)
        .keep_alive(true);
    let service = service_fn(move |request| {
        let shared = Arc::clone(&shared);
        let reset = reset.clone();
        async move {
            if crate::mercury::socket_device(request.uri().path()).is_some() {
                return Ok(crate::mercury::accept(&shared, request));
            }
            let answered = serve(&shared, request).await;
            if answered.is_err() {
                // hyper drops the connection unanswered; the stream then ends with a reset.
                reset.throw();
            }
            answered
        }
    });
    if let Err(error) = builder.serve_connection(io, service).with_upgrades().await {
        tracing::debug!(%error, "connection ended with an error");
    }
}

/// One request, start to finish: its answer, or [`ConnectionReset`] when it drew the reset
/// fault (it was applied all the same).
async fn serve(
    shared: &Shared,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ConnectionReset> {
    let (parts, body) = request.into_parts();
    let tracking_id = || {
        format!(
            "EMULATOR_{}",
            shared.tracking.fetch_add(1, Ordering::SeqCst) + 1
        )
    };
    if control::is_control(parts.uri.path()) {
        let outcome = control::serve(shared, parts, body).await;
        return Ok(render(outcome, &tracking_id(), false));
    }
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let is_head = parts.method == Method::HEAD;
    let logged = shared.control.start_entry(shared, &parts);
    let drawn = shared.faults().draw();
    let reset = drawn.reset;
    let outcome = answer(shared, parts, body, drawn).await;
    let deliveries = std::mem::take(&mut shared.state().outbox);
    if !deliveries.is_empty() {
        shared.dispatcher.send_all(deliveries);
    }
    let response = render(outcome, &tracking_id(), is_head);
    shared.control.finish_entry(logged, &response, reset);
    if reset {
        return Err(ConnectionReset);
    }
    Ok(response)
}

/// The path's segments below `/v1/`, or `None` for a path outside it.
fn segments(path: &str) -> Option<Vec<&str>> {
    if let Some(segments) = routes::devices_wdm::segments(path) {
        return Some(segments);
    }
    let rest = path.strip_prefix("/v1/")?;
    Some(
        rest.split('/')
            .filter(|segment| !segment.is_empty())
            .collect(),
    )
}

fn content_type(parts: &http::request::Parts) -> &str {
    parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// The most body a request may carry: an upload's for a form posted to `/v1/messages`, 1 MB
/// for anything else.
fn body_limit(parts: &http::request::Parts) -> usize {
    let upload = parts.method == Method::POST
        && segments(parts.uri.path()).is_some_and(|segments| segments == ["messages"])
        && multipart::is_form(content_type(parts));
    if upload {
        MAX_UPLOAD_BODY_BYTES
    } else {
        MAX_JSON_BODY_BYTES
    }
}

/// Checks what the head alone tells (the path, the token, an upload's boundary) before any of
/// the body is read, so that a refused body is never buffered. Gives the caller: the token's
/// owner, or nobody (empty) for `/v1/access_token`, which takes no token.
fn admit(shared: &Shared, parts: &http::request::Parts) -> Outcome<String> {
    let segments = segments(parts.uri.path()).ok_or_else(Failure::not_found)?;
    if segments == ["access_token"] {
        return Ok(String::new());
    }
    let caller = {
        let state = shared.state();
        let caller = state.tokens.caller(&parts.headers)?;
        store_limits::check(&state, &parts.method)?;
        caller
    };
    if parts.method == Method::POST && segments == ["messages"] {
        multipart::boundary(content_type(parts))?;
    }
    Ok(caller)
}

/// The answer to a request, given what the faults drew for it (a reset is the caller's
/// business: the request is answered as if there were none).
async fn answer(
    shared: &Shared,
    parts: http::request::Parts,
    body: Incoming,
    drawn: Drawn,
) -> Outcome<Reply> {
    let quirks = shared.state().quirks.clone();
    let Drawn {
        failure: fault,
        latency,
        null_max_in_next_links: null_max_in_links,
        ..
    } = drawn;
    let admitted = admit(shared, &parts);
    let body_limit = body_limit(&parts);
    // A refusal goes out before the body is read (what is left of it is thrown away as it
    // comes). A request that draws a fault is read first, then answered with the fault.
    if let (None, Err(refusal)) = (&fault, &admitted) {
        body::discard(
            body,
            &parts.headers,
            body_limit,
            shared.limits.body_read_timeout,
        );
        return Err(refusal.clone());
    }
    let body = body::read(
        body,
        &parts.headers,
        body_limit,
        shared.limits.body_read_timeout,
    )
    .await?;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Some(fault) = fault {
        return Err(fault);
    }
    let caller = admitted?;
    let path = parts.uri.path().to_owned();
    let segments = segments(&path).ok_or_else(Failure::not_found)?;
    let host = parts
        .headers
        .get(http::header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|authority| authority.to_string()))
        .unwrap_or_else(|| "127.0.0.1".to_owned());
    let ctx = Ctx {
        shared,
        caller,
        method: parts.method.clone(),
        path: path.clone(),
        query: Query::parse(parts.uri.query()),
        headers: &parts.headers,
        body,
        origin: format!("http://{host}"),
        null_max_in_links,
        quirks,
    };
    if segments == ["access_token"] {
        return routes::access_token::handle(&ctx);
    }
    let reply = routes::route(&ctx, &segments)?;
    Ok(ctx.quirks.rewrite_reply(reply))
}

fn render(outcome: Outcome<Reply>, tracking_id: &str, is_head: bool) -> Response<Full<Bytes>> {
    let reply = match outcome {
        Ok(reply) => reply,
        Err(failure) => {
            let mut reply = match failure.oauth_body(tracking_id) {
                Some(oauth) => Reply::json(failure.status, &oauth),
                None => Reply::json(failure.status, &failure.body(tracking_id)),
            };
            for (name, value) in failure.headers {
                reply = reply.header(name, value);
            }
            reply
        }
    };
    let mut response = Response::new(Full::new(if is_head { Bytes::new() } else { reply.body }));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    if let Ok(value) = HeaderValue::from_str(tracking_id) {
        headers.insert("trackingid", value);
    }
    if reply.status == StatusCode::NO_CONTENT {
        headers.remove(http::header::CONTENT_TYPE);
    }
    response
}
