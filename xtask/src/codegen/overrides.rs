//! What the generator is told beside the specs: the operations written by hand, the names the
//! specs' tags and summaries do not give well, and the fixes for the specs' known flaws
//! (`spec/NOTICE.md`). Each entry says why it is here; the spec files are never edited.

use super::naming;
use super::spec::Area;
use super::types::Ty;

/// Operations spark-api has written by hand (with uploads, downloads, streams and types of its
/// own): the generator leaves them out, whichever spec describes them.
pub(crate) const HANDWRITTEN: &[(&str, &str)] = &[
    ("post", "/attachment/actions"),
    ("get", "/attachment/actions/{id}"),
    ("get", "/events"),
    ("get", "/events/{eventId}"),
    ("get", "/licenses"),
    ("get", "/licenses/{licenseId}"),
    ("get", "/memberships"),
    ("post", "/memberships"),
    ("get", "/memberships/{membershipId}"),
    ("put", "/memberships/{membershipId}"),
    ("delete", "/memberships/{membershipId}"),
    ("get", "/messages"),
    ("post", "/messages"),
    ("get", "/messages/direct"),
    ("get", "/messages/{messageId}"),
    ("put", "/messages/{messageId}"),
    ("delete", "/messages/{messageId}"),
    ("get", "/organizations"),
    ("get", "/organizations/{orgId}"),
    ("get", "/people"),
    ("post", "/people"),
    ("get", "/people/me"),
    ("get", "/people/{personId}"),
    ("put", "/people/{personId}"),
    ("delete", "/people/{personId}"),
    ("get", "/roles"),
    ("get", "/roles/{roleId}"),
    ("get", "/room/tabs"),
    ("post", "/room/tabs"),
    ("get", "/room/tabs/{id}"),
    ("put", "/room/tabs/{id}"),
    ("delete", "/room/tabs/{id}"),
    ("get", "/rooms"),
    ("post", "/rooms"),
    ("get", "/rooms/{roomId}"),
    ("put", "/rooms/{roomId}"),
    ("delete", "/rooms/{roomId}"),
    ("get", "/rooms/{roomId}/meetingInfo"),
    ("get", "/team/memberships"),
    ("post", "/team/memberships"),
    ("get", "/team/memberships/{membershipId}"),
    ("put", "/team/memberships/{membershipId}"),
    ("delete", "/team/memberships/{membershipId}"),
    ("get", "/teams"),
    ("post", "/teams"),
    ("get", "/teams/{teamId}"),
    ("put", "/teams/{teamId}"),
    ("delete", "/teams/{teamId}"),
    ("get", "/webhooks"),
    ("post", "/webhooks"),
    ("get", "/webhooks/{webhookId}"),
    ("put", "/webhooks/{webhookId}"),
    ("delete", "/webhooks/{webhookId}"),
];

/// Operations left out, with the reason (said in spark-api's crate docs too).
pub(crate) const LEFT_OUT: &[(&str, &str, &str)] = &[(
    "post",
    "/telephony/config/devices/{deviceId}/actions/backgroundImageUpload/invoke",
    "takes the image as a multipart form, which the spec does not describe field by field",
)];

/// Services written by hand that generated operations join (as methods of the same struct),
/// by service name and struct name.
pub(crate) const HANDWRITTEN_SERVICES: &[(&str, &str)] = &[
    ("attachment_actions", "AttachmentActions"),
    ("events", "Events"),
    ("licenses", "Licenses"),
    ("memberships", "Memberships"),
    ("messages", "Messages"),
    ("organizations", "Organizations"),
    ("people", "People"),
    ("roles", "Roles"),
    ("room_tabs", "RoomTabs"),
    ("rooms", "Rooms"),
    ("team_memberships", "TeamMemberships"),
    ("teams", "Teams"),
    ("webhooks", "Webhooks"),
];

/// The service an operation goes to: its first tag in snake_case, except where the tag alone
/// would not say what it is about (the meetings spec's `Transcripts` are meeting transcripts,
/// as the Webex docs name them) or would collide with another area's service.
pub(crate) fn service_name(area: Area, tag: &str) -> String {
    let renamed = match (area, tag) {
        (Area::Meetings, "Chats") => "meeting_chats",
        (Area::Meetings, "Closed Captions") => "meeting_closed_captions",
        (Area::Meetings, "Invitees") => "meeting_invitees",
        (Area::Meetings, "Messages") => "meeting_messages",
        (Area::Meetings, "Participants") => "meeting_participants",
        (Area::Meetings, "Preferences") => "meeting_preferences",
        (Area::Meetings, "Meeting Q and A") => "meeting_qa",
        (Area::Meetings, "Session Types") => "meeting_session_types",
        (Area::Meetings, "Summaries") => "meeting_summaries",
        (Area::Meetings, "Transcripts") => "meeting_transcripts",
        (Area::Meetings, "Site") => "meeting_sites",
        (Area::Meetings, "slidoSecurePremium") => "slido_secure_premium",
        (Area::Admin, "API - Domain Management") => "domains",
        (Area::Admin, "Historical Analytics APIs") => "historical_analytics",
        (Area::Admin, "Bulk Manage SCIM 2 Users and Groups") => "scim_bulk",
        (Area::Admin, "SCIM 2 Groups") => "scim_groups",
        (Area::Admin, "SCIM 2 Schemas") => "scim_schemas",
        (Area::Admin, "SCIM 2 Users") => "scim_users",
        (Area::Admin, "Identity Organization") => "identity_organizations",
        (Area::Admin, "Partner Reports/Templates") => "partner_reports",
        (Area::Admin, "Send Activation Email") => "activation_emails",
        (Area::Devices, "Beta Device Call Settings With Dynamic Device Settings")
        | (Area::Devices, "Device Call Settings With Device Dynamic Settings") => {
            "device_dynamic_settings"
        }
        (Area::Messaging, "ECM folder linking") => "room_linked_folders",
        (Area::Messaging, "HDS") => "hybrid_data_security",
        (Area::Devices, "xAPI") => "xapi",
        _ => return naming::snake(tag),
    };
    renamed.to_owned()
}

/// Method names the summaries do not give well (a summary shared by two operations, or one
/// that names the operation after its implementation).
pub(crate) fn method_name(method: &str, path: &str) -> Option<&'static str> {
    Some(match (method, path) {
        // The summary is "List Meeting Q and A": the "A" reads as an article.
        ("get", "/meetings/q_and_a") => "list",
        ("get", "/groups") => "list",
        // Operations written by hand, named for the command line as spark-api names them
        // (`people create`, `messages edit`, `messages list-direct`, `rooms meeting-info`).
        ("post", "/people") => "create",
        ("put", "/people/{personId}") => "update",
        ("delete", "/people/{personId}") => "delete",
        ("put", "/messages/{messageId}") => "edit",
        ("get", "/messages/direct") => "list_direct",
        ("get", "/rooms/{roomId}/meetingInfo") => "meeting_info",
        _ => return None,
    })
}

/// The path an operation is called at: a few admin paths are written with the `/v1` that the
/// base URL already ends with.
pub(crate) fn call_path(path: &str) -> &str {
    path.strip_prefix("/v1/")
        .map_or(path, |rest| &path[path.len() - rest.len() - 1..])
}

/// Fields whose values are secrets (a meeting's password, host key, PINs, tokens): their type
/// redacts `Debug`.
pub(crate) fn is_secret(wire: &str) -> bool {
    let lower = wire.to_ascii_lowercase();
    lower.contains("password")
        || lower.ends_with("secret")
        || lower == "hostkey"
        || lower.ends_with("pin")
        || lower.ends_with("token")
        || lower == "otp"
}

/// Fields whose declared type disagrees with the spec's own examples (found by the test that
/// decodes every example answer): each is given the type that reads both, by where it is in
/// the spec (`Schema.property.property`, `[]` for an array's items, an operation for its inline
/// schemas). `serde_json::Value` where the shapes differ, a lenient number where the spec says
/// string and the example sends a number.
pub(crate) fn field_type(area: Area, at: &str) -> Option<Ty> {
    let fixed = match (area, at) {
        // Declared a list of strings; the example has link objects (`rel`, `href`, `method`).
        (Area::Meetings, "PMRObject.telephony.links")
        | (Area::Meetings, "MeetingPreferenceObject.personalMeetingRoom.telephony.links")
        // Declared a list of strings; the example answers one string.
        | (Area::Meetings, "AnswerObject.answer")
        // Declared a string; the example sends a number.
        | (Area::Meetings, "GetTrackingCodeItemForUserObject.id")
        // Declared an object; the examples send the string "off".
        | (Area::Devices, "Device.plannedMaintenance")
        | (Area::Devices, "Workspace.plannedMaintenance")
        // Declared a string; the example sends an address object.
        | (Area::Devices, "Location.address")
        // Declared a list; the example sends a map of capabilities.
        | (Area::Devices, "Workspace.capabilities")
        // A list of contacts whose items may be null (one per contact that failed).
        | (Area::Admin, "BulkCreateResponse.contacts")
        // Declared a number (the HTTP status); the example sends an error code string.
        | (Area::Admin, "BulkCreateResponse.failedContacts.[].errorCode")
        // Declared one value; the examples send lists.
        | (Area::Admin, "UserAttributesObject.referenceTypes")
        | (Area::Admin, "SubAttributesObject.referenceTypes")
        | (Area::Admin, "PostUser.urn:scim:schemas:extension:cisco:webexidentity:2.0:User.accountStatus")
        | (Area::Admin, "PutUser.urn:scim:schemas:extension:cisco:webexidentity:2.0:User.accountStatus")
        | (Area::Admin, "GetUserResponse.urn:scim:schemas:extension:cisco:webexidentity:2.0:User.accountStatus")
        | (Area::Admin, "SearchGetUserResponse.urn:scim:schemas:extension:cisco:webexidentity:2.0:User.accountStatus") => Ty::Value,
        // Declared a string; the examples send a number (a lenient number reads both).
        (Area::Devices, "GET /telephony/config/devices/backgroundImages.count")
        | (Area::Devices, "DELETE /telephony/config/devices/backgroundImages.count")
        | (Area::Devices, "POST /telephony/config/devices/{deviceId}/actions/backgroundImageUpload/invoke.count") => Ty::Int,
        _ => return None,
    };
    Some(fixed)
}

/// The type of a query or header parameter the specs declare a `number` with no format: every
/// one is a count, an index or an id (`max` in 56 operations, `start`, `offset`, `startIndex`,
/// `count`, `limit`, `templateId`, `capacity`), so a whole number, not an `f64`.
pub(crate) const NUMBER_PARAMETER: Ty = Ty::Int;

/// Answers declared as a list whose examples are an object: read as free-form JSON.
pub(crate) fn answer_is_free_form(method: &str, path: &str) -> bool {
    matches!(
        (method, path),
        ("GET", "/partner/reports/templates") | ("GET", "/report/templates")
    )
}
