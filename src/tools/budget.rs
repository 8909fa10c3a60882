//! Results sized for a model: no tool result holds more text than the
//! server's byte budget (`MCP_MAX_RESULT_BYTES`), and a list of users or
//! organizations links each item to the resource that holds it.
//!
//! What counts is the text a client hands its model: the output's JSON in
//! the text block (with the notice and the fence around it) and the
//! `resource_link` blocks. `structuredContent` is the same JSON as the text
//! block, so both always say the same.
//!
//! An output over the budget is made to fit:
//!
//! - a list (an output with `hasMore` and one array of items) is cut at an
//!   item boundary: `count` says how many items it kept, `truncated: true`
//!   that it was cut, `hasMore: true` and `nextOffset` (the `offset` plus
//!   the items kept) where to resume;
//! - a single object has the largest values of its metadata objects
//!   (`publicMetadata`, `privateMetadata`, `unsafeMetadata`) replaced, one
//!   by one, by a marker that says how to read them;
//! - what still does not fit is an error that says how to ask for less.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::Deserialize;
use serde_json::value::{to_raw_value, RawValue};
use serde_json::Value;

use super::output::items_mut;
use super::{fields, redaction, Selection, ToolError, Toolset};

/// The metadata objects whose values may be elided, largest first.
const METADATA: [&str; 3] = ["publicMetadata", "privateMetadata", "unsafeMetadata"];

/// The URI scheme of this server's resources.
pub const SCHEME: &str = "clerk://";

/// What shapes an output besides the tool's own code.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Whether every `privateMetadata` is taken out.
    pub redact_private_metadata: bool,
    /// The most bytes of text the result may hold (`MCP_MAX_RESULT_BYTES`).
    pub max_bytes: usize,
}

/// A `resource_link` content block (MCP 2025-06-18, Tools: Resource Links).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceLink {
    pub uri: String,
    pub name: String,
}

impl Serialize for ResourceLink {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut block = serializer.serialize_map(Some(4))?;
        block.serialize_entry("type", "resource_link")?;
        block.serialize_entry("uri", &self.uri)?;
        block.serialize_entry("name", &self.name)?;
        block.serialize_entry("mimeType", "application/json")?;
        block.end()
    }
}

impl ResourceLink {
    /// The link to the resource of the object with ID `id`, when it is a
    /// user or an organization whose toolset `selection` offers.
    pub fn to(id: &str, selection: Selection) -> Option<ResourceLink> {
        let uri = resource_uri(id, selection)?;
        Some(ResourceLink {
            uri,
            name: id.to_owned(),
        })
    }

    /// Its bytes in the answer, with the comma before it: counted rather
    /// than written, since every list item has one.
    fn size(&self) -> usize {
        const FIXED: &str =
            r#",{"type":"resource_link","uri":"","name":"","mimeType":"application/json"}"#;
        FIXED.len() + json_string_len(&self.uri) + json_string_len(&self.name)
    }
}

/// The URI of the resource of the object with ID `id`, if there is one in
/// `selection`.
pub fn resource_uri(id: &str, selection: Selection) -> Option<String> {
    let (kind, toolset) = if id.starts_with("user_") {
        ("users", Toolset::Users)
    } else if id.starts_with("org_") {
        ("organizations", Toolset::Organizations)
    } else {
        return None;
    };
    selection
        .toolsets
        .contains(toolset)
        .then(|| format!("{SCHEME}{kind}/{id}"))
}

/// What one call's shaping needs to know.
pub struct Shaping<'a> {
    pub tool: &'a str,
    pub fields: Option<&'a [String]>,
    pub shape: Shape,
    pub selection: Selection,
    /// The bytes the output's JSON and the links may take: the budget less
    /// the text around the JSON.
    pub room: usize,
}

/// `output` made to fit: redacted, filtered to the fields asked for, then
/// cut or elided to the budget; with the links of its items.
pub fn shape(
    output: Box<RawValue>,
    ids: Option<&[String]>,
    shaping: &Shaping<'_>,
) -> Result<(Box<RawValue>, Vec<ResourceLink>), ToolError> {
    let plain = !shaping.shape.redact_private_metadata && shaping.fields.is_none();
    if plain {
        let links = match ids {
            Some(ids) => ids
                .iter()
                .filter_map(|id| ResourceLink::to(id, shaping.selection))
                .collect(),
            None => links_in(&output, shaping.selection),
        };
        let size = output.get().len() + links.iter().map(ResourceLink::size).sum::<usize>();
        if size <= shaping.room {
            return Ok((output, links));
        }
    }
    let mut value: Value = serde_json::from_str(output.get()).map_err(ToolError::internal)?;
    if shaping.shape.redact_private_metadata {
        redaction::redact_private_metadata(&mut value);
    }
    if let Some(names) = shaping.fields {
        fields::keep_only(&mut value, names);
    }
    let links = item_links(&mut value, shaping.selection);
    let size = json_len(&value) + links.iter().map(ResourceLink::size).sum::<usize>();
    let links = if size <= shaping.room {
        links
    } else if items_mut(&mut value).is_some() {
        cut_list(&mut value, links, shaping)?
    } else if bulk_results(&mut value).is_some() {
        thin_bulk(&mut value, shaping)?;
        links
    } else {
        elide(&mut value, shaping.room, shaping)?;
        links
    };
    let output = to_raw_value(&value).map_err(ToolError::internal)?;
    Ok((output, links))
}

fn json_len(value: &Value) -> usize {
    serde_json::to_string(value).map_or(usize::MAX, |text| text.len())
}

/// The bytes of `text` inside a JSON string as serde_json writes it: `"`
/// and `\\` take two, other control characters two or six.
fn json_string_len(text: &str) -> usize {
    text.bytes()
        .map(|byte| match byte {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum()
}

/// The links of a list's items, read in one pass over the output without
/// building it: the `id` of each item of the one array of an object that
/// has `hasMore`.
fn links_in(output: &RawValue, selection: Selection) -> Vec<ResourceLink> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

    #[derive(Deserialize)]
    struct Item<'a> {
        #[serde(borrow)]
        id: Option<Cow<'a, str>>,
    }

    /// The ids of the items, when the output is a list.
    struct ListIds;

    impl<'de> Visitor<'de> for ListIds {
        type Value = Option<Vec<Option<Cow<'de, str>>>>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let (mut has_more, mut arrays, mut ids) = (false, 0, Vec::new());
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                match key.as_ref() {
                    "hasMore" => {
                        has_more = true;
                        map.next_value::<IgnoredAny>()?;
                    }
                    _ => match map.next_value::<ArrayOrNot<'de>>()? {
                        ArrayOrNot::Array(items) => {
                            arrays += 1;
                            ids = items.into_iter().map(|item| item.id).collect();
                        }
                        ArrayOrNot::Not => {}
                    },
                }
            }
            Ok((has_more && arrays == 1).then_some(ids))
        }
    }

    /// A member's value: the items of an array, or anything else skipped.
    enum ArrayOrNot<'a> {
        Array(Vec<Item<'a>>),
        Not,
    }

    impl<'de> Deserialize<'de> for ArrayOrNot<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Either;
            impl<'de> Visitor<'de> for Either {
                type Value = ArrayOrNot<'de>;
                fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                    formatter.write_str("any JSON value")
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<Self::Value, A::Error> {
                    let mut items = Vec::new();
                    while let Some(item) = seq.next_element::<Item<'de>>()? {
                        items.push(item);
                    }
                    Ok(ArrayOrNot::Array(items))
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                    IgnoredAny.visit_map(map).map(|_| ArrayOrNot::Not)
                }
                fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                    Ok(ArrayOrNot::Not)
                }
                fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                    Ok(ArrayOrNot::Not)
                }
                fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                    Ok(ArrayOrNot::Not)
                }
                fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                    Ok(ArrayOrNot::Not)
                }
                fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                    Ok(ArrayOrNot::Not)
                }
                fn visit_unit<E>(self) -> Result<Self::Value, E> {
                    Ok(ArrayOrNot::Not)
                }
            }
            deserializer.deserialize_any(Either)
        }
    }

    // Only a list has `hasMore`: anything else is not read at all.
    if !output.get().contains("\"hasMore\"") {
        return Vec::new();
    }
    let mut reader = serde_json::Deserializer::from_str(output.get());
    let Ok(Some(ids)) = reader.deserialize_map(ListIds) else {
        return Vec::new();
    };
    ids.iter()
        .filter_map(|id| ResourceLink::to(id.as_deref()?, selection))
        .collect()
}

/// The links of a list's items, from the output itself.
fn item_links(output: &mut Value, selection: Selection) -> Vec<ResourceLink> {
    let Some(items) = items_mut(output) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| ResourceLink::to(item.get("id")?.as_str()?, selection))
        .collect()
}

/// Cuts a list to the room: as many whole items as fit, and a page that
/// says where to resume. A first item too large on its own has its
/// metadata elided; one that still does not fit is an error.
fn cut_list(
    output: &mut Value,
    links: Vec<ResourceLink>,
    shaping: &Shaping<'_>,
) -> Result<Vec<ResourceLink>, ToolError> {
    let offset = output.get("offset").and_then(Value::as_u64).unwrap_or(0);
    let items = items_mut(output).map(std::mem::take).unwrap_or_default();
    // The page with no items and the widest numbers it can hold.
    set_page(output, usize::MAX, u64::MAX);
    let base = json_len(output);
    let room = shaping.room.saturating_sub(base);
    let mut used = 0;
    let mut kept = Vec::new();
    for item in items {
        let link = item
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| links.iter().find(|link| link.name == id));
        let size = json_len(&item) + 1 + link.map_or(0, ResourceLink::size);
        if used + size > room {
            if kept.is_empty() {
                let mut item = item;
                elide(&mut item, room, shaping)?;
                kept.push(item);
            }
            break;
        }
        used += size;
        kept.push(item);
    }
    let count = kept.len();
    let kept_links = links
        .into_iter()
        .filter(|link| {
            kept.iter()
                .any(|item| item.get("id").and_then(Value::as_str) == Some(link.name.as_str()))
        })
        .collect();
    if let Some(items) = items_mut(output) {
        *items = kept;
    }
    set_page(output, count, offset + count as u64);
    Ok(kept_links)
}

/// The item results of a bulk tool's output (`tools::bulk`): the
/// `results` array of an object that counts `succeeded`.
fn bulk_results(output: &mut Value) -> Option<&mut Vec<Value>> {
    let object = output.as_object_mut()?;
    if !object.contains_key("succeeded") {
        return None;
    }
    object.get_mut("results")?.as_array_mut()
}

/// Makes a bulk output fit by leaving out the objects its successes made,
/// last first, and saying so with `truncated: true`: every item keeps its
/// input and how it ended, which the caller cannot learn again, while the
/// objects can be read with the list and get tools. An output that does not
/// fit even so is an error.
fn thin_bulk(output: &mut Value, shaping: &Shaping<'_>) -> Result<(), ToolError> {
    if let Some(object) = output.as_object_mut() {
        object.insert("truncated".into(), true.into());
    }
    let mut size = json_len(output);
    let results = bulk_results(output).map(std::mem::take).unwrap_or_default();
    let mut thinned = Vec::with_capacity(results.len());
    for mut item in results.into_iter().rev() {
        if size > shaping.room {
            if let Some(fields) = item.as_object_mut() {
                let made: Vec<String> = fields
                    .keys()
                    .filter(|key| !matches!(key.as_str(), "input" | "status" | "error"))
                    .cloned()
                    .collect();
                for key in made {
                    if let Some(value) = fields.remove(&key) {
                        size = size.saturating_sub(json_len(&value) + key.len() + 4);
                    }
                }
            }
        }
        thinned.push(item);
    }
    thinned.reverse();
    if let Some(results) = bulk_results(output) {
        *results = thinned;
    }
    let size = json_len(output);
    if size > shaping.room {
        return Err(ToolError::TooLarge(format!(
            "even without the objects it made, the result would hold {size} bytes, more than \
             the {} this server allows (MCP_MAX_RESULT_BYTES)",
            shaping.shape.max_bytes
        )));
    }
    Ok(())
}

/// Writes a cut page's `count`, `hasMore`, `nextOffset` and `truncated`.
fn set_page(output: &mut Value, count: usize, next_offset: u64) {
    if let Some(object) = output.as_object_mut() {
        object.insert("count".into(), count.into());
        object.insert("hasMore".into(), true.into());
        object.insert("nextOffset".into(), next_offset.into());
        object.insert("truncated".into(), true.into());
    }
}

/// Replaces the largest metadata values of `object` by a marker until its
/// JSON fits in `room`; an error when even all of them elided leave it too
/// large.
fn elide(object: &mut Value, room: usize, shaping: &Shaping<'_>) -> Result<(), ToolError> {
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut values: Vec<(usize, &str, String)> = METADATA
        .iter()
        .filter_map(|metadata| Some((*metadata, object.get(*metadata)?.as_object()?)))
        .flat_map(|(metadata, values)| {
            values
                .iter()
                .map(move |(key, value)| (json_len(value), metadata, key.clone()))
        })
        .collect();
    values.sort_by_key(|value| std::cmp::Reverse(value.0));
    let mut size = json_len(object);
    for (bytes, metadata, key) in values {
        if size <= room {
            break;
        }
        let marker = marker(bytes, metadata, &id, shaping);
        let marker_len = json_len(&Value::from(marker.as_str()));
        if marker_len >= bytes {
            continue;
        }
        if let Some(value) = object
            .get_mut(metadata)
            .and_then(|values| values.get_mut(&key))
        {
            *value = Value::from(marker);
            size = size + marker_len - bytes;
        }
    }
    let size = json_len(object);
    if size > room {
        return Err(ToolError::TooLarge(format!(
            "the result would hold {size} bytes, more than the {} this server allows \
             (MCP_MAX_RESULT_BYTES); ask for fewer items with `limit` or fewer fields with `fields`",
            shaping.shape.max_bytes
        )));
    }
    Ok(())
}

/// What stands in for an elided value, saying how to read it.
fn marker(bytes: usize, metadata: &str, id: &str, shaping: &Shaping<'_>) -> String {
    let how = match resource_uri(id, shaping.selection) {
        Some(uri) => format!("read the resource {uri}, which holds it whole"),
        None => format!(
            "call {} with fields [\"{metadata}\"] to read it alone",
            shaping.tool
        ),
    };
    format!("[elided: {bytes} bytes, too large for this result; {how}]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::Toolsets;
    use serde_json::json;

    fn shaping(room: usize) -> Shaping<'static> {
        Shaping {
            tool: "clerk_list_users",
            fields: None,
            shape: Shape {
                redact_private_metadata: false,
                max_bytes: room,
            },
            selection: Selection {
                read_only: false,
                toolsets: Toolsets::ALL,
            },
            room,
        }
    }

    fn users(n: usize) -> Value {
        let users: Vec<Value> = (0..n)
            .map(|i| json!({"id": format!("user_{i:03}"), "firstName": "x".repeat(50)}))
            .collect();
        json!({"users": users, "totalCount": 100, "count": n, "offset": 10,
               "hasMore": true, "nextOffset": 10 + n})
    }

    fn shaped(output: &Value, room: usize) -> (Value, Vec<ResourceLink>) {
        let raw = to_raw_value(output).expect("json");
        let (output, links) = shape(raw, None, &shaping(room)).expect("fits");
        (serde_json::from_str(output.get()).expect("json"), links)
    }

    #[test]
    fn a_list_that_fits_is_left_as_it_is_with_a_link_per_user() {
        let (output, links) = shaped(&users(3), 10_000);
        assert_eq!(output, users(3));
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].uri, "clerk://users/user_000");
    }

    #[test]
    fn a_long_list_is_cut_at_an_item_and_resumes_after_it() {
        let room = 1_000;
        let (output, links) = shaped(&users(40), room);
        let count = output["users"].as_array().map_or(0, Vec::len);
        assert!(count > 0 && count < 40, "{count}");
        assert_eq!(output["count"], json!(count));
        assert_eq!(output["nextOffset"], json!(10 + count));
        assert_eq!(output["truncated"], json!(true));
        assert_eq!(output["hasMore"], json!(true));
        assert_eq!(links.len(), count);
        let size = serde_json::to_string(&output).map_or(0, |text| text.len())
            + links.iter().map(ResourceLink::size).sum::<usize>();
        assert!(size <= room, "{size}");
        // One more item would not have fitted, give or take the digits the
        // page's numbers were reserved (20 each for `count` and `nextOffset`).
        let item = &users(40)["users"][count];
        let link = ResourceLink::to(
            item["id"].as_str().unwrap_or_default(),
            shaping(0).selection,
        );
        let one_more = json_len(item) + 1 + link.map_or(0, |link| link.size());
        assert!(size + one_more + 40 > room, "{size} + {one_more}");
    }

    #[test]
    fn a_links_size_is_counted_as_it_is_written() {
        for id in ["user_2abc", "odd \"id\" \\ \n\u{1}", "ünïcødé/ok"] {
            let link = ResourceLink {
                uri: format!("clerk://users/{id}"),
                name: id.to_owned(),
            };
            let written = serde_json::to_string(&link).expect("json");
            assert_eq!(link.size(), written.len() + 1, "{written}");
        }
    }

    #[test]
    fn links_are_read_only_from_a_list_with_one_array() {
        let selection = shaping(1000).selection;
        let list = to_raw_value(&users(2)).expect("json");
        let names: Vec<String> = links_in(&list, selection)
            .into_iter()
            .map(|link| link.name)
            .collect();
        assert_eq!(names, ["user_000", "user_001"]);
        for not_a_list in [
            json!({"users": [{"id": "user_1"}], "totalCount": 1}),
            json!({"users": [{"id": "user_1"}], "roles": [], "hasMore": false}),
            json!({"id": "user_1", "hasMore": false, "publicMetadata": {"a": [1]}}),
        ] {
            let raw = to_raw_value(&not_a_list).expect("json");
            assert!(links_in(&raw, selection).is_empty(), "{not_a_list}");
        }
    }

    #[test]
    fn a_bulk_result_over_the_budget_keeps_every_item_and_drops_the_last_objects() {
        let results: Vec<Value> = (0..40)
            .map(|i| {
                json!({"input": format!("p{i}@example.com"), "status": "succeeded",
                       "invitation": {"id": format!("inv_{i}"), "url": "u".repeat(200)}})
            })
            .chain([json!({"input": "bad", "status": "failed", "error": "not an address"})])
            .collect();
        let bulk = json!({"results": results, "succeeded": 40, "failed": 1, "notAttempted": 0});
        let (thin, _) = shaped(&bulk, 6000);
        assert!(json_len(&thin) <= 6000);
        assert_eq!(thin["truncated"], true);
        let items = thin["results"].as_array().expect("results");
        assert_eq!(items.len(), 41);
        assert_eq!(items[40]["error"], "not an address");
        // The first successes keep their objects, the last ones lose them.
        assert_eq!(items[0]["invitation"]["id"], "inv_0");
        assert!(items[39].get("invitation").is_none());
        assert_eq!(items[39]["status"], "succeeded");
        // One that fits is left as it is.
        let (whole, _) = shaped(&bulk, 100_000);
        assert_eq!(whole, bulk);
    }

    #[test]
    fn an_object_has_its_largest_metadata_values_elided() {
        let object = json!({"id": "user_1", "publicMetadata": {
            "big": "b".repeat(3000), "small": "s",
        }, "privateMetadata": {"medium": "m".repeat(500)}});
        let (output, _) = shaped(&object, 2_000);
        let big = output
            .pointer("/publicMetadata/big")
            .and_then(Value::as_str);
        assert!(
            big.is_some_and(|text| text.starts_with("[elided: 3002 bytes")),
            "{big:?}"
        );
        assert!(big.is_some_and(|text| text.contains("clerk://users/user_1")));
        assert_eq!(output.pointer("/publicMetadata/small"), Some(&json!("s")));
        assert_eq!(
            output.pointer("/privateMetadata/medium"),
            Some(&json!("m".repeat(500)))
        );
    }

    #[test]
    fn what_cannot_fit_is_an_error_that_says_how_to_ask_for_less() {
        let object = json!({"id": "sess_1", "notes": "n".repeat(3000)});
        let raw = to_raw_value(&object).expect("json");
        let error = shape(raw, None, &shaping(1_000)).expect_err("too large");
        assert!(
            error.to_string().contains("MCP_MAX_RESULT_BYTES"),
            "{error}"
        );
    }
}
