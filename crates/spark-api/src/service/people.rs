//! `/people`: People: list, get, create, update and delete, and `me`.

use std::future::Future;

use spark_model::{CreatePerson, ListPeople, Person, UpdatePerson};

use super::{create_op, delete_op, get_op, list_op, service, update_op};

service!(
    /// People: list, get, create, update and delete, and `me`.
    People,
    "people"
);
list_op!(People, "people", ListPeople, Person);
get_op!(People, "people", Person);
create_op!(People, "people", CreatePerson, Person);
update_op!(People, "people", UpdatePerson, Person);
delete_op!(People, "people");

impl People {
    /// Gets the person the access token belongs to: `GET /people/me`, no body.
    ///
    /// Returns the [`Person`], decoded from the answer's JSON.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> spark_api::Result<()> {
    /// # let emulator = spark_emulator::Emulator::start().await?;
    /// # let client = spark_api::Client::builder()
    /// #     .base_url(emulator.base_url())?
    /// #     .access_token(emulator.access_token())
    /// #     .build()?;
    /// // The futures borrow nothing: collect them from temporaries, await them together.
    /// let calls: Vec<_> = (0..3).map(|_| client.people().me()).collect();
    /// let answers = futures_util::future::try_join_all(calls).await?;
    /// assert!(answers.iter().all(|me| me.id == answers[0].id));
    /// # Ok(())
    /// # }
    /// ```
    ///
    #[doc = super::owned_future_doc!()]
    ///
    #[doc = super::errors_doc!(json)]
    pub fn me(&self) -> impl Future<Output = crate::Result<Person>> + Send + 'static + use<> {
        self.client.get_json("people/me")
    }
}
