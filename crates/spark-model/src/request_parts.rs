//! The parts of a request that are neither its path nor its JSON body.

/// The query and header parameters of an operation's request type.
///
/// Each generated request type (in [`meetings`](crate::meetings), [`admin`](crate::admin),
/// [`devices`](crate::devices), [`messaging`](crate::messaging)) implements it; its JSON body is
/// its `Serialize` form, which leaves these parameters out. Values are given unencoded, in the
/// order the spec lists them; a list is one comma-separated value (`id=a,b`), as Webex reads it.
///
/// ```
/// use spark_model::RequestParts;
///
/// struct Search {
///     email: String,
/// }
///
/// impl RequestParts for Search {
///     fn query(&self) -> Vec<(&'static str, String)> {
///         vec![("email", self.email.clone())]
///     }
/// }
///
/// let search = Search { email: "julie@example.com".into() };
/// assert_eq!(search.query(), [("email", "julie@example.com".to_owned())]);
/// assert!(search.headers().is_empty());
/// ```
pub trait RequestParts {
    /// The query parameters, `(name, value)`, unencoded. Default: none.
    fn query(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The header parameters, `(name, value)`. Default: none.
    fn headers(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}
