//! Meetings and their invitees through the generated services, against the emulator's meetings
//! with state: what one call changes, the next one reads back, decoded into the generated types.

use std::time::{Duration, SystemTime};

use futures_util::TryStreamExt;
use spark_api::model::meetings::{
    CreateMeeting, CreateMeetingInvitee, DeleteMeeting, DeleteMeetingInvitee, GetMeeting,
    GetMeetingInvitee, ListMeetingInvitees, ListMeetings, PatchMeeting,
};
use spark_api::{Client, model};
use spark_emulator::Emulator;

fn at(from_now: Duration) -> String {
    model::format_timestamp(&model::Timestamp::from(SystemTime::now() + from_now))
}

#[tokio::test]
async fn a_meeting_and_its_invitees_round_trip_through_the_generated_services() {
    let emulator = Emulator::start().await.unwrap();
    let client = Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(emulator.access_token())
        .build()
        .unwrap();
    let meetings = client.meetings();

    let day = Duration::from_secs(24 * 3600);
    let created = meetings
        .create(
            &CreateMeeting::new(
                "Design review",
                at(day),
                at(day + Duration::from_secs(3600)),
            )
            .agenda("The new layers"),
        )
        .await
        .unwrap();
    let id = created.id.clone().expect("a created meeting has an id");
    assert_eq!(created.title.as_deref(), Some("Design review"));
    let join_link = created.web_link.clone().expect("a join link");

    let read = meetings.get(&id, &GetMeeting::new()).await.unwrap();
    assert_eq!(read.agenda.as_deref(), Some("The new layers"));
    assert_eq!(
        read.web_link.as_deref(),
        Some(join_link.as_str()),
        "stable join link"
    );

    let patched = meetings
        .patch(&id, &PatchMeeting::new().title("Design review, take two"))
        .await
        .unwrap();
    assert_eq!(patched.title.as_deref(), Some("Design review, take two"));

    let listed: Vec<_> = meetings
        .list(&ListMeetings::new().from(at(Duration::ZERO)).to(at(day * 2)))
        .try_collect()
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|m| m.title.as_deref() == Some("Design review, take two")),
        "{listed:?}"
    );

    let invitees = client.meeting_invitees();
    let invitee = invitees
        .create(&CreateMeetingInvitee::new(&id, "grace@example.com").display_name("Grace"))
        .await
        .unwrap();
    let invitee_id = invitee.id.clone().expect("an invitee id");
    let got = invitees
        .get(&invitee_id, &GetMeetingInvitee::new())
        .await
        .unwrap();
    assert_eq!(got.email.as_deref(), Some("grace@example.com"));
    let all: Vec<_> = invitees
        .list(&ListMeetingInvitees::new(&id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    invitees
        .delete(&invitee_id, &DeleteMeetingInvitee::new())
        .await
        .unwrap();

    meetings.delete(&id, &DeleteMeeting::new()).await.unwrap();
    let gone = meetings.get(&id, &GetMeeting::new()).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
}
