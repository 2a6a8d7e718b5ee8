//! Human-readable texts: plain or in several languages, cleaned the same way for every client.
//!
//! Titles, descriptions, locations and participant names are [`Text`]s. Before they reach a feed
//! they pass through [`clean`], which makes them read the same in every client: line breaks are
//! normalised (CR, CRLF and the Unicode line and paragraph separators become LF), leading and
//! trailing white space is removed (libical drops it while ical.js and Python `icalendar` keep
//! it) and control characters other than the tab, which RFC 5545 allows in TEXT, are refused.

/// A text that is either the same in every language or given per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// One text for every language; written without a `LANGUAGE` parameter.
    Plain(String),
    /// Texts keyed by language tag (`en`, `ko`, `ja`, ...); always holds the calendar's default
    /// language.
    Localized(Translations),
}

/// Texts by language tag, sorted by tag; a short list, lighter than a map for the two or three
/// languages an event has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Translations(Vec<(String, String)>);

impl Translations {
    /// The text in `language`, with the tag as stored.
    pub fn get(&self, language: &str) -> Option<(&str, &str)> {
        self.0
            .iter()
            .find(|(tag, _)| tag == language)
            .map(|(tag, text)| (tag.as_str(), text.as_str()))
    }

    /// Whether there is a text in `language`.
    pub fn contains(&self, language: &str) -> bool {
        self.get(language).is_some()
    }

    /// Every language and its text, sorted by language tag.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(tag, text)| (tag.as_str(), text.as_str()))
    }
}

impl FromIterator<(String, String)> for Translations {
    /// Collects texts by language; a later text for the same language replaces an earlier one.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (tag, text) in iter {
            match pairs.iter_mut().find(|(t, _)| *t == tag) {
                Some(existing) => existing.1 = text,
                None => pairs.push((tag, text)),
            }
        }
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.shrink_to_fit();
        Translations(pairs)
    }
}

/// A text chosen for one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen<'a> {
    /// The text itself.
    pub text: &'a str,
    /// The language it is in, when the text was given per language.
    pub language: Option<&'a str>,
}

impl Text {
    /// The text in `language`, else in `fallback` (the calendar's default language).
    pub fn get<'a>(&'a self, language: &str, fallback: &str) -> Chosen<'a> {
        match self {
            Text::Plain(text) => Chosen {
                text,
                language: None,
            },
            Text::Localized(map) => match map
                .get(language)
                .or_else(|| map.get(fallback))
                .or_else(|| map.iter().next())
            {
                Some((lang, text)) => Chosen {
                    text,
                    language: Some(lang),
                },
                None => Chosen {
                    text: "",
                    language: None,
                },
            },
        }
    }

    /// Whether every variant of this text is empty.
    pub fn is_empty(&self) -> bool {
        match self {
            Text::Plain(text) => text.is_empty(),
            Text::Localized(map) => map.iter().all(|(_, text)| text.is_empty()),
        }
    }
}

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The text holds a control character other than a line break or a tab.
    #[error("contains the control character U+{code:04X}")]
    ControlCharacter {
        /// The character's code point.
        code: u32,
    },
}

/// Normalises line breaks, trims both ends and refuses control characters other than the tab.
///
/// ```
/// assert_eq!(calfeed::text::clean("  Tokyo\r\nsummit \n").unwrap(), "Tokyo\nsummit");
/// assert_eq!(calfeed::text::clean("Day 1\tTokyo").unwrap(), "Day 1\tTokyo");
/// assert!(calfeed::text::clean("bell\u{7}").is_err());
/// ```
pub fn clean(input: &str) -> Result<String, TextError> {
    // Most texts hold no line break other than `\n` and no control character: one pass, one
    // allocation.
    let plain = input.chars().all(|c| match c {
        '\r' | '\u{2028}' | '\u{2029}' => false,
        '\n' | '\t' => true,
        c => !c.is_control(),
    });
    if plain {
        return Ok(input.trim().to_owned());
    }
    let normalized = input
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    if let Some(c) = normalized
        .chars()
        .find(|&c| c != '\n' && c != '\t' && c.is_control())
    {
        return Err(TextError::ControlCharacter { code: c as u32 });
    }
    Ok(normalized.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_normalises_and_trims() {
        assert_eq!(clean("a\r\nb\rc\nd").unwrap(), "a\nb\nc\nd");
        assert_eq!(clean(" \n a b \n ").unwrap(), "a b");
        assert_eq!(clean("   ").unwrap(), "");
        assert_eq!(clean("다카이치 사나에").unwrap(), "다카이치 사나에");
    }

    #[test]
    fn clean_keeps_tabs() {
        assert_eq!(clean("a\tb").unwrap(), "a\tb");
        assert_eq!(
            clean("\tName:\t다카이치\t\n\t- item").unwrap(),
            "Name:\t다카이치\t\n\t- item"
        );
    }

    #[test]
    fn clean_refuses_other_control_characters() {
        for c in (0..0x20u32)
            .chain([0x7f, 0x85])
            .filter(|&c| c != 9 && c != 10 && c != 13)
        {
            let text = format!("a{}b", char::from_u32(c).unwrap());
            assert_eq!(
                clean(&text),
                Err(TextError::ControlCharacter { code: c }),
                "{c:#x}"
            );
        }
        assert_eq!(
            clean("a\u{1b}[31m"),
            Err(TextError::ControlCharacter { code: 0x1b })
        );
        assert_eq!(clean("x\u{2028}y\u{2029}z").unwrap(), "x\ny\nz");
        assert!(clean("\u{85}").is_err());
    }

    #[test]
    fn localized_text_falls_back_to_the_default_language() {
        let text = Text::Localized(
            [("ko", "정상회담"), ("en", "Summit")]
                .into_iter()
                .map(|(l, t)| (l.to_owned(), t.to_owned()))
                .collect(),
        );
        assert_eq!(
            text.get("ko", "en"),
            Chosen {
                text: "정상회담",
                language: Some("ko")
            }
        );
        assert_eq!(
            text.get("ja", "en"),
            Chosen {
                text: "Summit",
                language: Some("en")
            }
        );
        let plain = Text::Plain("x".into());
        assert_eq!(plain.get("ko", "en").language, None);
    }
}
