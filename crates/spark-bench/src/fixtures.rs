//! The fixed answers of the benchmarks: one person (`GET /people/me`) and pages of realistic
//! messages (`GET /messages`), built once and served as precomputed bytes.

use bytes::Bytes;
use serde_json::{Value, json};

/// The access token every benchmark client sends.
pub const TOKEN: &str = "T";

/// The room whose messages are listed (plain alphanumerics, so it needs no query escaping).
pub const ROOM_ID: &str = "Y2lzY29zcGFyazovL3VzL1JPT00vYmVuY2htYXJrLXJvb20tMDAwMQ";

/// The answer of `GET /people/me`, as Webex sends it for a licensed user.
pub const PERSON_JSON: &str = r#"{"id":"Y2lzY29zcGFyazovL3VzL1BFT1BMRS8xYjNkNGQ3Zi0wMDAwLTExZWYtYTFiMi0wMDAwMDAwMDAwMDE","emails":["julie.moreau@example.com"],"phoneNumbers":[{"type":"work","value":"+33 1 23 45 67 89","primary":true},{"type":"mobile","value":"+33 6 12 34 56 78"}],"displayName":"Julie Moreau","nickName":"Julie","firstName":"Julie","lastName":"Moreau","avatar":"https://avatar-prod-us-east-2.webexcontent.com/Avtr~V1~1eb65fdf-9643-417f-9974-ad72cae0e10f/V1~b0d4bbee7a3f4f5bb0a6f3d2c1e0f9a8~0c8a5c3b9d2e4f6a8b1c3d5e7f9a0b2c~1600","orgId":"Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8xZWI2NWZkZi05NjQzLTQxN2YtOTk3NC1hZDcyY2FlMGUxMGY","roles":["Y2lzY29zcGFyazovL3VzL1JPTEUvaWRfZnVsbF9hZG1pbg"],"licenses":["Y2lzY29zcGFyazovL3VzL0xJQ0VOU0UvTVNfMTIzNDU2","Y2lzY29zcGFyazovL3VzL0xJQ0VOU0UvRUVfNzg5MDEy"],"department":"Platform","title":"Site reliability engineer","addresses":[{"type":"work","country":"FR","locality":"Paris","streetAddress":"12 rue de la Paix","postalCode":"75002"}],"created":"2021-03-15T09:12:44.107Z","lastModified":"2024-11-02T16:40:03.551Z","timezone":"Europe/Paris","lastActivity":"2025-01-20T08:03:27.912Z","siteUrls":["example.webex.com#attendee"],"sipAddresses":[{"type":"personal-room","value":"julie.moreau@example.webex.com","primary":true}],"status":"active","invitePending":false,"loginEnabled":true,"type":"person"}"#;

/// The `trackingid` header value of every fixed answer.
pub const TRACKING_ID: &str = "ROUTER_67A1B2C3-D4E5-F607-1829-3A4B5C6D7E8F";

/// `GET /people/me`'s answer as bytes.
pub fn person_bytes() -> Bytes {
    Bytes::from_static(PERSON_JSON.as_bytes())
}

/// A Webex-looking id: the URL-safe base64 of `ciscospark://us/{kind}/{uuid}`, no padding.
fn webex_id(kind: &str, serial: u64) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mixed = serial.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let uri = format!(
        "ciscospark://us/{kind}/{:08x}-{:04x}-11ef-{:04x}-{:012x}",
        mixed >> 32,
        (mixed >> 16) & 0xffff,
        mixed & 0xffff,
        serial
    );
    let mut encoded = String::with_capacity(uri.len() * 4 / 3 + 3);
    for group in uri.as_bytes().chunks(3) {
        let bits = group.iter().enumerate().fold(0u32, |bits, (at, byte)| {
            bits | u32::from(*byte) << (16 - 8 * at)
        });
        for sextet in 0..=group.len() {
            encoded.push(char::from(
                DIGITS[(bits >> (18 - 6 * sextet) & 63) as usize],
            ));
        }
    }
    encoded
}

/// One message of the benchmark room, about 1.3 kB of JSON: text, markdown, HTML, a mention.
fn message(serial: u64) -> Value {
    let author = serial % 5;
    let minutes = serial % 60;
    json!({
        "id": webex_id("MESSAGE", serial),
        "roomId": ROOM_ID,
        "roomType": "group",
        "text": format!(
            "Release {serial} is on staging. Omar, could you run the smoke tests and check the \
             latency graphs before we promote it to production this afternoon?"
        ),
        "markdown": format!(
            "Release **{serial}** is on staging. <@personEmail:omar{author}@example.com|Omar>, \
             could you run the smoke tests and check [the latency graphs]\
             (https://grafana.example.com/d/api-latency?orgId=1&var-release={serial}) before we \
             promote it to production this afternoon?"
        ),
        "html": format!(
            "<p>Release <strong>{serial}</strong> is on staging. <spark-mention \
             data-object-type=\"person\" data-object-id=\"{}\">Omar</spark-mention>, could you \
             run the smoke tests and check <a href=\"https://grafana.example.com/d/api-latency\
             ?orgId=1&amp;var-release={serial}\">the latency graphs</a> before we promote it to \
             production this afternoon?</p>",
            webex_id("PEOPLE", author)
        ),
        "personId": webex_id("PEOPLE", 100 + author),
        "personEmail": format!("engineer{author}@example.com"),
        "mentionedPeople": [webex_id("PEOPLE", author)],
        "created": format!("2025-01-20T{:02}:{minutes:02}:{:02}.{:03}Z", 8 + serial % 10, serial % 60, serial % 1000),
        "updated": format!("2025-01-20T{:02}:{minutes:02}:{:02}.{:03}Z", 8 + serial % 10, serial % 60, serial % 1000),
    })
}

/// The JSON of one page of `count` messages: `{"items":[...]}`.
pub fn message_page(count: usize) -> Bytes {
    let items: Vec<Value> = (0..count as u64).map(message).collect();
    let page = json!({ "items": items });
    Bytes::from(serde_json::to_vec(&page).expect("a JSON value serializes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spark_model::{ListEnvelope, Message, Person};

    #[test]
    fn the_fixed_answers_decode_into_the_models() {
        let person: Person = serde_json::from_str(PERSON_JSON).expect("person");
        assert_eq!(person.display_name.as_deref(), Some("Julie Moreau"));
        let page: ListEnvelope<Message> =
            serde_json::from_slice(&message_page(3)).expect("message page");
        assert_eq!(page.items.len(), 3);
        assert!(page.items[2].html.is_some());
    }

    #[test]
    fn ids_look_like_webex_ids() {
        let id = webex_id("MESSAGE", 7);
        assert!(id.starts_with("Y2lzY29zcGFyazovL3VzL01FU1NBR0Uv"));
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
}
