//! `/people`: People: list, get, create, update and delete, and `me`.

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
    /// `GET /people/me`: the person the token belongs to.
    pub async fn me(&self) -> crate::Result<Person> {
        self.client.get_json("people/me").await
    }
}
