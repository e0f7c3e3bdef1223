//! The device a socket belongs to: finding the device service (U2C catalog), registering a
//! device or reusing ours, and deleting it.
//!
//! Source: DESIGN.md, "Real-time events". `GET <u2c>/catalog?format=hostmap` gives
//! `serviceLinks.wdm` and the `hostCatalog`. `GET <wdm>/devices` lists the account's devices
//! (`devices[]`); ours is the newest (`modificationTime`) with our `name`, refreshed with
//! `PUT <url>` (404: gone, register anew). `POST <wdm>/devices?includeUpstreamServices=all`
//! registers one; its answer has `url` and `webSocketUrl`. `User has excessive device
//! registrations` (about 100 per account): delete our own older devices (never others') and
//! try once more. These calls carry the token themselves: the device hosts are not the REST
//! API's, which the client's stack trusts with it.

use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use serde::Deserialize;
use serde_json::json;
use spark_api::Client;
use spark_http::Body;

use crate::error::{Error, Result};
use crate::ids::HostMap;

/// The U2C service of live Webex.
pub const DEFAULT_U2C_URL: &str = "https://u2c.wbx2.com/u2c/api/v1";

/// The device service used when discovery gives none (DESIGN.md).
pub const FALLBACK_WDM_URL: &str = "https://wdm-a.wbx2.com/wdm/api/v1";

/// The most of a device-service answer we read.
const ANSWER_LIMIT: usize = 4 << 20;

/// The message live Webex gives when an account holds too many devices.
const EXCESSIVE: &str = "excessive device registrations";

/// A registered device.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Device {
    /// Where to `PUT` and `DELETE` it.
    pub(crate) url: String,
    /// Where its socket is.
    pub(crate) web_socket_url: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    modification_time: Option<String>,
}

#[derive(Debug, Deserialize)]
struct DeviceList {
    #[serde(default)]
    devices: Vec<Device>,
}

/// Where the device service is and the host map of ids.
#[derive(Debug, Clone)]
pub(crate) struct Services {
    pub(crate) wdm_url: String,
    pub(crate) hosts: HostMap,
}

/// Calls the device services with the client's token (set on each request, refreshed once on
/// a 401 when the client can refresh).
#[derive(Debug, Clone)]
pub(crate) struct DeviceApi {
    pub(crate) client: Client,
    pub(crate) name: String,
    pub(crate) timeout: Duration,
}

/// An answer: status and body.
struct Answer {
    status: StatusCode,
    body: Bytes,
}

impl Answer {
    fn message(&self) -> String {
        let value: serde_json::Value = serde_json::from_slice(&self.body).unwrap_or_default();
        value
            .get("message")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                String::from_utf8_lossy(&self.body)
                    .chars()
                    .take(200)
                    .collect()
            })
    }

    fn error(&self, action: &'static str) -> Error {
        Error::Device {
            action,
            status: self.status.as_u16(),
            message: self.message(),
        }
    }

    fn json<T: serde::de::DeserializeOwned>(&self, what: &'static str) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|error| Error::Decode {
            what,
            detail: error.to_string(),
        })
    }
}

impl DeviceApi {
    /// One call, with the token; a 401 refreshes the token (when the client can) and tries once
    /// more.
    async fn call(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Answer> {
        for attempt in 0..2 {
            let header = crate::token::authorization(&self.client).await?;
            let mut request = Request::builder()
                .method(method.clone())
                .uri(url)
                .header(http::header::AUTHORIZATION, header);
            let body = match body {
                Some(value) => {
                    request = request.header(http::header::CONTENT_TYPE, "application/json");
                    Body::from(serde_json::to_vec(value).unwrap_or_default())
                }
                None => Body::empty(),
            };
            let request = request
                .body(body)
                .map_err(|error| Error::Config(format!("bad device service URL: {error}")))?;
            let exchange = async {
                let response = self.client.http().send(request).await?;
                let status = response.status();
                let body = response.into_body().collect_limited(ANSWER_LIMIT).await?;
                Ok::<_, spark_http::Error>(Answer { status, body })
            };
            let answer = match tokio::time::timeout(self.timeout, exchange).await {
                Err(_) => {
                    return Err(Error::Timeout {
                        what: "a device service call",
                        limit: self.timeout,
                    });
                }
                Ok(Err(spark_http::Error::Unauthorized { .. })) if attempt == 0 => {
                    crate::token::refresh(&self.client).await?;
                    continue;
                }
                Ok(answer) => answer?,
            };
            if answer.status == StatusCode::UNAUTHORIZED && attempt == 0 {
                crate::token::refresh(&self.client).await?;
                continue;
            }
            return Ok(answer);
        }
        Err(Error::NoToken)
    }

    /// The device service and host map from the U2C catalog.
    pub(crate) async fn discover(&self, u2c_url: &str) -> Result<Services> {
        let url = format!("{}/catalog?format=hostmap", u2c_url.trim_end_matches('/'));
        let answer = self.call(Method::GET, &url, None).await?;
        if !answer.status.is_success() {
            return Err(Error::Discovery(format!(
                "the catalog answered {}: {}",
                answer.status.as_u16(),
                answer.message()
            )));
        }
        let catalog: serde_json::Value = answer.json("the U2C catalog")?;
        let wdm_url = catalog
            .pointer("/serviceLinks/wdm")
            .and_then(serde_json::Value::as_str)
            .unwrap_or(FALLBACK_WDM_URL)
            .trim_end_matches('/')
            .to_owned();
        Ok(Services {
            wdm_url,
            hosts: HostMap::from_catalog(catalog.get("hostCatalog").unwrap_or(&json!({}))),
        })
    }

    /// What we register a device with.
    fn registration(&self) -> serde_json::Value {
        json!({
            "name": self.name,
            "deviceName": self.name,
            "deviceType": "DESKTOP",
            "localizedModel": "rust",
            "model": "rust",
            "systemName": "spark-bot",
            "systemVersion": env!("CARGO_PKG_VERSION"),
        })
    }

    /// Our devices, newest first.
    async fn ours(&self, wdm_url: &str) -> Result<Vec<Device>> {
        let answer = self
            .call(Method::GET, &format!("{wdm_url}/devices"), None)
            .await?;
        if !answer.status.is_success() {
            return Err(answer.error("list devices"));
        }
        let list: DeviceList = answer.json("the device list")?;
        let mut ours: Vec<Device> = list
            .devices
            .into_iter()
            .filter(|device| device.name.as_deref() == Some(self.name.as_str()))
            .collect();
        // ISO-8601 times of one format sort as text.
        ours.sort_by(|a, b| b.modification_time.cmp(&a.modification_time));
        Ok(ours)
    }

    /// Reuses our newest device (refreshing it), or registers a new one.
    pub(crate) async fn register(&self, wdm_url: &str) -> Result<Device> {
        if let Some(newest) = self.ours(wdm_url).await?.into_iter().next() {
            let answer = self
                .call(Method::PUT, &newest.url, Some(&self.registration()))
                .await?;
            if answer.status.is_success() {
                tracing::debug!(device = %newest.url, "reusing our device");
                return answer.json("the device refresh");
            }
            if answer.status != StatusCode::NOT_FOUND {
                return Err(answer.error("refresh the device"));
            }
        }
        self.register_new(wdm_url).await
    }

    /// Registers a new device; on `excessive device registrations`, deletes our own older
    /// devices and tries once more.
    pub(crate) async fn register_new(&self, wdm_url: &str) -> Result<Device> {
        let url = format!("{wdm_url}/devices?includeUpstreamServices=all");
        let mut deleted = 0;
        for attempt in 0..2 {
            let answer = self
                .call(Method::POST, &url, Some(&self.registration()))
                .await?;
            if answer.status.is_success() {
                let device: Device = answer.json("the device registration")?;
                tracing::debug!(device = %device.url, "device registered");
                return Ok(device);
            }
            let message = answer.message();
            if !message.to_ascii_lowercase().contains(EXCESSIVE) {
                return Err(answer.error("register a device"));
            }
            if attempt == 1 {
                return Err(Error::DeviceLimit { message, deleted });
            }
            // Ours, oldest first; never anyone else's.
            let mut ours = self.ours(wdm_url).await?;
            ours.reverse();
            if ours.is_empty() {
                return Err(Error::DeviceLimit { message, deleted });
            }
            for device in ours {
                if self.delete(&device.url).await.is_ok() {
                    deleted += 1;
                }
            }
            tracing::warn!(
                deleted,
                "too many devices: deleted our older ones, registering again"
            );
        }
        Err(Error::DeviceLimit {
            message: "User has excessive device registrations".to_owned(),
            deleted,
        })
    }

    /// Deletes a device.
    pub(crate) async fn delete(&self, device_url: &str) -> Result<()> {
        let answer = self.call(Method::DELETE, device_url, None).await?;
        if answer.status.is_success() || answer.status == StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(answer.error("delete the device"))
        }
    }
}
