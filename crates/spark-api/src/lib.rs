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
//!
//! # The whole API
//!
//! The resources above are written by hand (uploads, downloads, streams of their own). Every
//! other operation of the official Webex specs (`spec/*.json`: messaging, meetings, devices,
//! admin; 369 operations beside the 53 written by hand) is generated from the specs by
//! `cargo xtask codegen` into one module per area, a service per resource, reached from the
//! [`Client`] the same way:
//!
//! | area | module | cargo feature | services (examples) |
//! | --- | --- | --- | --- |
//! | messaging | [`messaging`] | always | `client.room_linked_folders()`, `client.hybrid_data_security()` |
//! | meetings | `meetings` | `meetings` | `client.meetings()`, `client.meeting_invitees()`, `client.meeting_transcripts()`, `client.recordings()`, `client.meeting_preferences()`, `client.video_mesh()` |
//! | devices | `devices` | `devices` | `client.devices()`, `client.workspaces()`, `client.xapi()`, `client.device_configurations()`, `client.locations()` |
//! | admin | `admin` | `admin` | `client.groups()`, `client.admin_audit_events()`, `client.reports()`, `client.scim_users()`, `client.domains()` |
//!
//! `full` turns on every area. The request and answer types are in the same module of
//! [`model`]: a request type is named after its operation (`ListMeetings`,
//! `CreateMeetingInvitee`), takes its required parameters in `new` and the others by setters;
//! list operations return a [`ListStream`] with the same guarantees as the handwritten ones.
//! Operations that extend a handwritten resource are methods of its service
//! (`client.organizations().delete(..)`, `client.licenses().assign_to_users(..)`).
//!
//! Left out, with the reason: `POST /telephony/config/devices/{deviceId}/actions/backgroundImageUpload/invoke`
//! takes a multipart form the generator does not describe; its method sends the JSON fields
//! only (use [`Client::http`] for the file).
//!
//! For anything else, typed calls take any path: [`Client::get`], [`Client::send`],
//! [`Client::list`] (a [`ListStream`] of any `Deserialize` type), [`Client::resume_list`] (go on
//! from a saved next link), and [`ApiError::from_response`] gives the same errors to users of
//! `spark-http` alone.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod answer;
mod call;
mod client;
mod disposition;
mod env;
mod error;
pub mod file_name;
mod form;
mod link;
mod pagination;
mod progress;
mod service;
mod typed_calls;
mod unique;
pub mod webhook;

#[cfg(feature = "admin")]
#[cfg_attr(docsrs, doc(cfg(feature = "admin")))]
#[path = "generated/admin.rs"]
pub mod admin;
#[cfg(feature = "devices")]
#[cfg_attr(docsrs, doc(cfg(feature = "devices")))]
#[path = "generated/devices.rs"]
pub mod devices;
#[cfg(feature = "meetings")]
#[cfg_attr(docsrs, doc(cfg(feature = "meetings")))]
#[path = "generated/meetings.rs"]
pub mod meetings;
#[path = "generated/messaging.rs"]
pub mod messaging;

/// The readers of untrusted header values, reachable for property tests and fuzzing; not part of
/// the API.
#[doc(hidden)]
pub mod parsers {
    pub use crate::disposition::file_name_of;
    pub use crate::link::{next_link, repair};
}

/// The writer of upload forms (`multipart/form-data`), reachable for property tests and fuzzing
/// against a form reader (the emulator's); not part of the API.
#[doc(hidden)]
pub mod forms {
    pub use crate::form::{FormPart, encode_form};
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

/// The example of the crate's README (its front page on crates.io), run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
