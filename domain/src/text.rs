//! Validated text values: names, addresses, contact details, credentials.
//!
//! Each parses from user input once, at the edge, and is then trusted.

use std::fmt;

use secrecy::SecretString;

/// Why a value was refused; the message names the rule, never the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);

impl InvalidValue {
    fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Characters that change how text is shown without being seen: direction marks,
/// embeddings, overrides and isolates, which can make a name read differently from what
/// it is, and zero-width characters, which make two names look alike that are not.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Trimmed, non-empty text of at most `MAX` characters with no control characters and no
/// invisible formatting characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text<const MAX: usize>(String);

/// A name: of a person, an institution, a database.
pub type Name = Text<200>;
/// An address or a short description.
pub type Line = Text<300>;
/// Longer prose: a profile, a facility description, a comment.
pub type Prose = Text<10_000>;

impl<const MAX: usize> Text<MAX> {
    /// Parses `input`, trimming surrounding white space.
    ///
    /// # Errors
    /// When the text is empty, longer than `MAX` characters, or holds control characters
    /// other than line breaks and tabs.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let text = input.trim();
        if text.is_empty() {
            return Err(InvalidValue::new("must not be empty"));
        }
        if text.chars().count() > MAX {
            return Err(InvalidValue::new(format!("must be at most {MAX} characters")));
        }
        if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err(InvalidValue::new("must not contain control characters"));
        }
        if text.chars().any(is_invisible) {
            return Err(InvalidValue::new(
                "must not contain invisible formatting characters (direction overrides, zero-width characters)",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The text, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MAX: usize> AsRef<str> for Text<MAX> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address: one `@`, a local part and a dotted domain, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// # Errors
    /// When the address is not of the form `local@domain.tld`.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let email = input.trim();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !email.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible(c));
        if valid {
            Ok(Self(email.to_owned()))
        } else {
            Err(InvalidValue::new("must be an e-mail address such as name@example.cn"))
        }
    }

    /// The address, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A telephone number: digits with optional `+`, spaces, hyphens and parentheses; 5 to 20
/// digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// # Errors
    /// When the number holds other characters or too few or too many digits.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let phone = input.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
        if allowed && (5..=20).contains(&digits) && phone.len() <= 32 {
            Ok(Self(phone.to_owned()))
        } else {
            Err(InvalidValue::new("must be a telephone number such as 0471-1234567"))
        }
    }

    /// The number, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A web address with an `http` or `https` scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAddress(String);

impl WebAddress {
    /// # Errors
    /// When the address does not start with `http://` or `https://` followed by a host.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let url = input.trim();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        let valid = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
            && url.len() <= 300
            && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid {
            Ok(Self(url.to_owned()))
        } else {
            Err(InvalidValue::new("must be a web address starting with http:// or https://"))
        }
    }

    /// The address, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A login name: 3 to 64 characters from lower-case letters, digits, `.`, `_` and `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Parses a login name; upper-case letters are folded to lower case.
    ///
    /// # Errors
    /// When the name is too short, too long, or uses other characters.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let name = input.trim().to_ascii_lowercase();
        let allowed = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if allowed && (3..=64).contains(&name.len()) {
            Ok(Self(name))
        } else {
            Err(InvalidValue::new("must be 3 to 64 characters: letters, digits, '.', '_' or '-'"))
        }
    }
}

impl AsRef<str> for Username {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A new password: 10 to 128 characters, not all of one kind (letters or digits).
/// Kept secret: it never prints.
#[derive(Debug, Clone)]
pub struct NewPassword(SecretString);

impl NewPassword {
    /// # Errors
    /// When the password is too short or too long, or has only letters or only digits.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let length = input.chars().count();
        if !(10..=128).contains(&length) {
            return Err(InvalidValue::new("must be 10 to 128 characters"));
        }
        if input.chars().all(char::is_alphabetic) || input.chars().all(|c| c.is_ascii_digit()) {
            return Err(InvalidValue::new("must mix letters with digits or symbols"));
        }
        Ok(Self(SecretString::from(input)))
    }

    /// The secret.
    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(Text::<5>::parse("  内蒙古 ").unwrap().as_ref(), "内蒙古");
        assert!(Text::<5>::parse("   ").is_err());
        assert!(Text::<3>::parse("内蒙古自").is_err());
        assert!(Text::<10>::parse("a\u{0}b").is_err());
        assert!(Text::<10>::parse("a\nb").is_ok());
    }

    #[test]
    fn emails_phones_and_web_addresses() {
        assert!(Email::parse("ip@nmg.gov.cn").is_ok());
        for bad in ["ip", "@nmg.cn", "ip@nmg", "ip@@nmg.cn", "i p@nmg.cn", "ip@.cn"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Phone::parse("0471-6945123").is_ok());
        assert!(Phone::parse("+86 138 0000 0000").is_ok());
        assert!(Phone::parse("12-34").is_err());
        assert!(Phone::parse("0471-ABC").is_err());
        assert!(WebAddress::parse("https://amr.nmg.gov.cn/").is_ok());
        assert!(WebAddress::parse("javascript:alert(1)").is_err());
        assert!(WebAddress::parse("https://").is_err());
    }

    #[test]
    fn names_refuse_direction_overrides_and_zero_width_characters() {
        assert!(Name::parse("呼和浩特知识产权服务中心").is_ok());
        for sneaky in
            ["中心\u{202E}cod.exe", "知识\u{200B}产权", "a\u{2066}b\u{2069}", "\u{FEFF}名称", "x\u{200F}y"]
        {
            assert!(Name::parse(sneaky).is_err(), "{sneaky:?}");
        }
        assert!(Email::parse("a\u{200B}b@example.cn").is_err());
    }

    #[test]
    fn usernames_fold_case_and_refuse_other_characters() {
        assert_eq!(Username::parse("Rec.Hohhot").unwrap().as_ref(), "rec.hohhot");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("名字abc").is_err());
    }

    #[test]
    fn passwords_need_length_and_mix() {
        assert!(NewPassword::parse("correct-horse-9").is_ok());
        assert!(NewPassword::parse("short1!").is_err());
        assert!(NewPassword::parse("onlyletterspassword").is_err());
        assert!(NewPassword::parse("12345678901234").is_err());
    }

    proptest! {
        #[test]
        fn parsed_text_never_exceeds_its_bound(s in "\\PC{0,40}") {
            if let Ok(text) = Text::<20>::parse(&s) {
                prop_assert!(text.as_ref().chars().count() <= 20);
                prop_assert!(!text.as_ref().is_empty());
                prop_assert_eq!(text.as_ref(), text.as_ref().trim());
            }
        }
    }
}
