// Phone number normalisation (SPEC 2.1). Numbers are stored as E.164 digits without '+'.
import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import type { CountryCode, ValidatePhoneNumberLengthResult } from 'libphonenumber-js/max';

export type NumberCheck =
  { kind: 'none' } | { kind: 'valid'; number: string } | { kind: 'invalid'; cleaned: string; reason: string };

/** E.164 allows at most 15 digits; fewer than 8 is never a real subscriber number. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/** Step 1: drop every whitespace, '-', '.', '(' and ')', then one leading '+'. */
export function cleanNumber(raw: string): string {
  return raw.replace(/[\s\-.()]/g, '').replace(/^\+/, '');
}

/** How a number given as a recipient is recorded: normalised when valid, else cleaned. */
export function phoneKey(raw: string, defaultCountry?: string | null): string {
  const check = checkNumber(raw, defaultCountry);
  return check.kind === 'valid' ? check.number : cleanNumber(raw);
}

export function displayNumber(digits: string): string {
  return `+${digits}`;
}

/** An ISO 3166 alpha-2 region libphonenumber knows; trimmed and case-insensitive ('ke' is Kenya). */
export function isCountryCode(iso2: string): boolean {
  return isSupportedCountry(iso2.trim().toUpperCase());
}

/** Results of checkNumber by input: parsing is the costly part of a large fan-out or import. */
const checked = new Map<string, NumberCheck>();
const CHECKED_MAX = 50_000;

export function checkNumber(raw: string | null | undefined, defaultCountry?: string | null): NumberCheck {
  const key = `${defaultCountry ?? ''}|${raw ?? ''}`;
  const known = checked.get(key);
  if (known !== undefined) return known;
  const result = checkNumberUncached(raw, defaultCountry);
  if (checked.size >= CHECKED_MAX) checked.clear();
  checked.set(key, result);
  return result;
}

function checkNumberUncached(raw: string | null | undefined, defaultCountry?: string | null): NumberCheck {
  const cleaned = cleanNumber(raw ?? '');
  if (cleaned === '' || cleaned === '0') return { kind: 'none' };
  const invalid = (reason: string): NumberCheck => ({ kind: 'invalid', cleaned, reason });
  const others = [...new Set(cleaned.replace(/\d/g, ''))].join(' ');
  if (others !== '') {
    return invalid(
      `it contains characters other than digits (${others}); only spaces, - . ( ) and one leading + may surround them`,
    );
  }
  if (cleaned.startsWith('0')) return checkNational(cleaned, defaultCountry, invalid);
  const reason = internationalProblem(cleaned);
  return reason === null ? { kind: 'valid', number: cleaned } : invalid(reason);
}

function checkNational(
  cleaned: string,
  defaultCountry: string | null | undefined,
  invalid: (reason: string) => NumberCheck,
): NumberCheck {
  const hint = cleaned.startsWith('00')
    ? 'it starts with 00, an international dialling prefix: remove the leading zero and put the country code first (drop both zeros)'
    : 'it starts with 0: remove the leading zero and put the country code first';
  const country = defaultCountry?.trim().toUpperCase() ?? '';
  if (country === '') return invalid(hint);
  if (!isSupportedCountry(country))
    return invalid(`${hint} (default_country "${country}" is not a known country)`);
  const parsed = parsePhoneNumberFromString(cleaned, country);
  if (parsed === undefined || !parsed.isPossible()) {
    const length = lengthWords(validatePhoneNumberLength(cleaned, country));
    const advice = cleaned.startsWith('00') ? `; ${hint}` : '';
    return invalid(`not a possible national number for ${countryName(country)}: ${length}${advice}`);
  }
  const digits = parsed.number.slice(1);
  // The national form passed, but the stored number must meet the same rules as any other.
  const reason = internationalProblem(digits);
  return reason === null
    ? { kind: 'valid', number: digits }
    : invalid(`read as +${digits} for ${countryName(country)}: ${reason}`);
}

/** Step 4 for digits without '+'; null when the number is acceptable. */
function internationalProblem(digits: string): string | null {
  if (digits.length < MIN_DIGITS)
    return `too short: ${digits.length} digits, a number has ${MIN_DIGITS} to ${MAX_DIGITS}`;
  if (digits.length > MAX_DIGITS)
    return `too long: ${digits.length} digits, a number has ${MIN_DIGITS} to ${MAX_DIGITS}`;
  const e164 = `+${digits}`;
  const parsed = parsePhoneNumberFromString(e164);
  // A second parse, needed only to say why a number is refused: valid numbers (every number of
  // a fan-out or an import, nearly) skip it.
  const length = () => validatePhoneNumberLength(e164);
  if (parsed === undefined) {
    return length() === 'INVALID_COUNTRY'
      ? `unknown country calling code: none of +${digits.slice(0, 1)}, +${digits.slice(0, 2)}, +${digits.slice(0, 3)} is one`
      : `not a phone number (${lengthWords(length())})`;
  }
  if (parsed.isPossible()) return null;
  const national = parsed.nationalNumber.length;
  return `not a possible number for ${callingCodeName(parsed.countryCallingCode, parsed.country)}: ${national} digits after the country code, ${lengthWords(length())}`;
}

function lengthWords(result: ValidatePhoneNumberLengthResult | undefined): string {
  switch (result) {
    case 'TOO_SHORT':
      return 'too short';
    case 'TOO_LONG':
      return 'too long';
    case 'INVALID_COUNTRY':
      return 'unknown country';
    case 'NOT_A_NUMBER':
      return 'not a number';
    default:
      return 'a length no number there has';
  }
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function countryName(country: CountryCode): string {
  return `${regionNames.of(country) ?? country} (+${getCountryCallingCode(country)})`;
}

/** libphonenumber leaves `country` unset for numbers outside allocated ranges; name it by calling code. */
function callingCodeName(callingCode: string, country: CountryCode | undefined): string {
  if (country !== undefined) return countryName(country);
  const countries = getCountries().filter((c) => getCountryCallingCode(c) === callingCode);
  const only = countries.length === 1 ? countries[0] : undefined;
  return only !== undefined ? countryName(only) : `country calling code +${callingCode}`;
}
