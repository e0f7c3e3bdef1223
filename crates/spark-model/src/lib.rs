//! Serde models of the Webex REST API.
