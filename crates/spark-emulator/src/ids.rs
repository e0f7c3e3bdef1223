//! Opaque ids and secrets in the Webex style, and the small base64 codec behind them.
//!
//! A Webex id is base64 of a URI such as `ciscospark://us/ROOM/<uuid>`; clients must treat it as
//! opaque, and so does the emulator: it looks ids up, it never decodes them.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as URL-safe base64 without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Decodes URL-safe (or standard) base64, padded or not; `None` if it is not base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A small, fast, non-cryptographic random source (splitmix64), seeded from the process's
/// hash randomness so two emulators hand out different ids and tokens.
#[derive(Debug, Clone)]
pub(crate) struct Random {
    state: u64,
}

impl Random {
    pub(crate) fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(0x5eed);
        Self {
            state: hasher.finish(),
        }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A random version-4-looking UUID.
    pub(crate) fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    /// A random secret of `words` 64-bit words, as lowercase hex.
    pub(crate) fn secret(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| format!("{:016x}", self.next_u64()))
            .collect()
    }

    /// A Webex-style id: base64 of `ciscospark://us/<KIND>/<uuid>`.
    pub(crate) fn id(&mut self, kind: &str) -> String {
        let uuid = self.uuid();
        encode(format!("ciscospark://us/{kind}/{uuid}").as_bytes())
    }
}

/// The uuid inside a Webex-style id (the last segment of its `ciscospark://` URI), if it is one.
pub(crate) fn uuid_of(id: &str) -> Option<String> {
    let uri = String::from_utf8(decode(id)?).ok()?;
    let rest = uri.strip_prefix("ciscospark://")?;
    let uuid = rest.rsplit('/').next()?;
    (!uuid.is_empty() && rest.contains('/')).then(|| uuid.to_owned())
}

/// A membership's id as live Webex makes it: base64 of
/// `ciscospark://us/MEMBERSHIP/<person uuid>:<room uuid>`, so the id an event socket derives
/// from an activity names the same membership. `None` when either id is not Webex-style.
pub(crate) fn membership_id(person_id: &str, room_id: &str) -> Option<String> {
    let person = uuid_of(person_id)?;
    let room = uuid_of(room_id)?;
    Some(encode(
        format!("ciscospark://us/MEMBERSHIP/{person}:{room}").as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for text in ["", "a", "ab", "abc", "abcd", "ciscospark://us/ROOM/1"] {
            assert_eq!(decode(&encode(text.as_bytes())).unwrap(), text.as_bytes());
        }
        assert_eq!(
            encode(b"ciscospark://us/ROOM/1"),
            "Y2lzY29zcGFyazovL3VzL1JPT00vMQ"
        );
    }

    #[test]
    fn membership_ids_are_derived_from_the_person_and_the_room() {
        let person = encode(b"ciscospark://us/PEOPLE/p-1");
        let room = encode(b"ciscospark://us/ROOM/r-2");
        let id = membership_id(&person, &room).unwrap();
        assert_eq!(
            decode(&id).unwrap(),
            b"ciscospark://us/MEMBERSHIP/p-1:r-2".to_vec()
        );
        assert!(!id.contains('='));
        assert_eq!(membership_id("not base64!", &room), None);
        assert_eq!(membership_id(&encode(b"plain text"), &room), None);
    }

    #[test]
    fn ids_differ() {
        let mut random = Random::new();
        assert_ne!(random.id("ROOM"), random.id("ROOM"));
    }
}
