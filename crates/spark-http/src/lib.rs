//! A tower service stack over hyper for the Webex REST API.
