//! An async client for the Webex REST API (formerly Cisco Spark).
//!
//! [`Client`] reaches one service per resource; lists come back as streams fetched a page at a
//! time; files upload from memory or stream from disk and download to any writer; webhook
//! deliveries are checked by signature ([`webhook`]). Underneath runs the `spark-http` stack:
//! token refresh, rate-limit-aware retry, response hooks.
//!
//! ```no_run
//! # async fn run() -> spark_api::Result<()> {
//! use futures_util::TryStreamExt;
//! use spark_api::Client;
//! use spark_model::{CreateMessage, CreateRoom, ListRooms};
//!
//! let client = Client::builder()
//!     .base_url("http://127.0.0.1:8080/v1")? // default https://webexapis.com/v1
//!     .access_token("token")
//!     .build()?;
//! let me = client.people().me().await?;
//! let rooms: Vec<_> = client.rooms().list(&ListRooms::new().max(100)).try_collect().await?;
//! let room = client.rooms().create(&CreateRoom::new("Design review")).await?;
//! client.messages().create(&CreateMessage::to_room(&room.id).markdown("**hello**")).await?;
//! # Ok(())
//! # }
//! ```

mod answer;
mod client;
mod env;
mod error;
mod link;
mod pagination;
mod service;
mod unique;
pub mod webhook;

pub use client::{Client, ClientBuilder};
pub use env::{
    ACCESS_TOKEN_VARIABLES, BASE_URL_VARIABLES, CLIENT_ID_VARIABLES, CLIENT_SECRET_VARIABLES,
    REFRESH_TOKEN_VARIABLES, RefreshSetting,
};
pub use error::{ApiError, Error, Result};
pub use pagination::{ListStream, Page, PageStream};
pub use service::{
    AttachmentActions, ContentInfo, Contents, DownloadOptions, Events, FileUpload, Licenses,
    MAX_FILE_BYTES, Memberships, Messages, OAuth, Organizations, People, Roles, RoomTabs, Rooms,
    TeamMemberships, Teams, Webhooks,
};
