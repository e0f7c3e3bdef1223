//! The public `spark_api::webhook` API: signatures checked against RFC 2202 vectors and against
//! an HMAC-SHA1 computed here with the `hmac` and `sha1` crates, tampering refused, envelopes
//! parsed.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use spark_api::webhook::{self, SIGNATURE_HEADER, WebhookError};
use spark_model::{WebhookEvent, WebhookResource};

/// RFC 2202 section 3, test cases 1, 3 and 6 (key longer than the block size).
fn rfc2202_vectors() -> Vec<(Vec<u8>, Vec<u8>, &'static str)> {
    vec![
        (
            vec![0x0b; 20],
            b"Hi There".to_vec(),
            "b617318655057264e28bc0b6fb378c8ef146be00",
        ),
        (
            vec![0xaa; 20],
            vec![0xdd; 50],
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
        ),
        (
            vec![0xaa; 80],
            b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112",
        ),
    ]
}

fn independent_signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

const DELIVERY: &[u8] = br#"{"id":"W1","name":"bot hook","targetUrl":"https://bot.example/hook","resource":"messages","event":"created","filter":"roomId=R1","orgId":"O1","createdBy":"P1","appId":"A1","ownedBy":"creator","status":"active","created":"2015-10-18T14:26:16.000Z","actorId":"P2","data":{"id":"M1","roomId":"R1","personEmail":"a@example.com"}}"#;

#[test]
fn the_header_name_is_x_spark_signature() {
    assert_eq!(SIGNATURE_HEADER, "x-spark-signature");
}

#[test]
fn rfc_2202_vectors_sign_and_verify() {
    for (key, data, digest) in rfc2202_vectors() {
        assert_eq!(webhook::sign(&key, &data).unwrap(), digest);
        assert_eq!(webhook::verify(&key, &data, digest), Ok(()));
    }
}

#[test]
fn a_signature_computed_independently_verifies_and_the_delivery_parses() {
    let secret = b"our webhook secret";
    let signature = independent_signature(secret, DELIVERY);
    assert_eq!(webhook::sign(secret, DELIVERY).unwrap(), signature);

    let delivery = webhook::verify_and_parse(secret, DELIVERY, &signature).unwrap();
    assert_eq!(delivery.id, "W1");
    assert_eq!(delivery.resource, Some(WebhookResource::Messages));
    assert_eq!(delivery.event, Some(WebhookEvent::Created));
    assert_eq!(delivery.filter.as_deref(), Some("roomId=R1"));
    assert_eq!(delivery.actor_id.as_deref(), Some("P2"));
    assert_eq!(delivery.data.id.as_deref(), Some("M1"));
    assert_eq!(delivery.data.room_id.as_deref(), Some("R1"));
    assert_eq!(delivery.data.person_email.as_deref(), Some("a@example.com"));
}

#[test]
fn header_casing_and_surrounding_whitespace_are_accepted() {
    let secret = b"s";
    let signature = independent_signature(secret, DELIVERY);
    assert_eq!(
        webhook::verify(secret, DELIVERY, &signature.to_uppercase()),
        Ok(())
    );
    assert_eq!(
        webhook::verify(secret, DELIVERY, &format!("  {signature}\r\n")),
        Ok(())
    );
}

#[test]
fn a_tampered_body_or_a_wrong_secret_is_a_bad_signature() {
    let secret = b"our webhook secret";
    let signature = independent_signature(secret, DELIVERY);

    let mut tampered = DELIVERY.to_vec();
    let position = tampered.iter().position(|&b| b == b'R').unwrap();
    tampered[position] = b'S';
    assert_eq!(
        webhook::verify(secret, &tampered, &signature),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        webhook::verify_and_parse(secret, &tampered, &signature).unwrap_err(),
        WebhookError::BadSignature
    );
    assert_eq!(
        webhook::verify(b"another secret", DELIVERY, &signature),
        Err(WebhookError::BadSignature)
    );
    // A digest of the right shape but for nothing in particular.
    assert_eq!(
        webhook::verify(secret, DELIVERY, &"0".repeat(40)),
        Err(WebhookError::BadSignature)
    );
}

#[test]
fn signatures_that_are_not_40_hex_digits_are_malformed() {
    let secret = b"s";
    let signature = independent_signature(secret, DELIVERY);
    for malformed in [
        String::new(),
        "not hex".to_owned(),
        signature[..38].to_owned(),
        format!("{signature}00"),
        format!("sha1={}", &signature[5..]),
        "zz".repeat(20),
    ] {
        assert_eq!(
            webhook::verify(secret, DELIVERY, &malformed),
            Err(WebhookError::MalformedSignature),
            "{malformed:?}"
        );
    }
}

#[test]
fn a_correctly_signed_body_that_is_not_an_envelope_is_malformed() {
    let secret = b"s";
    for body in [&b"[1,2]"[..], b"not json", b"{\"id\": 5}"] {
        let signature = independent_signature(secret, body);
        assert_eq!(webhook::verify(secret, body, &signature), Ok(()));
        assert!(matches!(
            webhook::verify_and_parse(secret, body, &signature),
            Err(WebhookError::Malformed(_))
        ));
    }
}

#[test]
fn parse_reads_an_unsigned_delivery() {
    let delivery = webhook::parse(DELIVERY).unwrap();
    assert_eq!(
        delivery.target_url.as_deref(),
        Some("https://bot.example/hook")
    );
    assert!(matches!(
        webhook::parse(b"{"),
        Err(WebhookError::Malformed(_))
    ));
}
