//! The unified social credit code (统一社会信用代码) of GB 32100-2015 (DESIGN §11).

use std::fmt;

/// The 31 characters a code may use, in value order: digits, then capitals without
/// I, O, S, V and Z.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17 for the final check character: 3^(i−1) mod 31.
const CODE_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Weights of the eight body characters of the organisation code (GB 11714).
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A unified social credit code whose checks pass. Stored in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uscc(String);

/// Why a string is not a valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("must be 18 characters long")]
    Length,
    #[error("character {position} is not allowed")]
    Character { position: usize },
    #[error("the division code (characters 3–8) must be digits")]
    Division,
    #[error("the organisation code check (character 17) does not match")]
    OrganisationCheck,
    #[error("the check character (character 18) does not match")]
    Check,
}

impl Uscc {
    /// Parses a code, ignoring surrounding white space and letter case.
    ///
    /// # Errors
    /// Returns the first rule of GB 32100-2015 that the code breaks.
    pub fn parse(input: &str) -> Result<Self, UsccError> {
        let code = input.trim().to_ascii_uppercase();
        if code.chars().count() != 18 {
            return Err(UsccError::Length);
        }
        let values = code
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                ALPHABET
                    .iter()
                    .position(|&a| a == b)
                    .map(|v| v as u32)
                    .ok_or(UsccError::Character { position: i + 1 })
            })
            .collect::<Result<Vec<u32>, _>>()?;
        if !code.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return Err(UsccError::Division);
        }
        if organisation_check(&code.as_bytes()[8..16]) != code.as_bytes()[16] {
            return Err(UsccError::OrganisationCheck);
        }
        let sum: u32 = values[..17].iter().zip(CODE_WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(UsccError::Check);
        }
        Ok(Self(code))
    }

    /// Completes 16 leading characters with both check characters: how test data and
    /// demo institutions get valid codes.
    ///
    /// # Errors
    /// When `head` is not 16 characters of the code alphabet with a numeric division code.
    pub fn with_checks(head: &str) -> Result<Self, UsccError> {
        let head = head.trim().to_ascii_uppercase();
        if head.len() != 16 {
            return Err(UsccError::Length);
        }
        if let Some(position) = head.bytes().position(|b| !ALPHABET.contains(&b)) {
            return Err(UsccError::Character { position: position + 1 });
        }
        let org = organisation_check(&head.as_bytes()[8..16]) as char;
        let partial = format!("{head}{org}");
        let sum: u32 = partial
            .bytes()
            .zip(CODE_WEIGHTS)
            .filter_map(|(b, w)| ALPHABET.iter().position(|&a| a == b).map(|v| v as u32 * w))
            .sum();
        let check = ALPHABET[((31 - sum % 31) % 31) as usize] as char;
        Self::parse(&format!("{partial}{check}"))
    }

    /// The division code of the registering authority (characters 3–8).
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }
}

/// The GB 11714 check character of an organisation code's eight body characters. Letters
/// count as in the Latin alphabet from A = 10, as GB 11714 has it.
fn organisation_check(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(ORG_WEIGHTS)
        .map(|(&c, w)| {
            let value = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                _ => u32::from(c - b'A') + 10,
            };
            value * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    }
}

impl AsRef<str> for Uscc {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn published_examples_are_valid() {
        for code in ["12100000400000624D", "1210000042500615X0", "12440300455752807L"] {
            assert_eq!(Uscc::parse(code).map(|c| c.to_string()), Ok(code.to_owned()));
        }
    }

    #[test]
    fn with_checks_reproduces_the_published_examples() {
        assert_eq!(Uscc::with_checks("1210000040000062").unwrap().as_ref(), "12100000400000624D");
        assert_eq!(Uscc::with_checks("1244030045575280").unwrap().as_ref(), "12440300455752807L");
    }

    #[test]
    fn lower_case_and_spaces_are_normalised() {
        let code = Uscc::parse(" 12440300455752807l ").unwrap();
        assert_eq!(code.as_ref(), "12440300455752807L");
        assert_eq!(code.division_code(), "440300");
    }

    #[test]
    fn each_rule_is_reported() {
        assert_eq!(Uscc::parse("12100000400000624"), Err(UsccError::Length));
        assert_eq!(Uscc::parse("12100000400000624DD"), Err(UsccError::Length));
        assert_eq!(Uscc::parse("12100000400000624I"), Err(UsccError::Character { position: 18 }));
        assert_eq!(Uscc::parse("12A00000400000624D"), Err(UsccError::Division));
        assert_eq!(Uscc::parse("12100000400000634D"), Err(UsccError::OrganisationCheck));
        assert_eq!(Uscc::parse("12100000400000624E"), Err(UsccError::Check));
    }

    proptest! {
        #[test]
        fn any_code_with_correct_checks_parses(
            head in "[159Y][123]",
            division in "[0-9]{6}",
            org in "[0-9A-HJ-NPQRTUWXY]{8}",
        ) {
            let code = Uscc::with_checks(&format!("{head}{division}{org}")).unwrap().to_string();
            prop_assert_eq!(Uscc::parse(&code).map(|c| c.to_string()), Ok(code.clone()));
        }

        #[test]
        fn changing_one_character_breaks_a_check(
            division in "[0-9]{6}",
            org in "[0-9]{8}",
            position in 0usize..18,
            replacement in 0usize..31,
        ) {
            let code = Uscc::with_checks(&format!("91{division}{org}")).unwrap().to_string();
            let mut bytes = code.clone().into_bytes();
            prop_assume!(bytes[position] != ALPHABET[replacement]);
            bytes[position] = ALPHABET[replacement];
            let altered = String::from_utf8(bytes).unwrap();
            prop_assert!(Uscc::parse(&altered).is_err());
        }
    }
}
