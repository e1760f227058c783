/**
 * Shopify's CountryCode enum (Admin API 2026-04, 245 values: ISO 3166-1 alpha-2 and Shopify's own
 * AC, AN, TA, XK and ZZ for an unknown region). A shipping address pushed with any other code would be
 * refused by Shopify's schema, so Retailos refuses it at its own edge first.
 */
export const COUNTRY_CODES: readonly string[] = [
  'AC AD AE AF AG AI AL AM AN AO AR AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ',
  'BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM',
  'DO DZ EC EE EG EH ER ES ET FI FJ FK FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT',
  'GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR',
  'KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MK ML MM MN MO MQ MR MS MT MU',
  'MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PS PT PY',
  'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD',
  'TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VN VU WF WS XK YE',
  'YT ZA ZM ZW ZZ',
]
  .join(' ')
  .split(' ');

const KNOWN = new Set(COUNTRY_CODES);

/** True for a code in Shopify's CountryCode enum (upper case, e.g. "FR"). */
export const isCountryCode = (code: string): boolean => KNOWN.has(code);
