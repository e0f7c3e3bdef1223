//! Tests of the card model: the JSON written for known cards, decoding received cards
//! (unknown types and values kept), validation and submitted inputs.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::{AttachmentAction, CreateMessage};

fn encode(card: &AdaptiveCard) -> Value {
    serde_json::to_value(card).unwrap()
}

fn decode(value: Value) -> AdaptiveCard {
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_full_card_is_written_as_webex_expects() {
    let details = AdaptiveCard::new().body(Input::date("when").label("When").min("2024-01-01"));
    let card = AdaptiveCard::new()
        .body(
            TextBlock::new("Incident")
                .size(TextSize::Large)
                .weight(Weight::Bolder)
                .color(Color::Attention)
                .wrap(true)
                .is_subtle(false)
                .horizontal_alignment(HorizontalAlignment::Center)
                .max_lines(2)
                .font_type(FontType::Monospace)
                .id("title")
                .spacing(Spacing::None)
                .separator(true),
        )
        .body(
            ColumnSet::new()
                .column(
                    Column::new().width(ColumnWidth::Pixels(50)).item(
                        Image::new("https://example.com/a.png")
                            .style(ImageStyle::Person)
                            .width_px(40),
                    ),
                )
                .column(
                    Column::new()
                        .width(ColumnWidth::Stretch)
                        .vertical_content_alignment(VerticalAlignment::Center)
                        .item(FactSet::new().fact("Severity", "2")),
                ),
        )
        .body(
            Container::new()
                .style(ContainerStyle::Emphasis)
                .select_action(Action::open_url("Open", "https://example.com/i/1"))
                .item(
                    Input::text("comment")
                        .is_multiline(true)
                        .max_length(500)
                        .style(TextInputStyle::Text),
                )
                .item(Input::number("count").min(0.0).max(10.0).value(1.0))
                .item(Input::time("at").value("09:30"))
                .item(Input::toggle("ack", "Acknowledge").wrap(true))
                .item(
                    Input::choice_set("team")
                        .choice("Ops", "ops")
                        .choice("Dev", "dev")
                        .is_multi_select(true)
                        .style(ChoiceInputStyle::Compact)
                        .is_required(true)
                        .error_message("Pick a team"),
                ),
        )
        .body(ActionSet::new().action(Action::toggle_visibility("More").target("title")))
        .action(
            Action::submit("Send")
                .style(ActionStyle::Positive)
                .data(json!({"kind": "ack"})),
        )
        .action(Action::show_card("Schedule", details))
        .fallback_text("An incident card");
    card.validate().unwrap();
    assert_eq!(
        encode(&card),
        json!({
            "type": "AdaptiveCard",
            "version": "1.3",
            "body": [
                {"type": "TextBlock", "id": "title", "text": "Incident", "size": "large",
                 "weight": "bolder", "color": "attention", "wrap": true, "isSubtle": false,
                 "horizontalAlignment": "center", "maxLines": 2, "fontType": "monospace",
                 "spacing": "none", "separator": true},
                {"type": "ColumnSet", "columns": [
                    {"type": "Column", "width": "50px", "items": [
                        {"type": "Image", "url": "https://example.com/a.png", "style": "person",
                         "width": "40px"}]},
                    {"type": "Column", "width": "stretch", "verticalContentAlignment": "center",
                     "items": [{"type": "FactSet", "facts": [{"title": "Severity", "value": "2"}]}]},
                ]},
                {"type": "Container", "style": "emphasis",
                 "selectAction": {"type": "Action.OpenUrl", "title": "Open", "url": "https://example.com/i/1"},
                 "items": [
                    {"type": "Input.Text", "id": "comment", "isMultiline": true, "maxLength": 500, "style": "text"},
                    {"type": "Input.Number", "id": "count", "min": 0.0, "max": 10.0, "value": 1.0},
                    {"type": "Input.Time", "id": "at", "value": "09:30"},
                    {"type": "Input.Toggle", "id": "ack", "title": "Acknowledge", "wrap": true},
                    {"type": "Input.ChoiceSet", "id": "team", "isRequired": true,
                     "errorMessage": "Pick a team", "isMultiSelect": true, "style": "compact",
                     "choices": [{"title": "Ops", "value": "ops"}, {"title": "Dev", "value": "dev"}]},
                 ]},
                {"type": "ActionSet", "actions": [
                    {"type": "Action.ToggleVisibility", "title": "More", "targetElements": ["title"]}]},
            ],
            "actions": [
                {"type": "Action.Submit", "title": "Send", "style": "positive", "data": {"kind": "ack"}},
                {"type": "Action.ShowCard", "title": "Schedule", "card": {
                    "type": "AdaptiveCard", "version": "1.3", "body": [
                        {"type": "Input.Date", "id": "when", "label": "When", "min": "2024-01-01"}]}},
            ],
            "fallbackText": "An incident card",
        })
    );
    // And it reads back the same.
    assert_eq!(decode(encode(&card)), card);
}

#[test]
fn the_type_comes_first() {
    let card = AdaptiveCard::new().body(TextBlock::new("Hi"));
    assert_eq!(
        serde_json::to_string(&card).unwrap(),
        r#"{"type":"AdaptiveCard","version":"1.3","body":[{"type":"TextBlock","text":"Hi"}]}"#
    );
}

#[test]
fn unknown_elements_actions_and_values_round_trip() {
    let received = json!({
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.3",
        "body": [
            {"type": "Media", "sources": [{"mimeType": "video/mp4", "url": "https://example.com/v.mp4"}]},
            {"type": "TextBlock", "text": "Hi", "weight": "heavy", "size": "huge", "color": "Good"},
            {"type": "Container", "items": [
                {"type": "Table", "columns": [{"width": 1}], "rows": []},
                {"type": "Input.Rating", "id": "stars", "max": 5},
            ]},
            {"type": "Column", "items": []},
            "not an element",
            {"no type": true},
            {"type": "ColumnSet", "columns": [{"type": "Column", "width": 1.5},
                                              {"type": "Column", "width": "02px"}]},
            {"type": "RichTextBlock", "inlines": ["plain", {"type": "Emoji", "name": "smile"}]},
        ],
        "actions": [
            {"type": "Action.Execute", "title": "Run", "verb": "run"},
            {"type": "Action.Submit", "title": "Send", "style": "shiny"},
        ],
    });
    let card = decode(received.clone());
    assert!(matches!(&card.body[0], Element::Other(_)));
    assert_eq!(card.body[0].type_name(), "Media");
    match &card.body[1] {
        Element::TextBlock(block) => {
            assert_eq!(block.weight, Some(Weight::Other("heavy".into())));
            assert_eq!(block.size, Some(TextSize::Other("huge".into())));
            // Named values are read without regard to case.
            assert_eq!(block.color, Some(Color::Good));
        }
        other => panic!("not a text block: {other:?}"),
    }
    assert_eq!(card.body[2].input_id(), None);
    match &card.body[2] {
        Element::Container(container) => {
            assert_eq!(container.items[1].input_id(), Some("stars"));
        }
        other => panic!("not a container: {other:?}"),
    }
    // A column is no body element: kept as is.
    assert!(matches!(&card.body[3], Element::Other(_)));
    assert_eq!(card.body[5].type_name(), "");
    match &card.body[6] {
        Element::ColumnSet(set) => {
            assert_eq!(set.columns[0].width, Some(ColumnWidth::Other(json!(1.5))));
            assert_eq!(
                set.columns[1].width,
                Some(ColumnWidth::Other(json!("02px")))
            );
        }
        other => panic!("not a column set: {other:?}"),
    }
    assert_eq!(card.actions[0].type_name(), "Action.Execute");
    // A run written as a bare string is kept as is.
    assert!(matches!(&card.body[7], Element::RichTextBlock(block)
        if block.inlines[0] == Inline::Other(json!("plain"))));
    assert!(matches!(&card.actions[1], Action::Submit(submit)
        if submit.style == Some(ActionStyle::Other("shiny".into()))));

    let mut expected = received;
    // Known names are written in the schema's spelling.
    expected["body"][1]["color"] = json!("good");
    assert_eq!(encode(&card), expected);
}

#[test]
fn unknown_fields_of_known_elements_are_ignored() {
    let card = decode(json!({
        "type": "AdaptiveCard", "version": "1.3", "minHeight": "50px",
        "body": [{"type": "TextBlock", "text": "Hi", "fallback": "drop", "height": "stretch"}],
    }));
    assert_eq!(card, AdaptiveCard::new().body(TextBlock::new("Hi")));
}

#[test]
fn an_element_whose_fields_do_not_decode_is_kept_whole() {
    let odd = json!({"type": "TextBlock", "text": "Hi", "wrap": "yes", "maxLines": -1});
    let card = decode(json!({"type": "AdaptiveCard", "version": "1.3", "body": [odd.clone()]}));
    assert_eq!(card.body, [Element::Other(odd.clone())]);
    assert_eq!(encode(&card)["body"][0], odd);
}

#[test]
fn a_card_without_type_or_version_decodes() {
    let card = decode(json!({"body": [{"type": "TextBlock", "text": "Hi"}]}));
    assert_eq!(card.version, "");
    assert_eq!(
        encode(&card),
        json!({"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Hi"}]})
    );
    assert_eq!(
        card.validate(),
        Err(CardError::InvalidVersion(String::new()))
    );
}

#[test]
fn column_widths() {
    for (width, wire) in [
        (ColumnWidth::Auto, json!("auto")),
        (ColumnWidth::Stretch, json!("stretch")),
        (ColumnWidth::Weight(3), json!(3)),
        (ColumnWidth::Pixels(120), json!("120px")),
        (ColumnWidth::Other(json!("wide")), json!("wide")),
    ] {
        assert_eq!(serde_json::to_value(&width).unwrap(), wire);
        assert_eq!(serde_json::from_value::<ColumnWidth>(wire).unwrap(), width);
    }
    assert_eq!(
        serde_json::from_value::<ColumnWidth>(json!("Auto")).unwrap(),
        ColumnWidth::Auto
    );
}

#[test]
fn target_elements() {
    let action: Action = serde_json::from_value(json!({
        "type": "Action.ToggleVisibility",
        "targetElements": ["a", {"elementId": "b", "isVisible": true}, {"elementId": "c"}],
    }))
    .unwrap();
    let Action::ToggleVisibility(toggle) = &action else {
        panic!("not a toggle: {action:?}");
    };
    assert_eq!(
        toggle.target_elements,
        [
            TargetElement::new("a"),
            TargetElement::new("b").is_visible(true),
            TargetElement::new("c"),
        ]
    );
}

#[test]
fn validation_catches_what_webex_refuses() {
    let ok = AdaptiveCard::new().body(Input::text("a"));
    assert_eq!(ok.validate(), Ok(()));

    assert_eq!(
        ok.clone().version("1.4").validate(),
        Err(CardError::UnsupportedVersion("1.4".into()))
    );
    assert_eq!(
        ok.clone().version("2.0").validate(),
        Err(CardError::UnsupportedVersion("2.0".into()))
    );
    assert_eq!(
        ok.clone().version("1.10").validate(),
        Err(CardError::UnsupportedVersion("1.10".into()))
    );
    assert_eq!(ok.clone().version("1.0").validate(), Ok(()));
    assert_eq!(
        ok.clone().version("one").validate(),
        Err(CardError::InvalidVersion("one".into()))
    );

    assert_eq!(
        AdaptiveCard::new()
            .body(Input::toggle("", "Agree"))
            .validate(),
        Err(CardError::MissingInputId("Input.Toggle".into()))
    );
    let unknown_input = decode(json!({"type": "AdaptiveCard", "version": "1.3",
        "body": [{"type": "Input.Rating", "max": 5}]}));
    assert_eq!(
        unknown_input.validate(),
        Err(CardError::MissingInputId("Input.Rating".into()))
    );

    // Inputs nested in containers, columns and shown cards share one set of IDs.
    let nested = AdaptiveCard::new()
        .body(
            Container::new().item(ColumnSet::new().column(Column::new().item(Input::number("x")))),
        )
        .action(Action::show_card(
            "More",
            AdaptiveCard::new().body(Input::time("x")),
        ));
    assert_eq!(
        nested.validate(),
        Err(CardError::DuplicateInputId("x".into()))
    );

    let newer = decode(json!({"type": "AdaptiveCard", "version": "1.3",
        "actions": [{"type": "Action.Execute", "verb": "go"}]}));
    assert_eq!(
        newer.validate(),
        Err(CardError::NewerFeature {
            feature: "Action.Execute".into(),
            version: "1.4"
        })
    );
    let table = decode(json!({"type": "AdaptiveCard", "version": "1.3",
        "body": [{"type": "Container", "items": [{"type": "Table"}]}]}));
    assert_eq!(
        table.validate(),
        Err(CardError::NewerFeature {
            feature: "Table".into(),
            version: "1.5"
        })
    );
    let password =
        AdaptiveCard::new().body(Input::text("p").style(TextInputStyle::from("Password")));
    assert!(matches!(
        password.validate(),
        Err(CardError::NewerFeature { version: "1.5", .. })
    ));
    let shown_newer = AdaptiveCard::new().action(Action::show_card(
        "More",
        AdaptiveCard::new().version("1.5"),
    ));
    assert_eq!(
        shown_newer.validate(),
        Err(CardError::UnsupportedVersion("1.5".into()))
    );

    let mut buttons = AdaptiveCard::new();
    for n in 0..6 {
        buttons = buttons.action(Action::submit(format!("B{n}")));
    }
    assert_eq!(buttons.validate(), Err(CardError::TooManyActions(6)));

    let big = AdaptiveCard::new().body(TextBlock::new("x".repeat(MAX_CARD_BYTES)));
    assert_eq!(
        big.validate(),
        Err(CardError::TooLarge {
            len: big.encoded_len(),
            max: MAX_CARD_BYTES
        })
    );
    assert_eq!(big.encoded_len(), serde_json::to_vec(&big).unwrap().len());
    // Errors read as sentences.
    assert_eq!(
        CardError::DuplicateInputId("x".into()).to_string(),
        "card inputs share the id \"x\""
    );
}

#[test]
fn a_card_attaches_to_a_message() {
    let card = AdaptiveCard::new().body(TextBlock::new("Hi"));
    let attachment = card.clone().into_attachment();
    assert!(attachment.is_adaptive_card());
    assert_eq!(attachment.content, encode(&card));
    assert_eq!(Attachment::from(card.clone()), attachment);

    let message = CreateMessage::to_person_email("julie@example.com")
        .markdown("Hi")
        .attachment(card.clone());
    assert_eq!(
        serde_json::to_value(&message).unwrap(),
        json!({"toPersonEmail": "julie@example.com", "markdown": "Hi", "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": "1.3",
                        "body": [{"type": "TextBlock", "text": "Hi"}]}}]})
    );

    // And reads back from a message.
    let received = Message {
        attachments: Some(vec![
            Attachment {
                content_type: Some("text/other".into()),
                content: json!(1),
            },
            attachment,
        ]),
        ..Message::default()
    };
    assert_eq!(received.adaptive_card().unwrap(), Some(card));
    assert_eq!(Message::default().adaptive_card().unwrap(), None);
    let broken = Message {
        attachments: Some(vec![Attachment::adaptive_card(json!({"body": "text"}))]),
        ..Message::default()
    };
    assert!(broken.adaptive_card().is_err());
}

#[test]
fn submitted_inputs() {
    let action: AttachmentAction = serde_json::from_value(json!({
        "id": "A1",
        "inputs": {"name": "Julie", "count": " 3.5 ", "n": 7, "on": "TRUE", "off": false,
                   "empty": "", "many": ["a", 1, "b"], "kind": {"x": 1}, "nan": "NaN"},
    }))
    .unwrap();
    let inputs = action.card_inputs();
    assert_eq!(inputs.len(), 9);
    assert_eq!(inputs.get_str("name"), Some("Julie"));
    assert_eq!(inputs.get_str("n"), None);
    assert_eq!(inputs.get_number("count"), Some(3.5));
    assert_eq!(inputs.get_number("n"), Some(7.0));
    assert_eq!(inputs.get_number("name"), None);
    assert_eq!(inputs.get_number("nan"), None);
    assert_eq!(inputs.get_number("empty"), None);
    assert_eq!(inputs.get_bool("on"), Some(true));
    assert_eq!(inputs.get_bool("off"), Some(false));
    assert_eq!(inputs.get_bool("name"), None);
    assert_eq!(inputs.get_choices("empty"), Vec::<&str>::new());
    assert_eq!(inputs.get_choices("many"), ["a", "b"]);
    assert_eq!(inputs.get_choices("absent"), Vec::<&str>::new());
    assert_eq!(inputs.require_str("empty").unwrap(), "");
    assert!(
        matches!(inputs.require_str("absent"), Err(InputsError::Missing(id)) if id == "absent")
    );
    assert!(matches!(inputs.require_str("n"), Err(InputsError::NotText(id)) if id == "n"));
    assert_eq!(inputs.iter().count(), 9);

    #[derive(Debug, serde::Deserialize)]
    struct Wanted {
        #[allow(dead_code)]
        name: String,
        #[allow(dead_code)]
        missing: u32,
    }
    let error = action.inputs_as::<Wanted>().unwrap_err();
    assert!(matches!(error, InputsError::Decode(_)));
    assert!(std::error::Error::source(&error).is_some());
    assert!(error.to_string().contains("missing"), "{error}");

    // No inputs at all read as an empty object.
    let none = AttachmentAction::default();
    assert!(none.card_inputs().is_empty());
    assert_eq!(none.card_inputs().get("x"), None);
    let decoded: std::collections::HashMap<String, String> = none.inputs_as().unwrap();
    assert!(decoded.is_empty());
}

/// Any JSON value: bounded depth and size.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[a-zA-Z.]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("TextBlock"),
            Just("Image"),
            Just("Container"),
            Just("Input.Text"),
            Just("Action.Submit"),
            Just("Action.ShowCard"),
            Just("AdaptiveCard"),
            Just("Column"),
        ]
        .prop_map(|name| json!(name)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("type".to_owned()),
                        Just("text".to_owned()),
                        Just("items".to_owned()),
                        Just("id".to_owned()),
                        Just("card".to_owned()),
                        Just("actions".to_owned()),
                        Just("body".to_owned()),
                        Just("url".to_owned()),
                        "[a-z]{1,6}",
                    ],
                    inner,
                ),
                0..5,
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A text block with any text and named values, known or not.
fn text_block() -> impl Strategy<Value = TextBlock> {
    let name = prop_oneof![
        Just("bolder".to_owned()),
        Just("Large".to_owned()),
        Just("accent".to_owned()),
        "[a-z]{1,8}",
    ];
    (
        any::<String>(),
        proptest::option::of(name.clone()),
        proptest::option::of(name),
        proptest::option::of(any::<u32>()),
    )
        .prop_map(|(text, weight, size, max_lines)| TextBlock {
            text,
            weight: weight.map(Weight::from),
            size: size.map(TextSize::from),
            max_lines,
            ..TextBlock::default()
        })
}

proptest! {
    /// Decoding any JSON as an element never fails, and encoding gives JSON that decodes to
    /// the same element; a value kept whole is written back unchanged.
    #[test]
    fn any_element_decodes_and_round_trips(value in json_value()) {
        let element: Element = serde_json::from_value(value.clone()).unwrap();
        let encoded = serde_json::to_value(&element).unwrap();
        if let Element::Other(kept) = &element {
            prop_assert_eq!(kept, &value);
            prop_assert_eq!(&encoded, &value);
        }
        let again: Element = serde_json::from_value(encoded).unwrap();
        prop_assert_eq!(again, element);
        // Validation never panics.
        let _ = AdaptiveCard::new().body(Element::Other(value)).validate();
    }

    /// Built cards round-trip through their JSON text.
    #[test]
    fn built_cards_round_trip(
        blocks in prop::collection::vec(text_block(), 0..4),
        ids in prop::collection::vec("[a-z]{0,4}", 0..4),
        data in json_value(),
    ) {
        let mut card = AdaptiveCard::new();
        for block in blocks {
            card = card.body(Container::new().item(block));
        }
        for id in ids {
            card = card.body(Input::text(id.clone()).placeholder(id));
        }
        card = card.action(Action::submit("Send").data(data));
        let text = serde_json::to_string(&card).unwrap();
        prop_assert_eq!(text.len(), card.encoded_len());
        let decoded: AdaptiveCard = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(decoded, card);
    }
}
