//! Webhook deliveries: checking `X-Spark-Signature` and reading the envelope.
//!
//! Webex signs each delivery to a webhook that has a `secret`: the header `X-Spark-Signature`
//! holds the lowercase hex HMAC-SHA1 of the raw request body, keyed by that secret. Check it on
//! the raw bytes, before any parsing; the comparison takes the same time whatever the input.
//!
//! A secret that is empty or only whitespace (spaces, tabs, line feeds, form feeds, carriage
//! returns) is refused by every function that takes one ([`WebhookError::EmptySecret`]):
//! anyone can compute a signature with it, so a delivery "signed" with it proves nothing, and
//! such a secret is nearly always a slip of configuration (an unset variable read as `""`, a
//! secret file holding only a line break). Any other secret is used byte for byte as given,
//! surrounding whitespace included, as Webex uses it.
//!
//! ```
//! use hmac::{Hmac, Mac};
//! use spark_api::webhook;
//!
//! let secret = b"our webhook secret";
//! let body = br#"{"id":"W1","resource":"messages","event":"created","data":{"id":"M1"}}"#;
//! # let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).unwrap();
//! # mac.update(body);
//! # let signature: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
//! // `signature` is the X-Spark-Signature header of the delivery.
//! let delivery = webhook::verify_and_parse(secret, body, &signature).unwrap();
//! assert_eq!(delivery.id, "W1");
//! assert!(webhook::verify(b"another secret", body, &signature).is_err());
//! assert_eq!(
//!     webhook::verify(b"", body, &signature),
//!     Err(webhook::WebhookError::EmptySecret)
//! );
//! ```

use hmac::{Hmac, Mac};
use sha1::Sha1;
use spark_model::WebhookDelivery;

/// The header carrying a delivery's signature.
pub const SIGNATURE_HEADER: &str = "x-spark-signature";

/// Why a delivery was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is empty or only whitespace: anyone could sign with it, so nothing is
    /// checked or signed with it.
    #[error("the webhook secret is empty or only whitespace: anyone could sign with it")]
    EmptySecret,
    /// The signature header is not 40 hex digits.
    #[error("the signature is not a hex HMAC-SHA1")]
    MalformedSignature,
    /// The signature does not match the body and secret.
    #[error("the signature does not match the body")]
    BadSignature,
    /// The body is not a delivery envelope.
    #[error("the body is not a webhook delivery: {0}")]
    Malformed(String),
}

/// Checks that `signature` (the `X-Spark-Signature` header: 40 hex digits, either case,
/// surrounding whitespace ignored) signs the raw `body` with `secret`, in constant time.
///
/// # Errors
///
/// - [`WebhookError::EmptySecret`] when `secret` is empty or only whitespace (checked first);
/// - [`WebhookError::MalformedSignature`] when `signature` is not 40 hex digits;
/// - [`WebhookError::BadSignature`] when it does not sign `body` with `secret`.
pub fn verify(secret: &[u8], body: &[u8], signature: &str) -> Result<(), WebhookError> {
    let mut mac = keyed(secret)?;
    let expected = decode_hex(signature.trim()).ok_or(WebhookError::MalformedSignature)?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| WebhookError::BadSignature)
}

/// Checks the signature as [`verify`] does, then reads the delivery envelope.
///
/// # Errors
///
/// Those of [`verify`]; [`WebhookError::Malformed`] when the verified body is not a delivery
/// envelope.
pub fn verify_and_parse(
    secret: &[u8],
    body: &[u8],
    signature: &str,
) -> Result<WebhookDelivery, WebhookError> {
    verify(secret, body, signature)?;
    parse(body)
}

/// Reads a delivery envelope without checking a signature (for webhooks without a secret:
/// anyone who knows the URL can send such a delivery, so trust only what it points at).
///
/// # Errors
///
/// [`WebhookError::Malformed`] when `body` is not a delivery envelope.
pub fn parse(body: &[u8]) -> Result<WebhookDelivery, WebhookError> {
    serde_json::from_slice(body).map_err(|err| WebhookError::Malformed(err.to_string()))
}

/// The lowercase hex HMAC-SHA1 of `body` keyed by `secret` (40 characters): what Webex puts in
/// the header. Compare signatures with [`verify`], which takes constant time, not with `==`.
///
/// # Errors
///
/// [`WebhookError::EmptySecret`] when `secret` is empty or only whitespace.
pub fn sign(secret: &[u8], body: &[u8]) -> Result<String, WebhookError> {
    let mut mac = keyed(secret)?;
    mac.update(body);
    Ok(mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// An HMAC-SHA1 keyed by `secret`, unless the secret is empty or only ASCII whitespace.
fn keyed(secret: &[u8]) -> Result<Hmac<Sha1>, WebhookError> {
    if secret.iter().all(u8::is_ascii_whitespace) {
        return Err(WebhookError::EmptySecret);
    }
    Ok(Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length"))
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 40 {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 2202, test case 2: HMAC-SHA1 with key "Jefe".
    const KEY: &[u8] = b"Jefe";
    const DATA: &[u8] = b"what do ya want for nothing?";
    const DIGEST: &str = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";

    #[test]
    fn a_known_vector_verifies_and_signs() {
        assert_eq!(sign(KEY, DATA).unwrap(), DIGEST);
        assert_eq!(verify(KEY, DATA, DIGEST), Ok(()));
        assert_eq!(verify(KEY, DATA, &DIGEST.to_uppercase()), Ok(()));
    }

    #[test]
    fn a_flipped_byte_a_wrong_secret_or_garbage_fail() {
        let mut flipped = DATA.to_vec();
        flipped[3] ^= 1;
        assert_eq!(
            verify(KEY, &flipped, DIGEST),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            verify(b"Jeff", DATA, DIGEST),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            verify(KEY, DATA, "not-hex"),
            Err(WebhookError::MalformedSignature)
        );
        assert_eq!(
            verify(KEY, DATA, &DIGEST[..38]),
            Err(WebhookError::MalformedSignature)
        );
    }

    #[test]
    fn a_re_serialized_body_no_longer_verifies() {
        let raw = br#"{"id": "W1",  "resource":"messages","event":"created","data":{"id":"M1"}}"#;
        let signature = sign(b"s3cret", raw).unwrap();
        let delivery = verify_and_parse(b"s3cret", raw, &signature).unwrap();
        let reserialized = serde_json::to_vec(&delivery).unwrap();
        assert_ne!(reserialized.as_slice(), raw.as_slice());
        assert_eq!(
            verify(b"s3cret", &reserialized, &signature),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn a_delivery_decodes_into_the_typed_envelope() {
        let body = br#"{"id":"W1","name":"bot","targetUrl":"https://bot.example/hook","resource":"messages","event":"created","filter":"roomId=R1","orgId":"O1","createdBy":"P1","appId":"A1","ownedBy":"creator","status":"active","created":"2015-10-18T14:26:16.000Z","actorId":"P2","data":{"id":"M1","roomId":"R1","personEmail":"a@example.com"}}"#;
        let delivery = parse(body).unwrap();
        assert_eq!(delivery.id, "W1");
        assert_eq!(
            delivery.target_url.as_deref(),
            Some("https://bot.example/hook")
        );
        assert_eq!(delivery.actor_id.as_deref(), Some("P2"));
        assert!(matches!(parse(b"42"), Err(WebhookError::Malformed(_))));
    }

    /// The signature anyone can make with `key`, computed without this module.
    fn forged(key: &[u8], body: &[u8]) -> String {
        let mut mac = Hmac::<Sha1>::new_from_slice(key).unwrap();
        mac.update(body);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    #[test]
    fn an_empty_or_blank_secret_is_refused_by_every_entry_point() {
        let body = br#"{"id":"W1","data":{"id":"M1"}}"#;
        for blank in [&b""[..], b" ", b"\n", b" \t\r\n\x0c"] {
            let signature = forged(blank, body);
            assert_eq!(
                verify(blank, body, &signature),
                Err(WebhookError::EmptySecret),
                "{blank:?}"
            );
            assert_eq!(
                verify_and_parse(blank, body, &signature),
                Err(WebhookError::EmptySecret)
            );
            assert_eq!(
                verify(blank, body, "garbage"),
                Err(WebhookError::EmptySecret),
                "the secret is checked first"
            );
            assert_eq!(sign(blank, body), Err(WebhookError::EmptySecret));
        }
        // Whitespace around a real secret is part of it, as Webex uses it.
        let padded = b" s3cret\n";
        assert_eq!(verify(padded, body, &forged(padded, body)), Ok(()));
        assert_eq!(
            verify(b"s3cret", body, &forged(padded, body)),
            Err(WebhookError::BadSignature)
        );
        // Any other byte makes a secret, UTF-8 or not (RFC 2202 keys with vertical tabs too).
        for secret in [&[0xff, 0x00, 0x20][..], &[0x0b; 20], "\u{a0}".as_bytes()] {
            assert_eq!(verify(secret, body, &forged(secret, body)), Ok(()));
        }
    }
}
