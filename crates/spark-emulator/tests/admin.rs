//! The organization, licenses, roles and the administrators' people operations, through
//! `spark-api` (and raw HTTP where the typed client has no switch for it).

mod support;

use futures_util::TryStreamExt;
use http::{Method, StatusCode};
use spark_api::{Client, Error};
use spark_emulator::{ADMIN_EMAIL, Emulator};
use spark_model::{
    CreatePerson, License, ListLicenses, ListOrganizations, ListPeople, ListRoles, PersonStatus,
    Role, UpdatePerson,
};
use support::{client, client_with_token, raw, strict_client};

fn api_error(error: Error) -> Box<spark_api::ApiError> {
    match error {
        Error::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn admin_client(emulator: &Emulator) -> Client {
    client_with_token(emulator, &emulator.admin_token())
}

async fn roles(client: &Client) -> Vec<Role> {
    client
        .roles()
        .list(&ListRoles::new())
        .try_collect()
        .await
        .unwrap()
}

async fn licenses(client: &Client) -> Vec<License> {
    client
        .licenses()
        .list(&ListLicenses::new())
        .try_collect()
        .await
        .unwrap()
}

fn named<'a, T>(items: &'a [T], name: &str, name_of: impl Fn(&T) -> Option<&str>) -> &'a T {
    items
        .iter()
        .find(|item| name_of(item) == Some(name))
        .unwrap_or_else(|| panic!("no {name}"))
}

fn license<'a>(licenses: &'a [License], name: &str) -> &'a License {
    named(licenses, name, |license| license.name.as_deref())
}

fn role<'a>(roles: &'a [Role], name: &str) -> &'a Role {
    named(roles, name, |role| role.name.as_deref())
}

#[tokio::test]
async fn one_organization_is_seeded_and_everyone_belongs_to_it() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let organizations: Vec<_> = ada
        .organizations()
        .list(&ListOrganizations::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(organizations.len(), 1);
    let organization = &organizations[0];
    assert_eq!(Some(&organization.id), emulator.me().org_id.as_ref());
    assert_eq!(organization.display_name.as_deref(), Some("Example, Inc."));
    assert!(organization.created.is_some());
    assert_eq!(
        ada.organizations().get(&organization.id).await.unwrap(),
        *organization
    );
    let unknown = api_error(
        strict_client(&emulator)
            .organizations()
            .get("Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9ub3Bl")
            .await
            .unwrap_err(),
    );
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.tracking_id.is_some());
}

#[tokio::test]
async fn the_standard_roles_and_the_administrator_holding_one() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let roles = roles(&ada).await;
    let names: Vec<_> = roles
        .iter()
        .filter_map(|role| role.name.as_deref())
        .collect();
    for name in [
        "Full Administrator",
        "Read-only Administrator",
        "Support Administrator",
        "User and Device Administrator",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let full = role(&roles, "Full Administrator");
    assert!(full.id.len() > 20, "an opaque id: {}", full.id);
    assert_eq!(ada.roles().get(&full.id).await.unwrap(), *full);

    let admin = admin_client(&emulator).people().me().await.unwrap();
    assert_eq!(admin.emails, Some(vec![ADMIN_EMAIL.to_owned()]));
    assert_eq!(admin.roles, Some(vec![full.id.clone()]));
    assert_eq!(ada.people().me().await.unwrap().roles, Some(Vec::new()));

    // Listing people by role finds the administrator only.
    let admins: Vec<_> = ada
        .people()
        .list(&ListPeople::new().roles([full.id.clone()]))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].id, admin.id);
}

#[tokio::test]
async fn licenses_count_the_people_holding_them() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let all = licenses(&ada).await;
    assert_eq!(all.len(), 3);
    let messaging = license(&all, "Messaging");
    let meetings = license(&all, "Meeting - Webex Meeting Center");
    let calling = license(&all, "Webex Calling - Professional");
    // The four seeded people and the administrator hold messaging and meetings; the
    // administrator alone holds calling.
    assert_eq!(messaging.consumed_units, Some(5));
    assert_eq!(meetings.consumed_by_users, Some(5));
    assert_eq!(meetings.site_url.as_deref(), Some("example.webex.com"));
    assert_eq!(calling.consumed_units, Some(1));
    assert_eq!(
        ada.people().me().await.unwrap().licenses,
        Some(vec![messaging.id.clone(), meetings.id.clone()])
    );

    let org_id = emulator.me().org_id.unwrap();
    let ours: Vec<_> = ada
        .licenses()
        .list(&ListLicenses::new().org_id(org_id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ours, all);
    let theirs: Vec<_> = ada
        .licenses()
        .list(&ListLicenses::new().org_id("Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9vdGhlcg"))
        .try_collect()
        .await
        .unwrap();
    assert!(theirs.is_empty());

    assert_eq!(ada.licenses().get(&calling.id).await.unwrap(), *calling);
    let holders = raw(
        Method::GET,
        &format!(
            "{}/licenses/{}?includeAssignedTo=user",
            emulator.base_url(),
            calling.id
        ),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    assert_eq!(holders.status, StatusCode::OK);
    let users = holders.json()["users"].clone();
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["email"], ADMIN_EMAIL);
    assert_eq!(users[0]["type"], "INTERNAL");

    // A new holder is counted at once.
    let admin = admin_client(&emulator);
    admin
        .people()
        .create(&CreatePerson::new("kay@example.com").licenses([calling.id.clone()]))
        .await
        .unwrap();
    let after = ada.licenses().get(&calling.id).await.unwrap();
    assert_eq!(after.consumed_units, Some(2));
}

#[tokio::test]
async fn an_administrator_creates_updates_and_deletes_a_person() {
    let emulator = Emulator::start().await.unwrap();
    let admin = admin_client(&emulator);
    let roles = roles(&admin).await;
    let read_only = role(&roles, "Read-only Administrator").id.clone();
    let messaging = license(&licenses(&admin).await, "Messaging").id.clone();

    let created = admin
        .people()
        .create(
            &CreatePerson::new("john.andersen@example.com")
                .first_name("John")
                .last_name("Andersen")
                .department("Sales")
                .roles([read_only.clone()])
                .licenses([messaging.clone()]),
        )
        .await
        .unwrap();
    assert_eq!(created.display_name.as_deref(), Some("John Andersen"));
    assert_eq!(created.first_name.as_deref(), Some("John"));
    assert_eq!(created.department.as_deref(), Some("Sales"));
    assert_eq!(created.roles, Some(vec![read_only.clone()]));
    assert_eq!(created.licenses, Some(vec![messaging.clone()]));
    assert_eq!(created.org_id, emulator.me().org_id);
    assert_eq!(created.invite_pending, Some(true));
    assert_eq!(created.status, Some(PersonStatus::Pending));
    assert_eq!(admin.people().get(&created.id).await.unwrap(), created);

    let updated = admin
        .people()
        .update(
            &created.id,
            &UpdatePerson::from_person(&created)
                .display_name("Johnny Andersen")
                .title("GM")
                .roles(Vec::<String>::new()),
        )
        .await
        .unwrap();
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.display_name.as_deref(), Some("Johnny Andersen"));
    assert_eq!(updated.title.as_deref(), Some("GM"));
    assert_eq!(updated.department.as_deref(), Some("Sales"));
    assert_eq!(updated.roles, Some(Vec::new()));
    assert!(updated.last_modified >= created.last_modified);
    assert_eq!(admin.people().get(&created.id).await.unwrap(), updated);

    // The new person has a token and can be found.
    let john = emulator.token_for("john.andersen@example.com").unwrap();
    let me = client_with_token(&emulator, &john)
        .people()
        .me()
        .await
        .unwrap();
    assert_eq!(me.id, created.id);

    admin.people().delete(&created.id).await.unwrap();
    let gone = api_error(
        admin_client(&emulator)
            .people()
            .get(&created.id)
            .await
            .unwrap_err(),
    );
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let again = api_error(admin.people().delete(&created.id).await.unwrap_err());
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_people_writes_are_refused_with_a_reason() {
    let emulator = Emulator::start().await.unwrap();
    let admin = admin_client(&emulator);

    let taken = api_error(
        admin
            .people()
            .create(&CreatePerson::new("grace@example.com"))
            .await
            .unwrap_err(),
    );
    assert_eq!(taken.status, StatusCode::CONFLICT);

    let no_email = api_error(
        admin
            .people()
            .create(&CreatePerson::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(no_email.status, StatusCode::BAD_REQUEST);
    assert!(no_email.message.as_deref().unwrap().contains("emails"));

    let bad_role = api_error(
        admin
            .people()
            .create(&CreatePerson::new("x@example.com").roles(["nope".to_owned()]))
            .await
            .unwrap_err(),
    );
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    assert!(bad_role.message.as_deref().unwrap().contains("role"));

    let grace = emulator
        .people()
        .into_iter()
        .find(|person| person.display_name.as_deref() == Some("Grace Hopper"))
        .unwrap();
    let no_name = api_error(
        admin
            .people()
            .update(&grace.id, &UpdatePerson::new(""))
            .await
            .unwrap_err(),
    );
    assert_eq!(no_name.status, StatusCode::BAD_REQUEST);
    assert!(no_name.message.as_deref().unwrap().contains("displayName"));
}

#[tokio::test]
async fn a_person_without_an_admin_role_gets_403() {
    let emulator = Emulator::start().await.unwrap();
    let ada = strict_client(&emulator);
    let grace = emulator
        .people()
        .into_iter()
        .find(|person| person.display_name.as_deref() == Some("Grace Hopper"))
        .unwrap();

    let create = api_error(
        ada.people()
            .create(&CreatePerson::new("eve@example.com"))
            .await
            .unwrap_err(),
    );
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    assert!(create.message.as_deref().unwrap().contains("administrator"));
    assert!(
        create
            .tracking_id
            .as_deref()
            .unwrap()
            .starts_with("EMULATOR_")
    );
    assert_eq!(create.descriptions.len(), 1);

    let update = api_error(
        ada.people()
            .update(
                &grace.id,
                &UpdatePerson::from_person(&grace).title("Admiral"),
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(update.status, StatusCode::FORBIDDEN);
    let delete = api_error(ada.people().delete(&grace.id).await.unwrap_err());
    assert_eq!(delete.status, StatusCode::FORBIDDEN);

    // Nothing changed.
    assert_eq!(ada.people().get(&grace.id).await.unwrap(), grace);
    assert!(emulator.token_for("eve@example.com").is_none());

    // A read-only administrator may not write either.
    let admin = admin_client(&emulator);
    let read_only = role(&roles(&admin).await, "Read-only Administrator")
        .id
        .clone();
    let auditor = admin
        .people()
        .create(&CreatePerson::new("audit@example.com").roles([read_only]))
        .await
        .unwrap();
    let auditor = client_with_token(
        &emulator,
        &emulator
            .token_for(auditor.emails.unwrap()[0].as_str())
            .unwrap(),
    );
    let refused = api_error(auditor.people().delete(&grace.id).await.unwrap_err());
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn min_response_and_calling_data_are_taken() {
    let emulator = Emulator::start().await.unwrap();
    let token = emulator.admin_token();
    let url = format!(
        "{}/people?callingData=true&minResponse=true",
        emulator.base_url()
    );
    let body = r#"{"emails": ["min@example.com"], "displayName": "Min Response"}"#;
    let answer = raw(
        Method::POST,
        &url,
        Some(&token),
        Some("application/json"),
        body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let json = answer.json();
    let object = json.as_object().unwrap();
    assert_eq!(object.len(), 1, "only the id: {json}");
    let id = object["id"].as_str().unwrap();
    let person = client(&emulator).people().get(id).await.unwrap();
    assert_eq!(person.display_name.as_deref(), Some("Min Response"));

    let bad = raw(
        Method::PUT,
        &format!("{}/people/{id}?callingData=maybe", emulator.base_url()),
        Some(&token),
        Some("application/json"),
        r#"{"displayName": "x"}"#,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.json()["message"]
            .as_str()
            .unwrap()
            .contains("callingData")
    );

    let patch = raw(
        Method::PATCH,
        &format!("{}/people/{id}", emulator.base_url()),
        Some(&token),
        None,
        "",
    )
    .await;
    assert_eq!(patch.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(patch.header("allow"), Some("GET, PUT, DELETE"));
}
