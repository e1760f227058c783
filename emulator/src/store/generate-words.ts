/** Word lists for the seeded generator: mixed scripts, accents and emoji on purpose. */
export const ADJECTIVES = [
  'Classic',
  'Organic',
  'Vintage',
  'Crème',
  'Café',
  'Rustic',
  'Nordic',
  'Señorita',
  'Deluxe',
  'Smart',
  'Eco',
  'Mini',
  'Grand',
  'Løvely',
  'Über',
  'Zen',
  '抹茶',
  '桜',
  'Cozy',
  'Bold',
  'Soft',
  'Wild',
  '🌿 Fresh',
  'Sunny ☀️',
] as const;

export const NOUNS = [
  'T-Shirt',
  'Mug',
  'Hoodie',
  'Sneakers',
  'Backpack',
  'Candle',
  'Notebook',
  'Scarf',
  'Teapot',
  'Lamp',
  'Jacket',
  'Wallet',
  'Blanket',
  'Bottle',
  'Socks',
  'Cap',
  'Plant pot',
  'Soap',
  'Headphones',
  'Chair',
  'Tasse',
  'Écharpe',
  'お茶碗',
  '茶壶',
  'Poster',
  'Sunglasses',
] as const;

export const VENDORS = [
  'Acme Co',
  'Nordlys',
  'Maison Dupré',
  'Kōbō Works',
  'Green Leaf',
  'Urban Thread',
  'Sol y Mar',
] as const;

export const PRODUCT_TYPES = [
  'Apparel',
  'Home',
  'Accessories',
  'Kitchen',
  'Stationery',
  'Beauty',
  'Électronique',
] as const;

export const TAGS = [
  'new',
  'sale',
  'summer',
  'winter',
  'bestseller',
  'eco',
  'gift',
  'limited',
  'handmade',
  'vegan',
  'été',
  '限定',
] as const;

export const OPTION_SETS = [
  { name: 'Size', values: ['XS', 'S', 'M', 'L', 'XL', 'XXL'] },
  { name: 'Color', values: ['Black', 'White', 'Rouge', 'Navy', 'Olive', 'Sand', 'Grün'] },
  { name: 'Material', values: ['Cotton', 'Linen', 'Wool', 'Ceramic', 'Steel'] },
] as const;

export const FIRST_NAMES = [
  'Ana',
  'Björn',
  'Chloé',
  'Diego',
  'Emma',
  'François',
  'Günther',
  'Hana',
  'Ines',
  'João',
  'Kenji',
  'Léa',
  'María',
  'Noah',
  'Olivia',
  'Paweł',
  'Quentin',
  'Renée',
  'Søren',
  'Takumi',
  'Uma',
  'Zoë',
  '陽菜',
  '伟',
] as const;

export const LAST_NAMES = [
  'Smith',
  'García',
  'Müller',
  'Dubois',
  'Rossi',
  'Nowak',
  'Tanaka',
  'Silva',
  'O’Brien',
  'Johansson',
  'Nguyễn',
  'Kowalski',
  'Fernández',
  'Schäfer',
  'Laurent',
  '佐藤',
  '王',
  'Ivanova',
] as const;

export interface CountryData {
  country: string;
  countryCode: string;
  cities: readonly (readonly [string, string | null, string | null])[];
  zip: () => string;
}

export const COUNTRIES: readonly CountryData[] = [
  {
    country: 'United States',
    countryCode: 'US',
    cities: [
      ['New York', 'New York', 'NY'],
      ['Austin', 'Texas', 'TX'],
      ['Portland', 'Oregon', 'OR'],
    ],
    zip: () => '10001',
  },
  {
    country: 'Canada',
    countryCode: 'CA',
    cities: [
      ['Montréal', 'Quebec', 'QC'],
      ['Toronto', 'Ontario', 'ON'],
    ],
    zip: () => 'H2X 1Y4',
  },
  {
    country: 'United Kingdom',
    countryCode: 'GB',
    cities: [
      ['London', 'England', 'ENG'],
      ['Edinburgh', 'Scotland', 'SCT'],
    ],
    zip: () => 'EC1A 1BB',
  },
  {
    country: 'Germany',
    countryCode: 'DE',
    cities: [
      ['Köln', null, null],
      ['München', null, null],
    ],
    zip: () => '50667',
  },
  {
    country: 'France',
    countryCode: 'FR',
    cities: [
      ['Paris', null, null],
      ['Lyon', null, null],
    ],
    zip: () => '75001',
  },
  {
    country: 'Japan',
    countryCode: 'JP',
    cities: [
      ['東京', 'Tokyo', 'JP-13'],
      ['大阪', 'Osaka', 'JP-27'],
    ],
    zip: () => '100-0001',
  },
  {
    country: 'Australia',
    countryCode: 'AU',
    cities: [['Sydney', 'New South Wales', 'NSW']],
    zip: () => '2000',
  },
  {
    country: 'Brazil',
    countryCode: 'BR',
    cities: [['São Paulo', 'São Paulo', 'SP']],
    zip: () => '01000-000',
  },
];

export const STREETS = [
  'Main Street',
  'Rue de Rivoli',
  'Königsallee',
  'Calle Mayor',
  'High Street',
  '銀座通り',
  'Avenida Paulista',
] as const;

/** Presentment currencies and rates from a USD shop (other shop currencies reuse them as is). */
export const PRESENTMENT = [
  { currency: 'EUR', rate: 0.92 },
  { currency: 'GBP', rate: 0.79 },
  { currency: 'CAD', rate: 1.36 },
  { currency: 'JPY', rate: 151 },
  { currency: 'AUD', rate: 1.52 },
] as const;

export const LOCATION_NAMES = [
  'Main warehouse',
  'Downtown store',
  'Outlet Köln',
  'East coast DC',
  'Shibuya pop-up',
] as const;
