//! Webhook deliveries: which webhooks an event triggers, and the signed POST to each target.
//!
//! Matching happens under the state lock (in [`State::record`]); the POSTs are queued afterwards
//! and sent by other tasks (see `dispatch`), so an API call never waits on a receiver.

use bytes::Bytes;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use spark_model::{
    Event, EventData, EventResource, WebhookDelivery, WebhookEvent, WebhookOwner, WebhookResource,
    WebhookStatus,
};

use crate::state::State;

/// The header that carries the signature of a delivery.
pub const SIGNATURE_HEADER: &str = "x-spark-signature";

/// One POST to make.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) target_url: String,
    pub(crate) body: Bytes,
    pub(crate) signature: Option<String>,
}

/// Lowercase hex HMAC-SHA1 of `body` keyed by `secret`: the `X-Spark-Signature` value.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn webhook_resource(resource: &EventResource) -> Option<WebhookResource> {
    Some(match resource {
        EventResource::Messages => WebhookResource::Messages,
        EventResource::Memberships => WebhookResource::Memberships,
        EventResource::Rooms => WebhookResource::Rooms,
        EventResource::AttachmentActions => WebhookResource::AttachmentActions,
        _ => return None,
    })
}

/// The deliveries an event triggers: active webhooks whose resource, event and filter match, and
/// whose owner can see the room.
pub(crate) fn deliveries_for(state: &State, event: &Event) -> Vec<Delivery> {
    let Some(resource) = event.resource.as_ref().and_then(webhook_resource) else {
        return Vec::new();
    };
    let Some(event_type) = event.event_type.as_ref() else {
        return Vec::new();
    };
    let kind = WebhookEvent::from(event_type.as_str());
    let mut data = event.data.clone();
    // Deliveries never carry message text: the receiver fetches the message.
    data.text = None;
    let data_json = serde_json::to_value(&data).unwrap_or_default();
    let mut out = Vec::new();
    for (_, webhook) in state.webhooks.iter() {
        if webhook.status == Some(WebhookStatus::Inactive) {
            continue;
        }
        let resource_ok = matches!(&webhook.resource, Some(WebhookResource::All))
            || webhook.resource.as_ref() == Some(&resource);
        let event_ok = matches!(&webhook.event, Some(WebhookEvent::All))
            || webhook.event.as_ref() == Some(&kind);
        if !resource_ok || !event_ok {
            continue;
        }
        let owner = webhook.created_by.clone().unwrap_or_default();
        if let Some(room_id) = &data.room_id {
            if !state.is_member(room_id, &owner) {
                continue;
            }
        }
        if resource == WebhookResource::Messages
            && !crate::bots::may_hear(
                state,
                &owner,
                data.room_id.as_deref(),
                data.mentioned_people.as_deref(),
            )
        {
            continue;
        }
        if let Some(filter) = &webhook.filter {
            if !filter_matches(filter, &data, &data_json, &owner) {
                continue;
            }
        }
        let envelope = WebhookDelivery {
            id: webhook.id.clone(),
            name: webhook.name.clone(),
            target_url: webhook.target_url.clone(),
            // A firehose webhook (`all`) is told what happened, as live Webex does.
            resource: Some(resource.clone()),
            event: Some(kind.clone()),
            filter: webhook.filter.clone(),
            org_id: webhook.org_id.clone(),
            created_by: webhook.created_by.clone(),
            app_id: webhook.app_id.clone(),
            owned_by: Some(WebhookOwner::Creator),
            status: Some(WebhookStatus::Active),
            created: webhook.created,
            actor_id: event.actor_id.clone(),
            data: data.clone(),
        };
        let body = Bytes::from(serde_json::to_vec(&envelope).unwrap_or_default());
        let signature = webhook
            .secret
            .as_ref()
            .map(|secret| secret.expose_secret())
            .filter(|secret| !secret.is_empty())
            .map(|secret| sign(secret.as_bytes(), &body));
        out.push(Delivery {
            target_url: webhook.target_url.clone().unwrap_or_default(),
            body,
            signature,
        });
    }
    out
}

/// Whether a webhook filter (`roomId=...&mentionedPeople=me`) matches the event's data.
fn filter_matches(
    filter: &str,
    data: &EventData,
    data_json: &serde_json::Value,
    owner: &str,
) -> bool {
    form_urlencoded::parse(filter.as_bytes()).all(|(key, value)| match key.as_ref() {
        "mentionedPeople" => {
            let wanted = if value == "me" { owner } else { value.as_ref() };
            data.mentioned_people
                .iter()
                .flatten()
                .any(|person| person == wanted)
        }
        "hasFiles" => {
            let has = data.files.as_ref().is_some_and(|files| !files.is_empty());
            value.eq_ignore_ascii_case(if has { "true" } else { "false" })
        }
        other => {
            let key = if other == "type" { "roomType" } else { other };
            match data_json.get(key) {
                Some(serde_json::Value::String(text)) => text == &value,
                Some(serde_json::Value::Bool(flag)) => value == flag.to_string(),
                _ => false,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_lowercase_hex_hmac_sha1() {
        // RFC 2202 test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }
}
