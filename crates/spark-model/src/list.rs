//! The list envelope (`{"items": [...]}`) and the trait shared by every list request.
//!
//! Every `GET` on a collection answers with an object whose `items` holds one page of
//! resources; the next page, if any, is announced by the response's `Link` header, which is the
//! HTTP layer's business. The page size is the request's `max` query parameter.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One page of a list answer: `{"items": [...]}`.
///
/// ```
/// use spark_model::{ListEnvelope, Room};
///
/// let page: ListEnvelope<Room> =
///     serde_json::from_str(r#"{"items": [{"id": "r1", "title": "Ops"}]}"#).unwrap();
/// assert_eq!(page.items[0].title.as_deref(), Some("Ops"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct ListEnvelope<T> {
    /// The resources of this page, in the order the API gives them.
    #[serde(
        default = "Vec::new",
        deserialize_with = "crate::common::null_as_default"
    )]
    pub items: Vec<T>,
    /// IDs the API could not find (only `GET /people` with `id=` sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_found_ids: Option<Vec<String>>,
}

impl<T> ListEnvelope<T> {
    /// A page holding these items.
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            not_found_ids: None,
        }
    }

    /// The number of items in this page.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether this page holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T> Default for ListEnvelope<T> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl<T> From<Vec<T>> for ListEnvelope<T> {
    fn from(items: Vec<T>) -> Self {
        Self::new(items)
    }
}

impl<T> IntoIterator for ListEnvelope<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a ListEnvelope<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// The query parameters of one list operation (`ListRooms`, `ListMessages`, ...).
///
/// A paging layer uses it to read or override the page size (`max`, the number of items per
/// page, not a total) and to know which resource the pages hold.
///
/// ```
/// use spark_model::{ListRequest, ListRooms};
///
/// let mut query = ListRooms::new().max(50);
/// assert_eq!(query.page_size(), Some(50));
/// query.set_page_size(None);
/// assert_eq!(query.max, None);
/// ```
pub trait ListRequest: Serialize {
    /// The resource type of the list's `items`.
    type Item: DeserializeOwned;

    /// The page size (`max`) this request asks for, if set.
    fn page_size(&self) -> Option<u32>;

    /// Sets or clears the page size (`max`).
    fn set_page_size(&mut self, max: Option<u32>);
}

/// Implements [`ListRequest`] for list parameter types that have a `pub max: Option<u32>` field.
macro_rules! impl_list_request {
    ($($request:ty => $item:ty),+ $(,)?) => {
        $(
            impl $crate::list::ListRequest for $request {
                type Item = $item;

                fn page_size(&self) -> Option<u32> {
                    self.max
                }

                fn set_page_size(&mut self, max: Option<u32>) {
                    self.max = max;
                }
            }
        )+
    };
}

pub(crate) use impl_list_request;
