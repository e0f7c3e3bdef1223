//! Webhook verification and envelope parsing on any input: nothing panics; a signature that is
//! not 40 hex digits is refused as malformed; what `sign` writes verifies; a parsed delivery
//! encodes, parses again, and encodes to the same bytes.
//!
//! Input: one byte giving the secret's length, the secret, the signature up to the first `\n`,
//! then the body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spark_api::webhook::{self, WebhookError};

fuzz_target!(|data: &[u8]| {
    let Some((&secret_len, rest)) = data.split_first() else {
        return;
    };
    let (secret, rest) = rest.split_at(usize::from(secret_len).min(rest.len()));
    let (signature, body) = match rest.iter().position(|&byte| byte == b'\n') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let signature = String::from_utf8_lossy(signature);

    let outcome = webhook::verify(secret, body, &signature);
    let blank = secret
        .iter()
        .all(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r'));
    if blank {
        assert_eq!(outcome, Err(WebhookError::EmptySecret));
        return;
    }
    let trimmed = signature.trim();
    if trimmed.len() != 40 || !trimmed.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        assert_eq!(outcome, Err(WebhookError::MalformedSignature));
    }
    let _ = webhook::verify_and_parse(secret, body, &signature);

    let signed = webhook::sign(secret, body).expect("a secret that is not blank signs");
    assert_eq!(webhook::verify(secret, body, &signed), Ok(()));

    if let Ok(delivery) = webhook::parse(body) {
        let encoded = serde_json::to_vec(&delivery).expect("a delivery encodes");
        let again = webhook::parse(&encoded).expect("its own encoding parses");
        let encoded_again = serde_json::to_vec(&again).expect("a delivery encodes");
        assert_eq!(
            encoded, encoded_again,
            "a second round changes the encoding"
        );
    }
});
