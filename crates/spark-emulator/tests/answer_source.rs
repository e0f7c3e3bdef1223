//! Each routed answer names its source (`x-emulator-answer: state` or `spec-example`) and the
//! request log keeps it; answers given before routing (a refused token) name none.

mod support;

use http::{Method, StatusCode};
use spark_emulator::{ANSWER_SOURCE_HEADER, AnswerSource, Emulator};
use support::raw;

#[tokio::test]
async fn answers_with_state_and_from_the_specs_are_told_apart() {
    let emulator = Emulator::start().await.unwrap();
    let base = emulator.base_url();
    let token = emulator.access_token();

    let missing_room = raw(
        Method::GET,
        &format!("{base}/rooms/no-such-room"),
        Some(&token),
        None,
        "",
    )
    .await;
    assert_eq!(missing_room.status, StatusCode::NOT_FOUND);
    assert_eq!(missing_room.header(ANSWER_SOURCE_HEADER), Some("state"));

    let templates = raw(
        Method::GET,
        &format!("{base}/meetings/templates"),
        Some(&token),
        None,
        "",
    )
    .await;
    assert_eq!(templates.status, StatusCode::OK);
    assert_eq!(templates.header(ANSWER_SOURCE_HEADER), Some("spec-example"));

    let wrong_method = raw(
        Method::DELETE,
        &format!("{base}/meetings/templates"),
        Some(&token),
        None,
        "",
    )
    .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        wrong_method.header(ANSWER_SOURCE_HEADER),
        Some("spec-example")
    );

    let no_token = raw(Method::GET, &format!("{base}/rooms"), None, None, "").await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_token.header(ANSWER_SOURCE_HEADER), None);

    let logged: Vec<_> = emulator
        .requests()
        .into_iter()
        .map(|request| (request.status, request.answered_from))
        .collect();
    assert_eq!(
        logged,
        [
            (404, Some(AnswerSource::State)),
            (200, Some(AnswerSource::SpecExample)),
            (405, Some(AnswerSource::SpecExample)),
            (401, None),
        ]
    );
}
