/**
 * Seeded faker instances. Each purpose gets its own instance (never the
 * shared global `faker`), so generators do not disturb one another's streams.
 */
import { base, de, en, en_AU, en_GB, en_US, Faker, fr, type LocaleDefinition } from '@faker-js/faker';
import type { Scenario } from './scenarios.ts';

const LOCALE_CHAINS: Record<Scenario['locale'], LocaleDefinition[]> = {
  en_GB: [en_GB, en, base],
  en_US: [en_US, en, base],
  en_AU: [en_AU, en, base],
  de: [de, en, base],
  fr: [fr, en, base],
};

export function seededFaker(locale: Scenario['locale'], seed: number): Faker {
  const faker = new Faker({ locale: LOCALE_CHAINS[locale] });
  faker.seed(seed);
  return faker;
}

/**
 * Draws names until one is not taken; after a few clashes, distinguishes the
 * name with a suffix, since small locales run out of distinct place names.
 */
export function uniqueName(draw: () => string, taken: Set<string>, suffixes: readonly string[]): string {
  for (let attempt = 0; attempt < 12; attempt++) {
    const name = draw();
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  const stem = draw();
  for (const suffix of suffixes) {
    const name = `${stem} ${suffix}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  for (let n = 2; ; n++) {
    const name = `${stem} ${n}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}
