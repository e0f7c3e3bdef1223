//! `/v1/messages`: post (JSON or `multipart/form-data` with a file), threads, mentions, direct
//! messages, edits, deletes, lists newest first, and `/messages/direct`.
//!
//! A list reads the room's messages newest first from where its page starts (the cursor,
//! `beforeMessage`, `before`), so a page costs the same whatever the room's size.

use std::time::Duration;

use spark_model::{
    CreateMessage, EventData, EventResource, EventType, MAX_MESSAGE_BYTES, Message, RoomType,
    UpdateMessage,
};

use super::{Ctx, Op, Reply, op, require_member, required};
use crate::errors::{Failure, Outcome};
use crate::message_store::Stored;
use crate::multipart;
use crate::paging::{self, Cursor, Order};
use crate::scan::Scan;
use crate::server::MAX_FILE_BYTES;
use crate::state::{State, StoredFile, now};

/// Messages per page unless `max` says otherwise.
const DEFAULT_PAGE: usize = 50;

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    if rest == ["direct"] {
        if ctx.method != http::Method::GET {
            return Err(Failure::method_not_allowed("GET"));
        }
        return list_direct(ctx);
    }
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            let message = state.messages.get(id).ok_or_else(Failure::not_found)?;
            require_member(
                &state,
                message.room_id.as_deref().unwrap_or_default(),
                &ctx.caller,
            )?;
            Reply::ok(&message)
        }
        Op::Update(id) => update(ctx, id),
        Op::Delete(id) => delete(ctx, id),
    }
}

/// The event data describing a message (webhook deliveries leave the text out).
fn message_data(message: &Message) -> EventData {
    EventData {
        id: Some(message.id.clone()),
        room_id: message.room_id.clone(),
        room_type: message.room_type.clone(),
        text: message.text.clone(),
        person_id: message.person_id.clone(),
        person_email: message.person_email.clone(),
        parent_id: message.parent_id.clone(),
        mentioned_people: message.mentioned_people.clone(),
        mentioned_groups: message.mentioned_groups.clone(),
        files: message.files.clone(),
        created: message.created,
        ..EventData::default()
    }
}

/// An uploaded file waiting to be stored.
struct Upload {
    file_name: String,
    content_type: String,
    bytes: bytes::Bytes,
}

/// Reads the body: JSON, or a form with at most one file in `files`.
fn read_message(ctx: &Ctx<'_>) -> Outcome<(CreateMessage, Option<Upload>)> {
    let content_type = ctx
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let Some(boundary) = multipart::boundary(content_type)? else {
        return Ok((ctx.json()?, None));
    };
    let mut message = CreateMessage::default();
    let mut upload = None;
    for part in multipart::parse(&ctx.body, &boundary)? {
        match part.name.as_str() {
            "roomId" => message.room_id = Some(part.text()),
            "toPersonId" => message.to_person_id = Some(part.text()),
            "toPersonEmail" => message.to_person_email = Some(part.text()),
            "text" => message.text = Some(part.text()),
            "markdown" => message.markdown = Some(part.text()),
            "parentId" => message.parent_id = Some(part.text()),
            "files" => match &part.file_name {
                Some(file_name) => {
                    if upload.is_some() {
                        return Err(Failure::bad_request("A message takes only one file."));
                    }
                    if part.data.len() > MAX_FILE_BYTES {
                        return Err(Failure::bad_request(
                            "The file is larger than the 100 MB limit.",
                        ));
                    }
                    upload = Some(Upload {
                        file_name: file_name.clone(),
                        content_type: part
                            .content_type
                            .clone()
                            .unwrap_or_else(|| "application/octet-stream".to_owned()),
                        bytes: part.data.clone(),
                    });
                }
                None => message.files.push(part.text()),
            },
            _ => {}
        }
    }
    Ok((message, upload))
}

fn check_length(field: &str, value: Option<&String>) -> Outcome<()> {
    match value {
        Some(value) if value.len() > MAX_MESSAGE_BYTES => Err(Failure::bad_request(format!(
            "The {field} is {} bytes; a message takes at most {MAX_MESSAGE_BYTES} bytes.",
            value.len()
        ))),
        _ => Ok(()),
    }
}

/// The people and groups a markdown text mentions, and the text with mentions written out.
pub(crate) fn mentions(state: &State, markdown: &str) -> (Vec<String>, Vec<String>, String) {
    let mut people = Vec::new();
    let mut groups = Vec::new();
    let mut plain = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(start) = rest.find("<@") {
        plain.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            plain.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = &rest[start + 2..start + end];
        let (target, label) = tag.split_once('|').unwrap_or((tag, ""));
        if let Some(email) = target.strip_prefix("personEmail:") {
            let person = state.person_by_email(email);
            if let Some(person) = person {
                people.push(person.id.clone());
            }
            let name = person.and_then(|p| p.display_name.clone());
            plain.push_str(if label.is_empty() {
                name.as_deref().unwrap_or(email)
            } else {
                label
            });
        } else if let Some(id) = target.strip_prefix("personId:") {
            let person = state.people.get(id);
            if person.is_some() {
                people.push(id.to_owned());
            }
            let name = person.and_then(|p| p.display_name.clone());
            plain.push_str(if label.is_empty() {
                name.as_deref().unwrap_or(id)
            } else {
                label
            });
        } else if target == "all" {
            groups.push("all".to_owned());
            plain.push_str(if label.is_empty() { "all" } else { label });
        } else {
            plain.push_str(&rest[start..start + end + 1]);
        }
        rest = &rest[start + end + 1..];
    }
    plain.push_str(rest);
    people.dedup();
    (people, groups, plain.replace("**", "").replace("__", ""))
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let (body, upload) = read_message(ctx)?;
    let destinations = [&body.room_id, &body.to_person_id, &body.to_person_email]
        .iter()
        .filter(|value| value.as_deref().is_some_and(|value| !value.is_empty()))
        .count();
    match destinations {
        0 => {
            return Err(Failure::bad_request(
                "roomId, toPersonId or toPersonEmail is required.",
            ));
        }
        1 => {}
        _ => {
            return Err(Failure::bad_request(
                "Only one of roomId, toPersonId and toPersonEmail may be given.",
            ));
        }
    }
    if ctx.state().refusals.text_limits {
        check_length("text", body.text.as_ref())?;
        check_length("markdown", body.markdown.as_ref())?;
    }
    if body.files.len() + usize::from(upload.is_some()) > 1 {
        return Err(Failure::bad_request("A message takes only one file."));
    }
    if body.attachments.len() > 1 {
        return Err(Failure::bad_request("A message takes only one attachment."));
    }
    let has_content = body.text.as_deref().is_some_and(|t| !t.is_empty())
        || body.markdown.as_deref().is_some_and(|t| !t.is_empty())
        || !body.files.is_empty()
        || upload.is_some()
        || !body.attachments.is_empty();
    if !has_content {
        return Err(Failure::bad_request(
            "A message needs text, markdown, a file or an attachment.",
        ));
    }
    let base = ctx.base();
    let mut state = ctx.state();
    let caller = ctx.caller.clone();
    let (room_id, to_person_id, to_person_email) = if let Some(room_id) = &body.room_id {
        require_member(&state, room_id, &caller)?;
        (room_id.clone(), None, None)
    } else {
        let other = match (&body.to_person_id, &body.to_person_email) {
            (Some(id), _) => state.people.get(id).ok_or_else(Failure::not_found)?.clone(),
            (_, Some(email)) => state.person_by_email_or_invite(email),
            _ => {
                return Err(Failure::bad_request(
                    "toPersonId or toPersonEmail is required.",
                ));
            }
        };
        if other.id == caller {
            return Err(Failure::bad_request(
                "A direct message cannot be sent to oneself.",
            ));
        }
        let room_id = match state.direct_room(&caller, &other.id) {
            Some(room_id) => room_id,
            None => {
                let title = other.display_name.clone().unwrap_or_default();
                let room = state.add_room(&title, RoomType::Direct, &caller, None);
                state.add_membership(&room.id, &other.id, false);
                room.id
            }
        };
        let email = other
            .emails
            .as_ref()
            .and_then(|emails| emails.first().cloned());
        (
            room_id,
            body.to_person_id.as_ref().map(|_| other.id.clone()),
            body.to_person_email.as_ref().and(email),
        )
    };
    if let Some(parent_id) = &body.parent_id {
        let parent = state
            .messages
            .get(parent_id)
            .ok_or_else(|| Failure::bad_request("The parent message does not exist."))?;
        if parent.room_id.as_deref() != Some(room_id.as_str()) {
            return Err(Failure::bad_request(
                "The parent message is in another room.",
            ));
        }
        if parent.parent_id.is_some() {
            return Err(Failure::bad_request("A reply cannot have replies."));
        }
    }
    let (mentioned_people, mentioned_groups, plain) = match &body.markdown {
        Some(markdown) => mentions(&state, markdown),
        None => (Vec::new(), Vec::new(), String::new()),
    };
    let text = body
        .text
        .clone()
        .or_else(|| body.markdown.as_ref().map(|_| plain));
    let mut files = body.files.clone();
    let room_type = state
        .rooms
        .get(&room_id)
        .and_then(|room| room.room_type.clone());
    if let Some(upload) = upload {
        let content_id = state.random.id("CONTENT");
        let scan_time = if state.refusals.file_scan {
            state.refusals.scan_time
        } else {
            Duration::ZERO
        };
        files.push(format!("{base}/contents/{content_id}"));
        state.files.insert(
            content_id,
            StoredFile {
                file_name: upload.file_name,
                content_type: upload.content_type,
                bytes: upload.bytes,
                room_id: room_id.clone(),
                scan: Scan::starting_now(scan_time),
            },
        );
    }
    let (seq, id) = state.next_id("MESSAGE");
    let message = Message {
        id,
        parent_id: body.parent_id.clone(),
        room_id: Some(room_id.clone()),
        room_type,
        to_person_id,
        to_person_email,
        text,
        markdown: body.markdown.clone(),
        html: body
            .markdown
            .as_deref()
            .and_then(|markdown| crate::mention_html::mention_html(&state, markdown)),
        files: (!files.is_empty()).then_some(files),
        attachments: (!body.attachments.is_empty()).then(|| body.attachments.clone()),
        person_id: Some(caller.clone()),
        person_email: state.email_of(&caller),
        mentioned_people: (!mentioned_people.is_empty()).then_some(mentioned_people),
        mentioned_groups: (!mentioned_groups.is_empty()).then_some(mentioned_groups),
        created: Some(now()),
        updated: None,
        is_voice_clip: None,
    };
    state.messages.insert(seq, message.clone());
    state.touch_room(&room_id);
    state.record(
        EventResource::Messages,
        EventType::Created,
        &caller,
        message_data(&message),
    );
    Reply::ok(&message)
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let room_id = required(ctx.query.get("roomId"), "roomId")?;
    let parent_id = ctx.query.get("parentId");
    let before = match ctx.query.get("before") {
        Some(raw) => Some(
            chrono::DateTime::parse_from_rfc3339(raw)
                .map_err(|_| Failure::bad_request(format!("Invalid value for before: `{raw}`.")))?
                .with_timezone(&chrono::Utc),
        ),
        None => None,
    };
    let state = ctx.state();
    require_member(&state, room_id, &ctx.caller)?;
    crate::bots::check_listing(
        &state,
        room_id,
        &ctx.caller,
        ctx.query.get("mentionedPeople"),
    )?;
    let mentioned: Vec<String> = ctx
        .query
        .get("mentionedPeople")
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(|id| {
                    if id == "me" {
                        ctx.caller.clone()
                    } else {
                        id.to_owned()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let before_seq = match ctx.query.get("beforeMessage") {
        Some(id) => Some(
            state
                .messages
                .seq(id)
                .ok_or_else(|| Failure::bad_request("beforeMessage names no message."))?,
        ),
        None => None,
    };
    paging::list_from(ctx, Order::Descending, DEFAULT_PAGE, |cursor| {
        let below = match (Cursor::below(cursor), before_seq) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        state
            .messages
            .newest_first(room_id, below, before)
            .filter(move |(_, m)| in_thread(m, parent_id))
            .filter(move |(_, m)| mentioned.is_empty() || m.mentions_any(&mentioned))
            .filter(move |(_, m)| {
                before.is_none_or(|before| m.created().is_some_and(|at| at < before))
            })
            .map(|(seq, m)| (seq, m.to_message()))
    })
}

/// Whether a message is in the thread asked for (any message when none is).
fn in_thread(message: &Stored, parent_id: Option<&str>) -> bool {
    parent_id.is_none_or(|parent| message.parent_id() == Some(parent))
}

fn list_direct(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let parent_id = ctx.query.get("parentId");
    let state = ctx.state();
    let other = match (ctx.query.get("personId"), ctx.query.get("personEmail")) {
        (Some(id), _) => state.people.get(id).map(|person| person.id.clone()),
        (_, Some(email)) => state.person_by_email(email).map(|person| person.id.clone()),
        _ => return Err(Failure::bad_request("personId or personEmail is required.")),
    };
    let room_id = other.and_then(|other| state.direct_room(&ctx.caller, &other));
    let room_id = room_id.unwrap_or_default();
    paging::list_from(ctx, Order::Descending, DEFAULT_PAGE, |cursor| {
        state
            .messages
            .newest_first(&room_id, Cursor::below(cursor), None)
            .filter(move |(_, m)| in_thread(m, parent_id))
            .map(|(seq, m)| (seq, m.to_message()))
    })
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body: UpdateMessage = ctx.json()?;
    let room_id = required(Some(&body.room_id), "roomId")?;
    if body.text.is_none() && body.markdown.is_none() {
        return Err(Failure::bad_request("text or markdown is required."));
    }
    let mut state = ctx.state();
    if state.refusals.text_limits {
        check_length("text", body.text.as_ref())?;
        check_length("markdown", body.markdown.as_ref())?;
    }
    let existing = state.messages.get(id).ok_or_else(Failure::not_found)?;
    if existing.room_id.as_deref() != Some(room_id) {
        return Err(Failure::bad_request("The message is not in that room."));
    }
    require_member(&state, room_id, &ctx.caller)?;
    if existing.person_id.as_deref() != Some(ctx.caller.as_str()) {
        return Err(Failure::forbidden("Only the author may edit a message."));
    }
    let (mentioned_people, mentioned_groups, plain) = match &body.markdown {
        Some(markdown) => mentions(&state, markdown),
        None => (Vec::new(), Vec::new(), String::new()),
    };
    let html = body
        .markdown
        .as_deref()
        .and_then(|markdown| crate::mention_html::mention_html(&state, markdown));
    let message = state
        .messages
        .update(id, |message| {
            message.text = body
                .text
                .clone()
                .or_else(|| body.markdown.as_ref().map(|_| plain));
            message.markdown = body.markdown.clone();
            message.html = html;
            message.mentioned_people = (!mentioned_people.is_empty()).then_some(mentioned_people);
            message.mentioned_groups = (!mentioned_groups.is_empty()).then_some(mentioned_groups);
            message.updated = Some(now());
        })
        .ok_or_else(Failure::not_found)?;
    state.record(
        EventResource::Messages,
        EventType::Updated,
        &ctx.caller,
        message_data(&message),
    );
    Reply::ok(&message)
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let mut state = ctx.state();
    let message = state.messages.get(id).ok_or_else(Failure::not_found)?;
    let room_id = message.room_id.clone().unwrap_or_default();
    require_member(&state, &room_id, &ctx.caller)?;
    let is_author = message.person_id.as_deref() == Some(ctx.caller.as_str());
    let is_moderator = state
        .membership_of(&room_id, &ctx.caller)
        .is_some_and(|m| m.is_moderator == Some(true));
    if !is_author && !is_moderator {
        return Err(Failure::forbidden(
            "Only the author or a moderator may delete a message.",
        ));
    }
    state.messages.remove(id);
    let data = EventData {
        text: None,
        ..message_data(&message)
    };
    state.record(
        EventResource::Messages,
        EventType::Deleted,
        &ctx.caller,
        data,
    );
    Reply::no_content()
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::Emulator;

    /// One `GET` over a fresh connection: the status, the `Link` target (path and query) and the
    /// ids of the items.
    async fn get(emulator: &Emulator, path: &str) -> (u16, Option<String>, Vec<String>) {
        let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
            .await
            .unwrap();
        let request = format!(
            "GET {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\nconnection: close\r\n\r\n",
            emulator.local_addr(),
            emulator.access_token()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head[9..12].parse().unwrap();
        let link = head
            .lines()
            .find_map(|line| line.strip_prefix("link: <"))
            .and_then(|rest| rest.split_once('>'))
            .and_then(|(url, _)| url.split_once("/v1/"))
            .map(|(_, rest)| format!("/v1/{rest}"));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        let ids = body["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|item| item["id"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        (status, link, ids)
    }

    /// A room of `count` messages posted straight into the store; its id and the message ids,
    /// oldest first.
    fn big_room(emulator: &Emulator, count: usize) -> (String, Vec<String>) {
        let mut state = emulator.shared().state();
        let caller = state.caller_id.clone();
        let room = state.add_room("Big", RoomType::Group, &caller, None);
        let mut ids = Vec::with_capacity(count);
        for n in 0..count {
            let (seq, id) = state.next_id("MESSAGE");
            let message = Message {
                id: id.clone(),
                room_id: Some(room.id.clone()),
                room_type: Some(RoomType::Group),
                text: Some(format!("message {n}")),
                person_id: Some(caller.clone()),
                created: Some(now()),
                ..Message::default()
            };
            state.messages.insert(seq, message);
            ids.push(id);
        }
        (room.id, ids)
    }

    fn rows_read(emulator: &Emulator) -> u64 {
        emulator.shared().state().messages.rows_read()
    }

    #[tokio::test]
    async fn a_page_of_a_big_room_reads_only_the_page() {
        let emulator = Emulator::start().await.unwrap();
        let (room, ids) = big_room(&emulator, 10_000);
        let newest: Vec<String> = ids.iter().rev().cloned().collect();

        let read = rows_read(&emulator);
        let (status, next, page) =
            get(&emulator, &format!("/v1/messages?roomId={room}&max=100")).await;
        assert_eq!(status, 200);
        assert_eq!(page, newest[..100]);
        assert!(
            rows_read(&emulator) - read <= 101,
            "the first page read more than it gave"
        );

        let read = rows_read(&emulator);
        let (status, _, page) = get(&emulator, &next.expect("a next link")).await;
        assert_eq!(status, 200);
        assert_eq!(page, newest[100..200]);
        assert!(
            rows_read(&emulator) - read <= 101,
            "a page from a cursor read more"
        );

        let read = rows_read(&emulator);
        let middle = &ids[5_000];
        let path = format!("/v1/messages?roomId={room}&max=100&beforeMessage={middle}");
        let (_, _, page) = get(&emulator, &path).await;
        assert_eq!(
            page,
            ids[4_900..5_000].iter().rev().cloned().collect::<Vec<_>>()
        );
        assert!(
            rows_read(&emulator) - read <= 101,
            "beforeMessage read more"
        );

        let read = rows_read(&emulator);
        let path = format!("/v1/messages?roomId={room}&max=100&before=2999-01-01T00:00:00.000Z");
        let (_, _, page) = get(&emulator, &path).await;
        assert_eq!(page, newest[..100]);
        assert!(rows_read(&emulator) - read <= 101, "before read more");
    }

    #[tokio::test]
    async fn pages_from_cursors_give_every_message_once_newest_first() {
        let emulator = Emulator::start().await.unwrap();
        let (room, ids) = big_room(&emulator, 250);
        let mut seen = Vec::new();
        let mut next = Some(format!("/v1/messages?roomId={room}&max=100"));
        while let Some(path) = next {
            let (status, link, page) = get(&emulator, &path).await;
            assert_eq!(status, 200);
            seen.extend(page);
            next = link;
        }
        assert_eq!(seen, ids.iter().rev().cloned().collect::<Vec<_>>());
    }
}
