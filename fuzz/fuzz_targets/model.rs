//! Decoding any bytes as every resource, list envelope, error body, token answer, webhook
//! delivery and request body of spark-model: nothing panics; a decoded value encodes, its
//! encoding decodes, and encodes again to the same bytes; and the encoding is at most
//! `GROWTH` times the input plus `SLACK` bytes (the reasons are in
//! `crates/spark-model/tests/properties.rs`). Run with a malloc limit (`cargo xtask fuzz`
//! passes one), so an allocation out of proportion to the input stops the run.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use spark_model::*;

const GROWTH: usize = 8;
const SLACK: usize = 64;

fn check<T: DeserializeOwned + Serialize>(input: &[u8]) {
    let Ok(first) = serde_json::from_slice::<T>(input) else {
        return;
    };
    let name = std::any::type_name::<T>();
    let encoded = serde_json::to_vec(&first).expect("a decoded value encodes");
    assert!(
        encoded.len() <= GROWTH * input.len() + SLACK,
        "{name}: {} bytes of encoding from {} bytes of input",
        encoded.len(),
        input.len()
    );
    let second: T = match serde_json::from_slice(&encoded) {
        Ok(second) => second,
        Err(err) => panic!(
            "{name}: its own encoding does not decode ({err}): {}",
            String::from_utf8_lossy(&encoded)
        ),
    };
    let again = serde_json::to_vec(&second).expect("it encoded once");
    assert!(
        again == encoded,
        "{name}: a second round changes the encoding: {} then {}",
        String::from_utf8_lossy(&encoded),
        String::from_utf8_lossy(&again)
    );
}

fn check_with_list<T: DeserializeOwned + Serialize>(input: &[u8]) {
    check::<T>(input);
    check::<ListEnvelope<T>>(input);
}

fuzz_target!(|data: &[u8]| {
    check_with_list::<Person>(data);
    check_with_list::<Room>(data);
    check_with_list::<Membership>(data);
    check_with_list::<Message>(data);
    check_with_list::<Team>(data);
    check_with_list::<TeamMembership>(data);
    check_with_list::<Webhook>(data);
    check_with_list::<Event>(data);
    check_with_list::<RoomTab>(data);
    check_with_list::<License>(data);
    check_with_list::<Organization>(data);
    check_with_list::<Role>(data);
    check_with_list::<AttachmentAction>(data);
    check_with_list::<RoomMeetingInfo>(data);
    check::<WebhookDelivery>(data);
    check::<ApiErrorBody>(data);
    check::<TokenAnswer>(data);
    check::<CreateMessage>(data);
    check::<UpdateMessage>(data);
    check::<CreateRoom>(data);
    check::<UpdateRoom>(data);
    check::<CreateMembership>(data);
    check::<UpdateMembership>(data);
    check::<CreateTeam>(data);
    check::<UpdateTeam>(data);
    check::<CreateTeamMembership>(data);
    check::<UpdateTeamMembership>(data);
    check::<CreateWebhook>(data);
    check::<UpdateWebhook>(data);
    check::<CreatePerson>(data);
    check::<UpdatePerson>(data);
    check::<CreateRoomTab>(data);
    check::<UpdateRoomTab>(data);
    check::<CreateAttachmentAction>(data);
    check::<TokenRequest>(data);
});
