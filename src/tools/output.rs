//! Output conventions every tool shares: ISO 8601 times and the envelope of
//! a paginated list.
//!
//! Clerk sends times as Unix milliseconds; a model reads `2024-05-01T09:30:00.000Z`
//! far more reliably, so outputs carry [`Timestamp`]s. A list answers its
//! items beside a [`PageInfo`] that says where the next page starts
//! ([`items_and_page`] makes both from one of Clerk's paginated lists).

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};

use crate::clerk::PaginatedList;

/// A point in time as an RFC 3339 string in UTC with milliseconds.
///
/// Kept as its 24 ASCII bytes rather than a `String`: a list writes four
/// per item, and an allocation for each cost as much as the digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp([u8; 24]);

impl Timestamp {
    /// Converts Unix milliseconds (negative ones too) to `YYYY-MM-DDThh:mm:ss.sssZ`.
    /// `None` for a time outside the years 0000 to 9999, which RFC 3339
    /// cannot write and no real Clerk object has.
    pub fn from_unix_ms(ms: i64) -> Option<Timestamp> {
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
        Some(Timestamp(text))
    }

    /// Converts an optional Clerk time, as most Clerk times are.
    pub fn from_opt(ms: Option<i64>) -> Option<Timestamp> {
        ms.and_then(Timestamp::from_unix_ms)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and separators are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
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
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 time in UTC"
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
    /// How many items match, across all pages.
    pub total_count: u64,
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
    pub fn new(total_count: u64, count: usize, offset: u32) -> PageInfo {
        let end = u64::from(offset) + count as u64;
        let has_more = count > 0 && end < total_count;
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
    (list.data.into_iter().map(T::from).collect(), page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_milliseconds_become_iso_8601() {
        assert_eq!(
            Timestamp::from_unix_ms(0)
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp::from_unix_ms(1_704_164_645_678)
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            "2024-01-02T03:04:05.678Z"
        );
        assert_eq!(
            Timestamp::from_unix_ms(951_782_400_000)
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp::from_unix_ms(-1)
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn times_rfc_3339_cannot_write_are_left_out() {
        assert_eq!(Timestamp::from_unix_ms(253_402_300_800_000), None);
        assert_eq!(Timestamp::from_unix_ms(-9_007_199_254_740_991), None);
        assert_eq!(Timestamp::from_unix_ms(i64::MIN), None);
        assert_eq!(Timestamp::from_unix_ms(i64::MAX), None);
        let last = Timestamp::from_unix_ms(253_402_300_799_999).map(|t| t.as_str().to_owned());
        assert_eq!(last.as_deref(), Some("9999-12-31T23:59:59.999Z"));
    }

    #[test]
    fn page_in_the_middle_points_at_the_next_one() {
        let page = PageInfo::new(45, 20, 20);
        assert!(page.has_more);
        assert_eq!(page.next_offset, Some(40));
    }

    #[test]
    fn last_page_has_no_next_offset() {
        let page = PageInfo::new(45, 5, 40);
        assert!(!page.has_more);
        assert_eq!(page.next_offset, None);
    }

    #[test]
    fn clerk_list_becomes_converted_items_and_its_page() {
        let list = PaginatedList {
            data: vec![1_u8, 2],
            total_count: 5,
        };
        let (items, page): (Vec<u32>, PageInfo) = items_and_page(list, 2);
        assert_eq!(items, [1, 2]);
        assert_eq!(page, PageInfo::new(5, 2, 2));
    }

    #[test]
    fn empty_page_past_the_end_does_not_loop() {
        let page = PageInfo::new(45, 0, 0);
        assert!(!page.has_more);
    }
}
