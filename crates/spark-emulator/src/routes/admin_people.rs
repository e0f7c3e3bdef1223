//! The administrators' operations on `/v1/people`: create (`POST /people`), update
//! (`PUT /people/{personId}`, which replaces the person's settable fields) and delete
//! (`DELETE /people/{personId}`, with the person's memberships).
//!
//! Only a caller holding a role that may manage people does these (see `admin.rs`); anyone else
//! gets 403. `callingData` and `showAllTypes` are accepted (the emulator has no calling data);
//! `minResponse=true` answers `{"id": ...}` only.

use serde_json::json;
use spark_model::{CreatePerson, Person, PersonStatus, UpdatePerson};

use super::flags::flag;
use super::{Ctx, Reply};
use crate::admin::require_admin;
use crate::errors::{Failure, Outcome};
use crate::state::{State, now};

/// Checks the flags a write takes; whether the answer is the id only.
fn min_response(ctx: &Ctx<'_>) -> Outcome<bool> {
    flag(ctx, "callingData")?;
    flag(ctx, "showAllTypes")?;
    Ok(flag(ctx, "minResponse")?.unwrap_or(false))
}

/// The answer: the person, or only its id with `minResponse`.
fn answer(person: &Person, min: bool) -> Outcome<Reply> {
    if min {
        Reply::ok(&json!({ "id": person.id }))
    } else {
        Reply::ok(person)
    }
}

/// The one email of a request; 400 unless there is exactly one, well formed.
fn one_email(emails: &[String]) -> Outcome<String> {
    match emails {
        [] => Err(Failure::bad_request("emails is required.")),
        [email] if email.contains('@') && !email.trim().is_empty() => Ok(email.trim().to_owned()),
        [email] => Err(Failure::bad_request(format!(
            "emails is not a valid email address: `{email}`."
        ))),
        _ => Err(Failure::bad_request(
            "Only one email address is allowed per person.",
        )),
    }
}

/// 400 unless every role and license id is known.
fn check_grants(state: &State, roles: &[String], licenses: &[String]) -> Outcome<()> {
    if let Some(role) = roles.iter().find(|id| state.admin.roles.get(id).is_none()) {
        return Err(Failure::bad_request(format!("Unknown role id `{role}`.")));
    }
    if let Some(license) = licenses
        .iter()
        .find(|id| state.admin.licenses.get(id).is_none())
    {
        return Err(Failure::bad_request(format!(
            "Unknown license id `{license}`."
        )));
    }
    Ok(())
}

/// 403 for another organization than the emulator's.
fn check_org(state: &State, org_id: Option<&str>) -> Outcome<()> {
    match org_id {
        Some(org) if org != state.org_id => Err(Failure::forbidden(
            "The caller is not an administrator of this organization.",
        )),
        _ => Ok(()),
    }
}

/// 409 if someone other than `except` has this email.
fn check_email_free(state: &State, email: &str, except: Option<&str>) -> Outcome<()> {
    match state.person_by_email(email) {
        Some(person) if Some(person.id.as_str()) != except => Err(Failure::conflict(format!(
            "A person with the email {email} already exists."
        ))),
        _ => Ok(()),
    }
}

/// `POST /people`.
pub(crate) fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let min = min_response(ctx)?;
    require_admin(&ctx.state(), &ctx.caller)?;
    let body: CreatePerson = ctx.json()?;
    let email = one_email(&body.emails)?;
    let roles = body.roles.clone().unwrap_or_default();
    let licenses = body.licenses.clone().unwrap_or_default();
    let mut state = ctx.state();
    check_org(&state, body.org_id.as_deref())?;
    check_grants(&state, &roles, &licenses)?;
    check_email_free(&state, &email, None)?;
    let display_name = body
        .display_name
        .clone()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| {
            let names: Vec<&str> = [body.first_name.as_deref(), body.last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            Some(names.join(" ")).filter(|name| !name.trim().is_empty())
        })
        .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
    let id = state.add_person(&email, &display_name).id;
    let person = state.people.get_mut(&id).ok_or_else(Failure::not_found)?;
    person.phone_numbers = body.phone_numbers;
    person.extension = body.extension;
    person.location_id = body.location_id;
    if body.first_name.is_some() {
        person.first_name.clone_from(&body.first_name);
        person.nick_name = body.first_name;
    }
    if body.last_name.is_some() {
        person.last_name = body.last_name;
    }
    person.avatar = body.avatar;
    person.roles = Some(roles);
    person.licenses = Some(licenses);
    person.department = body.department;
    person.manager = body.manager;
    person.manager_id = body.manager_id;
    person.title = body.title;
    person.addresses = body.addresses;
    person.site_urls = body.site_urls;
    person.status = Some(PersonStatus::Pending);
    person.invite_pending = Some(true);
    person.login_enabled = Some(true);
    person.last_modified = person.created;
    answer(person, min)
}

/// `PUT /people/{personId}`.
pub(crate) fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let min = min_response(ctx)?;
    require_admin(&ctx.state(), &ctx.caller)?;
    let body: UpdatePerson = ctx.json()?;
    if body.display_name.trim().is_empty() {
        return Err(Failure::bad_request("displayName is required."));
    }
    let mut state = ctx.state();
    if state.people.get(id).is_none() {
        return Err(Failure::not_found());
    }
    check_org(&state, body.org_id.as_deref())?;
    let roles = body.roles.clone().unwrap_or_default();
    let licenses = body.licenses.clone().unwrap_or_default();
    check_grants(&state, &roles, &licenses)?;
    let email = match &body.emails {
        Some(emails) => {
            let email = one_email(emails)?;
            check_email_free(&state, &email, Some(id))?;
            Some(email)
        }
        None => None,
    };
    let person = state.people.get_mut(id).ok_or_else(Failure::not_found)?;
    if let Some(email) = email {
        person.emails = Some(vec![email]);
    }
    person.phone_numbers = body.phone_numbers;
    person.extension = body.extension;
    person.location_id = body.location_id;
    person.display_name = Some(body.display_name);
    person.nick_name = body.nick_name.or_else(|| body.first_name.clone());
    person.first_name = body.first_name;
    person.last_name = body.last_name;
    person.avatar = body.avatar;
    person.roles = Some(roles);
    person.licenses = Some(licenses);
    person.department = body.department;
    person.manager = body.manager;
    person.manager_id = body.manager_id;
    person.title = body.title;
    person.addresses = body.addresses;
    person.site_urls = body.site_urls;
    if body.login_enabled.is_some() {
        person.login_enabled = body.login_enabled;
    }
    person.last_modified = Some(now());
    answer(person, min)
}

/// `DELETE /people/{personId}`.
pub(crate) fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let mut state = ctx.state();
    require_admin(&state, &ctx.caller)?;
    state.people.remove(id).ok_or_else(Failure::not_found)?;
    state
        .memberships
        .retain(|membership| membership.person_id.as_deref() != Some(id));
    state
        .team_memberships
        .retain(|membership| membership.person_id.as_deref() != Some(id));
    Reply::no_content()
}
