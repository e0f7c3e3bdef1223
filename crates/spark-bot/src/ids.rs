//! REST ids from Mercury activity ids, and the host map that gives their cluster.
//!
//! Source: DESIGN.md, "Real-time events": a REST id is base64 without `=` padding of
//! `ciscospark://<cluster>/<TYPE>/<id>`. The cluster comes from the host of the activity's
//! target URL looked up in the U2C host catalog: `us` for `urn:TEAM:us-east-2_a`, otherwise the
//! first three `:`-separated parts of the cluster id (`urn:TEAM:eu-central-1_k`). People ids
//! always use `us`. For the URIs these ids are made of, base64's standard and URL-safe
//! alphabets give the same text.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// The cluster of the US data centre, and of every person id.
pub const US_CLUSTER: &str = "us";

/// The REST id of a Webex object: base64 (no padding) of `ciscospark://<cluster>/<kind>/<id>`.
///
/// ```
/// assert_eq!(spark_bot::ids::rest_id("us", "ROOM", "1"), "Y2lzY29zcGFyazovL3VzL1JPT00vMQ");
/// ```
pub fn rest_id(cluster: &str, kind: &str, id: &str) -> String {
    STANDARD_NO_PAD.encode(format!("ciscospark://{cluster}/{kind}/{id}"))
}

/// The cluster part of a REST id made from a catalog cluster id: `us` for
/// `urn:TEAM:us-east-2_a...`, otherwise its first three `:`-separated parts.
///
/// ```
/// use spark_bot::ids::cluster_of_id;
/// assert_eq!(cluster_of_id("urn:TEAM:us-east-2_a:conversation"), "us");
/// assert_eq!(cluster_of_id("urn:TEAM:eu-central-1_k:conversation"), "urn:TEAM:eu-central-1_k");
/// ```
pub fn cluster_of_id(cluster_id: &str) -> String {
    let head: Vec<&str> = cluster_id.splitn(4, ':').take(3).collect();
    let head = head.join(":");
    if head == "urn:TEAM:us-east-2_a" {
        US_CLUSTER.to_owned()
    } else {
        head
    }
}

/// The U2C host catalog: which cluster each service host belongs to.
#[derive(Debug, Clone, Default)]
pub struct HostMap {
    clusters: HashMap<String, String>,
}

impl HostMap {
    /// Reads `hostCatalog` of a `format=hostmap` catalog answer:
    /// `{"<host>": [{"host", "id": "urn:TEAM:<region>:<service>", ...}], ...}`.
    pub fn from_catalog(host_catalog: &serde_json::Value) -> Self {
        let mut clusters = HashMap::new();
        if let Some(hosts) = host_catalog.as_object() {
            for (host, entries) in hosts {
                let id = entries
                    .as_array()
                    .and_then(|entries| entries.first())
                    .and_then(|entry| entry.get("id"))
                    .and_then(serde_json::Value::as_str);
                if let Some(id) = id {
                    clusters.insert(host.to_ascii_lowercase(), cluster_of_id(id));
                }
            }
        }
        Self { clusters }
    }

    /// The cluster of the host of `url` (`us` when the host is not in the map).
    pub fn cluster_of_url(&self, url: &str) -> String {
        let authority = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest)
            .split(['/', '?'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let host = authority.split(':').next().unwrap_or_default();
        self.clusters
            .get(&authority)
            .or_else(|| self.clusters.get(host))
            .cloned()
            .unwrap_or_else(|| US_CLUSTER.to_owned())
    }
}

/// A random version-4 UUID, lowercase, for frame and device ids.
pub(crate) fn uuid() -> String {
    let a = fastrand::u64(..);
    let b = fastrand::u64(..);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_map_to_clusters() {
        let map = HostMap::from_catalog(&serde_json::json!({
            "conv-a.wbx2.com": [{"host": "conv-a.wbx2.com", "id": "urn:TEAM:us-east-2_a:conversation"}],
            "conv-k.wbx2.com": [{"host": "conv-k.wbx2.com", "id": "urn:TEAM:eu-central-1_k:conversation"}],
            "127.0.0.1:9": [{"id": "urn:TEAM:eu-central-1_k:conversation"}],
        }));
        assert_eq!(
            map.cluster_of_url("https://conv-a.wbx2.com/conversation/api/v1/x"),
            "us"
        );
        assert_eq!(
            map.cluster_of_url("https://CONV-K.wbx2.com/conversation/api/v1/x"),
            "urn:TEAM:eu-central-1_k"
        );
        assert_eq!(
            map.cluster_of_url("http://127.0.0.1:9/c"),
            "urn:TEAM:eu-central-1_k"
        );
        assert_eq!(map.cluster_of_url("https://unknown.example/x"), "us");
    }

    #[test]
    fn ids_are_unpadded_base64() {
        let id = rest_id("us", "MESSAGE", "9f2a");
        assert!(!id.contains('='));
        assert_eq!(
            STANDARD_NO_PAD.decode(&id).unwrap(),
            b"ciscospark://us/MESSAGE/9f2a"
        );
        let uuid = uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
    }
}
