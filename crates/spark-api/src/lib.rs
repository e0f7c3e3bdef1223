//! An async client for the Webex REST API (formerly Cisco Spark).
//!
//! [`Client`] reaches one service per resource; lists come back as streams fetched a page at a
//! time; files upload from memory or stream from disk and download to any writer, a path, or a
//! directory under the server's file name made safe ([`file_name`]); webhook deliveries are
//! checked by signature ([`webhook`]). Underneath runs the `spark-http` stack:
//! token refresh, rate-limit-aware retry, response hooks.
//!
//! One dependency is enough: the resource types are re-exported as [`model`] (the
//! `spark-model` crate) and the HTTP stack as [`http`] (the `spark-http` crate).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> spark_api::Result<()> {
//! # let emulator = spark_emulator::Emulator::start().await?;
//! # let (base_url, token) = (emulator.base_url(), emulator.access_token());
//! use futures_util::TryStreamExt;
//! use spark_api::Client;
//! use spark_api::http::RetryPolicy;
//! use spark_api::model::{CreateMessage, CreateRoom, ListRooms};
//!
//! let client = Client::builder()
//!     .base_url(base_url)? // default https://webexapis.com/v1
//!     .access_token(token)
//!     .retry(RetryPolicy::default().max_attempts(6))
//!     .build()?;
//! let me = client.people().me().await?;
//! let room = client.rooms().create(&CreateRoom::new("Design review")).await?;
//! client.messages().create(&CreateMessage::to_room(&room.id).markdown("**hello**")).await?;
//! // `max` is the page size: the stream fetches 100 rooms a request, as many requests as it takes.
//! let rooms: Vec<_> = client.rooms().list(&ListRooms::new().max(100)).try_collect().await?;
//! assert!(rooms.iter().any(|listed| listed.id == room.id));
//! println!("{} created {}", me.display_name.unwrap_or_default(), room.id);
//! # Ok(())
//! # }
//! ```

mod answer;
mod client;
mod env;
mod error;
pub mod file_name;
mod link;
mod pagination;
mod progress;
mod service;
mod unique;
pub mod webhook;

/// The readers of untrusted header values, reachable for property tests and fuzzing; not part of
/// the API.
#[doc(hidden)]
pub mod parsers {
    pub use crate::link::{next_link, repair};
    pub use crate::service::file_name_of;
}

/// The `spark-http` crate: the tower stack under the client (retry policy, hooks, credentials,
/// the raw [`HttpClient`](http::HttpClient) that [`Client::http`] hands out).
pub use spark_http as http;
/// The `spark-model` crate: the resources, request parameters and answers the services take and
/// return.
pub use spark_model as model;

pub use client::{Client, ClientBuilder};
pub use env::{
    ACCESS_TOKEN_VARIABLES, BASE_URL_VARIABLES, CLIENT_ID_VARIABLES, CLIENT_SECRET_VARIABLES,
    REFRESH_TOKEN_VARIABLES, RefreshSetting,
};
pub use error::{ApiError, Error, Result};
pub use pagination::{ListStream, Page, PageStream};
pub use progress::{ListProgress, Progress};
pub use service::{
    AttachmentActions, ContentInfo, Contents, DEFAULT_DOWNLOAD_LIMIT, DownloadOptions, Events,
    FileUpload, Licenses, MAX_FILE_BYTES, Memberships, Messages, OAuth, Organizations, People,
    Roles, RoomTabs, Rooms, TeamMemberships, Teams, Webhooks,
};
