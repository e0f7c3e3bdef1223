//! Webhooks: the `Webhook` resource (`/webhooks`), its request parameters, and the delivery
//! envelope Webex POSTs to a webhook's target URL.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;
use crate::enums::string_enum;
use crate::event::EventData;
use crate::secret::WebhookSecret;

string_enum! {
    /// The kind of resource a webhook listens to.
    pub enum WebhookResource {
        /// Every resource (a "firehose" webhook, with event `all`).
        All => "all",
        /// Card attachment actions.
        AttachmentActions => "attachmentActions",
        /// Data sources.
        DataSources => "dataSources",
        /// Room memberships.
        Memberships => "memberships",
        /// Messages.
        Messages => "messages",
        /// Rooms.
        Rooms => "rooms",
        /// Meetings.
        Meetings => "meetings",
        /// Meeting recordings.
        Recordings => "recordings",
        /// Converged (meeting and calling) recordings.
        ConvergedRecordings => "convergedRecordings",
        /// Meeting participants.
        MeetingParticipants => "meetingParticipants",
        /// Meeting transcripts.
        MeetingTranscripts => "meetingTranscripts",
        /// Webex Calling calls.
        TelephonyCalls => "telephony_calls",
        /// Webex Calling conferences.
        TelephonyConference => "telephony_conference",
        /// Webex Calling message waiting indicators.
        TelephonyMwi => "telephony_mwi",
        /// Unified communications counters.
        UcCounters => "uc_counters",
        /// Service app authorizations.
        ServiceApp => "serviceApp",
        /// Admin batch jobs.
        AdminBatchJobs => "adminBatchJobs",
    }
}

string_enum! {
    /// The kind of event a webhook listens to.
    pub enum WebhookEvent {
        /// Every event of the resource.
        All => "all",
        /// An object was created.
        Created => "created",
        /// An object was updated.
        Updated => "updated",
        /// An object was deleted.
        Deleted => "deleted",
        /// A meeting started.
        Started => "started",
        /// A meeting ended.
        Ended => "ended",
        /// A participant joined.
        Joined => "joined",
        /// A participant left.
        Left => "left",
        /// A meeting was migrated.
        Migrated => "migrated",
        /// A service app was authorized.
        Authorized => "authorized",
        /// A service app was deauthorized.
        Deauthorized => "deauthorized",
        /// A status changed.
        StatusChanged => "statusChanged",
    }
}

string_enum! {
    /// The status of a webhook.
    pub enum WebhookStatus {
        /// The webhook is active.
        Active => "active",
        /// The webhook is disabled (after repeated delivery failures).
        Inactive => "inactive",
    }
}

string_enum! {
    /// Who owns a webhook.
    pub enum WebhookOwner {
        /// The organization: an org-wide (admin) webhook.
        Org => "org",
        /// The person or bot that created it.
        Creator => "creator",
    }
}

/// A webhook: a URL notified of events on a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// A unique identifier for the webhook.
    #[serde(default)]
    pub id: String,
    /// A user-friendly name for the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The URL that receives a POST for each event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    /// The resource the webhook listens to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<WebhookResource>,
    /// The event the webhook listens to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<WebhookEvent>,
    /// The filter that narrows the webhook's scope (e.g. `roomId=...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The secret used to sign the payloads (redacted in `Debug` output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<WebhookSecret>,
    /// The status of the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WebhookStatus>,
    /// When the webhook was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
    /// Who owns the webhook: `org` for an org-wide webhook, `creator` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<WebhookOwner>,
    /// The ID of the organization of the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The ID of the person who created the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// The ID of the application that created the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// What Webex POSTs to a webhook's target URL for each event.
///
/// `data` holds the resource concerned, without its content for messages: fetch the message by
/// `data.id` to read it.
///
/// ```
/// use spark_model::{WebhookDelivery, WebhookEvent, WebhookResource};
///
/// let body = r#"{
///   "id": "Y2lzY29zcGFyazovL3VzL1dFQkhPT0sv", "name": "bot", "targetUrl": "https://example.com/hook",
///   "resource": "messages", "event": "created", "orgId": "O", "createdBy": "P", "appId": "A",
///   "ownedBy": "creator", "status": "active", "created": "2024-05-01T09:00:00.000Z", "actorId": "P2",
///   "data": {"id": "M1", "roomId": "R1", "roomType": "group", "personId": "P2",
///            "personEmail": "julie@example.com", "created": "2024-05-01T10:00:00.000Z"}
/// }"#;
/// let delivery: WebhookDelivery = serde_json::from_str(body).unwrap();
/// assert_eq!(delivery.resource, Some(WebhookResource::Messages));
/// assert_eq!(delivery.event, Some(WebhookEvent::Created));
/// assert_eq!(delivery.data.id.as_deref(), Some("M1"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// The ID of the webhook.
    #[serde(default)]
    pub id: String,
    /// The name of the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The target URL of the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    /// The resource of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<WebhookResource>,
    /// The event that happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<WebhookEvent>,
    /// The filter of the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The ID of the organization of the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The ID of the person who created the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// The ID of the application that created the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Who owns the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<WebhookOwner>,
    /// The status of the webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WebhookStatus>,
    /// When the webhook was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
    /// The ID of the person who caused the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// The resource concerned by the event.
    #[serde(default)]
    pub data: EventData,
}

/// Query parameters of `GET /webhooks` (List Webhooks).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListWebhooks {
    /// The page size: the most webhooks in one response (not a total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// List only org-wide webhooks (`org`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<WebhookOwner>,
}

impl ListWebhooks {
    /// The caller's webhooks.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Sets the page size (webhooks per response, not a total).
        value max: u32;
        /// Lists only webhooks with this owner (the API takes only `org`).
        value owned_by: WebhookOwner;
    }
}

/// Body of `POST /webhooks` (Create a Webhook).
///
/// ```
/// use spark_model::{CreateWebhook, WebhookEvent, WebhookResource};
///
/// let body = CreateWebhook::new(
///     "new messages",
///     "https://example.com/hook",
///     WebhookResource::Messages,
///     WebhookEvent::Created,
/// )
/// .filter("roomId=Y2lzY29...")
/// .secret("s3cret");
/// let json = serde_json::to_value(&body).unwrap();
/// assert_eq!(json["targetUrl"], "https://example.com/hook");
/// assert_eq!(json["resource"], "messages");
/// assert_eq!(json["secret"], "s3cret");
/// assert!(json.get("ownedBy").is_none());
/// assert!(!format!("{body:?}").contains("s3cret"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWebhook {
    /// A user-friendly name for the webhook.
    #[serde(default)]
    pub name: String,
    /// The URL that receives a POST for each event.
    #[serde(default)]
    pub target_url: String,
    /// The resource to listen to (needs the `read` scope on it).
    pub resource: WebhookResource,
    /// The event to listen to.
    pub event: WebhookEvent,
    /// A filter narrowing the webhook's scope (e.g. `roomId=...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// A secret used to sign the payloads (redacted in `Debug` output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<WebhookSecret>,
    /// `org` for an org-wide (admin) webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<WebhookOwner>,
}

impl CreateWebhook {
    /// A webhook with its four required fields.
    pub fn new(
        name: impl Into<String>,
        target_url: impl Into<String>,
        resource: WebhookResource,
        event: WebhookEvent,
    ) -> Self {
        Self {
            name: name.into(),
            target_url: target_url.into(),
            resource,
            event,
            filter: None,
            secret: None,
            owned_by: None,
        }
    }

    setters! {
        /// Sets the filter (e.g. `roomId=...`).
        into filter: String;
        /// Sets the signing secret.
        into secret: WebhookSecret;
        /// Sets the owner (`org` for an org-wide webhook).
        value owned_by: WebhookOwner;
    }
}

/// Body of `PUT /webhooks/{webhookId}` (Update a Webhook).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateWebhook {
    /// A user-friendly name for the webhook.
    #[serde(default)]
    pub name: String,
    /// The URL that receives a POST for each event.
    #[serde(default)]
    pub target_url: String,
    /// A secret used to sign the payloads (redacted in `Debug` output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<WebhookSecret>,
    /// `org` for an org-wide (admin) webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<WebhookOwner>,
    /// `active` to reactivate a disabled webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WebhookStatus>,
}

impl UpdateWebhook {
    /// An update with the two fields the API requires.
    pub fn new(name: impl Into<String>, target_url: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            target_url: target_url.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the signing secret.
        into secret: WebhookSecret;
        /// Sets the owner.
        value owned_by: WebhookOwner;
        /// Sets the status (`active` reactivates a disabled webhook).
        value status: WebhookStatus;
    }
}
