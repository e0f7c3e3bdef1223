//! Decoding speed of a page of 100 realistic messages: into `ListEnvelope<Message>`, and into
//! `serde_json::Value` for comparison. Reports throughput in bytes per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_main};
use serde_json::{Value, json};
use spark_model::{ListEnvelope, Message};

/// Base64 without padding of a Webex-style URI, as the API's IDs are (about 80 characters).
fn webex_id(kind: &str, n: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let uri = format!(
        "ciscospark://us/{kind}/{:08x}-{:04x}-11ef-{:04x}-{:012x}",
        n.wrapping_mul(2_654_435_761) as u32,
        (n * 7919) & 0xffff,
        (n * 104_729) & 0xffff,
        n.wrapping_mul(0x9e37_79b9_7f4a) & 0xffff_ffff_ffff
    );
    let bytes = uri.as_bytes();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let triple = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(triple >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// One page of 100 messages, as `GET /messages` answers it.
fn page() -> String {
    let room_id = webex_id("ROOM", 1);
    let items: Vec<Value> = (0..100u64)
        .map(|n| {
            let author = n % 7;
            let mut message = json!({
                "id": webex_id("MESSAGE", n),
                "roomId": room_id,
                "roomType": "group",
                "text": format!(
                    "Deploy #{n} of the billing service finished in {} s. Julie, can you check \
                     the dashboards and the error budget before we open the gates for the EU region?",
                    40 + n % 13
                ),
                "markdown": format!(
                    "**Deploy #{n}** of the *billing* service finished in {} s. \
                     <@personEmail:julie{author}@example.com|Julie>, can you check \
                     [the dashboards](https://grafana.example.com/d/billing?orgId=1) and the \
                     error budget before we open the gates for the `EU` region?",
                    40 + n % 13
                ),
                "html": format!(
                    "<p><strong>Deploy #{n}</strong> of the <em>billing</em> service finished in {} s. \
                     <spark-mention data-object-type=\"person\" data-object-id=\"{}\">Julie</spark-mention>, \
                     can you check <a href=\"https://grafana.example.com/d/billing?orgId=1\">the dashboards</a> \
                     and the error budget before we open the gates for the <code>EU</code> region?</p>",
                    40 + n % 13,
                    webex_id("PEOPLE", 100 + author)
                ),
                "personId": webex_id("PEOPLE", author),
                "personEmail": format!("engineer{author}@example.com"),
                "mentionedPeople": [webex_id("PEOPLE", 100 + author)],
                "created": format!("2024-05-{:02}T{:02}:{:02}:{:02}.{:03}Z", 1 + n % 28, n % 24, n % 60, (n * 7) % 60, n * 13 % 1000),
            });
            let fields = message.as_object_mut().unwrap();
            if n % 3 == 0 {
                fields.insert(
                    "files".into(),
                    json!([format!("https://webexapis.com/v1/contents/{}/0", webex_id("CONTENT", n))]),
                );
            }
            if n % 5 == 0 {
                fields.insert("parentId".into(), json!(webex_id("MESSAGE", n / 5)));
            }
            if n % 10 == 0 {
                fields.insert("mentionedGroups".into(), json!(["all"]));
                fields.insert("updated".into(), json!("2024-05-02T08:00:00.000Z"));
            }
            if n % 25 == 0 {
                fields.insert(
                    "attachments".into(),
                    json!([{
                        "contentType": "application/vnd.microsoft.card.adaptive",
                        "content": {
                            "type": "AdaptiveCard", "version": "1.2",
                            "body": [{"type": "TextBlock", "text": "Approve the deploy?", "size": "large"}],
                            "actions": [{"type": "Action.Submit", "title": "Approve", "data": {"ok": true}}]
                        }
                    }]),
                );
            }
            message
        })
        .collect();
    json!({ "items": items }).to_string()
}

fn decode(c: &mut Criterion) {
    let body = page();
    let typed: ListEnvelope<Message> = serde_json::from_str(&body).unwrap();
    assert_eq!(typed.items.len(), 100);

    let mut group = c.benchmark_group("messages_page_100");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("ListEnvelope<Message>", |b| {
        b.iter(|| serde_json::from_str::<ListEnvelope<Message>>(black_box(&body)).unwrap())
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&body)).unwrap())
    });
    group.finish();
}

/// The benchmark group, in a module of its own: the macro's function has no doc comment.
mod group {
    #![allow(missing_docs)]
    criterion::criterion_group!(benches, super::decode);
}

criterion_main!(group::benches);
