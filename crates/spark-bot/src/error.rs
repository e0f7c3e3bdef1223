//! The crate's error type: what can go wrong registering a device, keeping its socket, reading
//! a webhook delivery or running a bot. No variant carries a token.

use std::time::Duration;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong. Messages name the step and the limit, never a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A REST call of the client failed.
    #[error(transparent)]
    Api(#[from] spark_api::Error),
    /// A call through the HTTP stack failed (device registration, service discovery).
    #[error(transparent)]
    Http(#[from] spark_http::Error),
    /// Webex refuses to register one more device for this account: it holds too many
    /// (about 100). Our own older registrations were deleted first and the registration tried
    /// once more; what is left belongs to other clients. Delete unused devices of the account.
    #[error(
        "device registration refused: the account has too many devices registered (Webex says \
         \"{message}\"); {deleted} older device(s) of ours were deleted and the registration \
         tried again; delete unused devices of this account"
    )]
    DeviceLimit {
        /// The message Webex gave (`User has excessive device registrations`).
        message: String,
        /// How many of our own older devices were deleted before giving up.
        deleted: usize,
    },
    /// The device service answered a registration, refresh or listing with an error.
    #[error("the device service answered {status} to {action}: {message}")]
    Device {
        /// What was being done (`register`, `refresh`, `list devices`, ...).
        action: &'static str,
        /// The HTTP status.
        status: u16,
        /// The error text of the answer, if any.
        message: String,
    },
    /// Service discovery (the U2C catalog) gave no device service.
    #[error("service discovery failed: {0}")]
    Discovery(String),
    /// An answer could not be read as JSON of the expected shape.
    #[error("unexpected answer from {what}: {detail}")]
    Decode {
        /// Which answer.
        what: &'static str,
        /// What was wrong with it.
        detail: String,
    },
    /// The websocket could not be opened.
    #[error("the event socket could not be opened: {0}")]
    Connect(String),
    /// A wait ran past its bound.
    #[error("{what} took longer than {limit:?}")]
    Timeout {
        /// What was waited for (`websocket connect`, `authorization`, `pong`, ...).
        what: &'static str,
        /// The bound.
        limit: Duration,
    },
    /// The server closed the socket with a code that means "do not reconnect": 4000
    /// (replaced by another connection), 4400 (bad request), 4403 (forbidden), or the token
    /// was refused (4401) and could not be refreshed.
    #[error("the event socket was closed for good: code {code} ({reason})")]
    Closed {
        /// The websocket close code.
        code: u16,
        /// The close reason the server gave.
        reason: String,
    },
    /// The client has no access token to authorize the socket with.
    #[error("the client has no access token (and cannot refresh one)")]
    NoToken,
    /// The device kept disappearing: its socket answered 404 after this many registrations
    /// in a row.
    #[error("the device was gone after {0} registrations in a row")]
    DeviceGone(u32),
    /// A configuration value is not usable.
    #[error("invalid configuration: {0}")]
    Config(String),
}
