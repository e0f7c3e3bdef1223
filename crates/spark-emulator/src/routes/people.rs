//! `/v1/people`: the seeded people, `/people/me`, lookups by email, name, id or role; the
//! administrators' create, update and delete are in `admin_people`.

use spark_model::Person;

use super::{Ctx, Op, Reply, admin_people, op};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    if rest == ["me"] {
        if ctx.method != http::Method::GET {
            return Err(Failure::method_not_allowed("GET"));
        }
        let state = ctx.state();
        let me = state
            .people
            .get(&ctx.caller)
            .ok_or_else(Failure::not_found)?;
        return Reply::ok(me);
    }
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            Reply::ok(state.people.get(id).ok_or_else(Failure::not_found)?)
        }
        Op::Create => admin_people::create(ctx),
        Op::Update(id) => admin_people::update(ctx, id),
        Op::Delete(id) => admin_people::delete(ctx, id),
    }
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let email = ctx.query.get("email");
    let name = ctx.query.get("displayName").map(str::to_lowercase);
    let ids: Vec<&str> = ctx
        .query
        .get("id")
        .map(|ids| ids.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let org = ctx.query.get("orgId");
    let roles: Vec<&str> = ctx
        .query
        .get("roles")
        .map(|roles| roles.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let state = ctx.state();
    let rows: Vec<(u64, Person)> = state
        .people
        .iter()
        .filter(|(_, person)| {
            email.is_none_or(|email| {
                person
                    .emails
                    .iter()
                    .flatten()
                    .any(|known| known.eq_ignore_ascii_case(email))
            })
        })
        .filter(|(_, person)| {
            name.as_deref().is_none_or(|name| {
                person
                    .display_name
                    .as_deref()
                    .is_some_and(|display| display.to_lowercase().starts_with(name))
            })
        })
        .filter(|(_, person)| ids.is_empty() || ids.contains(&person.id.as_str()))
        .filter(|(_, person)| org.is_none_or(|org| person.org_id.as_deref() == Some(org)))
        .filter(|(_, person)| {
            roles.is_empty()
                || person
                    .roles
                    .iter()
                    .flatten()
                    .any(|role| roles.contains(&role.as_str()))
        })
        .map(|(seq, person)| (seq, person.clone()))
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 100)
}
