//! [`EventStream`]: the events of a device's websocket as a `Stream`, reconnecting by itself.
//!
//! [`EventStream::builder`] registers (or reuses) the device and opens its first socket before
//! it returns, so a registration refused for good ([`Error::DeviceLimit`]) is the answer of
//! [`EventStreamBuilder::connect`]. A spawned task then keeps the socket: acks, pings, and on
//! loss a reconnection with jittered exponential back-off (1 s doubling to 32 s by default),
//! registering the device again when its socket answers 404 and taking a fresh token from the
//! client's token cache after a 4401. Each reconnection is an item of the stream
//! ([`Incoming::Reconnected`], with the gap). Activities are handed on once: a frame replayed
//! after a reconnect is dropped by its activity id. Dropping the stream closes the socket and
//! deletes the device it registered (within the cleanup timeout, in the spawned task).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use rustls::ClientConfig;
use spark_api::Client;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::Connector;

use crate::backoff;
use crate::cleanup::DeleteOnDrop;
use crate::dedupe::Recent;
use crate::device::{DEFAULT_U2C_URL, Device, DeviceApi, Services};
use crate::error::{Error, Result};
use crate::event::Incoming;
use crate::ids::HostMap;
use crate::socket::{self, Ended, OpenError, Timing, Ws};

/// Configures an [`EventStream`]. Defaults: device name `spark-bot`, discovery through the U2C
/// catalog at [`DEFAULT_U2C_URL`], connect and authorization bounded by 10 s each, a ping 15 s
/// after each pong and 14 s to answer it, back-off 1 s doubling to 32 s, 3 registrations in a
/// row at most, 1024 items waiting in the stream, the last 4096 activity ids remembered, 10 s
/// for the cleanup, rustls with the ring provider and the webpki roots.
#[must_use]
pub struct EventStreamBuilder {
    client: Client,
    device_name: String,
    wdm_url: Option<String>,
    u2c_url: String,
    timing: Timing,
    backoff: (Duration, Duration),
    max_registrations: u32,
    queue: usize,
    remembered: usize,
    cleanup_timeout: Duration,
    call_timeout: Duration,
    tls: Option<Arc<ClientConfig>>,
}

impl std::fmt::Debug for EventStreamBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStreamBuilder")
            .field("device_name", &self.device_name)
            .field("wdm_url", &self.wdm_url)
            .field("u2c_url", &self.u2c_url)
            .field("timing", &self.timing)
            .field("backoff", &self.backoff)
            .finish_non_exhaustive()
    }
}

impl EventStreamBuilder {
    /// The device's name (default `spark-bot`): our device is the newest of the account's with
    /// this name, reused across restarts. Give each running instance its own.
    pub fn device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = name.into();
        self
    }

    /// Uses this device service (`.../wdm/api/v1`) instead of discovering it; ids then use the
    /// `us` cluster.
    pub fn wdm_url(mut self, url: impl Into<String>) -> Self {
        self.wdm_url = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Discovers the device service at this U2C service (default [`DEFAULT_U2C_URL`]).
    pub fn u2c_url(mut self, url: impl Into<String>) -> Self {
        self.u2c_url = url.into();
        self
    }

    /// Bounds the websocket's opening (TCP, TLS and upgrade; default 10 s).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.timing.connect = limit;
        self
    }

    /// Bounds the wait for the socket's authorization (default 10 s).
    pub fn authorization_timeout(mut self, limit: Duration) -> Self {
        self.timing.authorization = limit;
        self
    }

    /// Pings this long after the socket opened and after each pong (default 15 s); a pong must
    /// come within `pong_timeout` (default 14 s) or the socket counts as dead.
    pub fn keepalive(mut self, ping_interval: Duration, pong_timeout: Duration) -> Self {
        self.timing.ping_interval = ping_interval;
        self.timing.pong_timeout = pong_timeout;
        self
    }

    /// The reconnection back-off: full jitter, doubling from `min` up to `max` (default 1 s
    /// to 32 s).
    pub fn reconnect_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.backoff = (min, max.max(min));
        self
    }

    /// Bounds the device service calls (default 30 s each).
    pub fn call_timeout(mut self, limit: Duration) -> Self {
        self.call_timeout = limit;
        self
    }

    /// Bounds the cleanup after the stream is dropped: closing the socket and deleting the
    /// device (default 10 s).
    pub fn cleanup_timeout(mut self, limit: Duration) -> Self {
        self.cleanup_timeout = limit;
        self
    }

    /// Items waiting to be read before newer events are dropped, with a warning (default 1024).
    pub fn queue(mut self, items: usize) -> Self {
        self.queue = items.max(1);
        self
    }

    /// Uses this rustls configuration for `wss://` sockets (default: ring provider, webpki
    /// roots).
    pub fn tls_config(mut self, config: Arc<ClientConfig>) -> Self {
        self.tls = Some(config);
        self
    }

    /// Registers the device (or reuses ours), opens and authorizes its socket, and returns the
    /// stream of its events.
    ///
    /// # Errors
    ///
    /// [`Error::DeviceLimit`] when the account holds too many devices; [`Error::Discovery`],
    /// [`Error::Device`], [`Error::Api`]/[`Error::Http`] when the services cannot be reached or
    /// refuse; [`Error::NoToken`]; [`Error::Connect`], [`Error::Timeout`] or [`Error::Closed`]
    /// when the first socket cannot be opened and authorized (the device registered for it is
    /// deleted again).
    pub async fn connect(self) -> Result<EventStream> {
        let api = DeviceApi {
            client: self.client.clone(),
            name: self.device_name.clone(),
            timeout: self.call_timeout,
        };
        let services = match &self.wdm_url {
            Some(url) => Services {
                wdm_url: url.clone(),
                hosts: HostMap::default(),
            },
            None => api.discover(&self.u2c_url).await?,
        };
        let tls = match self.tls.clone() {
            Some(config) => config,
            None => crate::tls::default_tls_config()?,
        };
        let mut session = Session {
            api,
            services,
            device: None,
            connector: Connector::Rustls(tls),
            timing: self.timing,
            backoff: self.backoff,
            max_registrations: self.max_registrations,
            cleanup_timeout: self.cleanup_timeout,
            recent: Recent::new(self.remembered),
            dropped: Arc::new(AtomicU64::new(0)),
        };
        let device = session.api.register(&session.services.wdm_url).await?;
        // Should this future be dropped before the stream starts, the device goes too.
        let guard = DeleteOnDrop::new(
            session.api.clone(),
            device.url.clone(),
            self.cleanup_timeout,
        );
        session.device = Some(device);
        let opened = session.open_with_token_refresh().await;
        guard.disarm();
        let ws = match opened {
            Ok(ws) => ws,
            Err(error) => {
                session.delete_device().await;
                return Err(error);
            }
        };
        let (tx, rx) = mpsc::channel(self.queue);
        let dropped = Arc::clone(&session.dropped);
        let cleanup_timeout = session.cleanup_timeout;
        let task = tokio::spawn(session.run(ws, tx));
        Ok(EventStream {
            rx,
            dropped,
            task,
            cleanup_timeout,
        })
    }
}

/// The events of a device's websocket.
///
/// The events of a device's websocket as a `Stream`, reconnecting by itself.
///
/// [`EventStream::builder`] registers (or reuses) the device and opens its first socket before
/// it returns, so a registration refused for good ([`Error::DeviceLimit`]) is the answer of
/// [`EventStreamBuilder::connect`]. A spawned task then keeps the socket: acks, pings, and on
/// loss a reconnection with jittered exponential back-off (1 s doubling to 32 s by default),
/// registering the device again when its socket answers 404 and taking a fresh token from the
/// client's token cache after a 4401. Each reconnection is an item of the stream
/// ([`Incoming::Reconnected`], with the gap). Activities are handed on once: a frame replayed
/// after a reconnect is dropped by its activity id. Dropping the stream closes the socket and
/// deletes the device it registered (within the cleanup timeout, in the spawned task).
///
///
/// Items are `Ok(Incoming::Event(..))`, `Ok(Incoming::Reconnected { .. })`, and at most one
/// `Err(..)` when the socket ends for good (closed with 4000, 4400 or 4403, a token that cannot
/// be refreshed, a device that cannot be registered again), after which the stream ends.
///
/// ```no_run
/// # async fn run() -> spark_bot::Result<()> {
/// use futures_util::StreamExt;
/// use spark_bot::{EventStream, Incoming};
///
/// let client = spark_api::Client::from_env()?;
/// let mut events = EventStream::builder(client).device_name("my-bot").connect().await?;
/// while let Some(item) = events.next().await {
///     match item? {
///         Incoming::Event(event) => println!("{:?} in {:?}", event.kind, event.room_id()),
///         Incoming::Reconnected { gap, .. } => println!("back after {gap:?}"),
///         _ => {}
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct EventStream {
    rx: mpsc::Receiver<Result<Incoming>>,
    dropped: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
    cleanup_timeout: Duration,
}

impl EventStream {
    /// Closes the socket, deletes the device, and waits until both are done: at most twice the
    /// cleanup timeout (plus a second for the task to notice). Dropping the stream does the same
    /// without waiting, in a spawned task, which a runtime shutting down may cancel: a program
    /// about to exit calls this instead. [`Bot::run`](crate::Bot::run) does after a
    /// [shutdown](crate::Bot::shutdown).
    pub async fn close(self) {
        let Self {
            rx,
            task,
            cleanup_timeout,
            ..
        } = self;
        drop(rx);
        let bound = cleanup_timeout
            .saturating_mul(2)
            .saturating_add(Duration::from_secs(1));
        if tokio::time::timeout(bound, task).await.is_err() {
            tracing::warn!(limit = ?bound, "closing the event stream timed out");
        }
    }

    /// A builder for the device and socket of `client` (its token authorizes the socket).
    pub fn builder(client: Client) -> EventStreamBuilder {
        EventStreamBuilder {
            client,
            device_name: "spark-bot".to_owned(),
            wdm_url: None,
            u2c_url: DEFAULT_U2C_URL.to_owned(),
            timing: Timing {
                connect: Duration::from_secs(10),
                authorization: Duration::from_secs(10),
                ping_interval: Duration::from_secs(15),
                pong_timeout: Duration::from_secs(14),
            },
            backoff: (Duration::from_secs(1), Duration::from_secs(32)),
            max_registrations: 3,
            queue: 1024,
            remembered: 4096,
            cleanup_timeout: Duration::from_secs(10),
            call_timeout: Duration::from_secs(30),
            tls: None,
        }
    }

    /// Events dropped because the stream was not read fast enough (its queue was full).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl Stream for EventStream {
    type Item = Result<Incoming>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

/// The task that keeps the socket.
struct Session {
    api: DeviceApi,
    services: Services,
    device: Option<Device>,
    connector: Connector,
    timing: Timing,
    backoff: (Duration, Duration),
    max_registrations: u32,
    cleanup_timeout: Duration,
    recent: Recent,
    dropped: Arc<AtomicU64>,
}

/// What an attempt to reopen the socket came to.
enum Reopen {
    Open(Box<Ws>, bool),
    Retry,
    Fatal(Error),
}

impl Session {
    /// Opens the socket once, refreshing the token once if it is refused.
    async fn open_with_token_refresh(&mut self) -> Result<Ws> {
        for attempt in 0..2 {
            match self.open_once().await {
                Ok(ws) => return Ok(ws),
                Err(OpenError::Unauthorized) if attempt == 0 => {
                    crate::token::refresh(&self.api.client).await?;
                }
                Err(OpenError::Unauthorized) => {
                    return Err(Error::Closed {
                        code: 4401,
                        reason: "the token was refused".to_owned(),
                    });
                }
                Err(OpenError::DeviceGone) => {
                    return Err(Error::DeviceGone(1));
                }
                Err(OpenError::Fatal(error) | OpenError::Retry(error)) => return Err(error),
            }
        }
        Err(Error::NoToken)
    }

    async fn open_once(&self) -> Result<Ws, OpenError> {
        let device = self.device.as_ref().ok_or(OpenError::DeviceGone)?;
        let token = crate::token::authorization(&self.api.client)
            .await
            .map_err(OpenError::Fatal)?;
        let token = token
            .to_str()
            .map_err(|_| OpenError::Fatal(Error::NoToken))?
            .to_owned();
        socket::open(
            &device.web_socket_url,
            &token,
            self.connector.clone(),
            self.timing,
        )
        .await
    }

    /// One reconnection attempt (registering again on 404, refreshing the token on 4401).
    async fn reopen(&mut self, registrations: &mut u32, registered_again: &mut bool) -> Reopen {
        match self.open_once().await {
            Ok(ws) => Reopen::Open(Box::new(ws), *registered_again),
            Err(OpenError::DeviceGone) => {
                *registrations += 1;
                if *registrations > self.max_registrations {
                    return Reopen::Fatal(Error::DeviceGone(*registrations - 1));
                }
                match self.api.register_new(&self.services.wdm_url).await {
                    Ok(device) => {
                        self.device = Some(device);
                        *registered_again = true;
                        Reopen::Retry
                    }
                    Err(error @ Error::DeviceLimit { .. }) => Reopen::Fatal(error),
                    Err(error) => {
                        tracing::warn!(%error, "registering the device again failed");
                        Reopen::Retry
                    }
                }
            }
            Err(OpenError::Unauthorized) => match crate::token::refresh(&self.api.client).await {
                Ok(()) => Reopen::Retry,
                Err(error) => Reopen::Fatal(error),
            },
            Err(OpenError::Fatal(error)) => Reopen::Fatal(error),
            Err(OpenError::Retry(error)) => {
                tracing::debug!(%error, "reconnection attempt failed");
                Reopen::Retry
            }
        }
    }

    /// Keeps the socket until the stream is dropped or the socket ends for good.
    async fn run(mut self, first: Ws, tx: mpsc::Sender<Result<Incoming>>) {
        let mut ws = Some(first);
        'session: while let Some(current) = ws.as_mut() {
            let recent = &mut self.recent;
            let hosts = &self.services.hosts;
            let dropped = &self.dropped;
            let ended = socket::pump(
                current,
                self.timing,
                |activity| {
                    if !recent.first_time(activity.id()) {
                        tracing::debug!(activity = activity.id(), "activity seen already: dropped");
                        return;
                    }
                    let Some(event) = activity.to_event(hosts) else {
                        return;
                    };
                    if tx.try_send(Ok(Incoming::Event(event))).is_err() {
                        dropped.fetch_add(1, Ordering::Relaxed);
                        tracing::warn!(
                            activity = activity.id(),
                            "event stream full: event dropped"
                        );
                    }
                },
                tx.closed(),
            )
            .await;
            let reason = match ended {
                None => break 'session,
                Some(Ended::Fatal(error)) => {
                    let _ = tx.send(Err(error)).await;
                    break 'session;
                }
                Some(Ended::Unauthorized) => "the token was refused (4401)".to_owned(),
                Some(Ended::Lost(reason)) => reason,
            };
            tracing::info!(%reason, "event socket lost: reconnecting");
            ws = None;
            let lost_at = Instant::now();
            let mut attempts = 0;
            let mut registrations = 0;
            let mut registered_again = false;
            loop {
                attempts += 1;
                let wait = backoff::delay(attempts, self.backoff.0, self.backoff.1);
                tokio::select! {
                    () = tx.closed() => break 'session,
                    () = tokio::time::sleep(wait) => {}
                }
                let attempt = tokio::select! {
                    () = tx.closed() => break 'session,
                    attempt = self.reopen(&mut registrations, &mut registered_again) => attempt,
                };
                match attempt {
                    Reopen::Open(socket, registered_again) => {
                        let gap = lost_at.elapsed();
                        tracing::info!(?gap, attempts, "event socket reconnected");
                        ws = Some(*socket);
                        let item = Incoming::Reconnected {
                            gap,
                            attempts,
                            registered_again,
                        };
                        if tx.send(Ok(item)).await.is_err() {
                            break 'session;
                        }
                        break;
                    }
                    Reopen::Retry => {}
                    Reopen::Fatal(error) => {
                        let _ = tx.send(Err(error)).await;
                        break 'session;
                    }
                }
            }
        }
        if let Some(ws) = ws.as_mut() {
            socket::close(ws, self.cleanup_timeout).await;
        }
        self.delete_device().await;
    }

    /// Deletes the device, within the cleanup timeout.
    async fn delete_device(&mut self) {
        let Some(device) = self.device.take() else {
            return;
        };
        match tokio::time::timeout(self.cleanup_timeout, self.api.delete(&device.url)).await {
            Ok(Ok(())) => tracing::debug!(device = %device.url, "device deleted"),
            Ok(Err(error)) => tracing::warn!(%error, "the device could not be deleted"),
            Err(_) => {
                tracing::warn!(limit = ?self.cleanup_timeout, "deleting the device timed out")
            }
        }
    }
}
