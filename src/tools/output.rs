//! Output conventions every tool shares: ISO 8601 times and the envelope of
//! a paginated list.
//!
//! Clerk sends times as Unix milliseconds; a model reads `2024-05-01T09:30:00.000Z`
//! far more reliably, so outputs carry [`Timestamp`]s. A list answers its
//! items beside a [`PageInfo`] that says where the next page starts
//! ([`items_and_page`] makes both from one of Clerk's paginated lists).

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::clerk::PaginatedList;

/// A point in time as an RFC 3339 string in UTC with milliseconds, or, for
/// a time no such string can write, the Unix milliseconds Clerk sent.
///
/// A date is kept as its 24 ASCII bytes rather than a `String`: a list
/// writes four per item, and an allocation for each cost as much as the
/// digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Timestamp {
    Date([u8; 24]),
    /// Outside the years 0000 to 9999, which RFC 3339 cannot write. Clerk's
    /// spec allows any signed 64-bit number, so the number is shown as
    /// given rather than dropped.
    UnixMs(i64),
}

impl Timestamp {
    /// Converts Unix milliseconds (negative ones too) to `YYYY-MM-DDThh:mm:ss.sssZ`,
    /// or keeps them as they are for a time outside the years 0000 to 9999.
    pub fn from_unix_ms(ms: i64) -> Timestamp {
        date_of(ms).map_or(Timestamp::UnixMs(ms), Timestamp::Date)
    }

    /// Converts an optional Clerk time, as most Clerk times are.
    pub fn from_opt(ms: Option<i64>) -> Option<Timestamp> {
        ms.map(Timestamp::from_unix_ms)
    }

    /// The date as RFC 3339 text, if the time has one.
    pub fn as_date(&self) -> Option<&str> {
        match self {
            // Only ASCII digits and separators are ever written.
            Timestamp::Date(text) => std::str::from_utf8(text).ok(),
            Timestamp::UnixMs(_) => None,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.as_date()) {
            (_, Some(date)) => f.write_str(date),
            (Timestamp::UnixMs(ms), None) => write!(f, "{ms} (Unix milliseconds)"),
            (Timestamp::Date(_), None) => Ok(()),
        }
    }
}

/// `YYYY-MM-DDThh:mm:ss.sssZ` for Unix milliseconds, if the year is
/// between 0000 and 9999.
fn date_of(ms: i64) -> Option<[u8; 24]> {
    let seconds = ms.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    // Every part is now small and not negative: the digits are worked
    // out in 32 bits, which is cheaper than 64-bit division.
    let (year, month, day) = (year as u32, month as u32, day as u32);
    let millis = ms.rem_euclid(1000) as u32;
    let second_of_day = seconds.rem_euclid(86_400) as u32;
    let mut text = *b"0000-00-00T00:00:00.000Z";
    for (value, digits) in [
        (year, 0..4),
        (month, 5..7),
        (day, 8..10),
        (second_of_day / 3600, 11..13),
        (second_of_day % 3600 / 60, 14..16),
        (second_of_day % 60, 17..19),
        (millis, 20..23),
    ] {
        put_digits(&mut text[digits], value);
    }
    Some(text)
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self, self.as_date()) {
            (Timestamp::UnixMs(ms), _) => serializer.serialize_i64(*ms),
            (Timestamp::Date(_), date) => serializer.serialize_str(date.unwrap_or_default()),
        }
    }
}

/// Writes the last `slot.len()` decimal digits of `value` (not negative)
/// into `slot`, with leading zeros.
fn put_digits(slot: &mut [u8], mut value: u32) {
    for byte in slot.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// The proleptic Gregorian date of a day counted from 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "integer"],
            "format": "date-time",
            "description": "ISO 8601 time in UTC; for a time outside the years 0000 to 9999, \
                the Unix milliseconds Clerk sent, as a number"
        })
    }
}

/// `None` for an absent or empty string, which Clerk sends for "not set".
pub fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.is_empty())
}

/// Where a page sits in a list, beside the page's items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// How many items match, across all pages, as Clerk counts them; left out when Clerk did not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// How many items this page holds.
    pub count: usize,
    /// How many items were skipped before this page.
    pub offset: u32,
    /// Whether more items follow this page.
    pub has_more: bool,
    /// The `offset` that fetches the next page; present only when `hasMore`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u64>,
    /// Present and true when the page was cut short to fit the server's
    /// size limit; `nextOffset` resumes after its last item.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl PageInfo {
    /// Where a page of `count` items sits. Without a total, a page that
    /// holds items may have more after it: the next page, empty, says
    /// there are none. A total below what was seen (Clerk's spec lets the
    /// number be anything) ends the list here.
    pub fn new(total_count: Option<i64>, count: usize, offset: u32) -> PageInfo {
        let end = u64::from(offset) + count as u64;
        let has_more = count > 0
            && total_count.is_none_or(|total| u64::try_from(total).is_ok_and(|total| end < total));
        PageInfo {
            total_count,
            count,
            offset,
            has_more,
            next_offset: has_more.then_some(end),
            truncated: false,
        }
    }
}

/// The items of one page of a Clerk list in their output shape, and where
/// that page sits; `offset` is the one the page was asked for.
pub fn items_and_page<W, T: From<W>>(list: PaginatedList<W>, offset: u32) -> (Vec<T>, PageInfo) {
    let page = PageInfo::new(list.total_count, list.data.len(), offset);
    (mapped(list.data, T::from), page)
}

/// `items`, each turned into a `B` by `convert`. A loop, where `map` and
/// `collect` would compile into several functions for every pair of types.
pub fn mapped<A, B>(items: Vec<A>, mut convert: impl FnMut(A) -> B) -> Vec<B> {
    let mut converted = Vec::with_capacity(items.len());
    for item in items {
        converted.push(convert(item));
    }
    converted
}

/// The items of a list output: the one array of an object that has
/// `hasMore`.
pub fn items_mut(output: &mut Value) -> Option<&mut Vec<Value>> {
    let object = output.as_object_mut()?;
    if !object.contains_key("hasMore") {
        return None;
    }
    let mut arrays = object.values_mut().filter(|value| value.is_array());
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    items.as_array_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn shown(ms: i64) -> Value {
        serde_json::to_value(Timestamp::from_unix_ms(ms)).unwrap_or_default()
    }

    #[test]
    fn unix_milliseconds_become_iso_8601() {
        assert_eq!(shown(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(shown(1_704_164_645_678), "2024-01-02T03:04:05.678Z");
        assert_eq!(shown(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(shown(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(shown(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
        assert_eq!(shown(-62_167_219_200_000), "0000-01-01T00:00:00.000Z");
    }

    #[test]
    fn times_rfc_3339_cannot_write_are_shown_as_the_number_clerk_sent() {
        for ms in [
            253_402_300_800_000,
            -62_167_219_200_001,
            -9_007_199_254_740_991,
            9_007_199_254_740_991,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(shown(ms), Value::from(ms));
            assert_eq!(Timestamp::from_unix_ms(ms).as_date(), None);
            assert_eq!(
                Timestamp::from_unix_ms(ms).to_string(),
                format!("{ms} (Unix milliseconds)")
            );
        }
        assert_eq!(Timestamp::from_opt(None), None);
    }

    #[test]
    fn timestamp_schema_allows_both_forms() {
        let schema =
            serde_json::to_value(schemars::schema_for!(Option<Timestamp>)).unwrap_or_default();
        assert_eq!(
            schema["type"],
            serde_json::json!(["string", "integer", "null"])
        );
    }

    #[test]
    fn page_in_the_middle_points_at_the_next_one() {
        let page = PageInfo::new(Some(45), 20, 20);
        assert!(page.has_more);
        assert_eq!(page.next_offset, Some(40));
    }

    #[test]
    fn last_page_has_no_next_offset() {
        let page = PageInfo::new(Some(45), 5, 40);
        assert!(!page.has_more);
        assert_eq!(page.next_offset, None);
    }

    #[test]
    fn clerk_list_becomes_converted_items_and_its_page() {
        let list = PaginatedList {
            data: vec![1_u8, 2],
            total_count: Some(5),
        };
        let (items, page): (Vec<u32>, PageInfo) = items_and_page(list, 2);
        assert_eq!(items, [1, 2]);
        assert_eq!(page, PageInfo::new(Some(5), 2, 2));
    }

    #[test]
    fn empty_page_past_the_end_does_not_loop() {
        let page = PageInfo::new(Some(45), 0, 0);
        assert!(!page.has_more);
        assert!(!PageInfo::new(None, 0, 40).has_more);
    }

    #[test]
    fn negative_or_short_total_ends_the_list_and_an_unknown_one_does_not() {
        for total in [-9_007_199_254_740_991, -1, 0, 3] {
            let page = PageInfo::new(Some(total), 5, 0);
            assert!(!page.has_more, "total {total}");
            assert_eq!(page.total_count, Some(total));
        }
        let unknown = PageInfo::new(None, 5, 10);
        assert!(unknown.has_more);
        assert_eq!(unknown.next_offset, Some(15));
        let written = serde_json::to_value(&unknown).unwrap_or_default();
        assert!(written.get("totalCount").is_none());
    }
}
